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

/* A variant's text written out once, at configuration time: for a
 * target that is a path-absolute reference, everything of its Link entry
 * and HTML list item but the origin in front of the target ("tail":
 * path, query and fragment as the Location has them). */
typedef struct {
    apr_uint64_t serial;     /* the maker's: a number no other text of the
                              * process has (0 from so_link_text_make) */
    apr_size_t uri_len;      /* of the tail */
    const char *link;        /* "TAIL>; rel=\"alternate\"; type=\"TYPE\"" */
    apr_size_t link_len;
    const char *html;        /* the tail, HTML-escaped */
    apr_size_t html_len;
    const char *html_end;    /* "</a> (TYPE)</li>\n", TYPE HTML-escaped */
    apr_size_t html_end_len;
} so_link_text;

/* One variant: where it is (a Location value) and its media type; or,
 * with text, the origin its Location begins with ("" for none) in uri,
 * and the rest in text (type unused). */
typedef struct {
    const char *uri;
    const char *type;
    const so_link_text *text;
} so_link_variant;

/* The text of a variant at tail (the Location's path, query and
 * fragment, without the origin) serving type: the same bytes
 * so_link_render writes for the variant { origin + tail, type } after the
 * origin. */
so_link_text *so_link_text_make(apr_pool_t *p, const char *tail,
                                const char *type);

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
