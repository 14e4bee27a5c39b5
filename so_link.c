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

/* ---- fast scans: the text is almost always plain ------------------- */

#define ONES  APR_UINT64_C(0x0101010101010101)
#define HIGHS APR_UINT64_C(0x8080808080808080)

/* Has [s, s+n) a byte below 0x20 or above 0x7E?  Eight bytes at a time
 * (the "hasless" and "hasmore" word tests); exact. */
static int has_ctl_or_high(const char *s, apr_size_t n)
{
    apr_uint64_t w;

    if (n >= 8) {
        /* whole words, the last one overlapping the one before */
        const char *last = s + n - 8;

        for (;; s += 8) {
            if (s > last) {
                s = last;
            }
            memcpy(&w, s, 8);
            if ((((w - ONES * 0x20) & ~w) | (w + ONES) | w) & HIGHS) {
                return 1;
            }
            if (s == last) {
                return 0;
            }
        }
    }
    for (; n; s++, n--) {
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) {
            return 1;
        }
    }
    return 0;
}

/* The visible bytes (and space) a Link URI encodes; with
 * has_ctl_or_high, the same set as link_unsafe. */
static const char link_specials[] = " \",<>\\^`{|}";

/* A piece of output: text, its length once written, and whether it is
 * written as it is. */
typedef struct {
    const char *text;
    apr_size_t len;          /* of text */
    apr_size_t out_len;      /* once escaped */
    int plain;
} piece;

static void measure_uri(piece *pc, const char *uri)
{
    const unsigned char *s;
    apr_size_t extra = 0;

    pc->text = uri;
    pc->len = strlen(uri);
    pc->plain = uri[strcspn(uri, link_specials)] == '\0'
                && !has_ctl_or_high(uri, pc->len);
    if (!pc->plain) {
        for (s = (const unsigned char *)uri; *s; s++) {
            extra += link_unsafe[*s];
        }
    }
    pc->out_len = pc->len + 2 * extra;
}

