/* so_map.c: SeeOtherMap file readers (see so_map.h). */

#include <string.h>

#include "apr_dbm.h"
#include "apr_file_io.h"
#include "apr_lib.h"
#include "apr_portable.h"
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

/* The number of the line holding buf[at]. */
static int line_of(const char *buf, apr_size_t at)
{
    int line = 1;
    apr_size_t i;

    for (i = 0; i < at; i++) {
        line += buf[i] == '\n';
    }
    return line;
}

const char *so_map_parse(apr_pool_t *p, char *buf, apr_size_t len,
                         so_map_entry_fn fn, void *baton)
{
    char *s = buf, *end = buf + len;
    const char *nul = memchr(buf, '\0', len);
    int line = 0;

    if (nul) {
        /* it would silently cut the key or target */
        return apr_psprintf(p, "line %d: a NUL byte", line_of(buf, nul - buf));
    }
    buf[len] = '\0';        /* a last line without newline ends here */

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

static const char *open_error(apr_pool_t *p, const so_map_source *src,
                              apr_status_t rv, const char *why)
{
    char msg[120];

    return apr_psprintf(p, "%s %s: %s", src->what, src->path,
                        why ? why : apr_strerror(rv, msg, sizeof(msg)));
}

const char *so_map_open(apr_pool_t *p, const char *what, const char *path,
                        so_map_source *src)
{
    apr_finfo_t fi;
    apr_status_t rv;

    src->what = what;
    src->path = path;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    rv = apr_file_open(&src->file, path, APR_FOPEN_READ
                       | APR_FOPEN_NONBLOCK, APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        return open_error(p, src, rv, NULL);
    }
    rv = apr_file_info_get(&fi, APR_FINFO_TYPE | APR_FINFO_SIZE
                           | APR_FINFO_MTIME, src->file);
    if (rv != APR_SUCCESS || fi.filetype != APR_REG) {
        apr_file_close(src->file);
        return open_error(p, src, rv, rv == APR_SUCCESS
                          ? "not a regular file" : NULL);
    }
    src->mtime = fi.mtime;
    src->size = fi.size;
    return NULL;
}

const char *so_map_read(apr_pool_t *p, const so_map_source *src,
                        apr_off_t max_bytes, char **out, apr_size_t *len)
{
    apr_status_t rv = APR_SUCCESS;
    char *buf;

    if (max_bytes > 0 && src->size > max_bytes) {
        return apr_psprintf(p, "%s %s: %" APR_OFF_T_FMT " bytes, more "
                            "than the %" APR_OFF_T_FMT " allowed", src->what,
                            src->path, src->size, max_bytes);
    }
    buf = apr_palloc(p, (apr_size_t)src->size + 1);
    *len = 0;
    if (src->size > 0) {
        rv = apr_file_read_full(src->file, buf, (apr_size_t)src->size, len);
    }
    if (rv != APR_SUCCESS && !(rv == APR_EOF && *len > 0)) {
        return open_error(p, src, rv, NULL);
    }
    *out = buf;
    return NULL;
}

apr_status_t so_map_dbm_open(apr_pool_t *p, const so_map_source *src,
                             apr_dbm_t **db)
{
    apr_os_file_t fd;
    char path[64];

    /* the opened file itself, whatever its name is by now: a FIFO or a
     * file elsewhere swapped in after the check is never opened */
    apr_os_file_get(&fd, src->file);
    apr_snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    return apr_dbm_open(db, path, APR_DBM_READONLY, APR_OS_DEFAULT, p);
}

const char *so_map_check_dbm(apr_pool_t *p, const so_map_source *src)
{
    apr_dbm_t *db;
    apr_status_t rv;
    char msg[120];

    rv = so_map_dbm_open(p, src, &db);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "cannot open DBM map %s: %s", src->path,
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
    apr_size_t text_bytes;           /* the file's, which entries point in */
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

/* Index the entries; a key written twice keeps its first line (as
 * RewriteMap txt: does), with a warning naming both. */
static void build_index(apr_pool_t *p, so_map_table *t, const char *path,
                        apr_array_header_t *warnings)
{
    apr_uint32_t size = 16, i;

    while (size < 2 * t->count) {
        size *= 2;
    }
    t->mask = size - 1;
    t->slots = apr_pcalloc(p, size * sizeof(*t->slots));
    for (i = 0; i < t->count; i++) {
        apr_uint32_t *slot = find_slot(t, t->entries[i].key);

        if (!*slot) {
            *slot = i + 1;
        }
        else if (warnings) {
            const map_entry *first = &t->entries[*slot - 1];

            *(const char **)apr_array_push(warnings) = apr_psprintf(
                warnings->pool, "%s, line %d: key '%s' was given on line "
                "%d already; the first one is used", path,
                t->entries[i].line, first->key, first->line);
        }
    }
}

const char *so_map_table_read(apr_pool_t *p, const so_map_source *src,
                              apr_off_t max_bytes, so_map_check_fn check,
                              apr_array_header_t *warnings,
                              so_map_table **out)
{
    map_loader load;
    const char *err, *nl;
    apr_size_t len, lines = 1;
    char *buf = NULL;

    if ((err = so_map_read(p, src, max_bytes, &buf, &len))) {
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
    err = so_map_parse(p, buf, len, collect_entry, &load);
    apr_pool_destroy(load.scratch);
    if (err) {
        return apr_psprintf(p, "%s, %s", src->path, err);
    }
    build_index(p, load.table, src->path, warnings);
    load.table->text_bytes = len + 1;
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

apr_size_t so_map_table_bytes(const so_map_table *t)
{
    return t->text_bytes + t->count * sizeof(map_entry)
           + ((apr_size_t)t->mask + 1) * sizeof(*t->slots);
}
