/* so_map.c: SeeOtherMap file readers (see so_map.h). */

#include <string.h>

#include "apr_dbm.h"
#include "apr_hash.h"
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

const char *so_map_read_text(apr_pool_t *p, const char *path,
                             so_map_entry_fn fn, void *baton)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_size_t got;
    apr_status_t rv;
    char *buf;
    const char *err;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BUFFERED,
                       APR_OS_DEFAULT, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    }
    if (rv == APR_SUCCESS) {
        buf = apr_palloc(p, (apr_size_t)fi.size + 1);
        rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, &got);
        if (rv == APR_EOF && got == 0 && fi.size == 0) {
            rv = APR_SUCCESS;
        }
        apr_file_close(f);
    }
    if (rv != APR_SUCCESS) {
        char msg[120];

        return apr_psprintf(p, "cannot read map file %s: %s", path,
                            apr_strerror(rv, msg, sizeof(msg)));
    }
    buf[got] = '\0';
    err = parse_in_place(p, buf, got, fn, baton);
    return err ? apr_psprintf(p, "%s, %s", path, err) : NULL;
}

const char *so_map_read_dbm(apr_pool_t *p, const char *path,
                            so_map_entry_fn fn, void *baton)
{
    apr_dbm_t *db;
    apr_datum_t key, val;
    apr_status_t rv;
    char msg[120];
    int n = 0;

    rv = apr_dbm_open(&db, path, APR_DBM_READONLY, APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "cannot open DBM map %s: %s", path,
                            apr_strerror(rv, msg, sizeof(msg)));
    }
    for (rv = apr_dbm_firstkey(db, &key);
         rv == APR_SUCCESS && key.dptr;
         rv = apr_dbm_nextkey(db, &key)) {
        const char *err;

        if (apr_dbm_fetch(db, key, &val) != APR_SUCCESS || !val.dptr) {
            continue;
        }
        err = fn(baton, apr_pstrmemdup(p, key.dptr, key.dsize),
                 apr_pstrmemdup(p, val.dptr, val.dsize), ++n);
        if (err) {
            /* key.dptr belongs to the DBM: quote it before closing */
            err = apr_psprintf(p, "%s, entry '%.*s': %s", path,
                               (int)key.dsize, key.dptr, err);
            apr_dbm_close(db);
            return err;
        }
    }
    apr_dbm_close(db);
    return NULL;
}

/* ---- loaded text maps ------------------------------------------------ */

struct so_map_table {
    apr_hash_t *entries;             /* key -> so_map_value */
};

/* Where a key's target stands; the strings live in the file's buffer. */
typedef struct {
    const char *target;
    int line;
} so_map_value;

typedef struct {
    apr_pool_t *pool;
    so_map_check_fn check;
    so_map_table *table;
} map_loader;

static const char *store_entry(void *baton, const char *key,
                               const char *target, int line)
{
    map_loader *load = baton;
    so_map_value *value;
    const char *err;

    if (load->check && (err = load->check(load->pool, target))) {
        return err;
    }
    while (*key == '/') {
        key++;
    }
    value = apr_palloc(load->pool, sizeof(*value));
    value->target = target;
    value->line = line;
    apr_hash_set(load->table->entries, key, APR_HASH_KEY_STRING, value);
    return NULL;
}

const char *so_map_table_load(apr_pool_t *p, const char *path,
                              so_map_check_fn check, so_map_table **out)
{
    map_loader load;
    const char *err;

    load.pool = p;
    load.check = check;
    load.table = apr_palloc(p, sizeof(*load.table));
    load.table->entries = apr_hash_make(p);
    if ((err = so_map_read_text(p, path, store_entry, &load))) {
        return err;
    }
    *out = load.table;
    return NULL;
}

const char *so_map_table_get(const so_map_table *t, const char *key,
                             int *line)
{
    const so_map_value *value = apr_hash_get(t->entries, key,
                                             APR_HASH_KEY_STRING);
    if (!value) {
        return NULL;
    }
    *line = value->line;
    return value->target;
}

unsigned int so_map_table_count(const so_map_table *t)
{
    return apr_hash_count(t->entries);
}
