/* so_uri.c: the URI arithmetic of mod_see_other (see so_uri.h).
 *
 * Everything here works on apr_uri_t values as apr_uri_parse() fills them
 * and produces values meant for apr_uri_unparse().  An authority is
 * "defined" when hostinfo is not NULL (apr_uri_parse sets it for "//...",
 * even an empty one); a query or fragment is undefined when NULL and
 * defined but empty when "" (a trailing '?' or '#').  All memory comes
 * from the pool passed in.
 */
#include <string.h>

#include "apr_pools.h"
#include "apr_strings.h"
#include "apr_uri.h"

#include "so_uri.h"

/* The one percent-encoder of this unit: c as "%XX" at o; returns the
 * position after it. */
static char *put_percent(char *o, unsigned char c)
{
    static const char hex_digits[] = "0123456789ABCDEF";

    *o++ = '%';
    *o++ = hex_digits[c >> 4];
    *o++ = hex_digits[c & 0x0f];
    return o;
}

/* The classes of bytes the encoders write as %XX, one bit each, in
 * one table (a test per byte, not a strchr):
 * - SO_PATH_UNSAFE: all but pchar (RFC 3986 section 3.3) and '/', and '%'
 *   (the text was decoded): all but letters, digits, the unreserved
 *   marks "-._~", the sub-delims "!$&'()*+,;=", ':', '@' and '/';
 * - SO_HOST_UNSAFE: all but letters, digits and "-._~";
 * - SO_QUERY_UNSAFE: controls, space, DEL, non-ASCII and "\"<>\\^`{|}#",
 *   but not '%': a query as received was never decoded;
 * - SO_CTL_OR_SPACE: controls, space and DEL.
 * t/unit/test_uri.c checks every byte against these definitions. */
#define SO_PATH_UNSAFE 1
#define SO_HOST_UNSAFE 2
#define SO_QUERY_UNSAFE 4
#define SO_CTL_OR_SPACE 8

static const unsigned char byte_class[256] = {
    15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
    15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
    15,  2,  7,  7,  2,  3,  2,  2,  2,  2,  2,  2,  2,  0,  0,  2,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  2,  2,  7,  2,  7,  3,
     2,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  3,  7,  3,  7,  0,
     7,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  7,  7,  7,  0, 15,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
};

/* ASCII-only classes and comparison: the apr_lib.h and libc ones follow
 * the locale, and a byte >= 0x80 must never pass for a letter here. */
static int is_ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9');
}

static int is_ctl_or_space(unsigned char c)
{
    return byte_class[c] & SO_CTL_OR_SPACE;
}

static unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static int ascii_equal_nocase(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    while (*x && ascii_lower(*x) == ascii_lower(*y)) {
        x++;
        y++;
    }
    return ascii_lower(*x) == ascii_lower(*y);
}

/* ------------------------------------------------------------------ */
/* Dot segments (RFC 3986 section 5.2.4)                                */

/* Rule C's "remove the last segment and its preceding '/' (if any)" on
 * the output buffer: returns its new length.  Each output byte is removed
 * at most once, so the whole algorithm stays linear. */
static apr_size_t drop_last_segment(const char *out, apr_size_t len)
{
    while (len > 0 && out[len - 1] != '/') {
        len--;
    }
    if (len > 0) {
        len--;                  /* the '/' that preceded the segment */
    }
    return len;
}

char *so_uri_remove_dot_segments(apr_pool_t *p, const char *path)
{
    const char *in = path ? path : "";
    apr_size_t len = 0;
    char *out;

    if (in[0] != '.' && !strstr(in, "/.")) {
        return (char *)in;       /* no dot segment: nothing to remove */
    }
    /* The output is never longer than the input: no rule adds bytes. */
    out = apr_palloc(p, strlen(in) + 1);

    /* The input buffer is the unread tail of the string; rules that would
     * "replace a prefix with '/'" just step past all but the '/'. */
    while (*in) {
        if (strncmp(in, "../", 3) == 0) {                       /* A */
            in += 3;
        }
        else if (strncmp(in, "./", 2) == 0) {                   /* A */
            in += 2;
        }
        else if (strncmp(in, "/./", 3) == 0) {                  /* B */
            in += 2;
        }
        else if (strcmp(in, "/.") == 0) {                       /* B */
            out[len++] = '/';   /* input becomes "/", which E moves */
            break;
        }
        else if (strncmp(in, "/../", 4) == 0) {                 /* C */
            in += 3;
            len = drop_last_segment(out, len);
        }
        else if (strcmp(in, "/..") == 0) {                      /* C */
            len = drop_last_segment(out, len);
            out[len++] = '/';   /* as for "/." above */
            break;
        }
        else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) { /* D */
            break;
        }
        else {                                                  /* E */
            do {
                out[len++] = *in++;
            } while (*in && *in != '/');
        }
    }
    out[len] = '\0';
    return out;
}

