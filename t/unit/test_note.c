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

#include "so_link.h"
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

/* so_note_render_with: the note with the extra text where
 * so_link_insert_html would put it, in one go; without extra text, the
 * note itself. */
START_TEST(test_render_with)
{
    const char *loc = locations[_i];
    apr_size_t len, with_len, want_len;
    const char *note = so_note_render(pool, loc, &len);
    const char *want = so_link_insert_html(pool, note, len, "<p>H</p>\n",
                                           "<ul><li>x</li></ul>\n",
                                           &want_len);
    const char *with = so_note_render_with(pool, loc, "<p>H</p>\n",
                                           "<ul><li>x</li></ul>\n",
                                           &with_len);

    ck_assert_str_eq(with, want);
    ck_assert_uint_eq(with_len, want_len);
    with = so_note_render_with(pool, loc, NULL, NULL, &with_len);
    ck_assert_str_eq(with, note);
    ck_assert_uint_eq(with_len, len);
    with = so_note_render_with(pool, loc, "only", NULL, &with_len);
    want = so_link_insert_html(pool, note, len, "only", "", &want_len);
    ck_assert_str_eq(with, want);
    ck_assert_uint_eq(with_len, want_len);
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
/* templates                                                            */

static so_note_template *parse_ok(const char *text)
{
    so_note_template *tpl = NULL;
    const char *err = so_note_template_parse(pool, text, strlen(text), &tpl);

    ck_assert_msg(err == NULL, "template \"%s\" refused: %s", text,
                  SHOW(err));
    return tpl;
}

/* Two placeholders and non-ASCII text; the Location escaped in both. */
START_TEST(test_template_render)
{
    so_note_template *tpl = parse_ok(
        "<p>Voir \xc3\xa0 <a href=\"{{location}}\">{{location}}</a> \xe2\x80\x94 "
        "merci</p>\n");
    apr_size_t len = 0;
    const char *note = so_note_render_template(pool, tpl, "/a?b=1&c=\"<x>\"",
                                               &len);

    ck_assert_int_eq(so_note_template_slots(tpl), 2);
    ck_assert_str_eq(note, "<p>Voir \xc3\xa0 <a href=\"/a?b=1&amp;c=&quot;"
                     "&lt;x&gt;&quot;\">/a?b=1&amp;c=&quot;&lt;x&gt;&quot;"
                     "</a> \xe2\x80\x94 merci</p>\n");
    ck_assert_uint_eq(len, strlen(note));
}
END_TEST

/* Placeholders at the very start and end, side by side, alone. */
static const struct {
    const char *tpl;
    const char *loc;
    const char *want;
    int slots;
} renders[] = {
    { "{{location}}",                 "/x&y",  "/x&amp;y",              1 },
    { "{{location}}{{location}}",     "/a",    "/a/a",                  2 },
    { "a{{location}}b{{location}}c",  "",      "abc",                   2 },
    { "{{location}}}",                "/a",    "/a}",                   1 },
    { "{{{location}}",                "/a",    "{/a",                   1 },
    { "{{LOCATION}} {{location}}",    "/a",    "{{LOCATION}} /a",       1 },
    { "{{location} {{location}}",     "/'",    "{{location} /&#39;",    1 },
};

START_TEST(test_template_table)
{
    so_note_template *tpl = parse_ok(renders[_i].tpl);
    apr_size_t len;
    const char *note = so_note_render_template(pool, tpl, renders[_i].loc,
                                               &len);

    ck_assert_int_eq(so_note_template_slots(tpl), renders[_i].slots);
    ck_assert_str_eq(note, renders[_i].want);
    ck_assert_uint_eq(len, strlen(renders[_i].want));
}
END_TEST

/* NULL: the module's own note. */
START_TEST(test_template_default)
{
    apr_size_t a, b;
    const char *own = so_note_render(pool, "/x", &a);
    const char *via = so_note_render_template(pool, NULL, "/x", &b);

    ck_assert_uint_eq(a, b);
    ck_assert_str_eq(own, via);
}
END_TEST

static const struct {
    const char *text;
    apr_size_t len;          /* 0: strlen */
    const char *why;         /* a part of the message */
} refused[] = {
    { "",                                  0, "holds no {{location}}" },
    { "<p>no link</p>",                    0, "holds no {{location}}" },
    { "{{location }}",                     0, "holds no {{location}}" },
    { "{{ location}}",                     0, "holds no {{location}}" },
    { "caf\xe9 {{location}}",              0, "byte 0xE9 at offset 3" },
    { "{{location}} \xc3",                 0, "byte 0xC3 at offset 13" },
    { "\xc0\xaf {{location}}",             0, "byte 0xC0 at offset 0" },
    { "\xe0\x80\xaf {{location}}",         0, "byte 0xE0 at offset 0" },
    { "\xed\xa0\x80 {{location}}",         0, "byte 0xED at offset 0" },
    { "\xf4\x90\x80\x80 {{location}}",     0, "byte 0xF4 at offset 0" },
    { "\xf5\x80\x80\x80 {{location}}",     0, "byte 0xF5 at offset 0" },
    { "\x80 {{location}}",                 0, "byte 0x80 at offset 0" },
    { "a\xe2\x82 {{location}}",            0, "byte 0xE2 at offset 1" },
    { "\xff\xfe{{location}}",              0, "byte 0xFF at offset 0" },
};

START_TEST(test_template_refused)
{
    so_note_template *tpl = NULL;
    apr_size_t len = refused[_i].len ? refused[_i].len
                                     : strlen(refused[_i].text);
    const char *err = so_note_template_parse(pool, refused[_i].text, len,
                                             &tpl);

    ck_assert_msg(err != NULL, "template \"%s\" accepted", refused[_i].text);
    ck_assert_msg(strstr(err, refused[_i].why) != NULL,
                  "template \"%s\": \"%s\" does not say \"%s\"",
                  refused[_i].text, err, refused[_i].why);
}
END_TEST

/* Valid UTF-8 at the edges of each range is accepted. */
START_TEST(test_template_utf8_edges)
{
    parse_ok("\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 "
             "\xef\xbf\xbf \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf {{location}}");
}
END_TEST

/* At most 64 KiB; exactly 64 KiB is accepted; a NUL byte is text. */
START_TEST(test_template_size)
{
    char *big = apr_palloc(pool, SO_NOTE_TEMPLATE_MAX + 1);
    so_note_template *tpl = NULL;
    const char *err;
    apr_size_t len;
    char *note;

    memset(big, 'x', SO_NOTE_TEMPLATE_MAX + 1);
    memcpy(big, "{{location}}", 12);
    big[100] = '\0';
    err = so_note_template_parse(pool, big, SO_NOTE_TEMPLATE_MAX, &tpl);
    ck_assert_msg(err == NULL, "64 KiB refused: %s", SHOW(err));
    note = so_note_render_template(pool, tpl, "/z", &len);
    ck_assert_uint_eq(len, SO_NOTE_TEMPLATE_MAX - 12 + 2);
    ck_assert_int_eq(note[100 - 10], '\0');
    err = so_note_template_parse(pool, big, SO_NOTE_TEMPLATE_MAX + 1, &tpl);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, "65537 bytes, more than the 65536 allowed"),
                  "%s", err);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *note_suite(void)
{
    Suite *s = suite_create("so_note");

    ADD_LOOP(s, test_escape_html, NELTS(escapes));
    ADD_LOOP(s, test_render, NELTS(locations));
    ADD_LOOP(s, test_render_with, NELTS(locations));
    ADD_ONE(s, test_render_long);
    ADD_ONE(s, test_template_render);
    ADD_LOOP(s, test_template_table, NELTS(renders));
    ADD_ONE(s, test_template_default);
    ADD_LOOP(s, test_template_refused, NELTS(refused));
    ADD_ONE(s, test_template_utf8_edges);
    ADD_ONE(s, test_template_size);
    return s;
}

int main(void)
{
    return run_suite(note_suite());
}
