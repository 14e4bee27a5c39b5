/* test_accept.c: unit tests of so_accept.c (Check, TAP on stdout).
 *
 * Media types as configured, Accept headers as browsers and RDF libraries
 * send them, and the quality RFC 9110 section 12.5.1 gives a type: the
 * most specific matching range decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "so_accept.h"

static so_media *type_or_fail(const char *text)
{
    so_media *m = NULL;
    const char *err = so_media_parse(pool, text, &m);

    ck_assert_msg(err == NULL, "so_media_parse(\"%s\"): %s", text, err);
    return m;
}

/* ------------------------------------------------------------------ */
/* so_media_parse                                                       */

static const struct {
    const char *text;
    const char *want;        /* so_media_string(m, 0) */
    int nparams;
} media_ok[] = {
    { "text/html",                      "text/html",                0 },
    { "Application/RDF+XML",            "application/rdf+xml",      0 },
    { "text/html;level=1",              "text/html;level=1",        1 },
    { "text/html; charset=\"utf-8\"",   "text/html;charset=utf-8",  1 },
    { " text/html ",                    "text/html",                0 },
    { "text/html ; Level=1",            "text/html;level=1",        1 },
    { "text/html;charset=UTF-8",        "text/html;charset=UTF-8",  1 },
    { "text/plain;a=1;b=2",             "text/plain;a=1;b=2",       2 },
    { "text/plain;a=\"x\\\"y\\\\z\"",    "text/plain;a=\"x\\\"y\\\\z\"",  1 },
    { "text/plain;a=\"\"",              "text/plain;a=\"\"",        1 },
    { "text/plain;a=\"b c\"",           "text/plain;a=\"b c\"",     1 },
    { "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"",
      "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"",
      1 },
    { "application/vnd.ms-excel",       "application/vnd.ms-excel", 0 },
    /* in a type, q is just a parameter */
    { "text/html;q=0.5",                "text/html;q=0.5",          1 },
};

START_TEST(test_media_parse_ok)
{
    so_media *m = type_or_fail(media_ok[_i].text);
    const char *got = so_media_string(pool, m, 0);

    ck_assert_msg(strcmp(got, media_ok[_i].want) == 0,
                  "so_media_parse(\"%s\"): got \"%s\", want \"%s\"",
                  media_ok[_i].text, got, media_ok[_i].want);
    ck_assert_int_eq(m->params->nelts, media_ok[_i].nparams);
    ck_assert_int_eq(m->q, SO_Q_MAX);
}
END_TEST

static const char *const media_bad[] = {
    "text", "*/*", "text/*", "*/html", "text/html;", "a b/c", "", " ",
    "text/", "/html", "text/html;level", "text/html;level=",
    "text/html;a=\"unterminated", "text/html, text/plain", "text/html x",
    "text/html;a=b c", "text /html", "text/ html", "te(x)t/html",
    "text/html;=1", "text/html;a=1;", "text/html\"",
};