/* ------------------------------------------------------------------ */
/* Reference resolution (RFC 3986 section 5.2.2)                        */

static int has_authority(const apr_uri_t *u)
{
    return u->hostinfo != NULL;
}

static const char *path_or_empty(const apr_uri_t *u)
{
    return u->path ? u->path : "";
}

/* Authority and port travel together: hostinfo is the raw text, the rest
 * is its parsed form, and apr_uri_unparse() prints from the parsed form. */
static void copy_authority(apr_uri_t *to, const apr_uri_t *from)
{
    to->hostinfo = from->hostinfo;
    to->user = from->user;
    to->password = from->password;
    to->hostname = from->hostname;
    to->port_str = from->port_str;
    to->port = from->port;
}

/* RFC 3986 section 5.2.3. */
static char *merge_paths(apr_pool_t *p, const apr_uri_t *base,
                         const char *ref_path)
{
    const char *base_path = path_or_empty(base);
    const char *slash;

    if (has_authority(base) && *base_path == '\0') {
        return apr_pstrcat(p, "/", ref_path, NULL);
    }
    slash = strrchr(base_path, '/');
    if (slash == NULL) {
        return apr_pstrdup(p, ref_path);
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, base_path,
                                         slash - base_path + 1),
                       ref_path, NULL);
}

/* A path that starts with "//" cannot follow a scheme without an
 * authority: "http:" + "//evil/x" would print as a URI whose authority is
 * "evil".  RFC 3986 5.2.4 can produce one (e.g. "http:/.//evil/x"), so
 * such a path gets a "/." in front, which keeps its meaning (the same fix
 * the WHATWG URL standard applies). */
static char *guard_path_without_authority(apr_pool_t *p, char *path)
{
    if (path[0] == '/' && path[1] == '/') {
        return apr_pstrcat(p, "/.", path, NULL);
    }
    return path;
}

void so_uri_resolve(apr_pool_t *p, const apr_uri_t *base,
                    const apr_uri_t *ref, apr_uri_t *out)
{
    apr_uri_t t;                /* built aside, so out may alias an input */
    const char *ref_path = path_or_empty(ref);

    memset(&t, 0, sizeof(t));
    t.is_initialized = 1;

    if (ref->scheme) {
        t.scheme = ref->scheme;
        if (has_authority(ref)) {
            copy_authority(&t, ref);
        }
        t.path = so_uri_remove_dot_segments(p, ref_path);
        t.query = ref->query;
    }
    else {
        if (has_authority(ref)) {
            copy_authority(&t, ref);
            t.path = so_uri_remove_dot_segments(p, ref_path);
            t.query = ref->query;
        }
        else {
            if (*ref_path == '\0') {
                t.path = (char *)path_or_empty(base);
                t.query = ref->query ? ref->query : base->query;
            }
            else {
                if (*ref_path == '/') {
                    t.path = so_uri_remove_dot_segments(p, ref_path);
                }
                else {
                    t.path = so_uri_remove_dot_segments(
                                 p, merge_paths(p, base, ref_path));
                }
                t.query = ref->query;
            }
            if (has_authority(base)) {
                copy_authority(&t, base);
            }
        }
        t.scheme = base->scheme;
    }
    t.fragment = ref->fragment;

    if (!has_authority(&t)) {
        t.path = guard_path_without_authority(p, t.path);
    }
    *out = t;
}

/* ------------------------------------------------------------------ */
/* Origins                                                              */

static apr_port_t effective_port(const apr_uri_t *u)
{
    if (u->port_str == NULL || u->port == 0) {
        return apr_uri_port_of_scheme(u->scheme);
    }
    return u->port;
}

/* A URI without a scheme or a host (a relative reference, "mailto:x")
 * has no origin to share: it is never the same origin as anything. */
