/* test_template.c: unit tests of so_template.c (Check, TAP on stdout).
 *
 * The $N templates: compile errors, skeletons and the escaping of
 * captures for where they stand.
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

#include "so_template.h"
#include "so_uri.h"

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

static Suite *template_suite(void)
{
    Suite *s = suite_create("so_template");

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
    return run_suite(template_suite());
}
