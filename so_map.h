/* so_map.h: SeeOtherMap files.
 *
 * A text map holds one "key target" pair per line, separated by white
 * space; a line whose first non-blank character is '#' is a comment, blank
 * lines are skipped.  A DBM map (as httxt2dbm writes) holds the same pairs.
 */
#ifndef SO_MAP_H
#define SO_MAP_H

#include "apr_pools.h"

/* Called for each entry; returns NULL or an error message. */
typedef const char *(*so_map_entry_fn)(void *baton, const char *key,
                                       const char *target, int line);

/* Parse a text map held in buf (len bytes, need not be NUL-terminated);
 * the strings passed to fn live in a copy of buf in p.  Returns NULL or "line N: why". */
const char *so_map_parse_text(apr_pool_t *p, const char *buf, apr_size_t len,
                              so_map_entry_fn fn, void *baton);

/* Read a text map file.  Returns NULL or an error message naming the
 * file. */
const char *so_map_read_text(apr_pool_t *p, const char *path,
                             so_map_entry_fn fn, void *baton);
/* Check that a DBM file opens (without reading it).  NULL or an error
 * message naming the file. */
const char *so_map_check_dbm(apr_pool_t *p, const char *path);

/* ---- loaded text maps ------------------------------------------------ */

/* A text map held in memory, compactly: the file's bytes once, an array
 * of entries and an open-addressing index sized once (about 40 bytes an
 * entry besides the file's bytes). */
typedef struct so_map_table so_map_table;

/* Checks a target while loading; returns NULL or why it is refused.  The
 * pool it gets is scratch, cleared now and then. */
typedef const char *(*so_map_check_fn)(apr_pool_t *p, const char *target);

/* Load a text map file into a new table allocated from p.  Returns NULL or
 * an error message naming the file and line. */
const char *so_map_table_load(apr_pool_t *p, const char *path,
                              so_map_check_fn check, so_map_table **out);

/* The target filed under key (leading '/' of keys in the file are
 * stripped, so key has none), or NULL; *line gets its line number. */
const char *so_map_table_get(const so_map_table *t, const char *key,
                             int *line);

unsigned int so_map_table_count(const so_map_table *t);

#endif /* SO_MAP_H */
