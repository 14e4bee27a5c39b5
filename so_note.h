/* so_note.h: the short hypertext note of a 303 answer.
 *
 * RFC 9110 section 15.4.4: except for HEAD, the answer ought to carry a
 * short note with a hyperlink to the Location.  The href, once
 * HTML-unescaped, is exactly the Location value.
 */
#ifndef SO_NOTE_H
#define SO_NOTE_H

#include "apr_pools.h"

/* HTML-escape text for an attribute value or element content. */
char *so_note_escape_html(apr_pool_t *p, const char *text);

/* The whole note (an HTML document, UTF-8) linking to location; its length
 * in *len. */
char *so_note_render(apr_pool_t *p, const char *location, apr_size_t *len);

#endif /* SO_NOTE_H */
