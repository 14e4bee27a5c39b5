/* so_cache.c: the per-process cache (see so_cache.h for its locks). */

#include <string.h>

#include "apr_allocator.h"
#include "apr_dbm.h"
#include "apr_file_info.h"
#include "apr_strings.h"

#include "so_accept.h"
#include "so_cache.h"

static void accept_cache_init(so_cache *c, apr_pool_t *p);

/* Its own allocator: it can be used under one lock without touching
 * memory another lock guards. */
apr_pool_t *so_cache_entry_pool(void)
{
    apr_allocator_t *allocator;
    apr_pool_t *p;

    apr_allocator_create(&allocator);
    apr_pool_create_ex(&p, NULL, NULL, allocator);
    apr_allocator_owner_set(allocator, p);
    return p;
}

static so_cache_gen *new_generation(void)
{
    apr_pool_t *p = so_cache_entry_pool();
    so_cache_gen *g = apr_pcalloc(p, sizeof(*g));

    g->pool = p;
    g->files = apr_hash_make(p);
    g->regexes = apr_hash_make(p);
    g->rule_sets = apr_hash_make(p);
    g->maps = apr_hash_make(p);
    return g;
}

so_cache *so_cache_make(apr_pool_t *p)
{
    so_cache *c = apr_pcalloc(p, sizeof(*c));

#if APR_HAS_THREADS
    apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p);
#endif
    c->current = new_generation();
    apr_pool_create(&c->dbm_pool, p);
    c->dbms = apr_hash_make(c->dbm_pool);
    accept_cache_init(c, p);
    return c;
}

static void lock(so_cache *c)
{
#if APR_HAS_THREADS
    apr_thread_mutex_lock(c->lock);
#else
    (void)c;
#endif
}

void so_cache_leave(so_cache *c)
{
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(c->lock);
#else
    (void)c;
#endif
}

/* A request's hold on a generation. */
typedef struct {
    so_cache *cache;
    so_cache_gen *gen;
} hold_t;

/* With the lock held. */
static void free_if_unheld(so_cache_gen *g)
{
    if (g->retired && g->holders == 0) {
        apr_pool_destroy(g->pool);
    }
}

static apr_status_t release_hold(void *data)
{
    hold_t *hold = data;

    lock(hold->cache);
    hold->gen->holders--;
    free_if_unheld(hold->gen);
    so_cache_leave(hold->cache);
    return APR_SUCCESS;
}

/* The pool userdata key of a request's hold: short, it is looked up for
 * every .htaccess rule line */
#define HELD_KEY "SOg"

so_cache_gen *so_cache_enter(so_cache *c, apr_pool_t *holder,
                             const void *held)
{
    so_cache_gen *g;

    lock(c);
    g = c->current;
    if (held == g) {
        return g;            /* the caller knows holder holds it */
    }
    apr_pool_userdata_get((void **)&held, HELD_KEY, holder);
    if (held != g) {
        hold_t *hold = apr_palloc(holder, sizeof(*hold));

        hold->cache = c;
        hold->gen = g;
        g->holders++;
        apr_pool_cleanup_register(holder, hold, release_hold,
                                  apr_pool_cleanup_null);
        apr_pool_userdata_setn(g, HELD_KEY, NULL, holder);
    }
    return g;
}

void so_cache_charge(so_cache *c, so_cache_gen *g, apr_size_t bytes,
                     int entries)
{
    g->bytes += bytes;
    g->entries += entries;
    if (g == c->current && (g->bytes > SO_CACHE_MAX_BYTES
                            || g->entries > SO_CACHE_MAX_ENTRIES)) {
        c->current = new_generation();
        g->retired = 1;
        free_if_unheld(g);
    }
}

static apr_status_t destroy_pool(void *p)
{
    apr_pool_destroy(p);
    return APR_SUCCESS;
}

void so_cache_adopt(so_cache_gen *g, apr_pool_t *p)
{
    apr_pool_cleanup_register(g->pool, p, destroy_pool,
                              apr_pool_cleanup_null);
}

