/* so_note.c: the 303 note (see so_note.h). */

#include <string.h>

#include "apr_strings.h"

#include "so_note.h"

char *so_note_escape_html(apr_pool_t *p, const char *text)
{
    apr_size_t extra = 0;
    const char *s;
    char *out, *o;

    /* a Location almost never holds one: one library scan tells */
    if (!text[strcspn(text, "&<>\"'")]) {
        return (char *)text;
    }
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

/* The module's own note, in pieces: the escaped location goes between
 * them, twice. */
static const char note_head[] =
    "<!DOCTYPE html>\n"
    "<html><head><meta charset=\"utf-8\"><title>303 See Other</title>"
    "</head>\n<body><h1>See Other</h1>\n"
    "<p>The answer to this request is at <a href=\"";
static const char note_middle[] = "\">";
#define NOTE_TAIL "</a>.</p>\n"
#define NOTE_END "</body></html>\n"

#define PUT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

char *so_note_render_with(apr_pool_t *p, const char *location,
                          const char *extra, const char *more,
                          apr_size_t *len)
{
    const char *href = so_note_escape_html(p, location);
    apr_size_t href_len = strlen(href);
    apr_size_t extra_len = extra ? strlen(extra) : 0;
    apr_size_t more_len = more ? strlen(more) : 0;
    char *note, *o;

    /* one allocation: this runs for every answer */
    *len = sizeof(note_head) - 1 + href_len + sizeof(note_middle) - 1
           + href_len + sizeof(NOTE_TAIL NOTE_END) - 1 + extra_len
           + more_len;
    note = o = apr_palloc(p, *len + 1);
    o = PUT(o, note_head);
    memcpy(o, href, href_len);
    o = PUT(o + href_len, note_middle);
    memcpy(o, href, href_len);
    o += href_len;
    if (!extra_len && !more_len) {
        memcpy(o, NOTE_TAIL NOTE_END, sizeof(NOTE_TAIL NOTE_END));
        return note;
    }
    o = PUT(o, NOTE_TAIL);
    if (extra_len) {
        memcpy(o, extra, extra_len);
        o += extra_len;
    }
    if (more_len) {
        memcpy(o, more, more_len);
        o += more_len;
    }
    memcpy(o, NOTE_END, sizeof(NOTE_END));
    return note;
}

char *so_note_render(apr_pool_t *p, const char *location, apr_size_t *len)
{
    return so_note_render_with(p, location, NULL, NULL, len);
}

/* ---- templates -------------------------------------------------------- */

struct so_note_template {
    int slots;                   /* placeholders; parts has slots + 1 */
    const char **parts;          /* the text between them */
    apr_size_t *lens;
    apr_size_t fixed;            /* the bytes of all parts */
};

apr_size_t so_note_utf8_valid_prefix(const unsigned char *s, apr_size_t len)
{
    apr_size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        apr_size_t n, k;
        unsigned char lo = 0x80, hi = 0xBF;  /* the second byte's range */

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        }
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) {
                lo = 0xA0;               /* overlong */
            }
            else if (c == 0xED) {
                hi = 0x9F;               /* surrogates */
            }
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) {
                lo = 0x90;               /* overlong */
            }
            else if (c == 0xF4) {
                hi = 0x8F;               /* above U+10FFFF */
            }
        }
        else {
            return i;                    /* 0x80..0xC1, 0xF5..0xFF */
        }
        if (len - i < n || s[i + 1] < lo || s[i + 1] > hi) {
            return i;
        }
        for (k = 2; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return i;
            }
        }
        i += n;
    }
    return len;
}

/* Like memmem, which is not everywhere. */
static const char *find(const char *s, apr_size_t len, const char *needle,
                        apr_size_t n)
{
    const char *end = s + len;

    while ((apr_size_t)(end - s) >= n) {
        const char *c = memchr(s, needle[0], (apr_size_t)(end - s) - n + 1);

        if (!c) {
            return NULL;
        }
        if (!memcmp(c, needle, n)) {
            return c;
        }
        s = c + 1;
    }
    return NULL;
}

const char *so_note_template_parse(apr_pool_t *p, const char *text,
                                   apr_size_t len, so_note_template **out)
{
    static const char ph[] = SO_NOTE_PLACEHOLDER;
    const apr_size_t ph_len = sizeof(ph) - 1;
    so_note_template *tpl;
    const char *s, *end, *at;
    apr_size_t valid;
    char *copy;
    int i;

    if (len > SO_NOTE_TEMPLATE_MAX) {
        return apr_psprintf(p, "%" APR_SIZE_T_FMT " bytes, more than the "
                            "%d allowed", len, SO_NOTE_TEMPLATE_MAX);
    }
    valid = so_note_utf8_valid_prefix((const unsigned char *)text, len);
    if (valid < len) {
        return apr_psprintf(p, "not valid UTF-8 (byte 0x%02X at offset %"
                            APR_SIZE_T_FMT "); save it as UTF-8",
                            (unsigned char)text[valid], valid);
    }
    copy = apr_pstrmemdup(p, text, len);
    tpl = apr_pcalloc(p, sizeof(*tpl));
    for (s = copy, end = copy + len; (at = find(s, (apr_size_t)(end - s),
                                               ph, ph_len));
         s = at + ph_len) {
        tpl->slots++;
    }
    if (!tpl->slots) {
        return "holds no " SO_NOTE_PLACEHOLDER " (the place of the link's "
               "address); add one, e.g. <a href=\"" SO_NOTE_PLACEHOLDER
               "\">" SO_NOTE_PLACEHOLDER "</a>";
    }
    tpl->parts = apr_palloc(p, (tpl->slots + 1) * sizeof(*tpl->parts));
    tpl->lens = apr_palloc(p, (tpl->slots + 1) * sizeof(*tpl->lens));
    for (i = 0, s = copy; i < tpl->slots; i++, s = at + ph_len) {
        at = find(s, (apr_size_t)(end - s), ph, ph_len);
        tpl->parts[i] = s;
        tpl->lens[i] = (apr_size_t)(at - s);
        tpl->fixed += tpl->lens[i];
    }
    tpl->parts[i] = s;
    tpl->lens[i] = (apr_size_t)(end - s);
    tpl->fixed += tpl->lens[i];
    *out = tpl;
    return NULL;
}

int so_note_template_slots(const so_note_template *tpl)
{
    return tpl->slots;
}

char *so_note_render_template(apr_pool_t *p, const so_note_template *tpl,
                              const char *location, apr_size_t *len)
{
    const char *href;
    apr_size_t href_len;
    char *note, *o;
    int i;

    if (!tpl) {
        return so_note_render(p, location, len);
    }
    href = so_note_escape_html(p, location);
    href_len = strlen(href);
    *len = tpl->fixed + (apr_size_t)tpl->slots * href_len;
    note = o = apr_palloc(p, *len + 1);
    for (i = 0; i <= tpl->slots; i++) {
        if (i) {
            memcpy(o, href, href_len);
            o += href_len;
        }
        memcpy(o, tpl->parts[i], tpl->lens[i]);
        o += tpl->lens[i];
    }
    *o = '\0';
    return note;
}
