/* so_map.c: SeeOtherMap file readers (see so_map.h). */

#include <string.h>

#include "apr_dbm.h"
#include "apr_file_io.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "so_map.h"

static const char *skip_blanks(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) {
        s++;
    }
    return s;
}

static const char *skip_word(const char *s, const char *end)
{
    while (s < end && *s != ' ' && *s != '\t' && *s != '\r') {
        s++;
    }
    return s;
}

const char *so_map_parse_text(apr_pool_t *p, const char *buf, apr_size_t len,
                              so_map_entry_fn fn, void *baton)
{
    const char *s = buf, *end = buf + len;
    int line = 0;

    while (s < end) {
        const char *eol = memchr(s, '\n', (apr_size_t)(end - s));
        const char *k, *k_end, *t, *t_end, *err;

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
        err = fn(baton, apr_pstrmemdup(p, k, (apr_size_t)(k_end - k)),
                 apr_pstrmemdup(p, t, (apr_size_t)(t_end - t)), line);
        if (err) {
            return apr_psprintf(p, "line %d: %s", line, err);
        }
    }
    return NULL;
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
    err = so_map_parse_text(p, buf, got, fn, baton);
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
