/* test_rule.c: unit tests of so_rule.c (Check, TAP on stdout).
 *
 * The literal table: which keys a path finds, in which order, with which
 * remainder; the $N templates: compile errors, skeletons and the escaping
 * of captures for where they stand.
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

#include "so_rule.h"
#include "so_uri.h"

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
    ck_assert_uint_eq(so_literals_count(t), 2);

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

/* The table keeps its own copy of the URL-path. */
START_TEST(test_literal_key_copied)
{
    so_literals *t = so_literals_make(pool);
    char buf[8];

    strcpy(buf, "/a");
    so_literals_add(t, buf, buf);
    strcpy(buf, "/z");
    ck_assert_str_eq(walk(t, "/a/b"), "/a=b");
    ck_assert_str_eq(walk(t, "/z"), "");
}
END_TEST

START_TEST(test_literal_empty)
{
    so_literals *t = so_literals_make(pool);

    ck_assert(so_literals_empty(t));
    ck_assert_uint_eq(so_literals_count(t), 0);
    ck_assert_str_eq(walk(t, "/"), "");
    ck_assert_str_eq(walk(t, "/a/b"), "");
    ck_assert_str_eq(walk(t, ""), "");
    so_literals_add(t, "/a", "x");
    ck_assert(!so_literals_empty(t));
    ck_assert_uint_eq(so_literals_count(t), 1);
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
    ck_assert_uint_eq(so_literals_count(t), N);
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
/* Templates: compiling                                                 */

static const struct {
    const char *text;
    int ngroups;
    const char *error;       /* NULL: compiles; else what it must say */
} compiles[] = {
    { "/x",             0,  NULL },
    { "/x/$0",          0,  NULL },
    { "/x/$1",          1,  NULL },
    { "/x/$2/$1",       2,  NULL },
    { "/x/$9",          9,  NULL },
    { "/x/$1",          0,  "$1" },
    { "/x/$3",          2,  "$3" },
    { "/x/$1/$9",       8,  "$9" },
    { "$5",             4,  "$5" },
    /* the count of groups is named too */
    { "/x/$3",          2,  "2 groups" },
    { "/x/$2",          1,  "1 group" },
    { "/x/$1",          0,  "0 groups" },
    /* a reference in the scheme: the request would choose it (found by
     * t/fuzz/fuzz_template.c: "$1://h/" with $1 "javascript:a//") */
    { "$1://h/",        1,  "stands in the scheme" },
    { "$1:x",           1,  "stands in the scheme" },
    { "a$1b:x",         1,  "$1 stands in the scheme" },
    { "http$2://h/$1",  2,  "$2 stands in the scheme" },
    { "h$1+t.p-s:x",    1,  "stands in the scheme" },
    /* after the scheme, or no scheme at all: fine */
    { "http:$1",        1,  NULL },
    { "http://$1/",     1,  NULL },
    { "$1/x:y",         1,  NULL },
    { "$1",             1,  NULL },
    { "$1$2",           2,  NULL },
    { "/$1:x",          1,  NULL },
    { "1$1:x",          1,  NULL },
    /* not references */
    { "/x/\\$5",        0,  NULL },
    { "/x/$",           0,  NULL },
    { "/x/$a",          0,  NULL },
    { "/x/$$",          0,  NULL },
    { "",               0,  NULL },
};

START_TEST(test_template_compile)
{
    so_template *t = NULL;
    const char *err = so_template_compile(pool, compiles[_i].text,
                                          compiles[_i].ngroups, &t);

    if (!compiles[_i].error) {
        ck_assert_msg(err == NULL, "compile(\"%s\", %d): unexpected "
                      "error \"%s\"", compiles[_i].text,
                      compiles[_i].ngroups, err);
        ck_assert_ptr_nonnull(t);
    }
    else {
        ck_assert_msg(err && strstr(err, compiles[_i].error),
                      "compile(\"%s\", %d): got error \"%s\", want one "
                      "that says \"%s\"", compiles[_i].text,
                      compiles[_i].ngroups, SHOW(err), compiles[_i].error);
    }
}
END_TEST

static const struct {
    const char *text;
    const char *skeleton;
} skeletons[] = {
    { "/plain/path",                    "/plain/path" },
    { "/items/$1",                      "/items/x" },
    { "https://$1.example/$2?q=$0#$3",  "https://x.example/x?q=x#x" },
    { "$1",                             "x" },
    { "$1$2",                           "xx" },
    { "/price/\\$1/$1",                 "/price/$1/x" },
    { "/a\\b/$1",                       "/a\\b/x" },
    { "/$",                             "/$" },
};

START_TEST(test_template_skeleton)
{
    so_template *t;

    ck_assert_ptr_null(so_template_compile(pool, skeletons[_i].text, 3,
                                           &t));
    ck_assert_msg(strcmp(so_template_skeleton(t), skeletons[_i].skeleton)
                  == 0, "skeleton(\"%s\"): got \"%s\", want \"%s\"",
                  skeletons[_i].text, so_template_skeleton(t),
                  skeletons[_i].skeleton);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Templates: expanding                                                 */

/* The subject is the captures written one after the other; capture i is
 * caps[i - 1] (NULL: group i did not take part), $0 the whole subject. */
static const struct {
    const char *text;
    const char *caps[3];
    const char *want;
} expansions[] = {
    /* literal text and plain captures */
    { "/plain",                 { NULL },               "/plain" },
    { "/items/$1",              { "42" },               "/items/42" },
    { "/$2/$1",                 { "a", "b" },           "/b/a" },
    { "/all/$0",                { "a", "b", "c" },      "/all/abc" },
    { "/$1$1",                  { "ab" },               "/abab" },
    /* "\$" is a literal dollar */
    { "/price/\\$1/$1",         { "9" },                "/price/$1/9" },
    { "/a$",                    { "x" },                "/a$" },
    /* a group that did not take part expands to nothing */
    { "/a/$1/b$2",              { NULL, "z" },          "/a//bz" },
    { "/a/$1$2$3",              { NULL, NULL, NULL },   "/a/" },
    /* captures in the path, query or fragment are path-escaped */
    { "/s/$1",                  { "?#% \\" },           "/s/%3F%23%25%20%5C" },
    { "/s/$1",                  { "a\r\nb" },           "/s/a%0D%0Ab" },
    { "/s/$1",                  { "caf\xc3\xa9" },      "/s/caf%C3%A9" },
    { "/s/$1",                  { "\"<>^`{|}" },
      "/s/%22%3C%3E%5E%60%7B%7C%7D" },
    { "/s/$1",                  { "a/b:c@d" },          "/s/a/b:c@d" },
    { "/s?q=$1",                { "a b#c" },            "/s?q=a%20b%23c" },
    { "/s#$1",                  { "x y" },              "/s#x%20y" },
    { "mailto:$1",              { "a@b" },              "mailto:a@b" },
    { "http://h/$1",            { "evil.com/x" },       "http://h/evil.com/x" },
    /* captures in the authority keep only unreserved characters */
    { "https://$1.example/",    { "evil.com/x" },
      "https://evil.com%2Fx.example/" },
    { "https://$1.example/",    { "a@b" },              "https://a%40b.example/" },
    { "https://$1.example/",    { "h:81" },             "https://h%3A81.example/" },
    { "https://$1.example/",    { "a?b#c" },            "https://a%3Fb%23c.example/" },
    { "https://$1.example/",    { "a\r\nb" },           "https://a%0D%0Ab.example/" },
    { "https://$1.example/",    { "-._~AZaz09" },       "https://-._~AZaz09.example/" },
    { "https://$1.example/",    { "%41" },              "https://%2541.example/" },
    { "https://$1.example/",    { "[::1]" },            "https://%5B%3A%3A1%5D.example/" },
    { "//$1/x",                 { "a/b" },              "//a%2Fb/x" },
    { "http://h$1/p/$1",        { "/x" },               "http://h%2Fx/p//x" },
    { "http://u@$1:$2/p/$3",    { "h/x", "80@y", "a/b?" },
      "http://u@h%2Fx:80%40y/p/a/b%3F" },
    /* a capture first: the text is only path-escaped; the module parses
     * the expansion and sees the scheme the skeleton "x" did not have */
    { "$1",                     { "http://evil" },      "http://evil" },
    { "$1/x",                   { "//evil" },           "//evil/x" },
};

START_TEST(test_template_expand)
{
    int starts[SO_MAX_GROUPS], ends[SO_MAX_GROUPS], i;
    const char *subject = "";
    so_template *t;
    const char *err, *got;

    for (i = 0; i < SO_MAX_GROUPS; i++) {
        starts[i] = ends[i] = -1;
    }
    for (i = 0; i < 3; i++) {
        const char *cap = expansions[_i].caps[i];

        if (cap) {
            starts[i + 1] = (int)strlen(subject);
            subject = apr_pstrcat(pool, subject, cap, NULL);
            ends[i + 1] = (int)strlen(subject);
        }
    }
    starts[0] = 0;
    ends[0] = (int)strlen(subject);

    err = so_template_compile(pool, expansions[_i].text, 3, &t);
    ck_assert_msg(err == NULL, "compile(\"%s\"): %s", expansions[_i].text,
                  SHOW(err));
    got = so_template_expand(pool, t, subject, starts, ends);
    ck_assert_msg(strcmp(got, expansions[_i].want) == 0,
                  "expand(\"%s\") on \"%s\": got \"%s\", want \"%s\"",
                  expansions[_i].text, subject, got, expansions[_i].want);
}
END_TEST

/* What the module's apr_uri_parse makes of authority captures: the host
 * is all the capture gives, never a path, userinfo or port. */
static const struct {
    const char *cap;
    const char *hostname;
} authority_parses[] = {
    { "evil.com/x",     "evil.com%2Fx.example" },
    { "a@b",            "a%40b.example" },
    { "evil.com:81",    "evil.com%3A81.example" },
    { "evil.com?",      "evil.com%3F.example" },
    { "evil.com#",      "evil.com%23.example" },
    { "evil.com\\",     "evil.com%5C.example" },
};

START_TEST(test_template_authority_parse)
{
    int starts[SO_MAX_GROUPS], ends[SO_MAX_GROUPS], i;
    const char *cap = authority_parses[_i].cap;
    so_template *t;
    apr_uri_t u;
    char *got;

    for (i = 0; i < SO_MAX_GROUPS; i++) {
        starts[i] = ends[i] = -1;
    }
    starts[0] = starts[1] = 0;
    ends[0] = ends[1] = (int)strlen(cap);
    ck_assert_ptr_null(so_template_compile(pool, "https://$1.example/p",
                                           1, &t));
    got = so_template_expand(pool, t, cap, starts, ends);
    ck_assert_int_eq(apr_uri_parse(pool, got, &u), APR_SUCCESS);
    ck_assert_msg(u.hostname
                  && !strcmp(u.hostname, authority_parses[_i].hostname),
                  "capture \"%s\" gave \"%s\": host \"%s\", want \"%s\"",
                  cap, got, SHOW(u.hostname), authority_parses[_i].hostname);
    ck_assert_ptr_null(u.user);
    ck_assert_ptr_null(u.password);
    ck_assert_ptr_null(u.port_str);
    ck_assert_ptr_null(u.query);
    ck_assert_ptr_null(u.fragment);
    ck_assert_str_eq(u.path, "/p");
}
END_TEST

/* "$1" first: the expansion is just the path-escaped capture. */
START_TEST(test_template_capture_first)
{
    static const char *const caps[] = {
        "http://evil", "https://evil.example/x?y#z", "//evil", "a b",
    };
    int starts[SO_MAX_GROUPS], ends[SO_MAX_GROUPS], i;
    so_template *t;

    ck_assert_ptr_null(so_template_compile(pool, "$1", 1, &t));
    ck_assert_str_eq(so_template_skeleton(t), "x");
    for (i = 0; i < SO_MAX_GROUPS; i++) {
        starts[i] = ends[i] = -1;
    }
    for (i = 0; i < NELTS(caps); i++) {
        starts[0] = starts[1] = 0;
        ends[0] = ends[1] = (int)strlen(caps[i]);
        ck_assert_str_eq(so_template_expand(pool, t, caps[i], starts, ends),
                         so_uri_escape_path(pool, caps[i]));
    }
}
END_TEST

/* A capture from the middle of the subject: only its own bytes. */
START_TEST(test_template_capture_offsets)
{
    int starts[SO_MAX_GROUPS], ends[SO_MAX_GROUPS], i;
    so_template *t;

    for (i = 0; i < SO_MAX_GROUPS; i++) {
        starts[i] = ends[i] = -1;
    }
    starts[0] = 0;
    ends[0] = 14;
    starts[1] = 6;                   /* "/item/123/rest": "123" */
    ends[1] = 9;
    starts[2] = 9;                   /* empty group: "" */
    ends[2] = 9;
    ck_assert_ptr_null(so_template_compile(pool, "/i/$1/[$2]", 2, &t));
    ck_assert_str_eq(so_template_expand(pool, t, "/item/123/rest", starts,
                                        ends), "/i/123/[]");
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
    ck_assert_int_eq(so_regexes_count(x), NELTS(patterns));
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

static Suite *rule_suite(void)
{
    Suite *s = suite_create("so_rule");
    TCase *tc;

    ADD_LOOP(s, test_literal_walk, NELTS(walks));
    ADD_ONE(s, test_literal_entries_in_order);
    ADD_ONE(s, test_literal_key_copied);
    ADD_ONE(s, test_literal_empty);
    tc = pooled_tcase(s, "test_literal_many_keys");
    tcase_set_timeout(tc, 60);       /* valgrind */
    tcase_add_test(tc, test_literal_many_keys);
    ADD_LOOP(s, test_regex_key, NELTS(regex_keys));
    ADD_ONE(s, test_regex_candidates_in_order);
    ADD_ONE(s, test_regex_empty);
    ADD_LOOP(s, test_template_compile, NELTS(compiles));
    ADD_LOOP(s, test_template_skeleton, NELTS(skeletons));
    ADD_LOOP(s, test_template_expand, NELTS(expansions));
    ADD_LOOP(s, test_template_authority_parse, NELTS(authority_parses));
    ADD_ONE(s, test_template_capture_first);
    ADD_ONE(s, test_template_capture_offsets);
    return s;
}

int main(void)
{
    return run_suite(rule_suite());
}
