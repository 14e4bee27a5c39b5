/* test_link.c: unit tests of so_link.c (Check, TAP on stdout): Link
 * header values (RFC 8288), URI escaping inside '<' '>', quoted types,
 * the HTML list of variants and its place in a note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "so_link.h"

static apr_array_header_t *variants(const char *const *pairs)
{
    apr_array_header_t *a = apr_array_make(pool, 2, sizeof(so_link_variant));

    for (; pairs[0]; pairs += 2) {
        so_link_variant *v = apr_array_push(a);

        v->uri = pairs[0];
        v->type = pairs[1];
        v->text = NULL;
    }
    return a;
}

static const struct {
    const char *in;
    const char *want;
} uris[] = {
    { "http://h/a",                 "http://h/a" },
    { "http://h/a?x=1&y=2#f",       "http://h/a?x=1&y=2#f" },
    { "http://h/a,b",               "http://h/a%2Cb" },
    { "http://h/<a>",               "http://h/%3Ca%3E" },
    { "http://h/a\"b",              "http://h/a%22b" },
    { "http://h/a b",               "http://h/a%20b" },
    { "http://h/a\\b^c`d{e|f}",     "http://h/a%5Cb%5Ec%60d%7Be%7Cf%7D" },
    { "http://h/a\r\nb",            "http://h/a%0D%0Ab" },
    { "http://h/caf\xc3\xa9",       "http://h/caf%C3%A9" },
    { "http://h/a%2Cb;c=d",         "http://h/a%2Cb;c=d" },
    { "/rel/path",                  "/rel/path" },
    { "",                           "" },
};

START_TEST(test_escape_uri)
{
    const char *got = so_link_escape_uri(pool, uris[_i].in);

    ck_assert_msg(!strcmp(got, uris[_i].want), "escape(\"%s\"): got "
                  "\"%s\", want \"%s\"", uris[_i].in, got, uris[_i].want);
}
END_TEST

START_TEST(test_escape_same)
{
    const char *u = "http://h/plain?x=1";

    ck_assert_ptr_eq(so_link_escape_uri(pool, u), u);
}
END_TEST

static const struct {
    const char *in;
    const char *want;
} quotes[] = {
    { "text/turtle",                "\"text/turtle\"" },
    { "text/html;level=1",          "\"text/html;level=1\"" },
    { "a;p=\"x y\"",                "\"a;p=\\\"x y\\\"\"" },
    { "a\\b",                       "\"a\\\\b\"" },
    { "a\r\nb\tc",                  "\"ab\tc\"" },
    { "",                           "\"\"" },
};

START_TEST(test_quote)
{
    const char *got = so_link_quote(pool, quotes[_i].in);

    ck_assert_msg(!strcmp(got, quotes[_i].want), "quote(\"%s\"): got "
                  "%s, want %s", quotes[_i].in, got, quotes[_i].want);
}
END_TEST

START_TEST(test_header)
{
    static const char *const two[] = {
        "http://h/a.html", "text/html",
        "http://h/a,b.ttl", "text/turtle",
        NULL
    };
    static const char *const one[] = {
        "/x<y>", "application/ld+json;profile=\"p q\"", NULL
    };
    static const char *const none[] = { NULL };

    ck_assert_str_eq(so_link_header(pool, variants(two)),
                     "<http://h/a.html>; rel=\"alternate\"; "
                     "type=\"text/html\", <http://h/a%2Cb.ttl>; "
                     "rel=\"alternate\"; type=\"text/turtle\"");
    ck_assert_str_eq(so_link_header(pool, variants(one)),
                     "</x%3Cy%3E>; rel=\"alternate\"; "
                     "type=\"application/ld+json;profile=\\\"p q\\\"\"");
    ck_assert_ptr_eq(so_link_header(pool, variants(none)), NULL);
}
END_TEST

START_TEST(test_html_list)
{
    static const char *const two[] = {
        "http://h/a?x=1&y=<2>", "text/html",
        "http://h/b.ttl", "text/turtle",
        NULL
    };
    static const char *const none[] = { NULL };

    ck_assert_str_eq(so_link_html_list(pool, variants(two)),
                     "<ul>\n"
                     "<li><a href=\"http://h/a?x=1&amp;y=&lt;2&gt;\">"
                     "http://h/a?x=1&amp;y=&lt;2&gt;</a> (text/html)</li>\n"
                     "<li><a href=\"http://h/b.ttl\">http://h/b.ttl</a> "
                     "(text/turtle)</li>\n"
                     "</ul>\n");
    ck_assert_str_eq(so_link_html_list(pool, variants(none)),
                     "<ul>\n</ul>\n");
}
END_TEST

static const struct {
    const char *note;
    const char *want;
} inserts[] = {
    { "<html><body>x</body></html>\n", "<html><body>x[H][F]</body></html>\n" },
    /* the last </body> */
    { "<body></body></body>",          "<body></body>[H][F]</body>" },
    { "no end tag",                    "no end tag[H][F]" },
    { "</body>",                       "[H][F]</body>" },
    { "/body>",                        "/body>[H][F]" },
    { "",                              "[H][F]" },
};

START_TEST(test_insert)
{
    apr_size_t len;
    char *got = so_link_insert_html(pool, inserts[_i].note,
                                    strlen(inserts[_i].note), "[H]", "[F]",
                                    &len);

    ck_assert_str_eq(got, inserts[_i].want);
    ck_assert_uint_eq(len, strlen(inserts[_i].want));
}
END_TEST

