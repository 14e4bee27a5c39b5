/* so_link.h: the variants of a negotiated group, written out
 * (SeeOtherAlternates, SeeOtherNotAcceptable).
 *
 * RFC 8288: one `<URI>; rel="alternate"; type="TYPE"` entry per variant,
 * joined with ", " into one Link header value; and the same list in HTML
 * for the 303's note and the 406's body.  Pure string functions.
 */
#ifndef SO_LINK_H
#define SO_LINK_H

#include "apr_pools.h"
#include "apr_tables.h"

/* One variant: where it is (a Location value) and its media type. */
typedef struct {
    const char *uri;
    const char *type;
} so_link_variant;

/* The URI as it may stand between '<' and '>' in a Link header: every
 * byte that is not a visible ASCII character, and '"', ',', '<', '>',
 * '\\', '^', '`', '{', '|', '}', percent-encoded (so that no list or
 * parameter parser can split the entry).  Text without them is returned
 * as it is. */
const char *so_link_escape_uri(apr_pool_t *p, const char *uri);

/* text as an HTTP quoted-string (RFC 9110 5.6.4): in double quotes, '"'
 * and '\\' escaped with '\\'; controls other than HTAB dropped. */
const char *so_link_quote(apr_pool_t *p, const char *text);

/* The Link header value for the variants (so_link_variant, in order);
 * NULL when there are none. */
const char *so_link_header(apr_pool_t *p,
                           const apr_array_header_t *variants);

/* The variants as an HTML list: "<ul>" and one
 * "<li><a href=\"URI\">URI</a> (TYPE)</li>" per variant, escaped. */
const char *so_link_html_list(apr_pool_t *p,
                              const apr_array_header_t *variants);

/* Both at once, each string scanned once: *header as so_link_header
 * gives it, *html as so_link_html_list; either pointer may be NULL (not
 * wanted). */
void so_link_render(apr_pool_t *p, const apr_array_header_t *variants,
                    const char **header, const char **html);

/* An HTML document (note, of length len) with heading and fragment put
 * in front of its last "</body>" (at its end when it has none).  The
 * result's length in *out_len. */
char *so_link_insert_html(apr_pool_t *p, const char *note, apr_size_t len,
                          const char *heading, const char *fragment,
                          apr_size_t *out_len);

#endif /* SO_LINK_H */
