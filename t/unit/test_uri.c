/* test_uri.c: unit tests of so_uri.c (Check, TAP on stdout).
 *
 * Every table row is its own loop test, so each one is a TAP line that
 * names what failed.
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

#include "so_uri.h"

static apr_uri_t parse_or_fail(const char *s)
{
    apr_uri_t u;

    ck_assert_msg(apr_uri_parse(pool, s, &u) == APR_SUCCESS,
                  "apr_uri_parse(\"%s\") failed", s);
    return u;
}

/* Both NULL, or both equal strings. */
static void assert_str_or_null(const char *what, const char *got,
                               const char *want)
{
    ck_assert_msg((got == NULL && want == NULL)
                  || (got && want && strcmp(got, want) == 0),
                  "%s: got \"%s\", want \"%s\"", what, SHOW(got),
                  SHOW(want));
}

/* ------------------------------------------------------------------ */
/* RFC 3986 section 5.4                                                 */

#define RFC_BASE "http://a/b/c/d;p?q"

struct pair {
    const char *in;
    const char *want;
};

static const struct pair rfc_examples[] = {
    /* 5.4.1 normal examples */
    { "g:h",            "g:h" },
    { "g",              "http://a/b/c/g" },
    { "./g",            "http://a/b/c/g" },
    { "g/",             "http://a/b/c/g/" },
    { "/g",             "http://a/g" },
    { "//g",            "http://g" },
    { "?y",             "http://a/b/c/d;p?y" },
    { "g?y",            "http://a/b/c/g?y" },
    { "#s",             "http://a/b/c/d;p?q#s" },
    { "g#s",            "http://a/b/c/g#s" },
    { "g?y#s",          "http://a/b/c/g?y#s" },
    { ";x",             "http://a/b/c/;x" },
    { "g;x",            "http://a/b/c/g;x" },
    { "g;x?y#s",        "http://a/b/c/g;x?y#s" },
    { "",               "http://a/b/c/d;p?q" },
    { ".",              "http://a/b/c/" },
    { "./",             "http://a/b/c/" },
    { "..",             "http://a/b/" },
    { "../",            "http://a/b/" },
    { "../g",           "http://a/b/g" },
    { "../..",          "http://a/" },
    { "../../",         "http://a/" },
    { "../../g",        "http://a/g" },
    /* 5.4.2 abnormal examples (strict parser) */
    { "../../../g",     "http://a/g" },
    { "../../../../g",  "http://a/g" },
    { "/./g",           "http://a/g" },
    { "/../g",          "http://a/g" },
    { "g.",             "http://a/b/c/g." },
    { ".g",             "http://a/b/c/.g" },
    { "g..",            "http://a/b/c/g.." },
    { "..g",            "http://a/b/c/..g" },
    { "./../g",         "http://a/b/g" },
    { "./g/.",          "http://a/b/c/g/" },
    { "g/./h",          "http://a/b/c/g/h" },
    { "g/../h",         "http://a/b/c/h" },
    { "g;x=1/./y",      "http://a/b/c/g;x=1/y" },
    { "g;x=1/../y",     "http://a/b/c/y" },
    { "g?y/./x",        "http://a/b/c/g?y/./x" },
    { "g?y/../x",       "http://a/b/c/g?y/../x" },
    { "g#s/./x",        "http://a/b/c/g#s/./x" },
    { "g#s/../x",       "http://a/b/c/g#s/../x" },
    { "http:g",         "http:g" },
};