int so_uri_same_origin(const apr_uri_t *a, const apr_uri_t *b)
{
    if (!a->scheme || !b->scheme || !a->hostname || !b->hostname) {
        return 0;
    }
    return ascii_equal_nocase(a->scheme, b->scheme)
           && ascii_equal_nocase(a->hostname, b->hostname)
           && effective_port(a) == effective_port(b);
}

/* ------------------------------------------------------------------ */
/* Percent-encoding                                                     */

/* Copy text, writing every byte of the class as %XX.  Two passes so
 * that the result is allocated at its exact size. */
static char *percent_encode(apr_pool_t *p, const char *text,
                            unsigned char class)
{
    const unsigned char *s;
    apr_size_t n = 0;
    char *out, *d;

    for (s = (const unsigned char *)text; *s; s++) {
        n += (byte_class[*s] & class) ? 3 : 1;
    }
    if (n == (apr_size_t)(s - (const unsigned char *)text)) {
        return (char *)text;     /* nothing to encode: no copy */
    }
    out = d = apr_palloc(p, n + 1);
    for (s = (const unsigned char *)text; *s; s++) {
        if (byte_class[*s] & class) {
            d = put_percent(d, *s);
        }
        else {
            *d++ = (char)*s;
        }
    }
    *d = '\0';
    return out;
}

/* NULL text is taken as empty and gives "". */
char *so_uri_escape_path(apr_pool_t *p, const char *text)
{
    return percent_encode(p, text ? text : "", SO_PATH_UNSAFE);
}

/* Host text: only unreserved characters stay, so a capture can add no
 * port, userinfo, path, query or fragment. */
char *so_uri_escape_host(apr_pool_t *p, const char *text)
{
    return percent_encode(p, text ? text : "", SO_HOST_UNSAFE);
}

char *so_uri_escape_received(apr_pool_t *p, const char *query)
{
    if (query == NULL) {
        return NULL;
    }
    return percent_encode(p, query, SO_QUERY_UNSAFE);
}

/* ------------------------------------------------------------------ */
/* Query choice and path joining                                        */

static int is_nonempty(const char *s)
{
    return s != NULL && *s != '\0';
}

/* A target that ends in '?' (query "") keeps that '?' in every mode
 * unless merge has a request query to put after it. */
const char *so_uri_pick_query(apr_pool_t *p, so_query_mode mode,
                              const char *target_query,
                              const char *request_query)
{
    const char *request = is_nonempty(request_query) ? request_query : NULL;

    switch (mode) {
    case SO_QUERY_DROP:
        return target_query;
    case SO_QUERY_MERGE:
        if (is_nonempty(target_query) && request) {
            return apr_pstrcat(p, target_query, "&", request, NULL);
        }
        if (request && !is_nonempty(target_query)) {
            return request;
        }
        return target_query;
    case SO_QUERY_INHERIT:
    default:
        return target_query ? target_query : request;
    }
}

/* Trailing slashes of path and leading slashes of rest are all replaced by
 * the one joining '/', so "/a/" + "/x" is "/a/x" and "/a" + "/" is "/a/".
 * A NULL path counts as "", a NULL rest as empty. */
char *so_uri_join_path(apr_pool_t *p, const char *path, const char *rest)
{
    apr_size_t len;

    if (path == NULL) {
        path = "";
    }
    if (rest == NULL || *rest == '\0') {
        return apr_pstrdup(p, path);
    }
    len = strlen(path);
    while (len > 0 && path[len - 1] == '/') {
        len--;
    }
    while (*rest == '/') {
        rest++;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, path, len), "/", rest, NULL);
}

/* ------------------------------------------------------------------ */
/* The Location value                                                   */

/* The target comes from configuration and apr_uri_parse() lets CR, LF and
 * other controls through; none of them may reach a response header. */
static char *encode_header_breakers_copy(apr_pool_t *p, char *value)
{
    const unsigned char *s;

    for (s = (const unsigned char *)value; *s; s++) {
        if (is_ctl_or_space(*s)) {
            return percent_encode(p, value, SO_CTL_OR_SPACE);
        }
    }
    return value;
}

/* A piece of a URI being unparsed. */
typedef struct {
    const char *text;
    apr_size_t len;
} uri_piece;

static void add_piece(uri_piece *pieces, int *n, const char *text)
{
    if (text && *text) {
        pieces[*n].text = text;
        pieces[*n].len = strlen(text);
        (*n)++;
    }
}

