/* test_index.c: unit tests of so_index.c (Check, TAP on stdout).
 *
 * The literal table: which keys a path finds, in which order, with which
 * remainder; the regex index: which patterns a path runs, in
 * configuration order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"
#include "apr_uri.h"

#include "so_index.h"

/* ------------------------------------------------------------------ */
/* Literal table                                                        */

/* Every match of path, in cursor order, as "key=rest key=rest". */
static const char *walk(const so_literals *t, const char *path)
{
    so_literal_cursor c;
    const so_literal_key *key;
    const char *rest = NULL;
    const char *out = "";

    so_literals_start(&c, t, path);
    while ((key = so_literals_next(&c, &rest))) {
        /* the remainder is the tail of the path itself */
        ck_assert_msg(rest >= path && rest <= path + strlen(path),
                      "rest of \"%s\" for \"%s\" is not inside the path",
                      key->url_path, path);
        out = apr_pstrcat(pool, out, *out ? " " : "", key->url_path, "=",
                          rest, NULL);
    }
    /* an exhausted cursor stays exhausted */
    ck_assert_ptr_null(so_literals_next(&c, &rest));
    return out;
}

/* keys: space-separated URL-paths of the table; want: walk() of path. */
static const struct {
    const char *keys;
    const char *path;
    const char *want;
} walks[] = {
    /* a key matches itself and what lies below it, on segment bounds */
    { "/a",                 "/a",           "/a=" },
    { "/a",                 "/a/",          "/a=/" },  /* a trailing slash is kept */
    { "/a",                 "/a/b",         "/a=b" },
    { "/a",                 "/a/b/c",       "/a=b/c" },
    { "/a",                 "/a/b/c/",      "/a=b/c/" },
    { "/a",                 "/ab",          "" },
    { "/a",                 "/ab/c",        "" },
    { "/a",                 "/",            "" },
    { "/a",                 "/b/a",         "" },
    { "/a",                 "/A",           "" },
    { "/a",                 "",             "" },
    { "/a/b",               "/a",           "" },
    { "/a/b",               "/a/bc",        "" },
    /* longest first */
    { "/a /a/b",            "/a/b",         "/a/b= /a=b" },
    { "/a/b /a",            "/a/b/c",       "/a/b=c /a=b/c" },
    { "/a /a/b",            "/a/bc",        "/a=bc" },
    { "/ /a /a/b /a/b/c",   "/a/b/c/d",
      "/a/b/c=d /a/b=c/d /a=b/c/d /=a/b/c/d" },
    /* a URL-path written with a trailing slash */
    { "/a/",                "/a/x",         "/a/=x" },
    { "/a/",                "/a/x/y",       "/a/=x/y" },
    { "/a/",                "/a/",          "/a/=" },
    { "/a/",                "/a",           "" },
    { "/a/",                "/ax",          "" },
    { "/a/ /a",             "/a/x",         "/a/=x /a=x" },
    { "/a/ /a",             "/a",           "/a=" },
    /* "/" matches everything */
    { "/",                  "/",            "/=" },
    { "/",                  "/x",           "/=x" },
    { "/",                  "/x/y/",        "/=x/y/" },
    { "/",                  "",             "" },
    /* empty segments: each key at most once */
    { "/a",                 "/a//b",        "/a=b" },
    { "/a/",                "/a//b",        "/a/=b" },
    { "/a /a/",             "/a//b",        "/a/=b /a=b" },
    { "/a /a/ /a//",        "/a//b",        "/a//=b /a/=b /a=b" },
    { "/a//b",              "/a//b",        "/a//b=" },
    { "/a//b",              "/a/b",         "" },
    { "/a/b",               "/a//b",        "" },
    { "/a/",                "/a//",         "/a/=/" },
    { "/",                  "//",           "/=/" },
    { "/ //",               "///x",         "//=x /=x" },
    /* bytes are bytes */
    { "/caf\xc3\xa9",       "/caf\xc3\xa9/x", "/caf\xc3\xa9=x" },
    { "/a%20b",             "/a%20b/c",     "/a%20b=c" },
};