START_TEST(test_rfc3986_examples)
{
    const struct pair *ex = &rfc_examples[_i];
    apr_uri_t base = parse_or_fail(RFC_BASE);
    apr_uri_t ref = parse_or_fail(ex->in);
    apr_uri_t out;
    const char *got;

    so_uri_resolve(pool, &base, &ref, &out);
    got = apr_uri_unparse(pool, &out, APR_URI_UNP_REVEALPASSWORD);
    ck_assert_msg(strcmp(got, ex->want) == 0,
                  "resolve(\"%s\"): got \"%s\", want \"%s\"",
                  ex->in, got, ex->want);
    /* so_uri_unparse is apr_uri_unparse in one allocation */
    ck_assert_str_eq(so_uri_unparse(pool, &out, 1), got);
    ck_assert_str_eq(so_uri_unparse(pool, &out, 0),
                     apr_uri_unparse(pool, &out, APR_URI_UNP_OMITSITEPART));
}
END_TEST

/* Resolution beyond the RFC's table: userinfo and port travel with the
 * host, an empty base path merges as "/", and "out" may alias "ref". */
static const struct {
    const char *base;
    const char *ref;
    const char *want;
} more_resolutions[] = {
    { "http://u:pw@h:8080/a/b", "c",          "http://u:pw@h:8080/a/c" },
    { "http://h:8080/a/b",      "//o:81/x",   "http://o:81/x" },
    { "http://h:8080/a/b",      "//o/x",      "http://o/x" },
    { "http://h",               "x",          "http://h/x" },
    { "http://h",               "?q",         "http://h?q" },
    { "http://h/a?q",           "b?",         "http://h/b?" },
    { "http://h/a?q",           "?",          "http://h/a?" },
    { "http://h/a?q#f",         "#",          "http://h/a?q#" },
    { "http://[::1]:81/a/b",    "../c",       "http://[::1]:81/c" },
    { "file:///etc/hosts",      "passwd",     "file:///etc/passwd" },
    { "http://h/a/b",           "https:x",    "https:x" },
    /* a scheme without authority never prints a "//" path */
    { "http://h/a/b",           "http:/.//evil/x", "http:/.//evil/x" },
};

START_TEST(test_resolve_more)
{
    apr_uri_t base = parse_or_fail(more_resolutions[_i].base);
    apr_uri_t ref = parse_or_fail(more_resolutions[_i].ref);
    const char *got;

    so_uri_resolve(pool, &base, &ref, &ref);    /* out aliases ref */
    got = apr_uri_unparse(pool, &ref, APR_URI_UNP_REVEALPASSWORD);
    ck_assert_msg(strcmp(got, more_resolutions[_i].want) == 0,
                  "resolve(\"%s\", \"%s\"): got \"%s\", want \"%s\"",
                  more_resolutions[_i].base, more_resolutions[_i].ref,
                  got, more_resolutions[_i].want);
    ck_assert_str_eq(so_uri_unparse(pool, &ref, 1), got);
}
END_TEST

/* ------------------------------------------------------------------ */
/* remove_dot_segments                                                  */

static const struct pair dot_segments[] = {
    { "/a/b/c/./../../g",   "/a/g" },
    { "mid/content=5/../6", "mid/6" },
    { "/..",                "/" },
    { "..",                 "" },
    { ".",                  "" },
    { "",                   "" },
    { "/./",                "/" },
    { "/.",                 "/" },
    { "/a/..",              "/" },
    { "/a/../",             "/" },
    { "/a/b/..",            "/a/" },
    { "../a",               "a" },
    { "./a",                "a" },
    { "a/./b",              "a/b" },
    { "/a/.b/..c/b.",       "/a/.b/..c/b." },
    { "/../../x/./y/",      "/x/y/" },
    { "//x/../y",           "//y" },
    { "a/..",               "/" },
    { "/a//../b",           "/a/b" },
    { "no/dots/here",       "no/dots/here" },
};

/* Controls and spaces that apr_uri_parse lets through are encoded. */
START_TEST(test_unparse_breakers)
{
    apr_uri_t u;

    memset(&u, 0, sizeof(u));
    u.scheme = "http";
    u.hostname = "h";
    u.path = "/a b\r\nX-Injected: 1";
    u.query = "q\t";
    ck_assert_str_eq(so_uri_unparse(pool, &u, 1),
                     "http://h/a%20b%0D%0AX-Injected:%201?q%09");
    ck_assert_str_eq(so_uri_unparse(pool, &u, 0),
                     "/a%20b%0D%0AX-Injected:%201?q%09");
}
END_TEST

