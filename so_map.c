/* so_map.c: SeeOtherMap file readers (see so_map.h). */

#include <string.h>

#include "apr_dbm.h"
#include "apr_file_io.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "so_map.h"

static char *skip_blanks(char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) {
        s++;
    }
    return s;
}

static char *skip_word(char *s, const char *end)
{
    while (s < end && *s != ' ' && *s != '\t' && *s != '\r') {
        s++;
    }
    return s;
}

/* Parse buf in place: keys and targets are cut out of it with NULs, so a
 * loaded map costs no copy of its strings. */
static const char *parse_in_place(apr_pool_t *p, char *buf, apr_size_t len,
                                  so_map_entry_fn fn, void *baton)
{
    char *s = buf, *end = buf + len;
    int line = 0;

    while (s < end) {
        char *eol = memchr(s, '\n', (apr_size_t)(end - s));
        char *k, *k_end, *t, *t_end;
        const char *err;

        if (!eol) {
            eol = end;
        }
        line++;
        k = skip_blanks(s, eol);
        s = eol + 1;
        if (k == eol || *k == '#') {
            continue;
        }
        /* a NUL would cut the key or the target short, silently */
        if (memchr(k, '\0', (apr_size_t)(eol - k))) {
            return apr_psprintf(p, "line %d: NUL byte", line);
        }
        k_end = skip_word(k, eol);
        t = skip_blanks(k_end, eol);
        t_end = skip_word(t, eol);
        if (t == t_end) {
            return apr_psprintf(p, "line %d: '%.*s' has no target", line,
                                (int)(k_end - k), k);
        }
        if (skip_blanks(t_end, eol) != eol) {
            return apr_psprintf(p, "line %d: expected 'key target', found "
                                "more words", line);
        }
        *k_end = '\0';
        *t_end = '\0';
        if ((err = fn(baton, k, t, line))) {
            return apr_psprintf(p, "line %d: %s", line, err);
        }
    }
    return NULL;
}

const char *so_map_parse_text(apr_pool_t *p, const char *buf, apr_size_t len,
                              so_map_entry_fn fn, void *baton)
{
    /* one byte more: a last line without newline is cut at buf[len] */
    char *copy = apr_palloc(p, len + 1);

    memcpy(copy, buf, len);
    copy[len] = '\0';
    return parse_in_place(p, copy, len, fn, baton);
}

/* Read a whole file into a NUL-terminated buffer from p. */
static const char *read_whole(apr_pool_t *p, const char *path, char **out,
                              apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    char *buf = NULL;

    *len = 0;
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BUFFERED,
                       APR_OS_DEFAULT, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
        if (rv == APR_SUCCESS) {
            buf = apr_palloc(p, (apr_size_t)fi.size + 1);
            rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, len);
            if (rv == APR_EOF && *len == 0 && fi.size == 0) {
                rv = APR_SUCCESS;
            }
        }
        apr_file_close(f);
    }
    if (rv != APR_SUCCESS) {
        char msg[120];

        return apr_psprintf(p, "cannot read map file %s: %s", path,
                            apr_strerror(rv, msg, sizeof(msg)));
    }
    buf[*len] = '\0';
    *out = buf;
    return NULL;
}

const char *so_map_read_text(apr_pool_t *p, const char *path,
                             so_map_entry_fn fn, void *baton)
{
    apr_size_t len;
    const char *err;
    char *buf;

    if ((err = read_whole(p, path, &buf, &len))) {
        return err;
    }
    err = parse_in_place(p, buf, len, fn, baton);
    return err ? apr_psprintf(p, "%s, %s", path, err) : NULL;
}

const char *so_map_check_dbm(apr_pool_t *p, const char *path)
{
    apr_dbm_t *db;
    apr_status_t rv;
    char msg[120];

    rv = apr_dbm_open(&db, path, APR_DBM_READONLY, APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "cannot open DBM map %s: %s", path,
                            apr_strerror(rv, msg, sizeof(msg)));
    }
    apr_dbm_close(db);
    return NULL;
}