/* The pieces apr_uri_unparse() would join, with the same rules: userinfo
 * only with REVEALPASSWORD-style output, a default port left out, an IPv6
 * literal in brackets. */
static int unparse_pieces(const apr_uri_t *u, int site_part,
                          uri_piece *pieces)
{
    int n = 0;

    if (site_part) {
        add_piece(pieces, &n, u->scheme);
        if (u->scheme) {
            add_piece(pieces, &n, ":");
        }
        if (u->hostname) {
            add_piece(pieces, &n, "//");
        }
        if (u->user || u->password) {
            add_piece(pieces, &n, u->user);
            if (u->password) {
                add_piece(pieces, &n, ":");
                add_piece(pieces, &n, u->password);
            }
            add_piece(pieces, &n, "@");
        }
        if (u->hostname) {
            int v6 = strchr(u->hostname, ':') != NULL;

            add_piece(pieces, &n, v6 ? "[" : NULL);
            add_piece(pieces, &n, u->hostname);
            add_piece(pieces, &n, v6 ? "]" : NULL);
            if (u->port_str && u->port
                && u->port != apr_uri_port_of_scheme(u->scheme)) {
                add_piece(pieces, &n, ":");
                add_piece(pieces, &n, u->port_str);
            }
        }
    }
    add_piece(pieces, &n, u->path);
    if (u->query) {
        add_piece(pieces, &n, "?");
        add_piece(pieces, &n, u->query);
    }
    if (u->fragment) {
        add_piece(pieces, &n, "#");
        add_piece(pieces, &n, u->fragment);
    }
    return n;
}

char *so_uri_unparse(apr_pool_t *p, const apr_uri_t *u, int site_part)
{
    uri_piece pieces[16];
    apr_size_t len = 0, i;
    char *out, *o;
    int n, k, breakers = 0;

    /* apr encodes an IPv6 zone's '%'; that rare form is left to apr */
    if (site_part && u->hostname && strchr(u->hostname, ':')
        && strchr(u->hostname, '%')) {
        return encode_header_breakers_copy(p, apr_uri_unparse(p, u,
                                               APR_URI_UNP_REVEALPASSWORD));
    }
    n = unparse_pieces(u, site_part, pieces);
    for (k = 0; k < n; k++) {
        len += pieces[k].len;
        for (i = 0; i < pieces[k].len; i++) {
            breakers += is_ctl_or_space((unsigned char)pieces[k].text[i]);
        }
    }
    out = o = apr_palloc(p, len + 2 * breakers + 1);
    for (k = 0; k < n; k++) {
        if (!breakers) {
            memcpy(o, pieces[k].text, pieces[k].len);
            o += pieces[k].len;
            continue;
        }
        for (i = 0; i < pieces[k].len; i++) {
            unsigned char c = (unsigned char)pieces[k].text[i];

            if (is_ctl_or_space(c)) {
                o = put_percent(o, c);
            }
            else {
                *o++ = (char)c;
            }
        }
    }
    *o = '\0';
    return out;
}

void so_uri_target(apr_pool_t *p, const apr_uri_t *base,
                   const apr_uri_t *target, so_query_mode mode,
                   apr_uri_t *out)
{
    apr_uri_t ref = *target;

    so_uri_resolve(p, base, &ref, out);
    /* The query is the option's business alone, not RFC resolution's. */
    out->query = (char *)so_uri_pick_query(p, mode, target->query,
                                           base->query);
}

char *so_uri_reference(apr_pool_t *p, const apr_uri_t *base,
                       const apr_uri_t *resolved, int absolute)
{
    apr_uri_t out = *resolved;

    if (!absolute && so_uri_same_origin(&out, base)) {
        if (out.path == NULL || *out.path == '\0') {
            out.path = "/";
        }
        /* Only a path of the form "/x" can stand alone: "//x" would name
         * host x, and "x" would be resolved against the request's path. */
        if (out.path[0] == '/' && out.path[1] != '/') {
            return so_uri_unparse(p, &out, 0);
        }
    }
    return so_uri_unparse(p, &out, 1);
}

/* Text so_uri_unparse would copy as it is: no control or space. */
static int unparse_plain(const char *s);

/* The length of s when so_uri_unparse would copy it as it is (no control
 * or space; as a host name, no ':' either, which would make it an IPv6
 * literal); -1 when not. */