START_TEST(test_remove_dot_segments)
{
    const char *got = so_uri_remove_dot_segments(pool, dot_segments[_i].in);

    ck_assert_msg(strcmp(got, dot_segments[_i].want) == 0,
                  "remove_dot_segments(\"%s\"): got \"%s\", want \"%s\"",
                  dot_segments[_i].in, got, dot_segments[_i].want);
}
END_TEST

START_TEST(test_remove_dot_segments_null)
{
    ck_assert_str_eq(so_uri_remove_dot_segments(pool, NULL), "");
}
END_TEST

/* A long run of ".." must not make it quadratic or overrun anything. */
START_TEST(test_remove_dot_segments_long)
{
    enum { N = 100000 };
    char *in = apr_palloc(pool, 5 * N + 1);
    const char *got;
    int i;

    for (i = 0; i < N; i++) {
        memcpy(in + 2 * i, "/a", 2);
    }
    for (i = 0; i < N; i++) {
        memcpy(in + 2 * N + 3 * i, "/..", 3);
    }
    in[5 * N] = '\0';
    got = so_uri_remove_dot_segments(pool, in);
    ck_assert_str_eq(got, "/");
}
END_TEST

/* ------------------------------------------------------------------ */
/* same_origin                                                          */

static const struct {
    const char *a;
    const char *b;
    int same;
} origins[] = {
    { "http://h/",          "http://h:80/",     1 },
    { "https://h:443/",     "https://H/",       1 },
    { "HTTP://h/x",         "http://h/y?z",     1 },
    { "http://u:p@h/",      "http://h/",        1 },
    { "http://h:0/",        "http://h/",        1 },
    { "http://h:8080/",     "http://h/",        0 },
    { "http://h/",          "https://h/",       0 },
    { "http://h:443/",      "https://h/",       0 },
    { "http://h/",          "http://g/",        0 },
    { "http://h/",          "http:x",           0 },
    { "mailto:x",           "mailto:x",         0 },
    { "foo://h/",           "foo://h:0/",       1 },
};

