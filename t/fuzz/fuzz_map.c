/* fuzz_map.c: libFuzzer target for so_map.c's text maps.
 *
 * The input is a map file.  A reference parser (lines split at '\n',
 * words at space, tab and CR; blank lines and lines whose first word
 * starts with '#' skipped; otherwise exactly two words; a NUL byte
 * anywhere refused, naming its line) says what it holds, and:
 *   - so_map_parse gives exactly those entries, in order, with their line
 *     numbers, or an error naming the line of the first NUL byte, else of
 *     the first line that is not a "key target" pair;
 *   - so_map_table_read of the same bytes (so_map_open of a memfd) finds
 *     every key it was given (leading slashes stripped), each with the
 *     target and line of its first occurrence, with one warning per later
 *     occurrence; a key it was not given is not found; a target the check
 *     function refuses fails the load naming that line.
 * Violations abort().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "so_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ENTRIES 65536

static apr_pool_t *process_pool;
static int memfd = -1;
static char memfd_path[64];

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

typedef struct {
    const char *key, *target;        /* NUL-terminated copies */
    size_t key_len, target_len;      /* as in the input (a NUL counts) */
    int line;
} entry;

typedef struct {
    entry e[MAX_ENTRIES];
    int n;
    int error_line;                  /* 0: none */
} expected;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* What the map holds, by the rules of so_map.h, byte by byte. */
static void reference_parse(apr_pool_t *p, const char *buf, size_t len,
                            expected *x)
{
    size_t s = 0;
    int line = 0;

    x->n = 0;
    x->error_line = 0;
    if (memchr(buf, '\0', len)) {
        const char *nul = memchr(buf, '\0', len), *c;

        x->error_line = 1;
        for (c = buf; c < nul; c++) {
            x->error_line += *c == '\n';
        }
        return;
    }
    while (s < len) {
        size_t eol = s, k, k_end, t, t_end, after;

        while (eol < len && buf[eol] != '\n') {
            eol++;
        }
        line++;
        for (k = s; k < eol && is_blank(buf[k]); k++) {
        }
        s = eol + 1;
        if (k == eol || buf[k] == '#') {
            continue;
        }
        for (k_end = k; k_end < eol && !is_blank(buf[k_end]); k_end++) {
        }
        for (t = k_end; t < eol && is_blank(buf[t]); t++) {
        }
        for (t_end = t; t_end < eol && !is_blank(buf[t_end]); t_end++) {
        }
        for (after = t_end; after < eol && is_blank(buf[after]); after++) {
        }
        if (t == t_end || after != eol || x->n == MAX_ENTRIES) {
            x->error_line = line;
            return;
        }
        x->e[x->n].key = apr_pstrmemdup(p, buf + k, k_end - k);
        x->e[x->n].key_len = k_end - k;
        x->e[x->n].target = apr_pstrmemdup(p, buf + t, t_end - t);
        x->e[x->n].target_len = t_end - t;
        x->e[x->n].line = line;
        x->n++;
    }
}

typedef struct {
    const expected *x;
    int i;
} walk;

static const char *collect(void *baton, const char *key, const char *target,
                           int line)
{
    walk *w = baton;
    const entry *e;

    check(w->i < w->x->n);
    e = &w->x->e[w->i++];
    check(strlen(key) == e->key_len && !strcmp(key, e->key));
    check(strlen(target) == e->target_len && !strcmp(target, e->target));
    check(line == e->line);
    return NULL;
}

/* "line N: ..." for the expected N. */
static void check_error_line(const char *err, int line)
{
    char want[32];

    check(err != NULL);
    snprintf(want, sizeof(want), "line %d:", line);
    check(strstr(err, want) != NULL);
}

/* Targets holding "!!" are refused by this check function. */
static const char *refuse_bangs(apr_pool_t *p, const char *target)
{
    (void)p;
    return strstr(target, "!!") ? "no double bangs" : NULL;
}

static const char *strip_slashes(const char *key)
{
    while (*key == '/') {
        key++;
    }
    return key;
}

static void check_table(apr_pool_t *p, const uint8_t *data, size_t size,
                        const expected *x)
{
    so_map_source src;
    so_map_table *t = NULL;
    apr_array_header_t *warnings = apr_array_make(p, 4, sizeof(char *));
    const char *err;
    int i, j, refused = 0, duplicates = 0;

    check(ftruncate(memfd, 0) == 0);
    check(pwrite(memfd, data, size, 0) == (ssize_t)size);
    for (i = 0; i < x->n && !refused; i++) {
        if (strstr(x->e[i].target, "!!")) {
            refused = x->e[i].line;
        }
    }
    check(so_map_open(p, "map file", memfd_path, &src) == NULL);
    err = so_map_table_read(p, &src, 0, refuse_bangs, warnings, &t);
    if (x->error_line || refused) {
        /* the first bad line: a parse error or a refused target (a NUL
         * byte is found before any line is read) */
        int nul_first = memchr(data, '\0', size) != NULL;

        check_error_line(err, refused && !nul_first
                              && (!x->error_line || refused < x->error_line)
                              ? refused : x->error_line);
        return;
    }
    check(err == NULL && t != NULL);
    for (i = 0; i < x->n; i++) {
        const char *key = strip_slashes(x->e[i].key), *got;
        int line = -1, first = i;

        for (j = 0; j < i; j++) {
            if (!strcmp(strip_slashes(x->e[j].key), key)) {
                first = j;
                break;
            }
        }
        duplicates += first != i;
        got = so_map_table_get(t, key, &line);
        check(got != NULL && !strcmp(got, x->e[first].target));
        check(line == x->e[first].line);
        /* a key not in the map */
        key = apr_pstrcat(p, key, "\x01", NULL);
        for (j = 0; j < x->n; j++) {
            if (!strcmp(strip_slashes(x->e[j].key), key)) {
                break;
            }
        }
        if (j == x->n) {
            check(so_map_table_get(t, key, &line) == NULL);
        }
    }
    check(warnings->nelts == duplicates);
    check(so_map_table_bytes(t) > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static expected x;
    apr_pool_t *p;
    walk w;
    const char *err;
    char *copy;

    if (process_pool == NULL) {
        if (apr_initialize() != APR_SUCCESS
            || apr_pool_create(&process_pool, NULL) != APR_SUCCESS
            || (memfd = memfd_create("fuzz_map", 0)) < 0) {
            abort();
        }
        snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
    }
    apr_pool_create(&p, process_pool);

    reference_parse(p, (const char *)data, size, &x);
    w.x = &x;
    w.i = 0;
    copy = apr_palloc(p, size + 1);      /* so_map_parse may write one more */
    memcpy(copy, data, size);
    err = so_map_parse(p, copy, size, collect, &w);
    if (x.error_line) {
        check_error_line(err, x.error_line);
    }
    else {
        check(err == NULL && w.i == x.n);
    }
    check_table(p, data, size, &x);

    apr_pool_destroy(p);
    return 0;
}
