/* so_uri.h: the URI arithmetic of mod_see_other.
 *
 * Pure functions over apr_uri_t and strings: RFC 3986 section 5.2 reference
 * resolution (which APR does not provide), the origin test behind
 * SeeOtherAbsolute off, percent-encoding of text that came from the decoded
 * request path, and the query=inherit|drop|merge rule.  Nothing here knows
 * about request_rec, so unit tests and fuzzers drive it directly.
 */
#ifndef SO_URI_H
#define SO_URI_H

#include "apr_pools.h"
#include "apr_uri.h"

typedef enum {
    SO_QUERY_INHERIT = 0,   /* target's own query, else the request's */
    SO_QUERY_DROP,          /* target's own query or none */
    SO_QUERY_MERGE          /* target's query '&' request's query */
} so_query_mode;

/* Resolve the reference ref against base by RFC 3986 section 5.2.2 (strict
 * parser: a ref with a scheme is absolute even when it equals base's), with
 * dot segments removed (5.2.4).  base must be absolute (have a scheme).
 * The result shares strings with base and ref or allocates from p. */
void so_uri_resolve(apr_pool_t *p, const apr_uri_t *base,
                    const apr_uri_t *ref, apr_uri_t *out);

/* RFC 3986 section 5.2.4; a NULL path gives "". */
char *so_uri_remove_dot_segments(apr_pool_t *p, const char *path);

/* True when a and b have the same scheme and host (both compared without
 * regard to case) and the same port, a missing port counting as the
 * scheme's default one (so http://h and http://h:80 are one origin).
 * A URI without a scheme or a host ("mailto:x") has no origin: false. */
int so_uri_same_origin(const apr_uri_t *a, const apr_uri_t *b);

/* Percent-encode decoded text (a regex capture or a path remainder) so that
 * it stays path data: every byte but the unreserved set, the sub-delims,
 * ':', '@' and '/' is encoded; so '%', '?', '#', '\\', controls, space and
 * non-ASCII bytes always are.  Hex digits are uppercase; NULL gives "". */
char *so_uri_escape_path(apr_pool_t *p, const char *text);

/* Percent-encode decoded text that stands in an authority (a capture in a
 * template's host): every byte but letters, digits, '-', '.', '_' and '~'.
 * NULL gives "". */
char *so_uri_escape_host(apr_pool_t *p, const char *text);

/* Copy a request path or query as received, percent-encoding only the
 * bytes that may not stand in a URI: controls, space, non-ASCII, '"', '<',
 * '>', '\\', '^', '`', '{', '|', '}' and '#'.  '%' is left alone: the text
 * was never decoded.  NULL gives NULL. */
char *so_uri_escape_received(apr_pool_t *p, const char *query);

/* The query of the Location.  target_query is the target's own (NULL: none;
 * "": the target ends in '?'); request_query is the request's, already
 * escaped (NULL or "": none).  Returns NULL for "no query at all". */
const char *so_uri_pick_query(apr_pool_t *p, so_query_mode mode,
                              const char *target_query,
                              const char *request_query);

/* Append a path remainder to a target path with exactly one '/' between
 * them (trailing slashes of path and leading ones of rest are folded into
 * it, so "/a" + "/" is "/a/"); an empty or NULL remainder leaves the path
 * as it is. */
char *so_uri_join_path(apr_pool_t *p, const char *path, const char *rest);

/* What apr_uri_unparse(p, u, APR_URI_UNP_REVEALPASSWORD) gives (site_part
 * false: with APR_URI_UNP_OMITSITEPART), in one allocation instead of a
 * string joined per piece, and with any control character or space
 * percent-encoded, so the value can never break a header line.  The unit
 * tests and the fuzz target hold it to apr_uri_unparse's output. */
char *so_uri_unparse(apr_pool_t *p, const apr_uri_t *u, int site_part);

/* Resolve target against base (whose query is the request's, already
 * escaped), with the query chosen by mode from the target's own and
 * base's: the URI the Location names. */
void so_uri_target(apr_pool_t *p, const apr_uri_t *base,
                   const apr_uri_t *target, so_query_mode mode,
                   apr_uri_t *out);

/* resolved (from so_uri_target) as a Location value: see
 * so_uri_location. */
char *so_uri_reference(apr_pool_t *p, const apr_uri_t *base,
                       const apr_uri_t *resolved, int absolute);

/* Check a target as configuration writes it (or a DBM map holds it): a
 * URI reference already, with no byte that would need percent-encoding
 * in a Location (controls, space, non-ASCII, '"' '<' '>' '\\' '^' '`' '{'
 * '|' '}'), at most max_len bytes, and not a javascript:, vbscript: or
 * data: URI (any case).  NULL, or why not. */
const char *so_uri_check_target(apr_pool_t *p, const char *target,
                                apr_size_t max_len);

/* A parsed target's authority as every client reads it: no '[' or ']'
 * left in the host (a malformed IP literal), no port 0, no empty host
 * followed by a path beginning "//" (which clients read as a host).  NULL,
 * or why not (naming text, the target as written). */
const char *so_uri_check_authority(apr_pool_t *p, const char *text,
                                   const apr_uri_t *u);

/* True when a and b name the same resource by RFC 3986 section 6.2.2 and
 * 6.2.3: same origin (so_uri_same_origin), same path after dot-segment
 * removal, and same query, where percent-encodings compare by value and
 * an encoded unreserved character equals the character.  Fragments are
 * not compared (they never reach the server). */
int so_uri_same_resource(apr_pool_t *p, const apr_uri_t *a,
                         const apr_uri_t *b);

/* The commonest so_uri_same_resource question answered without copying:
 * received is a request's path as received (len bytes, before its '?';
 * it need not end there) and path a resolved path.  1 when both are their
 * own normal form (not empty; no '%', no "/.", no byte
 * so_uri_escape_received would encode) and differ: then a URI with the
 * path so_uri_escape_received(received) and one with path are never the
 * same resource, whatever their origins and queries.  0 when it cannot
 * tell so (so_uri_same_resource can). */
int so_uri_paths_differ(const char *received, apr_size_t len,
                        const char *path);

/* The Location value: target resolved against base (whose query is the
 * request's, already escaped), with the query chosen by mode from the
 * target's own and base's.  absolute false: when the result has base's
 * origin it is returned as an absolute-path reference ("/p?q#f"; "/" for
 * an empty path), unless its path starts with "//", which only the
 * absolute form can carry.  Controls and spaces left in the result (the
 * parser lets CR and LF through) are percent-encoded, so the value can
 * never split a header. */
char *so_uri_location(apr_pool_t *p, const apr_uri_t *base,
                      const apr_uri_t *target, so_query_mode mode,
                      int absolute);

/* base's origin as so_uri_unparse writes it ("http://host:8080"), for
 * so_uri_location_path. */
char *so_uri_origin(apr_pool_t *p, const apr_uri_t *base);

/* so_uri_location for the commonest target, a path-absolute reference
 * ("/a/b", no "//" start, no "/." anywhere so no dot segment), given
 * origin = so_uri_origin(base): the same value, made without resolving
 * or unparsing.  NULL for any other target (or one with a control or
 * space); then so_uri_location gives it.  The unit tests hold the two to
 * each other. */
char *so_uri_location_path(apr_pool_t *p, const char *origin,
                           const apr_uri_t *base, const apr_uri_t *target,
                           so_query_mode mode, int absolute);

#endif /* SO_URI_H */