static char *put_uri(char *o, const piece *pc)
{
    const unsigned char *s;

    if (pc->plain) {
        memcpy(o, pc->text, pc->len);
        return o + pc->len;
    }
    for (s = (const unsigned char *)pc->text; *s; s++) {
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

/* As a quoted-string, quotes included. */
static void measure_quoted(piece *pc, const char *text)
{
    const unsigned char *s;

    pc->text = text;
    pc->len = strlen(text);
    pc->plain = text[strcspn(text, "\"\\")] == '\0'
                && !has_ctl_or_high(text, pc->len);
    pc->out_len = 2;
    if (pc->plain) {
        pc->out_len += pc->len;
        return;
    }
    for (s = (const unsigned char *)text; *s; s++) {
        pc->out_len += quote_class(*s);
    }
}

static char *put_quoted(char *o, const piece *pc)
{
    const unsigned char *s;

    *o++ = '"';
    if (pc->plain) {
        memcpy(o, pc->text, pc->len);
        o += pc->len;
    }
    else {
        for (s = (const unsigned char *)pc->text; *s; s++) {
            switch (quote_class(*s)) {
            case 2:
                *o++ = '\\';
                /* fall through */
            case 1:
                *o++ = (char)*s;
            }
        }
    }
    *o++ = '"';
    return o;
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

static const char html_specials[] = "&<>\"'";

static void measure_html(piece *pc, const char *text)
{
    const unsigned char *s;

    pc->text = text;
    pc->len = strlen(text);
    pc->plain = text[strcspn(text, html_specials)] == '\0';
    pc->out_len = pc->len;
    if (!pc->plain) {
        for (s = (const unsigned char *)text; *s; s++) {
            const char *e = html_entity(*s);

            pc->out_len += e ? strlen(e) - 1 : 0;
        }
    }
}

static char *put_html(char *o, const piece *pc)
{
    const unsigned char *s;

    if (pc->plain) {
        memcpy(o, pc->text, pc->len);
        return o + pc->len;
    }
    for (s = (const unsigned char *)pc->text; *s; s++) {
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

const char *so_link_escape_uri(apr_pool_t *p, const char *uri)
{
    piece pc;
    char *out;

    measure_uri(&pc, uri);
    if (pc.plain) {
        return uri;
    }
    out = apr_palloc(p, pc.out_len + 1);
    *put_uri(out, &pc) = '\0';
    return out;
}

const char *so_link_quote(apr_pool_t *p, const char *text)
{
    piece pc;
    char *out;

    measure_quoted(&pc, text);
    out = apr_palloc(p, pc.out_len + 1);
    *put_quoted(out, &pc) = '\0';
    return out;
}

/* One variant measured for both renderings: each string scanned once
 * for the union of what either needs escaped. */
typedef struct {
    piece uri_link, type_link, uri_html, type_html;
} measured;

static const char uri_specials[] = " \",<>\\^`{|}&'";
static const char type_specials[] = "\"\\&<>'";

/* (Of a variant with text, only the origin, in uri.) */
static void measure_variant(measured *m, const so_link_variant *v,
                            int link, int html)
{
    apr_size_t len = strlen(v->uri);

    if (v->uri[strcspn(v->uri, uri_specials)] == '\0') {
        /* plain for HTML; for Link unless a control or non-ASCII */
        m->uri_html.text = m->uri_link.text = v->uri;
        m->uri_html.len = m->uri_html.out_len = len;
        m->uri_html.plain = 1;
        m->uri_link = m->uri_html;
        if (link && has_ctl_or_high(v->uri, len)) {
            measure_uri(&m->uri_link, v->uri);
        }
    }
    else {
        if (link) {
            measure_uri(&m->uri_link, v->uri);
        }
        if (html) {
            measure_html(&m->uri_html, v->uri);
        }
    }
    if (v->text) {
        return;              /* the rest is written already */
    }
    len = strlen(v->type);
    if (v->type[strcspn(v->type, type_specials)] == '\0') {
        m->type_html.text = v->type;
        m->type_html.len = m->type_html.out_len = len;
        m->type_html.plain = 1;
        m->type_link = m->type_html;
        m->type_link.out_len = len + 2;
        if (link && has_ctl_or_high(v->type, len)) {
            measure_quoted(&m->type_link, v->type);
        }
    }
    else {
        if (link) {
            measure_quoted(&m->type_link, v->type);
        }
        if (html) {
            measure_html(&m->type_html, v->type);
        }
    }
}

#define STACK_VARIANTS 16
#define PUT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

void so_link_render(apr_pool_t *p, const apr_array_header_t *variants,
                    const char **header, const char **html)
{
    static const char rel[] = ">; rel=\"alternate\"; type=";
    const so_link_variant *v = (const so_link_variant *)variants->elts;
    measured stack[STACK_VARIANTS], *m;
    apr_size_t hlen = 0, llen = sizeof("<ul>\n</ul>\n") - 1;
    char *o;
    int i;

    m = variants->nelts <= STACK_VARIANTS
        ? stack : apr_palloc(p, variants->nelts * sizeof(*m));
    for (i = 0; i < variants->nelts; i++) {
        const so_link_text *text = v[i].text;

        if (text && i && v[i - 1].text && v[i].uri == v[i - 1].uri) {
            m[i] = m[i - 1];     /* the same origin, measured */
        }
        else {
            measure_variant(&m[i], &v[i], header != NULL, html != NULL);
        }
        if (text) {
            hlen += (i ? 2 : 0) + 1 + m[i].uri_link.out_len
                    + text->link_len;
            llen += sizeof("<li><a href=\"\">") - 1
                    + 2 * (m[i].uri_html.out_len + text->html_len)
                    + text->html_end_len;
            continue;
        }
        hlen += (i ? 2 : 0) + 1 + m[i].uri_link.out_len + sizeof(rel) - 1
                + m[i].type_link.out_len;
        llen += sizeof("<li><a href=\"\"></a> ()</li>\n") - 1
                + 2 * m[i].uri_html.out_len + m[i].type_html.out_len;
    }
    if (header) {
        *header = NULL;
        if (variants->nelts) {
            char *out = o = apr_palloc(p, hlen + 1);

            for (i = 0; i < variants->nelts; i++) {
                if (i) {
                    *o++ = ',';
                    *o++ = ' ';
                }
                *o++ = '<';
                o = put_uri(o, &m[i].uri_link);
                if (v[i].text) {
                    memcpy(o, v[i].text->link, v[i].text->link_len);
                    o += v[i].text->link_len;
                    continue;
                }
                memcpy(o, rel, sizeof(rel) - 1);
                o += sizeof(rel) - 1;
                o = put_quoted(o, &m[i].type_link);
            }
            *o = '\0';
            *header = out;
        }
    }
    if (html) {
        char *out = o = apr_palloc(p, llen + 1);

        o = PUT(o, "<ul>\n");
        for (i = 0; i < variants->nelts; i++) {
            const so_link_text *text = v[i].text;

            o = PUT(o, "<li><a href=\"");
            if (text) {
                o = put_html(o, &m[i].uri_html);
                memcpy(o, text->html, text->html_len);
                o = PUT(o + text->html_len, "\">");
                o = put_html(o, &m[i].uri_html);
                memcpy(o, text->html, text->html_len);
                o += text->html_len;
                memcpy(o, text->html_end, text->html_end_len);
                o += text->html_end_len;
                continue;
            }
            o = put_html(o, &m[i].uri_html);
            o = PUT(o, "\">");
            o = put_html(o, &m[i].uri_html);
            o = PUT(o, "</a> (");
            o = put_html(o, &m[i].type_html);
            o = PUT(o, ")</li>\n");
        }
        o = PUT(o, "</ul>\n");
        *o = '\0';
        *html = out;
    }
}

so_link_text *so_link_text_make(apr_pool_t *p, const char *tail,
                                const char *type)
{
    static const char rel[] = ">; rel=\"alternate\"; type=";
    so_link_text *t = apr_palloc(p, sizeof(*t));
    piece uri, quoted, html_uri, html_type;
    char *o;

    measure_uri(&uri, tail);
    measure_quoted(&quoted, type);
    measure_html(&html_uri, tail);
    measure_html(&html_type, type);
    t->serial = 0;
    t->uri_len = uri.len;
    t->link_len = uri.out_len + sizeof(rel) - 1 + quoted.out_len;
    t->link = o = apr_palloc(p, t->link_len + 1);
    o = put_uri(o, &uri);
    o = PUT(o, rel);
    *put_quoted(o, &quoted) = '\0';
    t->html_len = html_uri.out_len;
    t->html = o = apr_palloc(p, t->html_len + 1);
    *put_html(o, &html_uri) = '\0';
    t->html_end_len = sizeof("</a> ()</li>\n") - 1 + html_type.out_len;
    t->html_end = o = apr_palloc(p, t->html_end_len + 1);
    o = PUT(o, "</a> (");
    o = put_html(o, &html_type);
    o = PUT(o, ")</li>\n");
    *o = '\0';
    return t;
}

const char *so_link_header(apr_pool_t *p,
                           const apr_array_header_t *variants)
{
    const char *header;

    so_link_render(p, variants, &header, NULL);
    return header;
}

const char *so_link_html_list(apr_pool_t *p,
                              const apr_array_header_t *variants)
{
    const char *html;

    so_link_render(p, variants, NULL, &html);
    return html;
}

char *so_link_insert_html(apr_pool_t *p, const char *note, apr_size_t len,
                          const char *heading, const char *fragment,
                          apr_size_t *out_len)
{
    static const char end_tag[] = "</body>";
    apr_size_t at = len, hlen = strlen(heading), flen = strlen(fragment), i;
    char *out;

    for (i = len; i >= sizeof(end_tag) - 1; i--) {
        if (note[i - 1] == '>'
            && !memcmp(note + i - (sizeof(end_tag) - 1), end_tag,
                       sizeof(end_tag) - 1)) {
            at = i - (sizeof(end_tag) - 1);
            break;
        }
    }
    out = apr_palloc(p, len + hlen + flen + 1);
    memcpy(out, note, at);
    memcpy(out + at, heading, hlen);
    memcpy(out + at + hlen, fragment, flen);
    memcpy(out + at + hlen + flen, note + at, len - at);
    *out_len = len + hlen + flen;
    out[*out_len] = '\0';
    return out;
}
