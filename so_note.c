/* so_note.c: the 303 note (see so_note.h). */

#include <string.h>

#include "apr_strings.h"

#include "so_note.h"

char *so_note_escape_html(apr_pool_t *p, const char *text)
{
    apr_size_t extra = 0;
    const char *s;
    char *out, *o;

    for (s = text; *s; s++) {
        switch (*s) {
        case '&': extra += 4; break;            /* &amp; */
        case '<': case '>': extra += 3; break;  /* &lt; &gt; */
        case '"': case '\'': extra += 5; break; /* &quot; &#39; */
        }
    }
    if (!extra) {
        return (char *)text;
    }
    out = o = apr_palloc(p, (s - text) + extra + 1);
    for (s = text; *s; s++) {
        const char *entity;

        switch (*s) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: *o++ = *s; continue;
        }
        memcpy(o, entity, strlen(entity));
        o += strlen(entity);
    }
    *o = '\0';
    return out;
}

char *so_note_render(apr_pool_t *p, const char *location, apr_size_t *len)
{
    static const char head[] =
        "<!DOCTYPE html>\n"
        "<html><head><meta charset=\"utf-8\"><title>303 See Other</title>"
        "</head>\n<body><h1>See Other</h1>\n"
        "<p>The answer to this request is at <a href=\"";
    static const char middle[] = "\">";
    static const char tail[] = "</a>.</p>\n</body></html>\n";
    const char *href = so_note_escape_html(p, location);
    apr_size_t href_len = strlen(href);
    char *note, *o;

    /* one allocation: this runs for every answer */
    *len = sizeof(head) - 1 + href_len + sizeof(middle) - 1 + href_len
           + sizeof(tail) - 1;
    note = o = apr_palloc(p, *len + 1);
    memcpy(o, head, sizeof(head) - 1);
    o += sizeof(head) - 1;
    memcpy(o, href, href_len);
    o += href_len;
    memcpy(o, middle, sizeof(middle) - 1);
    o += sizeof(middle) - 1;
    memcpy(o, href, href_len);
    o += href_len;
    memcpy(o, tail, sizeof(tail));
    return note;
}
