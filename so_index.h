/* so_index.h: where matching looks for rules, for mod_see_other.
 *
 * The literal table finds every configured URL-path that is the request
 * path or a prefix of it ending at a segment boundary, longest first, by
 * probing the path's own prefixes in a hash: the cost depends on the depth
 * of the path, never on the number of rules.  The regex index runs only
 * the patterns whose literal prefix the path has.  Both hold opaque
 * entries (the caller's rules or groups) and are only read after filling.
 */
#ifndef SO_INDEX_H
#define SO_INDEX_H

#include "apr_pools.h"
#include "apr_hash.h"
#include "apr_tables.h"

/* ---- literal table ---------------------------------------------------- */

typedef struct so_literals so_literals;

/* One URL-path of the table and what the caller filed under it, as the
 * cursor gives it. */
typedef struct {
    const char *url_path;
    apr_array_header_t *entries;     /* of const void *, in config order */
} so_literal_key;

/* Walks the keys that match one path, longest first. */
typedef struct {
    const so_literals *table;
    const char *path;
    apr_size_t path_len;
    apr_size_t scan;                 /* offsets below this are unscanned */
    apr_size_t pending;              /* a prefix length queued, or 0 */
    int tried_full;
    so_literal_key key;              /* the key last given */
    apr_array_header_t one;          /* its entries, when it has one */
} so_literal_cursor;

so_literals *so_literals_make(apr_pool_t *p);
/* File entry under url_path (kept in the order of the calls).  The table
 * keeps url_path itself, not a copy: it must live as long as the table. */
void so_literals_add(so_literals *t, const char *url_path, const void *entry);

void so_literals_start(so_literal_cursor *c, const so_literals *t,
                       const char *path);
/* Next matching key, or NULL; *rest is set to the part of the path after
 * the key, without leading slashes: "" exactly when the key is the whole
 * path, "/" when only slashes follow the key.  The key is the cursor's:
 * valid until its next call. */
const so_literal_key *so_literals_next(so_literal_cursor *c,
                                       const char **rest);

/* ---- regex index ------------------------------------------------------ */

/* SeeOtherMatch rules (groups of rules sharing one pattern) filed under the
 * literal path their pattern must begin with: "^/shop/item/(.*)" can only
 * match below "/shop/item", so it is filed under that key and run only for
 * paths there.  Patterns with no such prefix (no leading '^', an
 * alternation, nocase, ...) are filed under "" and always run.  The cursor
 * gives the candidates of a path in the order they were added, so "first
 * match in configuration order" is kept exactly. */

typedef struct so_regexes so_regexes;

typedef struct {
    const apr_array_header_t **lists;   /* candidate lists found */
    int *pos;
    int nlists;
} so_regex_cursor;

so_regexes *so_regexes_make(apr_pool_t *p);
void so_regexes_add(so_regexes *x, const char *pattern, int nocase,
                    const void *group);

/* The key a pattern is filed under: its complete leading path segments. */
const char *so_regex_key(apr_pool_t *p, const char *pattern, int nocase);

/* Scratch for the cursor comes from p (a few pointers per path segment). */
void so_regexes_start(so_regex_cursor *c, const so_regexes *x,
                      const char *path, apr_pool_t *p);
const void *so_regexes_next(so_regex_cursor *c);

#endif /* SO_INDEX_H */