START_TEST(test_literal_walk)
{
    so_literals *t = so_literals_make(pool);
    char *keys = apr_pstrdup(pool, walks[_i].keys), *last;
    const char *k, *got;

    for (k = apr_strtok(keys, " ", &last); k;
         k = apr_strtok(NULL, " ", &last)) {
        so_literals_add(t, k, k);
    }
    got = walk(t, walks[_i].path);
    ck_assert_msg(strcmp(got, walks[_i].want) == 0,
                  "keys {%s}, path \"%s\": got \"%s\", want \"%s\"",
                  walks[_i].keys, walks[_i].path, got, walks[_i].want);
}
END_TEST

/* Entries under one key stay in the order they were added. */
START_TEST(test_literal_entries_in_order)
{
    static const char e1[] = "e1", e2[] = "e2", e3[] = "e3", other[] = "b";
    so_literals *t = so_literals_make(pool);
    so_literal_cursor c;
    const so_literal_key *key;
    const char *rest;

    so_literals_add(t, "/a", e1);
    so_literals_add(t, "/b", other);
    so_literals_add(t, "/a", e2);
    so_literals_add(t, "/a", e3);

    so_literals_start(&c, t, "/a/x");
    key = so_literals_next(&c, &rest);
    ck_assert_ptr_nonnull(key);
    ck_assert_str_eq(key->url_path, "/a");
    ck_assert_str_eq(rest, "x");
    ck_assert_int_eq(key->entries->nelts, 3);
    ck_assert_ptr_eq(APR_ARRAY_IDX(key->entries, 0, const void *), e1);
    ck_assert_ptr_eq(APR_ARRAY_IDX(key->entries, 1, const void *), e2);
    ck_assert_ptr_eq(APR_ARRAY_IDX(key->entries, 2, const void *), e3);
    ck_assert_ptr_null(so_literals_next(&c, &rest));
}
END_TEST

/* The table keeps the caller's URL-path, not a copy (the rule holding it
 * lives as long as the table): the key given is that very string. */
START_TEST(test_literal_key_kept)
{
    so_literals *t = so_literals_make(pool);
    const char *url_path = apr_pstrdup(pool, "/a");
    so_literal_cursor c;
    const char *rest;

    so_literals_add(t, url_path, url_path);
    so_literals_start(&c, t, "/a/b");
    ck_assert_ptr_eq(so_literals_next(&c, &rest)->url_path, url_path);
}
END_TEST

START_TEST(test_literal_empty)
{
    so_literals *t = so_literals_make(pool);

    ck_assert_str_eq(walk(t, "/"), "");
    ck_assert_str_eq(walk(t, "/a/b"), "");
    ck_assert_str_eq(walk(t, ""), "");
    so_literals_add(t, "/a", "x");
    ck_assert_str_eq(walk(t, "/a/b"), "/a=b");
}
END_TEST

/* 100,000 keys: each path still finds exactly its own. */
START_TEST(test_literal_many_keys)
{
    enum { N = 100000 };
    so_literals *t = so_literals_make(pool);
    int i;

    for (i = 0; i < N; i++) {
        so_literals_add(t, apr_psprintf(pool, "/d%d/k%d", i % 100, i),
                        NULL);
    }
    ck_assert_str_eq(walk(t, "/d42/k12342/x/y"), "/d42/k12342=x/y");
    ck_assert_str_eq(walk(t, "/d0/k0"), "/d0/k0=");
    ck_assert_str_eq(walk(t, "/d99/k99999/"), "/d99/k99999=/");
    ck_assert_str_eq(walk(t, "/d42/k99999"), "");     /* 99999 is in d99 */
    ck_assert_str_eq(walk(t, "/d42/k123420"), "");
    ck_assert_str_eq(walk(t, "/d42"), "");
    for (i = 0; i < N; i += 997) {
        const char *path = apr_psprintf(pool, "/d%d/k%d/r", i % 100, i);
        const char *want = apr_psprintf(pool, "/d%d/k%d=r", i % 100, i);

        ck_assert_str_eq(walk(t, path), want);
    }
}
END_TEST

/* ------------------------------------------------------------------ */

/* One TCase per table, each row a loop iteration with its own pool. */
/* ------------------------------------------------------------------ */
/* Regex index                                                          */