/* A rule set filed from one sequence of pending rules.  The generation's
 * table is keyed by the sequence's first rule and length only (hashing
 * the whole sequence, 8 bytes a rule, cost more than filing a line of
 * .htaccess); sequences that share both are chained and told apart by
 * comparing them whole. */
typedef struct filed_set {
    const so_rule_t *const *list;        /* a copy of the sequence */
    const so_rule_set_t *set;
    struct filed_set *next;
} filed_set;

typedef struct {
    const so_rule_t *first;
    int nelts;
} filed_key;

static const so_rule_set_t *find_filed(const filed_set *f,
                                       const so_rule_t *const *list,
                                       apr_size_t len)
{
    for (; f; f = f->next) {
        if (!memcmp(f->list, list, len)) {
            return f->set;
        }
    }
    return NULL;
}

const so_rule_set_t *so_cache_rule_set(so_cache *c, const so_level_t *level,
                                       apr_pool_t *p)
{
    const apr_array_header_t *pending = level->pending;
    const so_rule_t *const *list = (const so_rule_t *const *)pending->elts;
    apr_size_t list_len = pending->nelts * sizeof(*list);
    const so_rule_set_t *set = NULL;
    so_rule_set_t *made;
    filed_set *filed = NULL;
    filed_key key;
    so_cache_gen *g;
    apr_pool_t *pool;
    int i;

    g = so_cache_enter(c, p, level->origin);
    /* rules of another (maybe freed) generation could share their
     * addresses with this one's: a set is only cached beside its rules */
    pool = (level->mixed_origins || level->origin != g) ? p : g->pool;
    if (pool == g->pool) {
        memset(&key, 0, sizeof(key));
        key.first = list[0];
        key.nelts = pending->nelts;
        filed = apr_hash_get(g->rule_sets, &key, sizeof(key));
        set = find_filed(filed, list, list_len);
    }
    if (!set) {
        set = made = so_rule_set_make(pool);
        for (i = 0; i < pending->nelts; i++) {
            so_rule_set_add(pool, made, list[i]);
        }
        if (pool == g->pool) {
            filed_set *f = apr_palloc(pool, sizeof(*f));

            f->list = apr_pmemdup(pool, list, list_len);
            f->set = set;
            f->next = filed;
            apr_hash_set(g->rule_sets, apr_pmemdup(pool, &key, sizeof(key)),
                         sizeof(key), f);
            /* about what filing costs: a hash entry and an array slot */
            so_cache_charge(c, g, list_len + 96 * pending->nelts,
                            pending->nelts);
        }
    }
    so_cache_leave(c);
    return set;
}

/* ---- DBM files -------------------------------------------------------- */

/* A DBM map open in this process, with its own lock and pool.  Hits are
 * kept in a bounded table of hot keys (SO_CACHE_MAX_DBMS handles of at
 * most DBM_HOT_MAX keys each): a Berkeley DB fetch costs about
 * 3,000 instructions, a hash lookup a tenth of that. */
struct so_open_dbm {
#if APR_HAS_THREADS
    apr_thread_mutex_t *lock;        /* everything below */
#endif
    apr_pool_t *pool;                /* the handle's; its own allocator */
    apr_pool_t *hot_pool;            /* cleared on reopen and when full */
    apr_hash_t *hot;                 /* key -> target */
    apr_dbm_t *db;
    apr_time_t mtime, checked;
    apr_off_t size;
};

#define DBM_HOT_MAX 1000

/* The handle of a file, made on first use, or NULL when too many are
 * open; with the cache lock held (no I/O here). */
static so_open_dbm *dbm_handle(so_cache *c, const char *file)
{
    so_open_dbm *open = apr_hash_get(c->dbms, file, APR_HASH_KEY_STRING);

    if (!open && apr_hash_count(c->dbms) < SO_CACHE_MAX_DBMS) {
        open = apr_pcalloc(c->dbm_pool, sizeof(*open));
        open->pool = so_cache_entry_pool();
#if APR_HAS_THREADS
        apr_thread_mutex_create(&open->lock, APR_THREAD_MUTEX_DEFAULT,
                                open->pool);
#endif
        apr_pool_create(&open->hot_pool, open->pool);
        open->hot = apr_hash_make(open->hot_pool);
        apr_hash_set(c->dbms, apr_pstrdup(c->dbm_pool, file),
                     APR_HASH_KEY_STRING, open);
    }
    return open;
}