static apr_ssize_t plain_len(const char *s, int host)
{
    const unsigned char *u = (const unsigned char *)s;

    for (; *u; u++) {
        if ((byte_class[*u] & SO_CTL_OR_SPACE) || (host && *u == ':')) {
            return -1;
        }
    }
    return (apr_ssize_t)(u - (const unsigned char *)s);
}

char *so_uri_origin(apr_pool_t *p, const apr_uri_t *base)
{
    apr_ssize_t sl, hl, pl = 0;
    apr_uri_t site;

    /* the usual case in one step: scheme, a host name, maybe a port; each
     * string scanned once */
    if (base->scheme && base->hostname && !base->user && !base->password
        && (sl = plain_len(base->scheme, 0)) >= 0
        && (hl = plain_len(base->hostname, 1)) >= 0
        && (!base->port_str || !base->port
            || base->port == apr_uri_port_of_scheme(base->scheme)
            || (pl = plain_len(base->port_str, 0) + 1) > 0)) {
        char *out = apr_palloc(p, sl + 3 + hl + pl + 1), *o = out;

        memcpy(o, base->scheme, sl);
        memcpy(o += sl, "://", 3);
        memcpy(o += 3, base->hostname, hl);
        o += hl;
        if (pl) {
            *o++ = ':';
            memcpy(o, base->port_str, pl - 1);
            o += pl - 1;
        }
        *o = '\0';
        return out;
    }

    site = *base;
    site.path = NULL;
    site.query = NULL;
    site.fragment = NULL;
    return so_uri_unparse(p, &site, 1);
}

/* Text so_uri_unparse would copy as it is: no control or space. */
static int unparse_plain(const char *s)
{
    if (s) {
        for (; *s; s++) {
            if (is_ctl_or_space((unsigned char)*s)) {
                return 0;
            }
        }
    }
    return 1;
}

char *so_uri_location_path(apr_pool_t *p, const char *origin,
                           const apr_uri_t *base, const apr_uri_t *target,
                           so_query_mode mode, int absolute)
{
    const char *path = target->path, *query;
    apr_size_t origin_len, path_len, query_len, frag_len;
    char *out, *o;

    if (target->scheme || target->hostinfo || target->hostname || !path
        || path[0] != '/' || path[1] == '/'
        || (strchr(path, '.') && strstr(path, "/."))) {
        return NULL;
    }
    query = so_uri_pick_query(p, mode, target->query, base->query);
    if (!unparse_plain(path) || !unparse_plain(query)
        || !unparse_plain(target->fragment)) {
        return NULL;
    }
    origin_len = absolute ? strlen(origin) : 0;
    path_len = strlen(path);
    query_len = query ? strlen(query) + 1 : 0;
    frag_len = target->fragment ? strlen(target->fragment) + 1 : 0;
    out = o = apr_palloc(p, origin_len + path_len + query_len + frag_len
                            + 1);
    memcpy(o, origin, origin_len);
    o += origin_len;
    memcpy(o, path, path_len);
    o += path_len;
    if (query) {
        *o++ = '?';
        memcpy(o, query, query_len - 1);
        o += query_len - 1;
    }
    if (target->fragment) {
        *o++ = '#';
        memcpy(o, target->fragment, frag_len - 1);
        o += frag_len - 1;
    }
    *o = '\0';
    return out;
}

char *so_uri_location(apr_pool_t *p, const apr_uri_t *base,
                      const apr_uri_t *target, so_query_mode mode,
                      int absolute)
{
    apr_uri_t out;

    so_uri_target(p, base, target, mode, &out);
    return so_uri_reference(p, base, &out, absolute);
}

/* ------------------------------------------------------------------ */
/* Targets as written                                                   */

/* A byte that may stand in a URI reference as it is. */
static int is_uri_byte(unsigned char c)
{
    return c > ' ' && c < 0x7f && !strchr("\"<>\\^`{|}", c);
}

/* Schemes whose URIs run code or carry a document in place of a link to
 * one: a 303 (and its note's link) must never point at them. */
static int is_refused_scheme(const char *target)
{
    static const char *const refused[] = { "javascript:", "vbscript:",
                                           "data:" };
    apr_size_t i, k;

    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        for (k = 0; refused[i][k]
             && ascii_lower((unsigned char)target[k]) == refused[i][k]; k++) {
            continue;
        }
        if (!refused[i][k]) {
            return 1;
        }
    }
    return 0;
}

