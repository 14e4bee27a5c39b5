/* test_note.c: unit tests of so_note.c (Check, TAP on stdout).
 *
 * The note's one link must give back exactly the Location, however the
 * Location is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "so_note.h"

/* ------------------------------------------------------------------ */
/* escape_html                                                          */

static const struct {
    const char *in;
    const char *want;
} escapes[] = {
    { "&",                  "&amp;" },
    { "<",                  "&lt;" },
    { ">",                  "&gt;" },
    { "\"",                 "&quot;" },
    { "'",                  "&#39;" },
    { "a&b<c>d\"e'f",       "a&amp;b&lt;c&gt;d&quot;e&#39;f" },
    { "&&<<",               "&amp;&amp;&lt;&lt;" },
    { "&amp;",              "&amp;amp;" },
    { "<script>x</script>", "&lt;script&gt;x&lt;/script&gt;" },
    { "caf\xc3\xa9 & co",   "caf\xc3\xa9 &amp; co" },
    /* nothing to escape: the same text */
    { "",                   "" },
    { "plain /text?x=1#f",  "plain /text?x=1#f" },
    { "caf\xc3\xa9",        "caf\xc3\xa9" },
};

START_TEST(test_escape_html)
{
    const char *got = so_note_escape_html(pool, escapes[_i].in);

    ck_assert_msg(strcmp(got, escapes[_i].want) == 0,
                  "escape_html(\"%s\"): got \"%s\", want \"%s\"",
                  escapes[_i].in, got, escapes[_i].want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* render                                                               */

/* The inverse of escape_html (and the numeric forms a browser reads). */
static char *unescape_html(const char *s, apr_size_t len)
{
    static const struct {
        const char *entity;
        char c;
    } entities[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
        { "&quot;", '"' }, { "&#39;", '\'' }, { "&#x27;", '\'' },
    };
    char *out = apr_palloc(pool, len + 1), *o = out;
    const char *end = s + len;
    int i;

    while (s < end) {
        if (*s == '&') {
            for (i = 0; i < NELTS(entities); i++) {
                apr_size_t n = strlen(entities[i].entity);

                if ((apr_size_t)(end - s) >= n
                    && !strncmp(s, entities[i].entity, n)) {
                    *o++ = entities[i].c;
                    s += n;
                    break;
                }
            }
            ck_assert_msg(i < NELTS(entities), "unknown entity at \"%.10s\"",
                          s);
            continue;
        }
        *o++ = *s++;
    }
    *o = '\0';
    return out;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;

    while ((hay = strstr(hay, needle))) {
        n++;
        hay += strlen(needle);
    }
    return n;
}

static const char *const locations[] = {
    "http://h/p?a=1&b=2",
    "/x'y\"z<w>",
    "/",
    "https://example.com/a%20b/c?d=e&amp;f=g#frag",
    "/a?href=\"x\"&b='y'",
    "/\"><script>alert(1)</script>",
    "/'onmouseover='x",
    "/</a><a href=\"http://evil/\">",
    "/caf%C3%A9",
    "",
};

START_TEST(test_render)
{
    const char *loc = locations[_i];
    apr_size_t len = 12345;
    const char *note = so_note_render(pool, loc, &len);
    const char *href, *end, *text, *text_end;

    ck_assert_ptr_nonnull(note);
    ck_assert_uint_eq(len, strlen(note));
    ck_assert_msg(!strncmp(note, "<!DOCTYPE html>", 15),
                  "the note does not start with a doctype: \"%.20s\"", note);
    ck_assert_msg(len > 8 && !strcmp(note + len - 8, "</html>\n"),
                  "the note does not end with </html>");

    /* exactly one link, whose href gives back the Location */
    ck_assert_msg(count(note, "href=\"") == 1,
                  "location \"%s\": %d hrefs in \"%s\"", loc,
                  count(note, "href=\""), note);
    ck_assert_int_eq(count(note, "<a "), 1);
    ck_assert_int_eq(count(note, "</a>"), 1);
    href = strstr(note, "href=\"") + 6;
    end = strchr(href, '"');
    ck_assert_ptr_nonnull(end);
    ck_assert_msg(memchr(href, '<', (apr_size_t)(end - href)) == NULL
                  && memchr(href, '\'', (apr_size_t)(end - href)) == NULL,
                  "raw markup in href of \"%s\"", loc);
    ck_assert_msg(!strcmp(unescape_html(href, (apr_size_t)(end - href)), loc),
                  "location \"%s\": href is \"%.*s\"", loc,
                  (int)(end - href), href);

    /* the link text too */
    ck_assert_msg(!strncmp(end, "\">", 2), "href of \"%s\" not closed by "
                  "\">\"", loc);
    text = end + 2;
    text_end = strstr(text, "</a>");
    ck_assert_ptr_nonnull(text_end);
    ck_assert_str_eq(unescape_html(text, (apr_size_t)(text_end - text)),
                     loc);
}
END_TEST

/* A long Location: the length is still right. */
START_TEST(test_render_long)
{
    enum { N = 100000 };
    char *loc = apr_palloc(pool, N + 1);
    apr_size_t len;
    const char *note;

    memset(loc, '&', N);
    loc[0] = '/';
    loc[N] = '\0';
    note = so_note_render(pool, loc, &len);
    ck_assert_uint_eq(len, strlen(note));
    ck_assert_int_eq(count(note, "&amp;"), 2 * (N - 1));
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *note_suite(void)
{
    Suite *s = suite_create("so_note");

    ADD_LOOP(s, test_escape_html, NELTS(escapes));
    ADD_LOOP(s, test_render, NELTS(locations));
    ADD_ONE(s, test_render_long);
    return s;
}

int main(void)
{
    return run_suite(note_suite());
}
