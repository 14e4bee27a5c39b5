/* fuzz_rule.c: libFuzzer target for so_index.c: the
 * literal URL-path table and the regex prefix index.
 *
 * The input is lines: the first is a request path, each other line a rule
 * (a URL-path, or with a leading '~' a SeeOtherMatch pattern, '~~' for
 * nocase).  Checked against a brute-force reference:
 *   - the literal cursor returns exactly the URL-paths that are the path
 *     or a prefix of it ending at a segment boundary ("/a" for "/a/b" and
 *     "/a/" for "/a/b", never "/a" for "/ab"), each once, longest first,
 *     each with every entry filed under it in order, and the remainder
 *     the module appends (what follows, without leading slashes; "/" when
 *     only slashes follow);
 *   - the regex cursor returns, in configuration order, exactly the
 *     patterns whose key (so_regex_key) is "", the whole path or a prefix
 *     of it that stops before a '/';
 *   - no pattern that PCRE2 (as httpd compiles SeeOtherMatch: extended,
 *     dollar end only) matches against the path is left out: the key of a
 *     pattern is a prefix every subject it matches starts with.
 * Violations abort().
 *
 *   make t/fuzz/libfuzzer_rule     (clang, make fuzz)
 *   make t/fuzz/replay_rule        (any cc: replays t/fuzz/corpus_rule/)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "so_index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RULES 64

static apr_pool_t *process_pool;
static pcre2_match_context *match_context;

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

typedef struct {
    const char *text;                /* URL-path or pattern */
    int regex, nocase;
} rule;

/* Does url_path stand for a prefix of path that the literal table must
 * find? */
static int literal_matches(const char *url_path, const char *path)
{
    size_t len = strlen(url_path), path_len = strlen(path);

    if (len == 0 || len > path_len || memcmp(url_path, path, len)) {
        return 0;
    }
    return len == path_len || path[len - 1] == '/' || path[len] == '/';
}

static const char *expected_rest(const char *path, size_t len)
{
    const char *r = path + len;

    while (*r == '/') {
        r++;
    }
    return (!*r && r > path + len) ? r - 1 : r;
}

static void check_literals(apr_pool_t *p, const char *path,
                           const rule *rules, int n)
{
    so_literals *t = so_literals_make(p);
    so_literal_cursor c;
    const so_literal_key *key;
    const char *rest;
    size_t last = (size_t)-1;
    int i, j, found = 0, expected = 0;
    int ids[MAX_RULES];

    for (i = 0; i < n; i++) {
        ids[i] = i;
        if (!rules[i].regex) {
            so_literals_add(t, rules[i].text, &ids[i]);
        }
    }
    for (i = 0; i < n; i++) {
        int first = 1;

        if (rules[i].regex) {
            continue;
        }
        for (j = 0; j < i; j++) {
            first &= rules[j].regex || strcmp(rules[j].text, rules[i].text);
        }
        expected += first && literal_matches(rules[i].text, path);
    }

    so_literals_start(&c, t, path);
    while ((key = so_literals_next(&c, &rest))) {
        size_t len = strlen(key->url_path);
        int k = 0;

        check(literal_matches(key->url_path, path));
        check(len < last);                   /* longest first, once */
        last = len;
        check(strcmp(rest, expected_rest(path, len)) == 0);
        /* every entry filed under it, in configuration order */
        for (i = 0; i < n; i++) {
            if (!rules[i].regex && !strcmp(rules[i].text, key->url_path)) {
                check(k < key->entries->nelts);
                check(APR_ARRAY_IDX(key->entries, k, const int *)
                      == &ids[i]);
                k++;
            }
        }
        check(k == key->entries->nelts);
        found++;
    }
    check(found == expected);
    /* exhausted stays exhausted */
    check(so_literals_next(&c, &rest) == NULL);
}

