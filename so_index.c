/* so_index.c: the literal table and the regex index (see so_index.h). */

#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_time.h"

#include "so_index.h"

/* ---- literal table ---------------------------------------------------- */

/* One URL-path and its entries.  Nearly every URL-path has one rule: it
 * is held in place, and an array is made only for a second.  A record is
 * 32 bytes (apr_hash would add a 40-byte entry, and the key an array). */
typedef struct lit_rec {
    const char *url_path;
    struct lit_rec *next;            /* in the same bucket */
    apr_uint32_t hash;
    apr_uint32_t count;              /* entries */
    union {
        const void *one;             /* count == 1 */
        apr_array_header_t *many;    /* count > 1: all of them */
    } u;
} lit_rec;

struct so_literals {
    apr_pool_t *pool;
    lit_rec **buckets;
    apr_uint32_t mask;               /* buckets - 1 (a power of two) */
    apr_uint32_t count;              /* URL-paths */
    apr_uint32_t seed;               /* paths cannot be chosen to collide */
    char *spare;                     /* room for records (see grow) */
    apr_size_t spare_len;
};

/* Up to two URL-paths a bucket: chains stay short, and the buckets cost
 * 4 to 8 bytes a URL-path. */
#define LITERALS_LOAD 2

#define LITERALS_FIRST_BUCKETS 16

/* FNV-1a from a per-table seed. */
static apr_uint32_t literal_hash(const so_literals *t, const char *s,
                                 apr_size_t len)
{
    apr_uint32_t h = 2166136261U ^ t->seed;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619U;
    }
    return h;
}

so_literals *so_literals_make(apr_pool_t *p)
{
    so_literals *t = apr_palloc(p, sizeof(*t));

    t->pool = p;
    t->mask = LITERALS_FIRST_BUCKETS - 1;
    t->buckets = apr_pcalloc(p, LITERALS_FIRST_BUCKETS * sizeof(lit_rec *));
    t->count = 0;
    t->spare = NULL;
    t->spare_len = 0;
    t->seed = (apr_uint32_t)(apr_time_now() ^ (apr_uintptr_t)t);
    return t;
}

/* The record of the len bytes at s, or NULL. */
static lit_rec *find_rec(const so_literals *t, const char *s, apr_size_t len,
                         apr_uint32_t hash)
{
    lit_rec *rec;

    for (rec = t->buckets[hash & t->mask]; rec; rec = rec->next) {
        if (rec->hash == hash && !strncmp(rec->url_path, s, len)
            && rec->url_path[len] == '\0') {
            return rec;
        }
    }
    return NULL;
}

/* Twice the buckets.  The pool keeps the old array until it is cleared:
 * it is carved into the next records instead of lying idle. */
static void grow(so_literals *t)
{
    lit_rec **old = t->buckets;
    apr_uint32_t size = (t->mask + 1) * 2, i;
    lit_rec **buckets = apr_pcalloc(t->pool, size * sizeof(*buckets));

    for (i = 0; i <= t->mask; i++) {
        lit_rec *rec = t->buckets[i], *next;

        for (; rec; rec = next) {
            next = rec->next;
            rec->next = buckets[rec->hash & (size - 1)];
            buckets[rec->hash & (size - 1)] = rec;
        }
    }
    t->buckets = buckets;
    t->mask = size - 1;
    t->spare = (char *)old;
    t->spare_len = (size / 2) * sizeof(*old);
}

static lit_rec *new_rec(so_literals *t)
{
    lit_rec *rec;

    if (t->spare_len < sizeof(*rec)) {
        return apr_palloc(t->pool, sizeof(*rec));
    }
    rec = (lit_rec *)t->spare;
    t->spare += sizeof(*rec);
    t->spare_len -= sizeof(*rec);
    return rec;
}

void so_literals_add(so_literals *t, const char *url_path, const void *entry)
{
    apr_size_t len = strlen(url_path);
    apr_uint32_t hash = literal_hash(t, url_path, len);
    lit_rec *rec = find_rec(t, url_path, len, hash);

    if (!rec) {
        if (t->count >= LITERALS_LOAD * (t->mask + 1)) {
            grow(t);
        }
        rec = new_rec(t);
        rec->url_path = url_path;
        rec->hash = hash;
        rec->count = 1;
        rec->u.one = entry;
        rec->next = t->buckets[hash & t->mask];
        t->buckets[hash & t->mask] = rec;
        t->count++;
        return;
    }
    if (rec->count == 1) {
        const void *first = rec->u.one;

        rec->u.many = apr_array_make(t->pool, 2, sizeof(const void *));
        *(const void **)apr_array_push(rec->u.many) = first;
    }
    *(const void **)apr_array_push(rec->u.many) = entry;
    rec->count++;
}

void so_literals_start(so_literal_cursor *c, const so_literals *t,
                       const char *path)
{
    c->table = t;
    c->path = path;
    c->path_len = strlen(path);
    c->pending = 0;
    /* an empty table: no probe at all */
    c->tried_full = t->count == 0;
    c->scan = c->tried_full ? 0 : c->path_len;
}

/* The candidates, longest first: the whole path, then for each '/' at
 * offset i (from the right) the prefix that keeps it (length i + 1, for
 * URL-paths written with a trailing slash) and the one that stops before
 * it (length i).  So "/a" is tried for "/a/b" but never for "/ab". */