static void forget_hot(so_open_dbm *open)
{
    apr_pool_clear(open->hot_pool);
    open->hot = apr_hash_make(open->hot_pool);
}

/* Open (again, if the file changed since) the DBM; with its lock held. */
static void refresh_dbm(so_open_dbm *open, const char *file, apr_time_t now,
                        apr_pool_t *p)
{
    so_map_source src;

    if (open->db && now - open->checked < apr_time_from_sec(1)) {
        return;
    }
    open->checked = now;
    /* opened without blocking and checked on the descriptor: a FIFO
     * swapped in is refused, never waited on */
    if (so_map_open(p, "map file", file, &src)) {
        return;              /* gone or not a file: keep what is open */
    }
    if (open->db && (open->mtime != src.mtime || open->size != src.size)) {
        apr_dbm_close(open->db);
        open->db = NULL;
    }
    if (!open->db && so_map_dbm_open(open->pool, &src, &open->db)
                     == APR_SUCCESS) {
        open->mtime = src.mtime;
        open->size = src.size;
        forget_hot(open);
    }
    apr_file_close(src.file);
}

/* A value with a NUL byte in it would be cut short: it is returned as ""
 * and *nul set. */
static const char *dbm_fetch(apr_dbm_t *db, apr_pool_t *p, const char *key,
                             int *nul)
{
    apr_datum_t k, v;

    k.dptr = (char *)key;
    k.dsize = strlen(key);
    if (apr_dbm_fetch(db, k, &v) == APR_SUCCESS && v.dptr) {
        if (memchr(v.dptr, '\0', v.dsize)) {
            *nul = 1;
            return "";
        }
        return apr_pstrmemdup(p, v.dptr, v.dsize);
    }
    return NULL;
}

/* key, or key with a leading '/' (as a text map's keys may be written). */
static const char *dbm_lookup(apr_dbm_t *db, apr_pool_t *p, const char *key,
                              int *nul)
{
    const char *value = dbm_fetch(db, p, key, nul);

    return value ? value : dbm_fetch(db, p, apr_pstrcat(p, "/", key, NULL),
                                     nul);
}

/* A DBM value without a handle kept: opened for this request only. */
static const char *dbm_get_once(const char *file, const char *key,
                                apr_pool_t *p, so_cache_dbm_check *check,
                                const char **why, int *err)
{
    const char *value = NULL;
    so_map_source src;
    apr_dbm_t *db;
    apr_status_t rv;
    int nul = 0;

    if (so_map_open(p, "map file", file, &src)) {
        *err = SO_DBM_CANNOT_OPEN;
        return NULL;
    }
    rv = so_map_dbm_open(p, &src, &db);
    apr_file_close(src.file);
    if (rv != APR_SUCCESS) {
        *err = SO_DBM_CANNOT_OPEN;
        return NULL;
    }
    value = dbm_lookup(db, p, key, &nul);
    apr_dbm_close(db);
    *why = value && !nul ? check(p, value) : NULL;
    *err = nul ? SO_DBM_NUL_BYTE : *why ? SO_DBM_REFUSED : SO_DBM_OK;
    return value;
}