START_TEST(test_media_parse_bad)
{
    so_media *m = NULL;
    const char *err = so_media_parse(pool, media_bad[_i], &m);

    ck_assert_msg(err != NULL, "so_media_parse(\"%s\") took it as \"%s\"",
                  media_bad[_i], m ? so_media_string(pool, m, 0) : "?");
    ck_assert_msg(strstr(err, apr_psprintf(pool, "'%s'", media_bad[_i]))
                  != NULL, "error \"%s\" does not quote the text", err);
    ck_assert_ptr_null(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* so_accept_quality                                                    */

#define CHROMIUM "text/html,application/xhtml+xml,application/xml;q=0.9," \
    "image/avif,image/webp,image/apng,*/*;q=0.8," \
    "application/signed-exchange;v=b3;q=0.7"
#define FIREFOX "text/html,application/xhtml+xml,application/xml;q=0.9," \
    "*/*;q=0.8"
#define RDFLIB "application/rdf+xml, text/turtle;q=0.9, " \
    "application/n-triples;q=0.8, */*;q=0.1"
#define RFC7231 "text/*;q=0.3, text/html;q=0.7, text/html;level=1, " \
    "text/html;level=2;q=0.4, */*;q=0.5"

static const struct {
    const char *header;      /* NULL: no Accept header */
    const char *type;
    int want;
} qualities[] = {
    /* no header: everything */
    { NULL,                             "text/html",                1000 },
    { NULL,                             "application/rdf+xml",      1000 },
    { NULL,                             "text/html;level=1",        1000 },
    /* the example of the brief */
    { "text/turtle;q=0.9, application/rdf+xml",
                                        "application/rdf+xml",      1000 },
    { "text/turtle;q=0.9, application/rdf+xml",
                                        "text/turtle",              900 },
    { "text/turtle;q=0.9, application/rdf+xml",
                                        "text/html",                0 },
    /* wildcards */
    { "*/*",                            "text/html",                1000 },
    { "*/*",                            "application/rdf+xml",      1000 },
    { "*/*",                            "text/html;level=1",        1000 },
    { "text/*;q=0.5, */*;q=0.1",        "text/html",                500 },
    { "text/*;q=0.5, */*;q=0.1",        "text/turtle",              500 },
    { "text/*;q=0.5, */*;q=0.1",        "application/rdf+xml",      100 },
    { "image/*",                        "text/html",                0 },
    { "*/*;q=0",                        "text/html",                0 },
    /* q=0: not acceptable, and the more specific range decides */
    { "text/html;q=0, */*",             "text/html",                0 },
    { "*/*, text/html;q=0",             "text/html",                0 },
    { "text/html;q=0, */*",             "application/rdf+xml",      1000 },
    { "*/*;q=0, text/html",             "text/html",                1000 },
    { "*/*;q=0, text/html",             "text/plain",               0 },
    { "text/*;q=0, text/html;q=0.4",    "text/html",                400 },
    { "text/*;q=0, text/html;q=0.4",    "text/plain",               0 },
    { "text/html;q=0.2, text/*;q=0.9",  "text/html",                200 },
    /* parameters: more specific still */
    { "text/html;level=1, text/html;q=0.5",
                                        "text/html;level=1",        1000 },
    { "text/html;level=1, text/html;q=0.5",
                                        "text/html",                500 },
    { "text/html;level=1, text/html;q=0.5",
                                        "text/html;level=2",        500 },
    { "text/html;level=1",              "text/html",                0 },
    { "text/html;Level=1",              "text/html;level=1",        1000 },
    { "text/html;charset=UTF-8;q=0.6",  "text/html;charset=utf-8",  600 },
    { "text/html;a=1;b=2;q=0.6, text/html;a=1;q=0.3",
                                        "text/html;b=2;a=1",        600 },
    { "text/html;a=1;b=2;q=0.6, text/html;a=1;q=0.3",
                                        "text/html;a=1",            300 },
    { "*/*;level=1",                    "text/html;level=1",        0 },
    /* RFC 7231 section 5.3.2's example */
    { RFC7231,                          "text/html;level=1",        1000 },
    { RFC7231,                          "text/html",                700 },
    { RFC7231,                          "text/plain",               300 },
    { RFC7231,                          "image/jpeg",               500 },
    { RFC7231,                          "text/html;level=2",        400 },
    { RFC7231,                          "text/html;level=3",        700 },
    /* the same range twice: the kinder one */
    { "text/html;q=0.2, text/html;q=0.8", "text/html",              800 },
    { "text/html;q=0.8, text/html;q=0.2", "text/html",              800 },
    /* odd spacing and case */
    { " TEXT/HTML ; Q=0.7 ,,",          "text/html",                700 },
    { "\tText/Html\t;\tq=0.7\t",        "text/html",                700 },
    { ",, ,text/html;q=0.7",            "text/html",                700 },
    { "text/html;q=0.7",                "TEXT/HTML",                700 },
    /* qvalues */
    { "text/html;q=1",                  "text/html",                1000 },
    { "text/html;q=1.",                 "text/html",                1000 },
    { "text/html;q=1.000",              "text/html",                1000 },
    { "text/html;q=0.",                 "text/html",                0 },
    { "text/html;q=0.001",              "text/html",                1 },
    { "text/html;q=0.5",                "text/html",                500 },
    { "text/html;q=0.05",               "text/html",                50 },
    { "text/html;q=0.999",              "text/html",                999 },
    /* a bad q: the member is skipped */
    { "text/html;q=2",                  "text/html",                0 },
    { "text/html;q=0.1234",             "text/html",                0 },
    { "text/html;q=abc",                "text/html",                0 },
    { "text/html;q=-1",                 "text/html",                0 },
    { "text/html;q=",                   "text/html",                0 },
    { "text/html;q=1.001",              "text/html",                0 },
    { "text/html;q=.5",                 "text/html",                0 },
    { "text/html;q= 0.5",               "text/html",                0 },
    { "text/html;q=0.5.5",              "text/html",                0 },
    { "text/html;q=2, */*;q=0.1",       "text/html",                100 },
    { "text/html;q=abc, text/plain",    "text/plain",               1000 },
    /* lenient: a quoted qvalue is read like a bare one */
    { "text/html;q=\"0.5\"",            "text/html",                500 },
    /* accept-ext after q: ignored */
    { "text/html;q=0.5;foo=bar",        "text/html",                500 },
    { "text/html;q=0.5;foo",            "text/html",                500 },
    { "text/html;q=0.5;foo=\"a,b\", text/turtle",
                                        "text/html",                500 },
    { "text/html;q=0.5;foo=\"a,b\", text/turtle",
                                        "text/turtle",              1000 },
    /* a quoted comma does not end the member */
    { "text/html;x=\"a,b\";q=0.3",      "text/html;x=\"a,b\"",      300 },
    { "text/html;x=\"a,b\";q=0.3",      "text/html",                0 },
    { "text/html;x=\"a,b\";q=0.3, text/turtle",
                                        "text/turtle",              1000 },
    { "text/html;x=\"a\\\"b,c\";q=0.3", "text/html;x=\"a\\\"b,c\"", 300 },
    /* members that are no media range are skipped */
    { "text, text/html;q=0.5",          "text/html",                500 },
    { "*/html, text/*;q=0.2",           "text/html",                200 },
    { "text/html junk;q=0.5",           "text/html",                0 },
    { "text/html/x;q=0",                "text/html",                0 },
    { "text/html/x;q=0, */*",           "text/html",                1000 },
    { "text/html;a=\"open, */*",        "text/html",                0 },
    { "text/html;;q=0.5, text/plain",   "text/plain",               1000 },
    { "",                               "text/html",                0 },
    /* browsers */
    { CHROMIUM,                         "text/html",                1000 },
    { CHROMIUM,                         "text/turtle",              800 },
    { CHROMIUM,                         "application/xml",          900 },
    { CHROMIUM,                         "application/xhtml+xml",    1000 },
    { CHROMIUM,                         "image/webp",               1000 },
    { CHROMIUM,                         "application/rdf+xml",      800 },
    { CHROMIUM,                         "application/signed-exchange;v=b3",
                                                                    700 },
    { FIREFOX,                          "text/html",                1000 },
    { FIREFOX,                          "text/turtle",              800 },
    { FIREFOX,                          "application/xml",          900 },
    /* an RDF library */
    { RDFLIB,                           "application/rdf+xml",      1000 },
    { RDFLIB,                           "text/turtle",              900 },
    { RDFLIB,                           "application/n-triples",    800 },
    { RDFLIB,                           "text/html",                100 },
};

START_TEST(test_quality)
{
    apr_array_header_t *accept = so_accept_parse(pool, qualities[_i].header);
    so_media *type = type_or_fail(qualities[_i].type);
    int got = so_accept_quality(accept, type);

    ck_assert_msg(got == qualities[_i].want,
                  "Accept \"%s\", type %s: got %d, want %d",
                  SHOW(qualities[_i].header), qualities[_i].type, got,
                  qualities[_i].want);
}
END_TEST

/* How many ranges a header holds, and how the first one reads back. */
static const struct {
    const char *header;
    int n;
    const char *first;       /* so_media_string(first, 1), or NULL */
} counts[] = {
    { "",                               0,  NULL },
    { ",,, ,",                          0,  NULL },
    { "text/html",                      1,  "text/html;q=1.000" },
    { " TEXT/HTML ; Q=0.7 ,,",          1,  "text/html;q=0.700" },
    { "text/html;x=\"a,b\";q=0.3",      1,  "text/html;x=\"a,b\";q=0.300" },
    { "text/html;level=1, text/html;q=0.5", 2, "text/html;level=1;q=1.000" },
    { "text, */html, text/html;q=2, x/y", 1, "x/y;q=1.000" },
    { "*/*;q=0",                        1,  "*/*;q=0.000" },
    { "text/*;q=0.05",                  1,  "text/*;q=0.050" },
    { CHROMIUM,                         8,  "text/html;q=1.000" },
    { FIREFOX,                          4,  "text/html;q=1.000" },
    { RDFLIB,                           4,  "application/rdf+xml;q=1.000" },
};

START_TEST(test_parse_count)
{
    apr_array_header_t *accept = so_accept_parse(pool, counts[_i].header);

    ck_assert_ptr_nonnull(accept);
    ck_assert_msg(accept->nelts == counts[_i].n, "Accept \"%s\": %d "
                  "ranges, want %d", counts[_i].header, accept->nelts,
                  counts[_i].n);
    if (counts[_i].first) {
        ck_assert_str_eq(so_media_string(pool, &APR_ARRAY_IDX(accept, 0,
                                                              so_media), 1),
                         counts[_i].first);
    }
}
END_TEST

START_TEST(test_parse_null)
{
    ck_assert_ptr_null(so_accept_parse(pool, NULL));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Huge headers                                                         */

/* The process's virtual size in KiB, or -1 where /proc is not there. */
static long vm_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = -1;

    if (f) {
        if (fscanf(f, "%ld", &pages) != 1) {
            pages = -1;
        }
        fclose(f);
    }
    return pages < 0 ? -1 : pages * 4;
}

static char *repeat(const char *member, apr_size_t size, const char *last,
                    int *n)
{
    apr_size_t mlen = strlen(member), llen = strlen(last);
    char *h = apr_palloc(pool, size + mlen + llen + 1), *o = h;

    for (*n = 0; (apr_size_t)(o - h) < size; ++*n) {
        memcpy(o, member, mlen);
        o += mlen;
    }
    memcpy(o, last, llen + 1);
    return h;
}

/* 100 KB of members with quoted parameters: parsed in linear time and
 * memory (nowhere near the header's size for each quoted string), and
 * right. */
START_TEST(test_huge_header)
{
    int n;
    char *header = repeat("text/html;x=\"a,b\";q=0.5, image/png;q=0.2, ",
                          100 * 1024, "text/turtle;q=0.9", &n);
    apr_pool_t *sub;
    apr_array_header_t *accept;
    long before, after;

    apr_pool_create(&sub, pool);
    before = vm_kib();
    accept = so_accept_parse(sub, header);
    after = vm_kib();
    ck_assert_int_eq(accept->nelts, 2 * n + 1);
    ck_assert_int_eq(so_accept_quality(accept,
                                       type_or_fail("text/html;x=\"a,b\"")),
                     500);
    ck_assert_int_eq(so_accept_quality(accept, type_or_fail("text/html")), 0);
    ck_assert_int_eq(so_accept_quality(accept, type_or_fail("image/png")),
                     200);
    ck_assert_int_eq(so_accept_quality(accept, type_or_fail("text/turtle")),
                     900);
    if (before >= 0 && after >= 0) {
        ck_assert_msg(after - before < 32 * 1024, "parsing a %u byte header "
                      "took %ld KiB", (unsigned)strlen(header),
                      after - before);
    }
    apr_pool_destroy(sub);
}
END_TEST

/* Degenerate huge headers end, with nothing or the one good range. */
static const struct {
    const char *member;
    const char *last;
    int want;                /* ranges */
} degenerate[] = {
    { ",",              "text/html",    1 },
    { " ",              "text/html",    1 },
    { "a",              ", text/html",  1 },
    { ";",              ", text/html",  1 },
    { "\"",             "",             0 },
    { "text/html;x=\"", "",             0 },
    { "*/*;q=0.5;e=\"\\\"", "",         1 },  /* the rest is accept-ext */
    { "text/html;q=0.5;",  "",          1 },
};

START_TEST(test_huge_degenerate)
{
    int n;
    char *header = repeat(degenerate[_i].member, 100 * 1024,
                          degenerate[_i].last, &n);
    apr_array_header_t *accept = so_accept_parse(pool, header);

    ck_assert_msg(accept->nelts == degenerate[_i].want,
                  "100 KB of \"%s\" then \"%s\": %d ranges, want %d",
                  degenerate[_i].member, degenerate[_i].last, accept->nelts,
                  degenerate[_i].want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* so_media_string                                                      */

/* A type printed and parsed again prints the same. */
START_TEST(test_media_string_round_trip)
{
    so_media *m = type_or_fail(media_ok[_i].text);
    const char *once = so_media_string(pool, m, 0);
    const char *twice = so_media_string(pool, type_or_fail(once), 0);

    ck_assert_str_eq(once, twice);
}
END_TEST

/* Ranges printed with q and parsed again as a header: the same ranges. */
START_TEST(test_range_string_round_trip)
{
    static const char header[] = "text/html;level=1;q=0.5, */*;q=0.1, "
                                 "text/*, Application/XML;Q=0.25;ext=1, "
                                 "image/png;q=0";
    apr_array_header_t *a = so_accept_parse(pool, header), *b;
    const char *once = "", *twice = "";
    int i;

    for (i = 0; i < a->nelts; i++) {
        once = apr_pstrcat(pool, once, i ? ", " : "",
                           so_media_string(pool, &APR_ARRAY_IDX(a, i,
                                                                so_media),
                                           1), NULL);
    }
    ck_assert_str_eq(once, "text/html;level=1;q=0.500, */*;q=0.100, "
                     "text/*;q=1.000, application/xml;q=0.250, "
                     "image/png;q=0.000");
    b = so_accept_parse(pool, once);
    ck_assert_int_eq(b->nelts, a->nelts);
    for (i = 0; i < b->nelts; i++) {
        twice = apr_pstrcat(pool, twice, i ? ", " : "",
                            so_media_string(pool, &APR_ARRAY_IDX(b, i,
                                                                 so_media),
                                            1), NULL);
    }
    ck_assert_str_eq(once, twice);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *accept_suite(void)
{
    Suite *s = suite_create("so_accept");

    ADD_LOOP(s, test_media_parse_ok, NELTS(media_ok));
    ADD_LOOP(s, test_media_parse_bad, NELTS(media_bad));
    ADD_LOOP(s, test_quality, NELTS(qualities));
    ADD_LOOP(s, test_parse_count, NELTS(counts));
    ADD_ONE(s, test_parse_null);
    ADD_ONE(s, test_huge_header);
    ADD_LOOP(s, test_huge_degenerate, NELTS(degenerate));
    ADD_LOOP(s, test_media_string_round_trip, NELTS(media_ok));
    ADD_ONE(s, test_range_string_round_trip);
    return s;
}

int main(void)
{
    return run_suite(accept_suite());
}