/* A control, DEL or non-ASCII byte at any place of URIs of many lengths
 * (the eight-bytes-at-a-time scan and its tail) is encoded. */
START_TEST(test_escape_every_place)
{
    static const unsigned char odd[] = { 0x01, 0x1f, 0x7f, 0x80, 0xff };
    char uri[40], want[48];
    int len, at, k;

    for (len = 1; len < 30; len++) {
        for (at = 0; at < len; at++) {
            for (k = 0; k < NELTS(odd); k++) {
                memset(uri, 'a', (size_t)len);
                uri[len] = '\0';
                uri[at] = (char)odd[k];
                memset(want, 'a', (size_t)at);
                sprintf(want + at, "%%%02X", odd[k]);
                memset(want + at + 3, 'a', (size_t)(len - at - 1));
                want[len + 2] = '\0';
                ck_assert_str_eq(so_link_escape_uri(pool, uri), want);
            }
        }
        memset(uri, 'a', (size_t)len);
        uri[len] = '\0';
        ck_assert_ptr_eq(so_link_escape_uri(pool, uri), uri);
    }
}
END_TEST

/* so_link_render gives what the two functions give. */
START_TEST(test_render_both)
{
    static const char *const vs[] = {
        "http://h/a&b", "text/html",
        "http://h/a,b", "a/b;p=\"x\"",
        "http://h/plain", "text/turtle",
        "/\x01'<", "t/\x7f&",
        NULL
    };
    apr_array_header_t *a = variants(vs);
    const char *header, *html;

    so_link_render(pool, a, &header, &html);
    ck_assert_str_eq(header, so_link_header(pool, a));
    ck_assert_str_eq(html, so_link_html_list(pool, a));
    ck_assert_str_eq(html,
                     "<ul>\n"
                     "<li><a href=\"http://h/a&amp;b\">http://h/a&amp;b</a>"
                     " (text/html)</li>\n"
                     "<li><a href=\"http://h/a,b\">http://h/a,b</a>"
                     " (a/b;p=&quot;x&quot;)</li>\n"
                     "<li><a href=\"http://h/plain\">http://h/plain</a>"
                     " (text/turtle)</li>\n"
                     "<li><a href=\"/\x01&#39;&lt;\">/\x01&#39;&lt;</a>"
                     " (t/\x7f&amp;)</li>\n"
                     "</ul>\n");
    ck_assert_str_eq(header,
                     "<http://h/a&b>; rel=\"alternate\"; type=\"text/html\", "
                     "<http://h/a%2Cb>; rel=\"alternate\"; "
                     "type=\"a/b;p=\\\"x\\\"\", "
                     "<http://h/plain>; rel=\"alternate\"; "
                     "type=\"text/turtle\", "
                     "</%01'%3C>; rel=\"alternate\"; type=\"t/&\"");
}
END_TEST

/* A variant written from its text (so_link_text_make) renders as the
 * same variant written whole, at any place of the list, with any
 * origin. */
START_TEST(test_render_text)
{
    static const char *const origins[] = {
        "", "http://h", "http://h:8080", "http://a&b'<c", "http://h\x01,",
    };
    static const char *const tails[] = {
        "/a", "/a,b?x=1&y=\"2\"#f", "/<'>", "/caf\xc3\xa9", "/a|b ",
    };
    static const char *const types[] = {
        "text/html", "a/b;p=\"x\"", "t/\x7f&",
    };
    int o, t, k, n;

    for (o = 0; o < NELTS(origins); o++) {
        for (n = 1; n <= 3; n++) {
            apr_array_header_t *whole = apr_array_make(pool, n,
                                                       sizeof(so_link_variant));
            apr_array_header_t *texts = apr_array_make(pool, n,
                                                       sizeof(so_link_variant));
            const char *h1, *l1, *h2, *l2;

            for (k = 0; k < n; k++) {
                so_link_variant *w = apr_array_push(whole);
                so_link_variant *x = apr_array_push(texts);

                t = (o + k * 2 + n) % NELTS(tails);
                w->uri = apr_pstrcat(pool, origins[o], tails[t], NULL);
                w->type = types[(t + k) % NELTS(types)];
                w->text = NULL;
                /* one variant in the middle written whole */
                if (k == 1) {
                    *x = *w;
                    continue;
                }
                x->uri = origins[o];
                x->type = NULL;
                x->text = so_link_text_make(pool, tails[t], w->type);
                ck_assert_int_eq(x->text->uri_len, strlen(tails[t]));
            }
            so_link_render(pool, whole, &h1, &l1);
            so_link_render(pool, texts, &h2, &l2);
            ck_assert_str_eq(h2, h1);
            ck_assert_str_eq(l2, l1);
            ck_assert_str_eq(so_link_header(pool, texts), h1);
            ck_assert_str_eq(so_link_html_list(pool, texts), l1);
        }
    }
}
END_TEST

static Suite *link_suite(void)
{
    Suite *s = suite_create("so_link");

    ADD_LOOP(s, test_escape_uri, NELTS(uris));
    ADD_ONE(s, test_escape_same);
    ADD_LOOP(s, test_quote, NELTS(quotes));
    ADD_ONE(s, test_header);
    ADD_ONE(s, test_html_list);
    ADD_LOOP(s, test_insert, NELTS(inserts));
    ADD_ONE(s, test_escape_every_place);
    ADD_ONE(s, test_render_both);
    ADD_ONE(s, test_render_text);
    return s;
}

int main(void)
{
    return run_suite(link_suite());
}
