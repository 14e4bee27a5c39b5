/* so_link.c: Link header values and variant lists (see so_link.h). */

#include <string.h>

#include "apr_strings.h"

#include "so_link.h"

/* Bytes percent-encoded in a Link URI: controls, space, DEL, non-ASCII,
 * and '"', ',', '<', '>', '\\', '^', '`', '{', '|', '}'.  A table: the
 * module writes every variant's URI through it. */
static const unsigned char link_unsafe[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* ' ' ! " # $ % & ' ( ) * + , - . / */
    1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    /* 0-9 : ; < = > ? */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
    /* @ A-O */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* P-Z [ \ ] ^ _ */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
    /* ` a-o */
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* p-z { | } ~ DEL */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* What a byte becomes in a quoted-string: 0 dropped (controls but HTAB,
 * DEL), 1 as it is, 2 escaped with '\\'. */
static unsigned char quote_class(unsigned char c)
{
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return 0;
    }
    return (c == '"' || c == '\\') ? 2 : 1;
}

static const char hex_digits[] = "0123456789ABCDEF";

/* Length of uri once escaped; *plain when nothing needs it. */
static apr_size_t escaped_uri_len(const char *uri, int *plain)
{
    const unsigned char *s;
    apr_size_t extra = 0;

    for (s = (const unsigned char *)uri; *s; s++) {
        extra += link_unsafe[*s];
    }
    *plain = !extra;
    return (apr_size_t)((const char *)s - uri) + 2 * extra;
}

static char *put_escaped_uri(char *o, const char *uri)
{
    const unsigned char *s;

    for (s = (const unsigned char *)uri; *s; s++) {
        if (link_unsafe[*s]) {
            *o++ = '%';
            *o++ = hex_digits[*s >> 4];
            *o++ = hex_digits[*s & 15];
        }
        else {
            *o++ = (char)*s;
        }
    }
    return o;
}

/* Length of text as a quoted-string, quotes included. */
static apr_size_t quoted_len(const char *text)
{
    const unsigned char *s;
    apr_size_t len = 2;

    for (s = (const unsigned char *)text; *s; s++) {
        len += quote_class(*s);
    }
    return len;
}

static char *put_quoted(char *o, const char *text)
{
    const unsigned char *s;

    *o++ = '"';
    for (s = (const unsigned char *)text; *s; s++) {
        switch (quote_class(*s)) {
        case 2:
            *o++ = '\\';
            /* fall through */
        case 1:
            *o++ = (char)*s;
        }
    }
    *o++ = '"';
    return o;
}

const char *so_link_escape_uri(apr_pool_t *p, const char *uri)
{
    int plain;
    apr_size_t len = escaped_uri_len(uri, &plain);
    char *out;

    if (plain) {
        return uri;
    }
    out = apr_palloc(p, len + 1);
    *put_escaped_uri(out, uri) = '\0';
    return out;
}

const char *so_link_quote(apr_pool_t *p, const char *text)
{
    char *out = apr_palloc(p, quoted_len(text) + 1);

    *put_quoted(out, text) = '\0';
    return out;
}

const char *so_link_header(apr_pool_t *p,
                           const apr_array_header_t *variants)
{
    static const char rel[] = ">; rel=\"alternate\"; type=";
    const so_link_variant *v = (const so_link_variant *)variants->elts;
    apr_size_t len = 0;
    char *out, *o;
    int i, plain;

    if (!variants->nelts) {
        return NULL;
    }
    /* one pass to measure, one to write: a single allocation */
    for (i = 0; i < variants->nelts; i++) {
        len += (i ? 2 : 0) + 1 + escaped_uri_len(v[i].uri, &plain)
               + sizeof(rel) - 1 + quoted_len(v[i].type);
    }
    out = o = apr_palloc(p, len + 1);
    for (i = 0; i < variants->nelts; i++) {
        if (i) {
            *o++ = ',';
            *o++ = ' ';
        }
        *o++ = '<';
        o = put_escaped_uri(o, v[i].uri);
        memcpy(o, rel, sizeof(rel) - 1);
        o += sizeof(rel) - 1;
        o = put_quoted(o, v[i].type);
    }
    *o = '\0';
    return out;
}

/* HTML escapes, as so_note_escape_html writes them (NULL: as it is). */
static const char *html_entity(unsigned char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    }
    return NULL;
}

static apr_size_t html_len(const char *text)
{
    const unsigned char *s;
    apr_size_t len = 0;

    for (s = (const unsigned char *)text; *s; s++) {
        const char *e = html_entity(*s);

        len += e ? strlen(e) : 1;
    }
    return len;
}

static char *put_html(char *o, const char *text)
{
    const unsigned char *s;

    for (s = (const unsigned char *)text; *s; s++) {
        const char *e = html_entity(*s);

        if (e) {
            apr_size_t n = strlen(e);

            memcpy(o, e, n);
            o += n;
        }
        else {
            *o++ = (char)*s;
        }
    }
    return o;
}

#define PUT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

const char *so_link_html_list(apr_pool_t *p,
                              const apr_array_header_t *variants)
{
    const so_link_variant *v = (const so_link_variant *)variants->elts;
    apr_size_t len = sizeof("<ul>\n</ul>\n") - 1;
    char *out, *o;
    int i;

    for (i = 0; i < variants->nelts; i++) {
        len += sizeof("<li><a href=\"\"></a> ()</li>\n") - 1
               + 2 * html_len(v[i].uri) + html_len(v[i].type);
    }
    out = o = apr_palloc(p, len + 1);
    o = PUT(o, "<ul>\n");
    for (i = 0; i < variants->nelts; i++) {
        char *href = o + sizeof("<li><a href=\"") - 1;
        apr_size_t n;

        o = PUT(o, "<li><a href=\"");
        o = put_html(o, v[i].uri);
        n = (apr_size_t)(o - href);
        o = PUT(o, "\">");
        memcpy(o, href, n);
        o += n;
        o = PUT(o, "</a> (");
        o = put_html(o, v[i].type);
        o = PUT(o, ")</li>\n");
    }
    o = PUT(o, "</ul>\n");
    *o = '\0';
    return out;
}

char *so_link_insert_html(apr_pool_t *p, const char *note, apr_size_t len,
                          const char *fragment, apr_size_t *out_len)
{
    static const char end_tag[] = "</body>";
    apr_size_t at = len, flen = strlen(fragment), i;
    char *out;

    for (i = len; i >= sizeof(end_tag) - 1; i--) {
        if (!memcmp(note + i - (sizeof(end_tag) - 1), end_tag,
                    sizeof(end_tag) - 1)) {
            at = i - (sizeof(end_tag) - 1);
            break;
        }
    }
    out = apr_palloc(p, len + flen + 1);
    memcpy(out, note, at);
    memcpy(out + at, fragment, flen);
    memcpy(out + at + flen, note + at, len - at);
    out[len + flen] = '\0';
    *out_len = len + flen;
    return out;
}
