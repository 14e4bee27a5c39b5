/* fuzz_uri.c: libFuzzer target for so_uri.c.
 *
 * The input is "base\nref": both are parsed with apr_uri_parse, ref is
 * resolved against base and turned into a Location in every query mode
 * with SeeOtherAbsolute on and off, and the raw input goes through both
 * escapers.  Every invariant the module relies on is checked with abort().
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

#include "apr_general.h"
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

    apr_pool_destroy(p);
    return 0;
}