/* pattern, nocase, the key it is filed under */
static const struct {
    const char *pattern;
    int nocase;
    const char *key;
} regex_keys[] = {
    { "^/shop/item/([0-9]+)$",  0, "/shop/item" },
    { "^/shop/item$",           0, "/shop/item" },   /* '$': whole path */
    { "^/shop/it(em)?",         0, "/shop" },        /* segment not whole */
    { "^/shop/items?/x",        0, "/shop" },        /* 's' is optional */
    { "^/shop/a+/x",            0, "/shop" },        /* 'a' repeats */
    { "^/a\\.b/c/",             0, "/a.b/c" },       /* escaped '.' */
    { "^/a\\/b/",               0, "/a/b" },         /* escaped '/' */
    { "^/a/\\d+/",              0, "/a" },           /* \d is no literal */
    { "^/r9$",                  0, "/r9" },
    { "^/",                     0, "" },
    { "/shop/",                 0, "" },             /* not anchored */
    { "^/a/b|^/c/d/",           0, "" },             /* alternation */
    { "^/a/b/",                 1, "" },             /* nocase */
    { "^(?i)/a/b/",             0, "" },
    { "^/a/b$x",                0, "/a" },           /* '$' not at end */
};

START_TEST(test_regex_key)
{
    const char *key = so_regex_key(pool, regex_keys[_i].pattern,
                                   regex_keys[_i].nocase);

    ck_assert_msg(!strcmp(key, regex_keys[_i].key),
                  "%s (nocase %d): key \"%s\", want \"%s\"",
                  regex_keys[_i].pattern, regex_keys[_i].nocase, key,
                  regex_keys[_i].key);
}
END_TEST

/* Candidates of a path come in the order they were added, whatever key
 * they are filed under; patterns under other keys are left out. */
START_TEST(test_regex_candidates_in_order)
{
    static const char *patterns[] = {
        "^/a/b/x",      /* 0: key /a/b */
        "^/z/",         /* 1: key /z: not a candidate for /a/b/c */
        ".*",           /* 2: key "" */
        "^/a/",         /* 3: key /a */
        "^/a/b/c$",     /* 4: key /a/b/c */
        "^/a/b/",       /* 5: key /a/b */
    };
    so_regexes *x = so_regexes_make(pool);
    so_regex_cursor c;
    const char *group, *got = "";
    int i;

    for (i = 0; i < NELTS(patterns); i++) {
        so_regexes_add(x, patterns[i], 0, patterns[i]);
    }
    so_regexes_start(&c, x, "/a/b/c", pool);
    while ((group = so_regexes_next(&c))) {
        got = apr_pstrcat(pool, got, *got ? " " : "", group, NULL);
    }
    ck_assert_str_eq(got, "^/a/b/x .* ^/a/ ^/a/b/c$ ^/a/b/");
    so_regexes_start(&c, x, "/q", pool);
    ck_assert_str_eq(so_regexes_next(&c), ".*");
    ck_assert_ptr_null(so_regexes_next(&c));
}
END_TEST

/* An empty index gives no candidate. */
START_TEST(test_regex_empty)
{
    so_regexes *x = so_regexes_make(pool);
    so_regex_cursor c;

    so_regexes_start(&c, x, "/a/b", pool);
    ck_assert_ptr_null(so_regexes_next(&c));
}
END_TEST

static Suite *index_suite(void)
{
    Suite *s = suite_create("so_index");
    TCase *tc;

    ADD_LOOP(s, test_literal_walk, NELTS(walks));
    ADD_ONE(s, test_literal_entries_in_order);
    ADD_ONE(s, test_literal_key_kept);
    ADD_ONE(s, test_literal_empty);
    tc = pooled_tcase(s, "test_literal_many_keys");
    tcase_set_timeout(tc, 60);       /* valgrind */
    tcase_add_test(tc, test_literal_many_keys);
    ADD_LOOP(s, test_regex_key, NELTS(regex_keys));
    ADD_ONE(s, test_regex_candidates_in_order);
    ADD_ONE(s, test_regex_empty);
    return s;
}

int main(void)
{
    return run_suite(index_suite());
}
