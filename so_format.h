/* so_format.h: the format override of negotiated groups
 * (SeeOtherFormatParam).
 *
 * A query parameter such as `?format=ttl` or `?_mediatype=text/turtle`
 * takes the place of the Accept header: its value is a media type (or
 * range, or list, read as an Accept header would be) or one of the short
 * names below.  The parameter is removed from the query an answer passes
 * on.  Pure string functions: no request, no configuration.
 */
#ifndef SO_FORMAT_H
#define SO_FORMAT_H

#include "apr_pools.h"

/* One short name and the media type it stands for. */
typedef struct {
    const char *name;
    const char *type;
} so_format_name;

/* The table of short names, ended by { NULL, NULL }. */
extern const so_format_name so_format_names[];

/* The media type of a short name, compared without regard to case;
 * NULL when the name is not in the table. */
const char *so_format_short_name(const char *name);

/* The value of the first member NAME=VALUE of a query (members separated
 * by '&'), percent-decoded ('+' stays '+': media types hold it), or NULL
 * when no member has that name.  A member "NAME" without '=' has the
 * value "".  A decoded NUL ends the value. */
const char *so_format_find(apr_pool_t *p, const char *query,
                           const char *name);

/* The query without any member named NAME (with or without a value), the
 * other members and their order as they were (empty members dropped).
 * NULL when nothing is left (or query is NULL or empty); query itself
 * when no member had the name. */
const char *so_format_remove(apr_pool_t *p, const char *query,
                             const char *name);

/* What a value stands for, as an Accept header value: a short name's media
 * type, else the value itself (so "text/turtle", a range such as
 * "text/ *" without the space, or a list work; an unknown word accepts
 * nothing). */
const char *so_format_accept(const char *value);

#endif /* SO_FORMAT_H */