/* Is key one of the prefixes the regex cursor probes for path? */
static int key_probed(const char *key, const char *path)
{
    size_t len = strlen(key), path_len = strlen(path);

    if (len == 0) {
        return 1;
    }
    if (len > path_len || memcmp(key, path, len)) {
        return 0;
    }
    return len == path_len || path[len] == '/';
}

/* PCRE2 as httpd's ap_pregcomp(AP_REG_EXTENDED | AP_REG_DOLLAR_ENDONLY
 * [| AP_REG_ICASE]) compiles a pattern: -1 when it does not compile. */
static int pcre_matches(const rule *r, const char *path)
{
    pcre2_code *code;
    pcre2_match_data *md;
    int err, rc;
    PCRE2_SIZE off;

    code = pcre2_compile((PCRE2_SPTR)r->text, PCRE2_ZERO_TERMINATED,
                         PCRE2_DOLLAR_ENDONLY
                         | (r->nocase ? PCRE2_CASELESS : 0),
                         &err, &off, NULL);
    if (code == NULL) {
        return -1;
    }
    md = pcre2_match_data_create_from_pattern(code, NULL);
    rc = pcre2_match(code, (PCRE2_SPTR)path, strlen(path), 0, 0, md,
                     match_context);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    /* a pattern that runs into the match limit proves nothing */
    return rc >= 0 ? 1 : (rc == PCRE2_ERROR_NOMATCH ? 0 : -1);
}

static void check_regexes(apr_pool_t *p, const char *path,
                          const rule *rules, int n)
{
    so_regexes *x = so_regexes_make(p);
    so_regex_cursor c;
    const int *got;
    int i, next = 0;
    int ids[MAX_RULES], seen[MAX_RULES];

    for (i = 0; i < n; i++) {
        ids[i] = i;
        seen[i] = 0;
        if (rules[i].regex) {
            so_regexes_add(x, rules[i].text, rules[i].nocase, &ids[i]);
        }
    }

    so_regexes_start(&c, x, path, p);
    while ((got = so_regexes_next(&c))) {
        /* in configuration order, each once, only where its key fits */
        check(*got >= next && *got < n && rules[*got].regex);
        next = *got + 1;
        seen[*got] = 1;
        check(key_probed(so_regex_key(p, rules[*got].text,
                                      rules[*got].nocase), path));
    }
    for (i = 0; i < n; i++) {
        const char *key;

        if (!rules[i].regex) {
            continue;
        }
        key = so_regex_key(p, rules[i].text, rules[i].nocase);
        /* the key is literal text of the pattern ("^M/" has key "M":
         * only paths starting so, none of a request) */
        check(strlen(key) <= strlen(rules[i].text));
        check(seen[i] == key_probed(key, path));
        if (!seen[i]) {
            check(pcre_matches(&rules[i], path) != 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *text, *line, *next;
    const char *path;
    rule rules[MAX_RULES];
    int n = 0;

    if (process_pool == NULL) {
        if (apr_initialize() != APR_SUCCESS
            || apr_pool_create(&process_pool, NULL) != APR_SUCCESS
            || (match_context = pcre2_match_context_create(NULL)) == NULL) {
            abort();
        }
        /* bounded work per input, as httpd's own limits do */
        pcre2_set_match_limit(match_context, 100000);
        pcre2_set_depth_limit(match_context, 1000);
    }
    apr_pool_create(&p, process_pool);

    text = apr_pstrmemdup(p, (const char *)data, size);
    next = strchr(text, '\n');
    if (next) {
        *next++ = '\0';
    }
    path = text;
    for (line = next; line && n < MAX_RULES; line = next) {
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        rules[n].regex = line[0] == '~';
        rules[n].nocase = rules[n].regex && line[1] == '~';
        rules[n].text = line + rules[n].regex + rules[n].nocase;
        n++;
    }

    check_literals(p, path, rules, n);
    check_regexes(p, path, rules, n);

    apr_pool_destroy(p);
    return 0;
}
