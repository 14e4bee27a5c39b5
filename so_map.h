/* so_map.h: SeeOtherMap files.
 *
 * A text map holds one "key target" pair per line, separated by white
 * space; a line whose first non-blank character is '#' is a comment, blank
 * lines are skipped.  A DBM map (as httxt2dbm writes) holds the same pairs.
 *
 * Files are opened once, without blocking (a FIFO swapped in for the file
 * cannot stall the reader), and checked on the open descriptor: only a
 * regular file is read, and only up to a size the caller sets.
 */
#ifndef SO_MAP_H
#define SO_MAP_H

#include "apr_dbm.h"
#include "apr_file_io.h"
#include "apr_pools.h"
#include "apr_tables.h"

/* An opened file (a map, or any file the module reads the same way) and
 * what its descriptor says of it. */
typedef struct {
    const char *what;        /* "map file", ...: how errors name it */
    const char *path;
    apr_file_t *file;
    apr_time_t mtime;
    apr_off_t size;
} so_map_source;

/* Open path for reading without blocking and check on the descriptor that
 * it is a regular file.  Returns NULL or an error message naming it as
 * "WHAT PATH: why". */
const char *so_map_open(apr_pool_t *p, const char *what, const char *path,
                        so_map_source *src);

/* The whole of an opened file (at most max_bytes; 0: no limit) in a
 * buffer from p one byte longer than *len, the byte after the text free
 * for a terminator.  NULL or an error message naming the file. */
const char *so_map_read(apr_pool_t *p, const so_map_source *src,
                        apr_off_t max_bytes, char **out, apr_size_t *len);

/* Called for each entry; returns NULL or an error message. */
typedef const char *(*so_map_entry_fn)(void *baton, const char *key,
                                       const char *target, int line);

/* Parse a text map held in buf: len bytes of text and one more byte that
 * may be written.  Keys and targets are cut out of buf in place (no copy);
 * the strings passed to fn point into it.  A NUL byte in the text is an
 * error.  Returns NULL or "line N: why", from p. */
const char *so_map_parse(apr_pool_t *p, char *buf, apr_size_t len,
                         so_map_entry_fn fn, void *baton);

/* Open an opened DBM file (src, from so_map_open) as a DBM, read-only,
 * through its descriptor: not by its name again. */
apr_status_t so_map_dbm_open(apr_pool_t *p, const so_map_source *src,
                             apr_dbm_t **db);

/* Check that an opened DBM file opens as a DBM (it is never read whole).
 * NULL or an error message naming the file. */
const char *so_map_check_dbm(apr_pool_t *p, const so_map_source *src);

/* ---- loaded text maps ------------------------------------------------ */

/* A text map held in memory, compactly: the file's bytes once, an array
 * of entries and an open-addressing index sized once (about 40 bytes an
 * entry besides the file's bytes). */
typedef struct so_map_table so_map_table;

/* Checks a target while loading; returns NULL or why it is refused.  The
 * pool it gets is scratch, cleared now and then. */
typedef const char *(*so_map_check_fn)(apr_pool_t *p, const char *target);

/* Read an opened text map (at most max_bytes; 0: no limit) into a new
 * table allocated from p.  A key written twice keeps its first line, and
 * a warning naming both lines is pushed onto warnings (const char *).
 * Returns NULL or an error message naming the file and line. */
const char *so_map_table_read(apr_pool_t *p, const so_map_source *src,
                              apr_off_t max_bytes, so_map_check_fn check,
                              apr_array_header_t *warnings,
                              so_map_table **out);

/* What a table holds in memory, in bytes. */
apr_size_t so_map_table_bytes(const so_map_table *t);

/* The target filed under key (leading '/' of keys in the file are
 * stripped, so key has none), or NULL; *line gets its line number. */
const char *so_map_table_get(const so_map_table *t, const char *key,
                             int *line);

#endif /* SO_MAP_H */
