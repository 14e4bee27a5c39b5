/* so_format.c: SeeOtherFormatParam's query handling (see so_format.h). */

#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"

#include "so_format.h"

/* Short names as identifier services use them in `format=` parameters and
 * file extensions.  Sorted by name; docs/directives.md lists them. */
const so_format_name so_format_names[] = {
    { "csv",      "text/csv" },
    { "html",     "text/html" },
    { "json",     "application/json" },
    { "jsonld",   "application/ld+json" },
    { "n3",       "text/n3" },
    { "nq",       "application/n-quads" },
    { "nquads",   "application/n-quads" },
    { "nt",       "application/n-triples" },
    { "ntriples", "application/n-triples" },
    { "owl",      "application/rdf+xml" },
    { "rdf",      "application/rdf+xml" },
    { "rdfxml",   "application/rdf+xml" },
    { "trig",     "application/trig" },
    { "ttl",      "text/turtle" },
    { "turtle",   "text/turtle" },
    { "txt",      "text/plain" },
    { "xhtml",    "application/xhtml+xml" },
    { "xml",      "application/xml" },
    { NULL, NULL }
};

const char *so_format_short_name(const char *name)
{
    const so_format_name *f;

    for (f = so_format_names; f->name; f++) {
        if (!strcasecmp(f->name, name)) {
            return f->type;
        }
    }
    return NULL;
}

/* Does the member [m, end) have the name (followed by '=' or its end)?
 * Returns the start of its value, or NULL. */
static const char *member_value(const char *m, const char *end,
                                const char *name, apr_size_t name_len)
{
    if ((apr_size_t)(end - m) < name_len || memcmp(m, name, name_len)) {
        return NULL;
    }
    m += name_len;
    if (m == end) {
        return m;
    }
    return *m == '=' ? m + 1 : NULL;
}

static int hex_value(int c)
{
    return apr_isdigit(c) ? c - '0' : apr_tolower(c) - 'a' + 10;
}

const char *so_format_find(apr_pool_t *p, const char *query,
                           const char *name)
{
    apr_size_t name_len = strlen(name);
    const char *m, *end, *v;
    char *out, *o;

    if (!query || !name_len) {
        return NULL;
    }
    for (m = query; ; m = end + 1) {
        end = m + strcspn(m, "&");
        if ((v = member_value(m, end, name, name_len))) {
            break;
        }
        if (!*end) {
            return NULL;
        }
    }
    out = o = apr_palloc(p, (apr_size_t)(end - v) + 1);
    for (; v < end; v++) {
        if (*v == '%' && end - v > 2 && apr_isxdigit(v[1])
            && apr_isxdigit(v[2])) {
            *o++ = (char)(hex_value(v[1]) * 16 + hex_value(v[2]));
            v += 2;
        }
        else {
            *o++ = *v;
        }
    }
    *o = '\0';
    return out;
}

const char *so_format_remove(apr_pool_t *p, const char *query,
                             const char *name)
{
    apr_size_t name_len = strlen(name);
    const char *m, *end;
    char *out, *o;
    int found = 0;

    if (!query || !*query) {
        return NULL;
    }
    if (!name_len) {
        return query;
    }
    out = o = apr_palloc(p, strlen(query) + 1);
    for (m = query; ; m = end + 1) {
        end = m + strcspn(m, "&");
        if (member_value(m, end, name, name_len)) {
            found = 1;
        }
        else if (end > m) {
            if (o > out) {
                *o++ = '&';
            }
            memcpy(o, m, (apr_size_t)(end - m));
            o += end - m;
        }
        if (!*end) {
            break;
        }
    }
    if (!found) {
        return query;
    }
    *o = '\0';
    return o > out ? out : NULL;
}

const char *so_format_accept(const char *value)
{
    const char *type = so_format_short_name(value);

    return type ? type : value;
}