/* ---- loaded text maps ------------------------------------------------ */

/* One entry; its strings live in the file's buffer. */
typedef struct {
    const char *key;
    const char *target;
    int line;
} map_entry;

/* The entries in file order, and an open-addressing index over them sized
 * once (no rehashing, no per-entry allocation): about 40 bytes an entry
 * besides the file's own bytes. */
struct so_map_table {
    map_entry *entries;
    apr_uint32_t count;
    apr_uint32_t *slots;             /* entry index + 1; 0: empty */
    apr_uint32_t mask;
};

typedef struct {
    apr_pool_t *scratch;             /* for the target checks, cleared
                                      * every 256 entries */
    so_map_check_fn check;
    so_map_table *table;
} map_loader;

/* FNV-1a: short keys, cheap and well spread. */
static apr_uint32_t hash_key(const char *key)
{
    apr_uint32_t h = 2166136261u;

    while (*key) {
        h = (h ^ (unsigned char)*key++) * 16777619u;
    }
    return h;
}

/* The slot of key: where it is, or the empty one where it would go. */
static apr_uint32_t *find_slot(const so_map_table *t, const char *key)
{
    apr_uint32_t i = hash_key(key) & t->mask;

    while (t->slots[i] && strcmp(t->entries[t->slots[i] - 1].key, key)) {
        i = (i + 1) & t->mask;
    }
    return &t->slots[i];
}

static const char *collect_entry(void *baton, const char *key,
                                 const char *target, int line)
{
    map_loader *load = baton;
    map_entry *e;
    const char *err;

    if (load->check && (err = load->check(load->scratch, target))) {
        return err;
    }
    if ((load->table->count & 255) == 255) {
        apr_pool_clear(load->scratch);       /* now and then is enough */
    }
    while (*key == '/') {
        key++;
    }
    e = &load->table->entries[load->table->count++];
    e->key = key;
    e->target = target;
    e->line = line;
    return NULL;
}

/* Index the entries; for a key written twice the later line wins. */
static void build_index(apr_pool_t *p, so_map_table *t)
{
    apr_uint32_t size = 16, i;

    while (size < 2 * t->count) {
        size *= 2;
    }
    t->mask = size - 1;
    t->slots = apr_pcalloc(p, size * sizeof(*t->slots));
    for (i = 0; i < t->count; i++) {
        *find_slot(t, t->entries[i].key) = i + 1;
    }
}

const char *so_map_table_load(apr_pool_t *p, const char *path,
                              so_map_check_fn check, so_map_table **out)
{
    map_loader load;
    const char *err, *nl;
    apr_size_t len, lines = 1;
    char *buf;

    if ((err = read_whole(p, path, &buf, &len))) {
        return err;
    }
    /* one entry at most per line: size the array once */
    for (nl = buf; (nl = memchr(nl, '\n', len - (apr_size_t)(nl - buf)));
         nl++) {
        lines++;
    }
    load.check = check;
    load.table = apr_pcalloc(p, sizeof(*load.table));
    load.table->entries = apr_palloc(p, lines * sizeof(map_entry));
    apr_pool_create(&load.scratch, p);
    err = parse_in_place(p, buf, len, collect_entry, &load);
    apr_pool_destroy(load.scratch);
    if (err) {
        return apr_psprintf(p, "%s, %s", path, err);
    }
    build_index(p, load.table);
    *out = load.table;
    return NULL;
}

const char *so_map_table_get(const so_map_table *t, const char *key,
                             int *line)
{
    apr_uint32_t slot = *find_slot(t, key);

    if (!slot) {
        return NULL;
    }
    *line = t->entries[slot - 1].line;
    return t->entries[slot - 1].target;
}

unsigned int so_map_table_count(const so_map_table *t)
{
    apr_uint32_t i, n = 0;

    /* distinct keys: a key written twice counts once */
    for (i = 0; i <= t->mask; i++) {
        n += t->slots[i] != 0;
    }
    return n;
}