const char *so_uri_check_target(apr_pool_t *p, const char *target,
                                apr_size_t max_len)
{
    const unsigned char *s;

    for (s = (const unsigned char *)target; *s; s++) {
        if (!is_uri_byte(*s)) {
            return apr_psprintf(p, "target '%s' is not a URI reference "
                                "(percent-encode byte 0x%02X)", target, *s);
        }
    }
    if ((apr_size_t)((const char *)s - target) > max_len) {
        return apr_psprintf(p, "target '%.40s...' is %" APR_SIZE_T_FMT
                            " bytes long; a Location may hold at most %"
                            APR_SIZE_T_FMT, target,
                            (apr_size_t)((const char *)s - target), max_len);
    }
    if (is_refused_scheme(target)) {
        return apr_psprintf(p, "target '%.40s' is refused: javascript:, "
                            "vbscript: and data: URIs are never sent as a "
                            "redirect", target);
    }
    return NULL;
}

const char *so_uri_check_authority(apr_pool_t *p, const char *text,
                                   const apr_uri_t *u)
{
    if (!u->hostinfo) {
        return NULL;
    }
    if (u->hostname && strpbrk(u->hostname, "[]")) {
        return apr_psprintf(p, "target '%s' has a malformed host", text);
    }
    if (u->port_str && *u->port_str && u->port == 0) {
        return apr_psprintf(p, "target '%s' names port 0", text);
    }
    if ((!u->hostname || !*u->hostname) && u->path && u->path[0] == '/'
        && u->path[1] == '/') {
        /* "http:////h/x": browsers read h as the host */
        return apr_psprintf(p, "target '%s' has an empty host followed by "
                            "'//'", text);
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Equivalence (RFC 3986 section 6.2.2)                                 */

static int hex_value(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int is_unreserved(unsigned char c)
{
    return is_ascii_alnum(c) || c == '-' || c == '.' || c == '_'
           || c == '~';
}

/* The next byte of s in normal form: a "%XX" that encodes an unreserved
 * character is that character, any other "%XX" compares by its value
 * (so "%2f" and "%2F" are one), marked by adding 256. */
static int next_normal(const char **s)
{
    const unsigned char *u = (const unsigned char *)*s;
    int hi, lo;

    if (u[0] == '%' && (hi = hex_value(u[1])) >= 0
        && (lo = hex_value(u[2])) >= 0) {
        int c = hi * 16 + lo;

        *s += 3;
        return is_unreserved((unsigned char)c) ? c : 256 + c;
    }
    *s += 1;
    return u[0];
}

static int same_normal_text(const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    while (*a && *b) {
        if (next_normal(&a) != next_normal(&b)) {
            return 0;
        }
    }
    return !*a && !*b;
}

/* An empty path of a URI with an authority is "/" (section 6.2.3). */
static const char *normal_path(apr_pool_t *p, const char *path)
{
    return path && *path ? so_uri_remove_dot_segments(p, path) : "/";
}

/* A path that is its own normal form as far as a comparison can tell: no
 * percent-encoding, no dot segment, not empty. */
static int is_plain_path(const char *path)
{
    return path && *path && !strchr(path, '%') && !strstr(path, "/.");
}

int so_uri_same_resource(apr_pool_t *p, const apr_uri_t *a,
                         const apr_uri_t *b)
{
    /* the paths first: almost every redirect changes them, and two plain
     * paths compare as they are, without normalising a copy */
    if (is_plain_path(a->path) && is_plain_path(b->path)) {
        if (strcmp(a->path, b->path)) {
            return 0;
        }
    }
    else if (!same_normal_text(normal_path(p, a->path),
                               normal_path(p, b->path))) {
        return 0;
    }
    if ((a->query == NULL) != (b->query == NULL)
        || !same_normal_text(a->query, b->query)) {
        return 0;
    }
    return so_uri_same_origin(a, b);
}

int so_uri_paths_differ(const char *received, apr_size_t len,
                        const char *path)
{
    apr_size_t i;

    if (!len || !path || !*path || strchr(path, '%') || strstr(path, "/.")) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)received[i];

        /* what so_uri_escape_received would change, or is_plain_path
         * refuse */
        if ((byte_class[c] & SO_QUERY_UNSAFE) || c == '%'
            || (c == '.' && i && received[i - 1] == '/')) {
            return 0;
        }
    }
    return strlen(path) != len || memcmp(path, received, len);
}