const char *so_cache_dbm_get(so_cache *c, const char *file, const char *key,
                             apr_time_t now, apr_pool_t *p,
                             so_cache_dbm_check *check, const char **why,
                             int *err)
{
    const char *value = NULL;
    so_open_dbm *open;
    int nul = 0;

    *why = NULL;
    lock(c);
    open = dbm_handle(c, file);
    so_cache_leave(c);
    if (!open) {
        return dbm_get_once(file, key, p, check, why, err);
    }
#if APR_HAS_THREADS
    apr_thread_mutex_lock(open->lock);
#endif
    refresh_dbm(open, file, now, p);
    if (open->db) {
        /* the request gets its own copy: the table may be cleared */
        value = apr_hash_get(open->hot, key, APR_HASH_KEY_STRING);
        if (value) {
            value = apr_pstrdup(p, value);
        }
        else if ((value = dbm_lookup(open->db, p, key, &nul)) && !nul
                 && !(*why = check(p, value))) {
            if (apr_hash_count(open->hot) >= DBM_HOT_MAX) {
                forget_hot(open);
            }
            apr_hash_set(open->hot, apr_pstrdup(open->hot_pool, key),
                         APR_HASH_KEY_STRING,
                         apr_pstrdup(open->hot_pool, value));
        }
    }
    *err = !open->db ? SO_DBM_CANNOT_OPEN
         : nul ? SO_DBM_NUL_BYTE : *why ? SO_DBM_REFUSED : SO_DBM_OK;
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(open->lock);
#endif
    return value;
}

/* ---- parsed Accept headers, per thread -------------------------------- */

typedef struct {
    apr_pool_t *pool;        /* the table and its entries; own allocator */
    int used;
    struct {
        apr_size_t len;
        const char *header;
        const apr_array_header_t *parsed;
    } slot[SO_ACCEPT_CACHE_SLOTS];
} accept_table;

static accept_table *accept_table_make(void)
{
    apr_pool_t *pool = so_cache_entry_pool();
    accept_table *t = apr_pcalloc(pool, sizeof(*t));

    t->pool = pool;
    return t;
}

#if APR_HAS_THREADS
/* A thread ends: its table goes with it. */
static void accept_table_free(void *data)
{
    accept_table *t = data;

    apr_pool_destroy(t->pool);
}
#endif

static void links_table_free(void *data);

/* Made in so_cache_make's pool (the child's). */
static void accept_cache_init(so_cache *c, apr_pool_t *p)
{
#if APR_HAS_THREADS
    if (apr_threadkey_private_create(&c->accept_key, accept_table_free, p)
        != APR_SUCCESS) {
        c->accept_key = NULL;
    }
    if (apr_threadkey_private_create(&c->links_key, links_table_free, p)
        != APR_SUCCESS) {
        c->links_key = NULL;
    }
#else
    (void)p;
    c->accept_table = NULL;
    c->links_table = NULL;
#endif
}

static accept_table *thread_table(so_cache *c)
{
    void *t = NULL;

#if APR_HAS_THREADS
    if (!c->accept_key) {
        return NULL;
    }
    apr_threadkey_private_get(&t, c->accept_key);
    if (!t) {
        t = accept_table_make();
        apr_threadkey_private_set(t, c->accept_key);
    }
#else
    if (!(t = c->accept_table)) {
        t = c->accept_table = accept_table_make();
    }
#endif
    return t;
}

const apr_array_header_t *so_cache_accept(so_cache *c, const char *header,
                                          apr_pool_t *p)
{
    accept_table *t;
    apr_size_t len;
    int i;

    if (!header || !c || (len = strlen(header)) > SO_ACCEPT_CACHE_MAX_LEN
        || !(t = thread_table(c))) {
        return so_accept_parse(p, header);
    }
    for (i = 0; i < t->used; i++) {
        if (t->slot[i].len == len && !memcmp(t->slot[i].header, header,
                                             len)) {
            return t->slot[i].parsed;
        }
    }
    if (t->used == SO_ACCEPT_CACHE_SLOTS) {
        /* full: start again (nothing handed out is in use any more) */
        apr_pool_t *pool = t->pool;

        apr_pool_clear(pool);
        t = apr_pcalloc(pool, sizeof(*t));
        t->pool = pool;
#if APR_HAS_THREADS
        apr_threadkey_private_set(t, c->accept_key);
#else
        c->accept_table = t;
#endif
    }
    i = t->used++;
    t->slot[i].len = len;
    t->slot[i].header = apr_pstrmemdup(t->pool, header, len);
    t->slot[i].parsed = so_accept_parse(t->pool, header);
    return t->slot[i].parsed;
}