static apr_size_t next_candidate(so_literal_cursor *c)
{
    apr_size_t len;

    if (!c->tried_full) {
        c->tried_full = 1;
        if (c->path_len > 0) {
            return c->path_len;
        }
    }
    if (c->pending) {
        len = c->pending;
        c->pending = 0;
        return len;
    }
    while (c->scan > 0) {
        apr_size_t i = --c->scan;

        if (c->path[i] != '/') {
            continue;
        }
        /* the prefix that keeps this '/', unless it was tried already:
         * as the whole path, or as the one that stops before a '/' at
         * i + 1 (with "//" in the path); then the one before it */
        if (i + 1 < c->path_len && c->path[i + 1] != '/') {
            c->pending = i;
            return i + 1;
        }
        if (i > 0) {
            return i;
        }
    }
    return 0;
}

const so_literal_key *so_literals_next(so_literal_cursor *c,
                                       const char **rest)
{
    apr_size_t len;

    while ((len = next_candidate(c)) > 0) {
        const lit_rec *rec = find_rec(c->table, c->path, len,
                                      literal_hash(c->table, c->path, len));
        if (rec) {
            const char *r = c->path + len;

            while (*r == '/') {
                r++;
            }
            /* "/old/" keeps its trailing slash: "/new/", not "/new" */
            *rest = (!*r && r > c->path + len) ? r - 1 : r;
            c->key.url_path = rec->url_path;
            if (rec->count > 1) {
                c->key.entries = rec->u.many;
            }
            else {
                /* a one-entry array over the record's entry, read only */
                c->one.pool = NULL;
                c->one.elt_size = sizeof(const void *);
                c->one.nelts = c->one.nalloc = 1;
                c->one.elts = (char *)&rec->u.one;
                c->key.entries = &c->one;
            }
            return &c->key;
        }
    }
    return NULL;
}

/* ---- regex index ------------------------------------------------------ */

struct so_regexes {
    apr_pool_t *pool;
    apr_hash_t *keys;                /* key -> array of so_regex_entry */
    int count;
};

typedef struct {
    int order;                       /* position in configuration order */
    const void *group;
} so_regex_entry;

so_regexes *so_regexes_make(apr_pool_t *p)
{
    so_regexes *x = apr_palloc(p, sizeof(*x));

    x->pool = p;
    x->keys = apr_hash_make(p);
    x->count = 0;
    return x;
}

/* The characters that end a pattern's literal text, and the quantifiers
 * that make the character before them optional. */
#define REGEX_META "\\.[]()*+?{}|^$"
#define OPTIONAL_QUANTIFIER "?*{"

const char *so_regex_key(apr_pool_t *p, const char *pattern, int nocase)
{
    char *lit = apr_palloc(p, strlen(pattern) + 1);
    apr_size_t len = 0, complete = 0;
    const char *s = pattern;

    /* Case-folded or alternating patterns have no fixed prefix. */
    if (nocase || *s++ != '^' || strchr(pattern, '|')) {
        return "";
    }
    while (*s) {
        char c = *s;

        if (c == '\\' && s[1] && !apr_isalnum(s[1])) {
            c = s[1];
            s += 2;
        }
        else if (c == '$' && s[1] == '\0') {
            complete = len;          /* the path ends here: last segment */
            break;
        }
        else if (strchr(REGEX_META, c)) {
            break;
        }
        else {
            s++;
        }
        if (*s && strchr(OPTIONAL_QUANTIFIER, *s)) {
            break;                   /* c may be absent: not literal */
        }
        if (c == '/') {
            complete = len;
        }
        lit[len++] = c;
        if (*s == '+') {
            break;                   /* c, then maybe more of it */
        }
    }
    return apr_pstrmemdup(p, lit, complete);
}

void so_regexes_add(so_regexes *x, const char *pattern, int nocase,
                    const void *group)
{
    const char *key = so_regex_key(x->pool, pattern, nocase);
    apr_array_header_t *list = apr_hash_get(x->keys, key,
                                            APR_HASH_KEY_STRING);
    so_regex_entry *entry;

    if (!list) {
        list = apr_array_make(x->pool, 1, sizeof(so_regex_entry));
        apr_hash_set(x->keys, key, APR_HASH_KEY_STRING, list);
    }
    entry = apr_array_push(list);
    entry->order = x->count++;
    entry->group = group;
}

/* Probe "", every prefix of path that ends before a '/', and the whole
 * path: the keys a pattern filed there could match below. */
void so_regexes_start(so_regex_cursor *c, const so_regexes *x,
                      const char *path, apr_pool_t *p)
{
    apr_size_t len = strlen(path), i;
    int slots = 2;

    c->nlists = 0;
    if (x->count == 0) {
        return;
    }
    for (i = 1; i < len; i++) {
        slots += path[i] == '/';
    }
    c->lists = apr_palloc(p, slots * sizeof(*c->lists));
    c->pos = apr_pcalloc(p, slots * sizeof(*c->pos));
    for (i = 0; i <= len; i++) {
        const apr_array_header_t *list;

        if (i > 0 && i < len && path[i] != '/') {
            continue;
        }
        list = apr_hash_get(x->keys, path, (apr_ssize_t)i);
        if (list) {
            c->lists[c->nlists++] = list;
        }
    }
}

/* The candidate with the smallest configuration order across the lists. */
const void *so_regexes_next(so_regex_cursor *c)
{
    const so_regex_entry *best = NULL;
    int i, from = -1;

    for (i = 0; i < c->nlists; i++) {
        const so_regex_entry *e;

        if (c->pos[i] >= c->lists[i]->nelts) {
            continue;
        }
        e = &APR_ARRAY_IDX(c->lists[i], c->pos[i], so_regex_entry);
        if (!best || e->order < best->order) {
            best = e;
            from = i;
        }
    }
    if (!best) {
        return NULL;
    }
    c->pos[from]++;
    return best->group;
}

