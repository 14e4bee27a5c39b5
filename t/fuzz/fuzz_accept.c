/* fuzz_accept.c: libFuzzer target for so_accept.c.
 *
 * The input is "header\ntype": header is parsed as an Accept value, type
 * (when so_media_parse takes it) as a configured media type.  Qualities of
 * that type and of a fixed set of types must lie in 0..SO_Q_MAX and come
 * from a range of the header; parsed ranges must be well formed; and a
 * type printed by so_media_string must parse back to the same and be
 * fully acceptable to a header naming it.  The header read as a query
 * (SeeOtherFormatParam "format"): the value found stands for a header
 * that parses as well formed, and once the parameter is removed, the
 * rest is shorter, not empty, and holds no such member.  Violations
 * abort().
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-lto \
 *       $(apr-1-config --cppflags --includes) -I. t/fuzz/fuzz_accept.c \
 *       so_accept.c $(apr-1-config --link-ld --libs)
 *
 * Without clang, t/fuzz/replay.c runs a corpus through it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "so_accept.h"
#include "so_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *process_pool;

static const char *const fixed_types[] = {
    "text/html",
    "text/html;level=1",
    "text/turtle",
    "application/rdf+xml",
    "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"",
    "image/png",
    "text/plain;charset=utf-8",
};

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9')
           || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A non-empty token without upper case letters. */
static void check_lower_token(const char *s)
{
    check(s != NULL && *s != '\0');
    for (; *s; s++) {
        check(is_tchar((unsigned char)*s));
        check(!(*s >= 'A' && *s <= 'Z'));
    }
}

static void check_media(const so_media *m)
{
    const so_media_param *params;
    int i;

    check_lower_token(m->type);
    check_lower_token(m->subtype);
    check(m->params != NULL);
    params = (const so_media_param *)m->params->elts;
    for (i = 0; i < m->params->nelts; i++) {
        check_lower_token(params[i].name);
        check(params[i].value != NULL);
    }
    check(m->q >= 0 && m->q <= SO_Q_MAX);
}

/* In range, and either 0 or the q of one of the header's ranges. */
static void check_quality(const apr_array_header_t *accept,
                          const so_media *type)
{
    const so_media *ranges = (const so_media *)accept->elts;
    int q = so_accept_quality(accept, type), i, found = (q == 0);

    check(q >= 0 && q <= SO_Q_MAX);
    for (i = 0; i < accept->nelts && !found; i++) {
        found = ranges[i].q == q;
    }
    check(found);
    check(so_accept_quality(NULL, type) == SO_Q_MAX);
}

/* A type printed, parsed back and printed again reads the same; as an
 * Accept header (unless a parameter "q" would be read as the weight) it
 * accepts the type fully, with ";q=0" not at all. */
static void check_type_round_trip(apr_pool_t *p, const so_media *type)
{
    const so_media_param *params = (const so_media_param *)
                                   type->params->elts;
    const char *text = so_media_string(p, type, 0);
    so_media *again;
    int i;

    check(so_media_parse(p, text, &again) == NULL);
    check(strcmp(so_media_string(p, again, 0), text) == 0);
    for (i = 0; i < type->params->nelts; i++) {
        if (!strcmp(params[i].name, "q")) {
            return;
        }
    }
    check(so_accept_quality(so_accept_parse(p, text), type) == SO_Q_MAX);
    check(so_accept_quality(so_accept_parse(p, apr_pstrcat(p, text, ";q=0",
                                                           NULL)),
                            type) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_array_header_t *accept;
    const so_media *ranges;
    so_media *type;
    char *text, *nl;
    const char *type_text = "";
    int i;

    if (process_pool == NULL) {
        if (apr_initialize() != APR_SUCCESS
            || apr_pool_create(&process_pool, NULL) != APR_SUCCESS) {
            abort();
        }
    }
    apr_pool_create(&p, process_pool);

    text = apr_pstrmemdup(p, (const char *)data, size);
    nl = strchr(text, '\n');
    if (nl) {
        *nl = '\0';
        type_text = nl + 1;
    }

    accept = so_accept_parse(p, text);
    check(accept != NULL);
    ranges = (const so_media *)accept->elts;
    for (i = 0; i < accept->nelts; i++) {
        check_media(&ranges[i]);
        /* "*" only as "*" / "*" or type / "*" */
        check(strcmp(ranges[i].type, "*") || !strcmp(ranges[i].subtype, "*"));
        check(so_media_string(p, &ranges[i], 1) != NULL);
    }

    for (i = 0; i < (int)(sizeof(fixed_types) / sizeof(fixed_types[0]));
         i++) {
        check(so_media_parse(p, fixed_types[i], &type) == NULL);
        check_quality(accept, type);
    }

    /* the format override: the header text as a query */
    {
        const char *value = so_format_find(p, text, "format");
        const char *rest = so_format_remove(p, text, "format");

        if (value) {
            apr_array_header_t *override = so_accept_parse(
                p, so_format_accept(value));

            ranges = (const so_media *)override->elts;
            for (i = 0; i < override->nelts; i++) {
                check_media(&ranges[i]);
            }
            check(rest == NULL || strlen(rest) < strlen(text));
        }
        else {
            check(rest == (*text ? text : NULL));
        }
        check(rest == NULL || (*rest && !so_format_find(p, rest, "format")));
    }

    if (so_media_parse(p, type_text, &type) == NULL) {
        check_media(type);
        check(type->q == SO_Q_MAX);
        check(strcmp(type->type, "*") && strcmp(type->subtype, "*"));
        check_quality(accept, type);
        check_type_round_trip(p, type);
    }

    apr_pool_destroy(p);
    return 0;
}
