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
 * strings passed to fn live in p.  Returns NULL or "line N: why". */
const char *so_map_parse_text(apr_pool_t *p, const char *buf, apr_size_t len,
                              so_map_entry_fn fn, void *baton);

/* Read a text map file / every pair of a DBM file.  Returns NULL or an
 * error message naming the file. */
const char *so_map_read_text(apr_pool_t *p, const char *path,
                             so_map_entry_fn fn, void *baton);
const char *so_map_read_dbm(apr_pool_t *p, const char *path,
                            so_map_entry_fn fn, void *baton);

#endif /* SO_MAP_H */
