/* so_accept.h: proactive negotiation for the accept= option.
 *
 * RFC 9110 section 12.5.1: each media type a rule serves gets the quality
 * of the most specific media range of the Accept header that matches it
 * (type/subtype with parameters, over type/subtype, over type/asterisk,
 * over asterisk/asterisk); q=0 means "not acceptable".  A missing Accept
 * header accepts everything.  Parsing never fails: a member that is not a
 * media range, or has a bad q, is skipped.
 */
#ifndef SO_ACCEPT_H
#define SO_ACCEPT_H

#include "apr_pools.h"
#include "apr_tables.h"

#include <string.h>

#define SO_Q_MAX 1000                /* qualities are in thousandths */

typedef struct so_media_param {
    const char *name;                /* lower case */
    const char *value;               /* unquoted */
} so_media_param;

/* A media type or range: "type/subtype;name=value...". */
typedef struct so_media {
    const char *type;                /* lower case, "*" for a wildcard */
    const char *subtype;
    apr_array_header_t *params;      /* so_media_param, may be empty */
    int q;                           /* for a range: 0 .. SO_Q_MAX */
} so_media;

/* An HTTP token character (RFC 9110 section 5.6.2).  Inline: the Accept
 * parser asks it for every byte of the header. */
static APR_INLINE int so_is_token_char(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
           || (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Parse one configured media type (no wildcards, no q).  Returns NULL or
 * an error message. */
const char *so_media_parse(apr_pool_t *p, const char *text, so_media **out);

/* Parse an Accept header value; NULL (no header) gives NULL, which every
 * function below reads as "everything at q=1". */
apr_array_header_t *so_accept_parse(apr_pool_t *p, const char *header);

/* The quality of type under the parsed header: 0 .. SO_Q_MAX. */
int so_accept_quality(const apr_array_header_t *accept, const so_media *type);

/* Render a media type or range back ("text/html;level=1;q=0.5"), for
 * trace logs; a parameter value that is no token is quoted, so the text
 * parses back to the same. */
const char *so_media_string(apr_pool_t *p, const so_media *m, int with_q);

#endif /* SO_ACCEPT_H */