/* ---- rendered lists of variants, per thread --------------------------- */

typedef struct {
    apr_pool_t *pool;        /* the table and its entries; own allocator */
    int used;
    struct {
        int n;
        apr_uint64_t serials[SO_LINKS_CACHE_MAX_TEXTS];
        const char *origin;
        const char *link, *html;
        apr_size_t link_len, html_len;
    } slot[SO_LINKS_CACHE_SLOTS];
} links_table;

static links_table *links_table_make(apr_pool_t *pool)
{
    links_table *t = apr_pcalloc(pool, sizeof(*t));

    t->pool = pool;
    return t;
}

/* A thread ends: its table goes with it. */
static void links_table_free(void *data)
{
    links_table *t = data;

    apr_pool_destroy(t->pool);
}

/* The calling thread's table, made on first use; NULL: none to be had. */
static links_table *thread_links(so_cache *c, int make)
{
    void *t = NULL;

#if APR_HAS_THREADS
    if (!c->links_key) {
        return NULL;
    }
    apr_threadkey_private_get(&t, c->links_key);
    if (!t && make) {
        t = links_table_make(so_cache_entry_pool());
        apr_threadkey_private_set(t, c->links_key);
    }
#else
    if (!(t = c->links_table) && make) {
        t = c->links_table = links_table_make(so_cache_entry_pool());
    }
#endif
    return t;
}

static int links_slot(const links_table *t, const apr_uint64_t *serials,
                      int n, const char *origin)
{
    int i;

    for (i = 0; i < t->used; i++) {
        if (t->slot[i].n == n
            && !memcmp(t->slot[i].serials, serials, n * sizeof(*serials))
            && !strcmp(t->slot[i].origin, origin)) {
            return i;
        }
    }
    return -1;
}

int so_cache_links_get(so_cache *c, const apr_uint64_t *serials, int n,
                       const char *origin, apr_pool_t *p,
                       const char **link, const char **html)
{
    links_table *t;
    int i;

    if (!c || n > SO_LINKS_CACHE_MAX_TEXTS || !(t = thread_links(c, 0))
        || (i = links_slot(t, serials, n, origin)) < 0) {
        return 0;
    }
    /* a copy: the table may be emptied by this thread's next request (an
     * ErrorDocument's, say) while this one's headers still hold it */
    *link = apr_pstrmemdup(p, t->slot[i].link, t->slot[i].link_len);
    if (html) {
        *html = t->slot[i].html;
    }
    return 1;
}

void so_cache_links_put(so_cache *c, const apr_uint64_t *serials, int n,
                        const char *origin, const char *link,
                        const char *html)
{
    apr_size_t link_len = strlen(link), html_len = strlen(html);
    links_table *t;
    int i;

    if (!c || n > SO_LINKS_CACHE_MAX_TEXTS
        || link_len + html_len > SO_LINKS_CACHE_MAX_LEN
        || !(t = thread_links(c, 1))
        || links_slot(t, serials, n, origin) >= 0) {
        return;
    }
    if (t->used == SO_LINKS_CACHE_SLOTS) {
        /* full: start again (what was handed out are copies) */
        apr_pool_t *pool = t->pool;

        apr_pool_clear(pool);
        t = links_table_make(pool);
#if APR_HAS_THREADS
        apr_threadkey_private_set(t, c->links_key);
#else
        c->links_table = t;
#endif
    }
    i = t->used++;
    t->slot[i].n = n;
    memcpy(t->slot[i].serials, serials, n * sizeof(*serials));
    t->slot[i].origin = apr_pstrdup(t->pool, origin);
    t->slot[i].link = apr_pstrmemdup(t->pool, link, link_len);
    t->slot[i].link_len = link_len;
    t->slot[i].html = apr_pstrmemdup(t->pool, html, html_len);
    t->slot[i].html_len = html_len;
}
