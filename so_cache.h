/* so_cache.h: the per-process cache of mod_see_other.
 *
 * httpd parses .htaccess files on every request.  So that a request does
 * not compile regexes, parse targets, index rules or load maps again, a
 * child keeps what it made: parsed lines, compiled regexes, indexed rule
 * sets and loaded maps, in a generation; and open DBM files.  Made in
 * child_init (the parent has none: configuration there is parsed once
 * anyway), passed down explicitly, never reached through a global.
 *
 * Bounds (docs/security.md): a generation holds at most
 * SO_CACHE_MAX_BYTES (estimated: compiled regexes by PCRE2's own count,
 * maps by their table's) or SO_CACHE_MAX_ENTRIES entries.  Past either,
 * a new empty generation takes its place, and the old one is freed as
 * soon as no request holds it: what edits leave behind can never pile
 * up.  Requests hold each generation they take entries from until their
 * pool is cleared.
 *
 * Locks:
 * - the cache lock guards the current generation's tables and pool, the
 *   generations' counts, and the DBM table: so_cache_enter takes it,
 *   so_cache_leave releases it.  Nothing done under it reads a file or a
 *   DBM, so a slow file of one tenant never stalls another's requests.
 * - each open DBM file has a lock of its own, held across its stat, open
 *   and fetch: only requests for that one map wait for each other.
 * What the tables hand out (rules, rule sets, maps) is never changed
 * while a request holds its generation, so it is read without a lock.
 * - parsed Accept headers (so_cache_accept) are kept per thread, not per
 *   process: each thread has a small table of its own, read and written
 *   by that thread only, so no lock is taken at all (a shared table would
 *   cost a lock round trip per request and a reference count to know when
 *   a replaced entry may be freed).
 */
#ifndef SO_CACHE_H
#define SO_CACHE_H

#include "apr_hash.h"
#include "apr_pools.h"
#include "apr_tables.h"
#include "apr_time.h"
#if APR_HAS_THREADS
#include "apr_thread_mutex.h"
#include "apr_thread_proc.h"
#endif

#include "so_model.h"

#define SO_CACHE_MAX_BYTES (128 * 1024 * 1024)
#define SO_CACHE_MAX_ENTRIES 100000
/* DBM files open at once; past it a DBM map is opened per request */
#define SO_CACHE_MAX_DBMS 256

/* What one generation holds.  The tables' keys and values are their
 * users' (so_config's parsed lines, so_answer's rule sets). */
typedef struct {
    apr_pool_t *pool;        /* everything below; its own allocator */
    apr_hash_t *files;       /* .htaccess name -> its parsed lines */
    void *last_file;         /* the one looked up last */
    apr_hash_t *regexes;     /* so_pattern_key -> ap_regex_t */
    apr_hash_t *rule_sets;   /* (first rule, count) -> rule sets filed
                              * from such pending sequences (so_cache.c) */
    apr_hash_t *maps;        /* "file\nwhere\ndbm" -> so_rule_t (map) */
    apr_size_t bytes;        /* estimated, of everything it holds */
    int entries;
    int holders;             /* requests holding it */
    int retired;             /* replaced: freed when holders drops to 0 */
} so_cache_gen;

typedef struct so_open_dbm so_open_dbm;

typedef struct {
#if APR_HAS_THREADS
    apr_thread_mutex_t *lock;
#endif
    so_cache_gen *current;
    apr_pool_t *dbm_pool;    /* the DBM table and handles */
    apr_hash_t *dbms;        /* DBM file -> so_open_dbm */
    /* the calling thread's table of parsed Accept headers, and of
     * rendered lists of variants (no lock) */
#if APR_HAS_THREADS
    apr_threadkey_t *accept_key, *links_key;
#else
    void *accept_table, *links_table;
#endif
} so_cache;

so_cache *so_cache_make(apr_pool_t *p);

/* A pool with an allocator of its own, in no other pool's tree, for an
 * entry built outside the lock and then adopted by a generation. */
apr_pool_t *so_cache_entry_pool(void);

/* Take the lock and return the current generation, held by holder (a
 * request's pool) until holder is cleared.  held: a generation the
 * caller knows holder already holds (the origin of a level it filled in
 * this request), or NULL; it spares the lookup. */
so_cache_gen *so_cache_enter(so_cache *c, apr_pool_t *holder,
                             const void *held);
