/* so_note.h: the short hypertext note of a 303 answer.
 *
 * RFC 9110 section 15.4.4: except for HEAD, the answer ought to carry a
 * short note with a hyperlink to the Location.  The href, once
 * HTML-unescaped, is exactly the Location value.
 *
 * A site may word the note itself (SeeOtherNoteTemplate): a UTF-8 HTML
 * text in which every {{location}} stands for the HTML-escaped Location.
 * The template is checked once, when parsed; rendering cannot fail.
 */
#ifndef SO_NOTE_H
#define SO_NOTE_H

#include "apr_pools.h"

/* The placeholder of a template, and the largest template accepted. */
#define SO_NOTE_PLACEHOLDER "{{location}}"
#define SO_NOTE_TEMPLATE_MAX (64 * 1024)

/* A parsed template: the text cut at its placeholders. */
typedef struct so_note_template so_note_template;

/* HTML-escape text for an attribute value or element content. */
char *so_note_escape_html(apr_pool_t *p, const char *text);

/* The whole note (an HTML document, UTF-8) linking to location; its length
 * in *len. */
char *so_note_render(apr_pool_t *p, const char *location, apr_size_t *len);

/* so_note_render with extra and then more (either may be NULL) put in
 * front of the note's "</body>": one allocation, no second copy. */
char *so_note_render_with(apr_pool_t *p, const char *location,
                          const char *extra, const char *more,
                          apr_size_t *len);

/* Parse len bytes of text (not NUL-terminated; copied into p) as a
 * template: at most SO_NOTE_TEMPLATE_MAX bytes, valid UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF), at least one
 * placeholder.  Returns NULL with *out set, or why the text is refused
 * (from p). */
const char *so_note_template_parse(apr_pool_t *p, const char *text,
                                   apr_size_t len, so_note_template **out);

/* The number of placeholders in a parsed template. */
int so_note_template_slots(const so_note_template *tpl);

/* The note from tpl (NULL: the module's own wording, as so_note_render)
 * with every placeholder replaced by the escaped location; its length in
 * *len.  One allocation from p, NUL-terminated. */
char *so_note_render_template(apr_pool_t *p, const so_note_template *tpl,
                              const char *location, apr_size_t *len);

/* Where text stops being valid UTF-8: its length when it is valid. */
apr_size_t so_note_utf8_valid_prefix(const unsigned char *text,
                                     apr_size_t len);

#endif /* SO_NOTE_H */
