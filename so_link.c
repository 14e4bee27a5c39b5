/* so_link.c: Link header values and variant lists (see so_link.h). */

#include <string.h>

#include "apr_strings.h"

#include "so_link.h"
#include "so_note.h"

static int link_unsafe(unsigned char c)
{
    return c <= 0x20 || c >= 0x7f || strchr("\",<>\\^`{|}", c) != NULL;
}

const char *so_link_escape_uri(apr_pool_t *p, const char *uri)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s;
    apr_size_t extra = 0;
    char *out, *o;

    for (s = (const unsigned char *)uri; *s; s++) {
        extra += link_unsafe(*s) ? 2 : 0;
    }
    if (!extra) {
        return uri;
    }
    out = o = apr_palloc(p, (apr_size_t)(s - (const unsigned char *)uri)
                            + extra + 1);
    for (s = (const unsigned char *)uri; *s; s++) {
        if (link_unsafe(*s)) {
            *o++ = '%';
            *o++ = hex[*s >> 4];
            *o++ = hex[*s & 15];
        }
        else {
            *o++ = (char)*s;
        }
    }
    *o = '\0';
    return out;
}

const char *so_link_quote(apr_pool_t *p, const char *text)
{
    const char *s;
    char *out, *o;

    out = o = apr_palloc(p, 2 * strlen(text) + 3);
    *o++ = '"';
    for (s = text; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            continue;
        }
        if (c == '"' || c == '\\') {
            *o++ = '\\';
        }
        *o++ = (char)c;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

const char *so_link_header(apr_pool_t *p,
                           const apr_array_header_t *variants)
{
    static const char rel[] = ">; rel=\"alternate\"; type=";
    const so_link_variant *v = (const so_link_variant *)variants->elts;
    const char **uris, **types;
    apr_size_t len = 0, n;
    char *out, *o;
    int i;

    if (!variants->nelts) {
        return NULL;
    }
    uris = apr_palloc(p, 2 * variants->nelts * sizeof(*uris));
    types = uris + variants->nelts;
    for (i = 0; i < variants->nelts; i++) {
        uris[i] = so_link_escape_uri(p, v[i].uri);
        types[i] = so_link_quote(p, v[i].type);
        len += (i ? 2 : 0) + 1 + strlen(uris[i]) + sizeof(rel) - 1
               + strlen(types[i]);
    }
    out = o = apr_palloc(p, len + 1);
    for (i = 0; i < variants->nelts; i++) {
        if (i) {
            *o++ = ',';
            *o++ = ' ';
        }
        *o++ = '<';
        n = strlen(uris[i]);
        memcpy(o, uris[i], n);
        o += n;
        memcpy(o, rel, sizeof(rel) - 1);
        o += sizeof(rel) - 1;
        n = strlen(types[i]);
        memcpy(o, types[i], n);
        o += n;
    }
    *o = '\0';
    return out;
}

const char *so_link_html_list(apr_pool_t *p,
                              const apr_array_header_t *variants)
{
    const so_link_variant *v = (const so_link_variant *)variants->elts;
    apr_array_header_t *parts = apr_array_make(p, 2 + 7 * variants->nelts,
                                               sizeof(const char *));
    int i;

    *(const char **)apr_array_push(parts) = "<ul>\n";
    for (i = 0; i < variants->nelts; i++) {
        const char *href = so_note_escape_html(p, v[i].uri);

        *(const char **)apr_array_push(parts) = "<li><a href=\"";
        *(const char **)apr_array_push(parts) = href;
        *(const char **)apr_array_push(parts) = "\">";
        *(const char **)apr_array_push(parts) = href;
        *(const char **)apr_array_push(parts) = "</a> (";
        *(const char **)apr_array_push(parts) = so_note_escape_html(p,
                                                                  v[i].type);
        *(const char **)apr_array_push(parts) = ")</li>\n";
    }
    *(const char **)apr_array_push(parts) = "</ul>\n";
    return apr_array_pstrcat(p, parts, '\0');
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