void so_cache_leave(so_cache *c);

/* With the lock held: g now holds `bytes` more in `entries` more
 * entries; if g is the current generation and past a bound, a new one
 * takes its place. */
void so_cache_charge(so_cache *c, so_cache_gen *g, apr_size_t bytes,
                     int entries);

/* With the lock held: p (from so_cache_entry_pool) is freed with g. */
void so_cache_adopt(so_cache_gen *g, apr_pool_t *p);

/* The rule set of a level's pending .htaccess rules: looked up by the
 * rules' identities in the generation they came from, or filed once; for
 * this request only (into p) when that generation is no longer current
 * or the rules came from more than one. */
const so_rule_set_t *so_cache_rule_set(so_cache *c, const so_level_t *level,
                                       apr_pool_t *p);

/* What so_cache_dbm_get says besides the value. */
#define SO_DBM_OK 0
#define SO_DBM_CANNOT_OPEN 1
#define SO_DBM_NUL_BYTE 2    /* the value holds a NUL: refused, not cut */
#define SO_DBM_REFUSED 3     /* the check refused the value: *why says why */

/* The caller's check of a value, run once per value fetched from the file
 * (a hot key has passed it): NULL if the value may be used, else why not. */
typedef const char *so_cache_dbm_check(apr_pool_t *p, const char *value);

/* The value of key in a DBM file, copied into p, or NULL; keys written
 * with a leading '/' are found too.  The file is looked at (stat) at most
 * once a second (now: the request's time) and reopened when it changed.
 * Only values check passes are kept as hot keys.  *err is one of SO_DBM_*. */
const char *so_cache_dbm_get(so_cache *c, const char *file, const char *key,
                             apr_time_t now, apr_pool_t *p,
                             so_cache_dbm_check *check, const char **why,
                             int *err);

/* Parsed Accept headers: the last SO_ACCEPT_CACHE_SLOTS distinct header
 * values (exact bytes, up to SO_ACCEPT_CACHE_MAX_LEN long) a thread has
 * seen, with their parse.  When the table is full, a new value empties it
 * (a thread holds at most one pool of them: a few KiB).  Real clients
 * send a handful of byte-identical values, so a negotiated request almost
 * never parses. */
#define SO_ACCEPT_CACHE_SLOTS 8
#define SO_ACCEPT_CACHE_MAX_LEN 1024

/* The parse of an Accept header value (so_accept_parse): from the calling
 * thread's table, parsed into it on a miss; header values too long for it
 * are parsed into p.  What is returned is valid until the thread's next
 * call: use it within one request's decision and do not keep it.  c may
 * be NULL (no cache: parsed into p).  No lock (see above). */
const apr_array_header_t *so_cache_accept(so_cache *c, const char *header,
                                          apr_pool_t *p);

/* Rendered lists of variants (SeeOtherAlternates): the Link value and
 * HTML list so_link_render made of a sequence of variant texts
 * (so_link_text) under one origin, known by the texts' serial numbers,
 * which are never reused: an entry is never taken for texts freed since
 * whose memory holds others now.  Per thread, like the Accept parses: the
 * last SO_LINKS_CACHE_SLOTS sequences, a new one emptying a full table;
 * sequences of more than SO_LINKS_CACHE_MAX_TEXTS texts, or renderings
 * longer than SO_LINKS_CACHE_MAX_LEN bytes, are not kept.  A site
 * answers a handful of negotiated groups under a handful of host names,
 * so a request almost never renders its list. */
#define SO_LINKS_CACHE_SLOTS 8
#define SO_LINKS_CACHE_MAX_TEXTS 16
#define SO_LINKS_CACHE_MAX_LEN 8192

/* The Link value kept for the n serials under origin, copied into p, and
 * the HTML list (html: NULL when not wanted) as kept: valid until this
 * thread's next so_cache_links_put, so for use at once (the note of the
 * answer being made).  0 when none is kept.  c may be NULL (none). */
int so_cache_links_get(so_cache *c, const apr_uint64_t *serials, int n,
                       const char *origin, apr_pool_t *p,
                       const char **link, const char **html);

/* Keep them (copied) for this thread's next requests. */
void so_cache_links_put(so_cache *c, const apr_uint64_t *serials, int n,
                        const char *origin, const char *link,
                        const char *html);

#endif /* SO_CACHE_H */
