/* test_format.c: unit tests of so_format.c (Check, TAP on stdout): the
 * short-name table, finding the format parameter in a query, removing it.
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
#include "so_format.h"

/* ------------------------------------------------------------------ */
/* short names                                                          */

static const struct {
    const char *name;
    const char *want;        /* NULL: unknown */
} names[] = {
    { "ttl",      "text/turtle" },
    { "turtle",   "text/turtle" },
    { "TTL",      "text/turtle" },
    { "rdf",      "application/rdf+xml" },
    { "rdfxml",   "application/rdf+xml" },
    { "owl",      "application/rdf+xml" },
    { "jsonld",   "application/ld+json" },
    { "JsonLD",   "application/ld+json" },
    { "json",     "application/json" },
    { "nt",       "application/n-triples" },
    { "ntriples", "application/n-triples" },
    { "nq",       "application/n-quads" },
    { "nquads",   "application/n-quads" },
    { "trig",     "application/trig" },
    { "n3",       "text/n3" },
    { "html",     "text/html" },
    { "xhtml",    "application/xhtml+xml" },
    { "xml",      "application/xml" },
    { "csv",      "text/csv" },
    { "txt",      "text/plain" },
    { "",         NULL },
    { "ttl ",     NULL },
    { "tt",       NULL },
    { "ttls",     NULL },
    { "text/turtle", NULL },
    { "pdf",      NULL },
};

START_TEST(test_short_name)
{
    const char *got = so_format_short_name(names[_i].name);

    ck_assert_msg((got == NULL && names[_i].want == NULL)
                  || (got && names[_i].want && !strcmp(got, names[_i].want)),
                  "short_name(\"%s\"): got %s, want %s", names[_i].name,
                  SHOW(got), SHOW(names[_i].want));
}
END_TEST

/* Every type in the table is a media type the configuration would take,
 * the names are sorted and unique, and so_format_accept maps each. */
START_TEST(test_table)
{
    const so_format_name *f;
    so_media *m;

    for (f = so_format_names; f->name; f++) {
        ck_assert_msg(so_media_parse(pool, f->type, &m) == NULL,
                      "%s: '%s' parses", f->name, f->type);
        ck_assert_str_eq(so_format_accept(f->name), f->type);
        if (f[1].name) {
            ck_assert_msg(strcmp(f->name, f[1].name) < 0,
                          "sorted: %s before %s", f->name, f[1].name);
        }
    }
    ck_assert_str_eq(so_format_accept("text/turtle"), "text/turtle");
    ck_assert_str_eq(so_format_accept("bogus"), "bogus");
}
END_TEST

/* ------------------------------------------------------------------ */
/* find                                                                 */

static const struct {
    const char *query;
    const char *name;
    const char *want;        /* NULL: not there */
} finds[] = {
    { "format=ttl",                   "format", "ttl" },
    { "a=1&format=ttl&b=2",           "format", "ttl" },
    { "format=ttl&format=rdf",        "format", "ttl" },
    { "formats=ttl&format=rdf",       "format", "rdf" },
    { "xformat=ttl",                  "format", NULL },
    { "format",                       "format", "" },
    { "format=",                      "format", "" },
    { "a=1&format",                   "format", "" },
    { "format=text%2Fturtle",         "format", "text/turtle" },
    { "format=text%2fturtle",         "format", "text/turtle" },
    { "format=application/ld+json",   "format", "application/ld+json" },
    { "format=application%2Bjson",    "format", "application+json" },
    { "format=a%2",                   "format", "a%2" },
    { "format=a%zz",                  "format", "a%zz" },
    { "format=%",                     "format", "%" },
    { "format=a%00b",                 "format", "a" },
    { "format=x=y",                   "format", "x=y" },
    { "_mediatype=text/turtle",       "_mediatype", "text/turtle" },
    { "Format=ttl",                   "format", NULL },
    { "",                             "format", NULL },
    { "&&",                           "format", NULL },
    { "a=1&",                         "format", NULL },
    { "format%3Dttl",                 "format", NULL },
};

START_TEST(test_find)
{
    const char *got = so_format_find(pool, finds[_i].query, finds[_i].name);

    ck_assert_msg((got == NULL && finds[_i].want == NULL)
                  || (got && finds[_i].want && !strcmp(got, finds[_i].want)),
                  "find(\"%s\", %s): got %s, want %s", finds[_i].query,
                  finds[_i].name, SHOW(got), SHOW(finds[_i].want));
}
END_TEST

START_TEST(test_find_null)
{
    ck_assert_ptr_eq(so_format_find(pool, NULL, "format"), NULL);
    ck_assert_ptr_eq(so_format_find(pool, "a=1", ""), NULL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* remove                                                               */

static const struct {
    const char *query;
    const char *want;        /* NULL: no query left */
} removes[] = {
    { "format=ttl",                   NULL },
    { "format",                       NULL },
    { "format=ttl&format=rdf",        NULL },
    { "a=1&format=ttl",               "a=1" },
    { "format=ttl&a=1",               "a=1" },
    { "a=1&format=ttl&b=2",           "a=1&b=2" },
    { "a=1&format=ttl&b=2&format=x",  "a=1&b=2" },
    { "formats=1&format=ttl&xformat", "formats=1&xformat" },
    { "a=1&&format=ttl&&b",           "a=1&b" },
    { "&format=ttl",                  NULL },
    /* not there: the query as it was, empty members and all */
    { "a=1&&b=2",                     "a=1&&b=2" },
    { "formats=ttl",                  "formats=ttl" },
    { "Format=ttl",                   "Format=ttl" },
    { "",                             NULL },
};

START_TEST(test_remove)
{
    const char *got = so_format_remove(pool, removes[_i].query, "format");

    ck_assert_msg((got == NULL && removes[_i].want == NULL)
                  || (got && removes[_i].want
                      && !strcmp(got, removes[_i].want)),
                  "remove(\"%s\"): got %s, want %s", removes[_i].query,
                  SHOW(got), SHOW(removes[_i].want));
}
END_TEST

START_TEST(test_remove_same)
{
    const char *q = "a=1&b=2";

    /* nothing removed: the same string, no copy */
    ck_assert_ptr_eq(so_format_remove(pool, q, "format"), q);
    ck_assert_ptr_eq(so_format_remove(pool, NULL, "format"), NULL);
    ck_assert_ptr_eq(so_format_remove(pool, q, ""), q);
}
END_TEST

static Suite *format_suite(void)
{
    Suite *s = suite_create("so_format");

    ADD_LOOP(s, test_short_name, NELTS(names));
    ADD_ONE(s, test_table);
    ADD_LOOP(s, test_find, NELTS(finds));
    ADD_ONE(s, test_find_null);
    ADD_LOOP(s, test_remove, NELTS(removes));
    ADD_ONE(s, test_remove_same);
    return s;
}

int main(void)
{
    return run_suite(format_suite());
}