START_TEST(test_same_origin)
{
    apr_uri_t a = parse_or_fail(origins[_i].a);
    apr_uri_t b = parse_or_fail(origins[_i].b);

    ck_assert_msg(so_uri_same_origin(&a, &b) == origins[_i].same,
                  "same_origin(\"%s\", \"%s\") should be %d",
                  origins[_i].a, origins[_i].b, origins[_i].same);
    ck_assert_msg(so_uri_same_origin(&b, &a) == origins[_i].same,
                  "same_origin(\"%s\", \"%s\") should be %d",
                  origins[_i].b, origins[_i].a, origins[_i].same);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Escaping                                                             */

START_TEST(test_escape_path)
{
    ck_assert_str_eq(so_uri_escape_path(pool, "a b?c#d%e\\f\x01g/h:i@j"),
                     "a%20b%3Fc%23d%25e%5Cf%01g/h:i@j");
    ck_assert_str_eq(so_uri_escape_path(pool, "caf\xc3\xa9"),
                     "caf%C3%A9");
    ck_assert_str_eq(so_uri_escape_path(pool, "-._~!$&'()*+,;=:@/AZaz09"),
                     "-._~!$&'()*+,;=:@/AZaz09");
    ck_assert_str_eq(so_uri_escape_path(pool, "\"<>[]^`{|}\x7f\xff"),
                     "%22%3C%3E%5B%5D%5E%60%7B%7C%7D%7F%FF");
    ck_assert_str_eq(so_uri_escape_path(pool, "\r\n"), "%0D%0A");
    ck_assert_str_eq(so_uri_escape_path(pool, ""), "");
    ck_assert_str_eq(so_uri_escape_path(pool, NULL), "");
}
END_TEST

START_TEST(test_escape_query)
{
    ck_assert_str_eq(so_uri_escape_received(pool, "a=1&b=%41"), "a=1&b=%41");
    ck_assert_str_eq(so_uri_escape_received(pool, "a b"), "a%20b");
    ck_assert_str_eq(so_uri_escape_received(pool, "q=\"x\"#y"),
                     "q=%22x%22%23y");
    ck_assert_str_eq(so_uri_escape_received(pool, "c=\x01\x1f\x7f\xff"),
                     "c=%01%1F%7F%FF");
    ck_assert_str_eq(so_uri_escape_received(pool, "<>\\^`{|}"),
                     "%3C%3E%5C%5E%60%7B%7C%7D");
    ck_assert_str_eq(so_uri_escape_received(pool, "/?:@!$'()*+,;=~-._[]"),
                     "/?:@!$'()*+,;=~-._[]");
    ck_assert_str_eq(so_uri_escape_received(pool, ""), "");
    ck_assert_ptr_null(so_uri_escape_received(pool, NULL));
}
END_TEST

/* Every byte through each encoder, against the classes' definitions
 * (so_uri.c's table must say the same). */
START_TEST(test_escape_every_byte)
{
    static const char path_safe[] = "-._~!$&'()*+,;=:@/";
    static const char query_unsafe[] = "\"<>\\^`{|}#";
    int c;

    for (c = 1; c < 256; c++) {
        char text[2] = { (char)c, '\0' }, encoded[4];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9');
        int ctl = c <= 0x20 || c == 0x7f;
        int path = !alnum && !strchr(path_safe, c);
        int host = !alnum && !strchr("-._~", c);
        int query = ctl || c >= 0x80 || strchr(query_unsafe, c);

        snprintf(encoded, sizeof(encoded), "%%%02X", c);
        ck_assert_str_eq(so_uri_escape_path(pool, text),
                         path ? encoded : text);
        ck_assert_str_eq(so_uri_escape_host(pool, text),
                         host ? encoded : text);
        ck_assert_str_eq(so_uri_escape_received(pool, text),
                         query ? encoded : text);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* pick_query: 3 modes x target {NULL, "", "t=1"} x request {NULL, "",
 * "r=2"}, in that order.                                               */

static const char *const pick_targets[] = { NULL, "", "t=1" };
static const char *const pick_requests[] = { NULL, "", "r=2" };
static const char *const pick_modes[] = { "inherit", "drop", "merge" };

static const char *const pick_want[3][3][3] = {
    {   /* inherit */
        { NULL,     NULL,   "r=2" },
        { "",       "",     "" },
        { "t=1",    "t=1",  "t=1" },
    },
    {   /* drop */
        { NULL,     NULL,   NULL },
        { "",       "",     "" },
        { "t=1",    "t=1",  "t=1" },
    },
    {   /* merge */
        { NULL,     NULL,   "r=2" },
        { "",       "",     "r=2" },
        { "t=1",    "t=1",  "t=1&r=2" },
    },
};

START_TEST(test_pick_query)
{
    int mode = _i / 9, t = (_i / 3) % 3, r = _i % 3;
    const char *got = so_uri_pick_query(pool, (so_query_mode)mode,
                                        pick_targets[t], pick_requests[r]);
    char *what = apr_psprintf(pool, "pick_query(%s, %s%s%s, %s%s%s)",
                              pick_modes[mode],
                              pick_targets[t] ? "\"" : "",
                              SHOW(pick_targets[t]),
                              pick_targets[t] ? "\"" : "",
                              pick_requests[r] ? "\"" : "",
                              SHOW(pick_requests[r]),
                              pick_requests[r] ? "\"" : "");

    assert_str_or_null(what, got, pick_want[mode][t][r]);
}
END_TEST

/* ------------------------------------------------------------------ */
/* join_path                                                            */

static const struct {
    const char *path;
    const char *rest;
    const char *want;
} joins[] = {
    { "/a",     "x",    "/a/x" },
    { "/a/",    "x",    "/a/x" },
    { "/",      "x",    "/x" },
    { "",       "x",    "/x" },
    { "/a",     "",     "/a" },
    { "/a/",    "",     "/a/" },
    { "/a",     "/x",   "/a/x" },
    { "/a/",    "//x",  "/a/x" },
    { "/",      "/x/y", "/x/y" },
    { "/a",     "/",    "/a/" },
    { "/a",     NULL,   "/a" },
    { NULL,     "x",    "/x" },
    { "",       "",     "" },
};

START_TEST(test_join_path)
{
    const char *got = so_uri_join_path(pool, joins[_i].path, joins[_i].rest);

    ck_assert_msg(strcmp(got, joins[_i].want) == 0,
                  "join_path(\"%s\", \"%s\"): got \"%s\", want \"%s\"",
                  SHOW(joins[_i].path), SHOW(joins[_i].rest), got,
                  joins[_i].want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* so_uri_location                                                      */

#define LOC_BASE "http://example.com/form/submit?x=1"

#define INHERIT SO_QUERY_INHERIT
#define DROP    SO_QUERY_DROP
#define MERGE   SO_QUERY_MERGE

static const struct {
    const char *target;
    so_query_mode mode;
    int absolute;
    const char *want;
} locations[] = {
    /* SeeOtherAbsolute off */
    { "/done",      INHERIT, 0, "/done?x=1" },
    { "/done",      DROP,    0, "/done" },
    { "/done",      MERGE,   0, "/done?x=1" },
    { "done",       INHERIT, 0, "/form/done?x=1" },
    { "../up",      INHERIT, 0, "/up?x=1" },
    { "../up",      DROP,    0, "/up" },
    { "?q",         INHERIT, 0, "/form/submit?q" },
    { "?q",         DROP,    0, "/form/submit?q" },
    { "?q",         MERGE,   0, "/form/submit?q&x=1" },
    { "#f",         INHERIT, 0, "/form/submit?x=1#f" },
    { "#f",         DROP,    0, "/form/submit#f" },
    { "//other.example/p", INHERIT, 0, "http://other.example/p?x=1" },
    { "https://example.com/p", INHERIT, 0, "https://example.com/p?x=1" },
    { "http://example.com:80/p", INHERIT, 0, "/p?x=1" },
    { "http://EXAMPLE.com:80/p?y=2", MERGE, 0, "/p?y=2&x=1" },
    { "http://example.com:8080/p", INHERIT, 0,
      "http://example.com:8080/p?x=1" },
    { "http://example.com", DROP,  0, "/" },
    { "/done?",     INHERIT, 0, "/done?" },
    { "/done?",     MERGE,   0, "/done?x=1" },
    { "/a/b?c=d#e", MERGE,   0, "/a/b?c=d&x=1#e" },
    /* a same-origin path that looks like a network-path reference */
    { "http://example.com//evil.example/x", DROP, 0,
      "http://example.com//evil.example/x" },
    { "..//evil.example/x", DROP, 0,
      "http://example.com//evil.example/x" },
    /* CR and LF never reach the header */
    { "/a\r\nSet-Cookie: x", DROP, 0, "/a%0D%0ASet-Cookie:%20x" },
    /* SeeOtherAbsolute on */
    { "/done",      INHERIT, 1, "http://example.com/done?x=1" },
    { "done",       INHERIT, 1, "http://example.com/form/done?x=1" },
    { "../up",      MERGE,   1, "http://example.com/up?x=1" },
    { "?q",         MERGE,   1, "http://example.com/form/submit?q&x=1" },
    { "#f",         DROP,    1, "http://example.com/form/submit#f" },
    { "//other.example/p", DROP, 1, "http://other.example/p" },
    { "https://example.com/p", MERGE, 1, "https://example.com/p?x=1" },
    { "http://example.com:80/p", INHERIT, 1, "http://example.com/p?x=1" },
    { "http://u:pw@example.com/p", DROP, 1, "http://u:pw@example.com/p" },
};

START_TEST(test_location)
{
    apr_uri_t base = parse_or_fail(LOC_BASE);
    apr_uri_t target = parse_or_fail(locations[_i].target);
    const char *got = so_uri_location(pool, &base, &target,
                                      locations[_i].mode,
                                      locations[_i].absolute);

    ck_assert_msg(strcmp(got, locations[_i].want) == 0,
                  "location(\"%s\", %s, absolute %s): got \"%s\", "
                  "want \"%s\"", locations[_i].target,
                  pick_modes[locations[_i].mode],
                  locations[_i].absolute ? "on" : "off", got,
                  locations[_i].want);
}
END_TEST

/* A base without a query: inherit and merge add nothing. */
START_TEST(test_location_base_without_query)
{
    apr_uri_t base = parse_or_fail("https://example.com:8443/a/b");
    apr_uri_t target = parse_or_fail("c");

    ck_assert_str_eq(so_uri_location(pool, &base, &target, INHERIT, 0),
                     "/a/c");
    ck_assert_str_eq(so_uri_location(pool, &base, &target, MERGE, 1),
                     "https://example.com:8443/a/c");
}
END_TEST

/* so_uri_location_path gives what so_uri_location gives, for every row
 * above, over several bases (ports, IPv6, no query); it takes every
 * path-absolute target without dot segments, and no other. */
static const char *const path_bases[] = {
    LOC_BASE,
    "http://example.com:80/a?b",
    "HTTP://Example.COM:8080/",
    "https://user:pw@example.com/x",
    "https://example.com:8443/a/b",
    "http://[::1]:8080/x/y?q=%3C",
    "http://example.com/",
};
static const char *const path_targets[] = {
    "/t/html", "/t/html?a=1", "/t/html#frag", "/t/html?#", "/", "/a,b;c",
    "/a/.hidden", "/a/./b", "/a/../b", "//host/x", "rel", "?q", "#f",
    "http://example.com/p", "/a%20b", "/a\r\nb",
};

START_TEST(test_location_path)
{
    int b, t, mode, absolute, taken = 0;

    for (b = 0; b < NELTS(path_bases); b++) {
        apr_uri_t base = parse_or_fail(path_bases[b]);
        const char *origin = so_uri_origin(pool, &base);
        apr_uri_t site = base;

        site.path = site.query = site.fragment = NULL;
        ck_assert_str_eq(origin, so_uri_unparse(pool, &site, 1));

        for (t = 0; t < NELTS(path_targets) + NELTS(locations); t++) {
            const char *text = t < NELTS(path_targets) ? path_targets[t]
                               : locations[t - NELTS(path_targets)].target;
            apr_uri_t target = parse_or_fail(text);
            int plain = text[0] == '/' && text[1] != '/'
                        && !strstr(text, "/.") && !strchr(text, '\r');

            for (mode = 0; mode < 3; mode++) {
                for (absolute = 0; absolute < 2; absolute++) {
                    const char *fast = so_uri_location_path(
                        pool, origin, &base, &target, mode, absolute);
                    const char *slow = so_uri_location(
                        pool, &base, &target, mode, absolute);

                    ck_assert_msg(!fast == !plain, "%s: fast path %s",
                                  text, fast ? "taken" : "not taken");
                    ck_assert_msg(!fast || !strcmp(fast, slow),
                                  "base %s, target %s, mode %d, absolute "
                                  "%d: fast \"%s\", so_uri_location "
                                  "\"%s\"", path_bases[b], text, mode,
                                  absolute, fast, slow);
                    taken += fast != NULL;
                }
            }
        }
    }
    ck_assert_int_gt(taken, 100);
}
END_TEST

/* so_uri_paths_differ: whenever it says 1, so_uri_same_resource says
 * 0 for every pair of URIs with those paths. */
static const char *const differ_received[] = {
    "/r/k0", "/t/k0", "/t/k0/", "/a//b", "/a/./b", "/a/%74", "/a b",
    "/caf\xc3\xa9", "/a\"b", "/", "/t/k0?q=1", "/.x", "/a.b/c.",
};
static const char *const differ_paths[] = {
    "/t/k0", "/r/k0", "/t/k0/", "/a//b", "/a/b", "/a/t", "/a%20b",
    "/", "", "/.x", "/a.b/c.",
};
static const char *const differ_uris[] = {
    "http://h", "http://h:80", "https://h", "http://H?q=1", "http://h?",
};

START_TEST(test_paths_differ)
{
    int r, p, a, b, said = 0;

    for (r = 0; r < NELTS(differ_received); r++) {
        const char *recv = differ_received[r];
        apr_size_t len = strcspn(recv, "?");

        for (p = 0; p < NELTS(differ_paths); p++) {
            int differ = so_uri_paths_differ(recv, len, differ_paths[p]);

            said += differ;
            for (a = 0; differ && a < NELTS(differ_uris); a++) {
                for (b = 0; b < NELTS(differ_uris); b++) {
                    apr_uri_t x = parse_or_fail(differ_uris[a]);
                    apr_uri_t y = parse_or_fail(differ_uris[b]);

                    x.path = so_uri_escape_received(
                        pool, apr_pstrmemdup(pool, recv, len));
                    y.path = (char *)differ_paths[p];
                    ck_assert_msg(!so_uri_same_resource(pool, &x, &y),
                                  "%s and %s differ, said so_uri_paths_"
                                  "differ; so_uri_same_resource disagrees",
                                  recv, differ_paths[p]);
                }
            }
        }
    }
    /* the plain cases are answered */
    ck_assert_int_eq(so_uri_paths_differ("/r/k0?x", 5, "/t/k0"), 1);
    ck_assert_int_eq(so_uri_paths_differ("/t/k0", 5, "/t/k0"), 0);
    ck_assert_int_eq(so_uri_paths_differ("/t/k0", 5, "/t/k"), 1);
    ck_assert_int_eq(so_uri_paths_differ("/a/%74", 6, "/a/t"), 0);
    ck_assert_int_eq(so_uri_paths_differ("/a/./b", 6, "/a/b"), 0);
    ck_assert_int_gt(said, 20);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *uri_suite(void)
{
    Suite *s = suite_create("so_uri");

    ADD_LOOP(s, test_rfc3986_examples, NELTS(rfc_examples));
    ADD_LOOP(s, test_resolve_more, NELTS(more_resolutions));
    ADD_ONE(s, test_unparse_breakers);
    ADD_LOOP(s, test_remove_dot_segments, NELTS(dot_segments));
    ADD_ONE(s, test_remove_dot_segments_null);
    ADD_ONE(s, test_remove_dot_segments_long);
    ADD_LOOP(s, test_same_origin, NELTS(origins));
    ADD_ONE(s, test_escape_path);
    ADD_ONE(s, test_escape_query);
    ADD_ONE(s, test_escape_every_byte);
    ADD_LOOP(s, test_pick_query, 27);
    ADD_LOOP(s, test_join_path, NELTS(joins));
    ADD_LOOP(s, test_location, NELTS(locations));
    ADD_ONE(s, test_location_base_without_query);
    ADD_ONE(s, test_location_path);
    ADD_ONE(s, test_paths_differ);
    return s;
}

int main(void)
{
    return run_suite(uri_suite());
}
