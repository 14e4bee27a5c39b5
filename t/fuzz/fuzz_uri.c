/* fuzz_uri.c: libFuzzer target for so_uri.c.
 *
 * The input is "base\nref": both are parsed with apr_uri_parse, ref is
 * resolved against base and turned into a Location in every query mode
 * with SeeOtherAbsolute on and off, and the raw input goes through both
 * escapers.  Every invariant the module relies on is checked with abort().
 *
 * Then the same two lines as the module sees them: the first as a request
 * target (origin-form path and query, escaped as so_answer.c's
 * request_base does, on a fixed site), the second as a configured target
 * (only when it passes the module's configuration check: URI bytes only).
 * The Location of every query mode, relative and absolute, must hold no
 * CR, LF, NUL, space or backslash, and parsed back it must have the
 * target's scheme and authority when the target wrote them, else the
 * request's (or none: an absolute path on the request's site).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-lto \
 *       $(apr-1-config --cppflags --includes) -I. t/fuzz/fuzz_uri.c so_uri.c \
 *       $(apr-1-config --link-ld --libs) $(apu-1-config --link-ld --libs)
 *
 * Without clang, t/fuzz/replay.c runs a corpus through it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apr_general.h"
#include "apr_lib.h"
#include "apr_pools.h"
#include "apr_strings.h"
#include "apr_uri.h"

#include "so_uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *process_pool;

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

static int is_hex_upper(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static int hex_value(char c)
{
    return c <= '9' ? c - '0' : c - 'A' + 10;
}

static int in_path_output_set(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9')
           || (c != '\0' && strchr("-._~!$&'()*+,;=:@/%", c) != NULL);
}

/* Only the allowed bytes, every '%' starts an uppercase %XX, and decoding
 * gives back exactly the text. */
static void check_escaped_path(const char *text, const char *esc)
{
    const char *t = text;
    const char *e;

    for (e = esc; *e; e++, t++) {
        check(in_path_output_set((unsigned char)*e));
        if (*e == '%') {
            check(is_hex_upper(e[1]) && is_hex_upper(e[2]));
            check((unsigned char)*t
                  == hex_value(e[1]) * 16 + hex_value(e[2]));
            e += 2;
        }
        else {
            check(*t == *e);
        }
    }
    check(*t == '\0');
}

static void check_escaped_query(const char *esc)
{
    const unsigned char *e;

    for (e = (const unsigned char *)esc; *e; e++) {
        check(*e > 0x20 && *e < 0x7f && *e != '#');
    }
}

/* Nothing that could split or corrupt a response header. */
static void check_header_safe(const char *value)
{
    const unsigned char *v;

    check(value != NULL);
    for (v = (const unsigned char *)value; *v; v++) {
        check(*v != '\r' && *v != '\n' && *v > 0x20 && *v != 0x7f);
    }
}

/* A path without an authority must not start with "//": printed after
 * "scheme:" it would turn into one. */
static void check_resolved(apr_pool_t *p, const apr_uri_t *out)
{
    if (out->hostinfo == NULL) {
        check(out->path == NULL || strncmp(out->path, "//", 2) != 0);
    }
    const char *apr = apr_uri_unparse(p, out, APR_URI_UNP_REVEALPASSWORD);
    const unsigned char *c;
    int plain = 1;

    check(apr != NULL);
    /* so_uri_unparse is apr's output, in one allocation, except that it
     * encodes controls and spaces */
    for (c = (const unsigned char *)apr; *c; c++) {
        plain &= *c > 0x20 && *c != 0x7f;
    }
    if (plain) {
        check(strcmp(so_uri_unparse(p, out, 1), apr) == 0);
    }
}

/* Dot-segment removal never grows the path and is idempotent. */
static void check_dot_segments(apr_pool_t *p, const char *path)
{
    const char *once = so_uri_remove_dot_segments(p, path);

    check(strlen(once) <= strlen(path));
    check(strcmp(so_uri_remove_dot_segments(p, once), once) == 0);
}

static void check_locations(apr_pool_t *p, const apr_uri_t *base,
                            const apr_uri_t *ref)
{
    static const so_query_mode modes[] = {
        SO_QUERY_INHERIT, SO_QUERY_DROP, SO_QUERY_MERGE
    };
    int m, absolute;

    for (m = 0; m < 3; m++) {
        for (absolute = 0; absolute <= 1; absolute++) {
            const char *loc = so_uri_location(p, base, ref, modes[m],
                                              absolute);

            check_header_safe(loc);
            /* A Location that leaves out the site is an absolute path,
             * never a network-path ("//host") reference. */
            if (loc[0] == '/') {
                check(loc[1] != '/');
            }
        }
    }
}

/* mod_see_other.c's is_uri_byte: what a configured target may hold. */
static int is_uri_byte(unsigned char c)
{
    switch (c) {
    case '"': case '<': case '>': case '\\': case '^': case '`':
    case '{': case '|': case '}':
        return 0;
    }
    return c > ' ' && c < 0x7f;
}

static int same_text(const char *a, const char *b, int nocase)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return nocase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* The request target line as request_base builds the base: the module's
 * own site, the path as received with the bytes a URI may not hold
 * encoded, the query likewise. */
static void module_base(apr_pool_t *p, const char *request, int https,
                        apr_uri_t *base)
{
    size_t path_len = strcspn(request, "?#");

    memset(base, 0, sizeof(*base));
    base->scheme = https ? "https" : "http";
    base->hostname = "site.example";
    base->hostinfo = https ? "site.example:8443" : "site.example";
    base->port_str = https ? "8443" : NULL;
    base->port = https ? 8443 : 80;
    base->path = so_uri_escape_received(p, apr_pstrmemdup(p, request,
                                                          path_len));
    if (request[path_len] == '?') {
        base->query = so_uri_escape_received(p, request + path_len + 1);
    }
}

