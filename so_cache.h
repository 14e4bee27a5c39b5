/* so_cache.h: the per-process cache of mod_see_other.
 *
 * httpd parses .htaccess files on every request.  So that a request does
 * not compile regexes, parse targets, index rules or load maps again, a
 * child keeps what it made: parsed lines, compiled regexes, indexed rule
 * sets, loaded .htaccess maps and open DBM files.  Made in child_init (the
 * parent has none: configuration there is parsed once anyway), passed
 * down explicitly, never reached through a global.
 *
 * Locks:
 * - the cache lock (so_cache_lock) guards every table in so_cache and the
 *   cache pool: each is read and written only with it held.  Nothing held
 *   under it does file or DBM I/O, so a slow file of one tenant never
 *   stalls another tenant's requests.
 * - each open DBM file has a lock of its own, held across its stat, open
 *   and fetch: only requests for that one map wait for each other.
 * What the tables hand out (rules, rule sets, maps) is never changed or
 * freed while the process lives, so it is read without a lock.
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

/* The most entries (parsed lines, rules of indexed sets, maps) a process
 * keeps; past it, .htaccess work is done per request. */
#define SO_CACHE_MAX_ENTRIES 100000

typedef struct so_open_dbm so_open_dbm;

typedef struct {
    apr_pool_t *pool;        /* everything below; with the lock held */
#if APR_HAS_THREADS
    apr_thread_mutex_t *lock;
#endif
    apr_hash_t *files;       /* .htaccess name -> its parsed lines */
    void *last_file;         /* the one looked up last */
    apr_hash_t *regexes;     /* so_pattern_key -> ap_regex_t */
    apr_hash_t *rule_sets;   /* rule pointer sequence -> so_rule_set_t */
    apr_hash_t *maps;        /* "file\nwhere\ndbm" -> so_rule_t (map) */
    apr_hash_t *dbms;        /* DBM file -> so_open_dbm */
    int entries;
    /* the calling thread's table of parsed Accept headers */
#if APR_HAS_THREADS
    apr_threadkey_t *accept_key;
#else
    void *accept_table;
#endif
} so_cache;

so_cache *so_cache_make(apr_pool_t *p);

/* A pool with an allocator of its own, in no other pool's tree, for an
 * entry built outside the lock and then filed. */
apr_pool_t *so_cache_entry_pool(void);

void so_cache_lock(so_cache *c);
void so_cache_unlock(so_cache *c);

/* Room for n more entries?  With the lock held. */
int so_cache_has_room(const so_cache *c, int n);

/* The rule set of a level's pending .htaccess rules: looked up by the
 * rules' identities, or filed once (into the cache when it has room,
 * else into p, for this request only).  Takes the lock. */
const so_rule_set_t *so_cache_rule_set(so_cache *c,
                                       const apr_array_header_t *pending,
                                       apr_pool_t *p);

/* The value of key in a DBM file, copied into p, or NULL; keys written
 * with a leading '/' are found too.  The file is looked at (stat) at most
 * once a second (now: the request's time) and reopened when it changed.
 * *err is set when the file cannot be opened.  Takes the cache lock only
 * to find the file's own lock. */
const char *so_cache_dbm_get(so_cache *c, const char *file, const char *key,
                             apr_time_t now, apr_pool_t *p, int *err);

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

#endif /* SO_CACHE_H */