/* The port a URI of scheme names: its own, else the scheme's default
 * (an empty port, as in "//h:/", counting as none). */
static int effective_port(const apr_uri_t *u, const char *scheme)
{
    if (u->port_str && *u->port_str) {
        return atoi(u->port_str);
    }
    return apr_uri_port_of_scheme(scheme);
}

/* The same authority: user, password, host (without regard to case) and
 * port. */
static int same_authority(const apr_uri_t *a, const apr_uri_t *b,
                          const char *scheme)
{
    if (a->hostinfo == NULL || b->hostinfo == NULL) {
        return a->hostinfo == b->hostinfo;
    }
    return same_text(a->user, b->user, 0)
           && same_text(a->password, b->password, 0)
           && same_text(a->hostname, b->hostname, 1)
           && effective_port(a, scheme) == effective_port(b, scheme);
}

/* A Location: no byte that could end or split the header or that a
 * browser reads as '/', and the scheme and authority of the target, or
 * of the request. */
static void check_module_location(apr_pool_t *p, const char *loc,
                                  const apr_uri_t *base,
                                  const apr_uri_t *target)
{
    apr_uri_t got;

    check(loc != NULL && *loc != '\0');
    check(strpbrk(loc, "\r\n \\") == NULL);
    check(apr_uri_parse(p, loc, &got) == APR_SUCCESS);
    if (target->scheme) {
        check(same_text(got.scheme, target->scheme, 1));
        check(same_authority(&got, target, target->scheme));
        return;
    }
    if (target->hostinfo) {
        check(same_text(got.scheme, base->scheme, 1));
        check(same_authority(&got, target, base->scheme));
        return;
    }
    if (got.scheme == NULL) {
        /* relative: an absolute path on the request's own site */
        check(got.hostinfo == NULL);
        check(loc[0] == '/' && loc[1] != '/');
        return;
    }
    check(same_text(got.scheme, base->scheme, 1));
    check(same_authority(&got, base, base->scheme));
}

/* (Port 0, which APR parses and leaves out when printing, has to be
 * refused by the configuration check as well.)
 * A host the module can print back as it was parsed: a reg-name or IPv4
 * address (unreserved, sub-delims, '%'), or an IPv6 literal (hex digits,
 * ':' and '.', which apr_uri_parse gives without its brackets).  APR takes
 * "//[[x]:/" as host "[x", which so_uri_unparse (like apr_uri_unparse)
 * prints without brackets, as a different authority: the configuration
 * check has to refuse such a target (reported: finding 1 of
 * docs/security.md). */
static int printable_host(const char *host)
{
    const char *s;
    int colon = 0;

    for (s = host; *s; s++) {
        colon |= *s == ':';
    }
    for (s = host; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (colon ? !(apr_isxdigit(c) || c == ':' || c == '.')
                  : !(apr_isalnum(c) || strchr("-._~!$&'()*+,;=%", c))) {
            return 0;
        }
    }
    return 1;
}

static void check_module(apr_pool_t *p, const char *request,
                         const char *target_text)
{
    static const so_query_mode modes[] = {
        SO_QUERY_INHERIT, SO_QUERY_DROP, SO_QUERY_MERGE
    };
    const unsigned char *c;
    apr_uri_t base, target;
    int m, absolute, https;

    if (request[0] != '/' || *target_text == '\0') {
        return;
    }
    for (c = (const unsigned char *)target_text; *c; c++) {
        if (!is_uri_byte(*c)) {
            return;
        }
    }
    if (apr_uri_parse(p, target_text, &target) != APR_SUCCESS
        || (target.hostname && !printable_host(target.hostname))
        || (target.port_str && *target.port_str && target.port == 0)) {
        return;
    }
    for (https = 0; https <= 1; https++) {
        module_base(p, request, https, &base);
        for (m = 0; m < 3; m++) {
            for (absolute = 0; absolute <= 1; absolute++) {
                check_module_location(p, so_uri_location(p, &base, &target,
                                                         modes[m],
                                                         absolute),
                                      &base, &target);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *text, *nl;
    const char *base_str, *ref_str;
    apr_uri_t base, ref, out;
    char *esc;

    if (process_pool == NULL) {
        if (apr_initialize() != APR_SUCCESS
            || apr_pool_create(&process_pool, NULL) != APR_SUCCESS) {
            abort();
        }
    }
    apr_pool_create(&p, process_pool);

    text = apr_pstrmemdup(p, (const char *)data, size);

    esc = so_uri_escape_path(p, text);
    check_escaped_path(text, esc);
    check_escaped_query(so_uri_escape_received(p, text));
    check(so_uri_escape_received(p, NULL) == NULL);
    check_header_safe(so_uri_join_path(p, "/t/", esc));
    check_dot_segments(p, text);

    nl = strchr(text, '\n');
    base_str = text;
    ref_str = "";
    if (nl) {
        *nl = '\0';
        ref_str = nl + 1;
    }

    if (apr_uri_parse(p, base_str, &base) == APR_SUCCESS && base.scheme
        && apr_uri_parse(p, ref_str, &ref) == APR_SUCCESS) {
        so_uri_resolve(p, &base, &ref, &out);
        check(out.scheme != NULL);
        check_resolved(p, &out);
        check(so_uri_same_origin(&out, &out) == (out.hostname != NULL));
        check_locations(p, &base, &ref);
        /* With the request's query escaped as the module does. */
        base.query = so_uri_escape_received(p, base.query);
        check_locations(p, &base, &ref);
    }
    check_module(p, base_str, ref_str);

    apr_pool_destroy(p);
    return 0;
}
