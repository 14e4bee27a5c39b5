/* so_accept.c: Accept header parsing and media type quality (see
 * so_accept.h). */

#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"

#include "so_accept.h"

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

/* A token, lower-cased; NULL if there is none at s. */
static const char *take_token(apr_pool_t *p, const char **s)
{
    const char *start = *s;
    char *tok, *c;

    while (so_is_token_char(**s)) {
        (*s)++;
    }
    if (*s == start) {
        return NULL;
    }
    tok = apr_pstrmemdup(p, start, (apr_size_t)(*s - start));
    for (c = tok; *c; c++) {
        *c = (char)apr_tolower(*c);
    }
    return tok;
}

/* A token or quoted-string value, as written (quotes and escapes
 * removed); NULL if malformed. */
static const char *take_value(apr_pool_t *p, const char **s)
{
    const char *start = *s, *end;
    char *out, *o;

    if (**s != '"') {
        while (so_is_token_char(**s)) {
            (*s)++;
        }
        return *s == start ? NULL
               : apr_pstrmemdup(p, start, (apr_size_t)(*s - start));
    }
    /* room for this quoted-string only, not the rest of the header */
    for (end = start + 1; *end && *end != '"'; end++) {
        if (*end == '\\' && end[1]) {
            end++;
        }
    }
    out = o = apr_palloc(p, (apr_size_t)(end - start));
    for ((*s)++; **s && **s != '"'; (*s)++) {
        if (**s == '\\' && (*s)[1]) {
            (*s)++;
        }
        *o++ = **s;
    }
    if (**s != '"') {
        return NULL;
    }
    (*s)++;
    *o = '\0';
    return out;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static int parse_qvalue(const char *v)
{
    int q, scale = 100;

    if ((v[0] != '0' && v[0] != '1') || (v[1] && v[1] != '.')) {
        return -1;
    }
    q = (v[0] - '0') * SO_Q_MAX;
    for (v += v[1] ? 2 : 1; *v; v++, scale /= 10) {
        if (!apr_isdigit(*v) || scale == 0) {
            return -1;
        }
        q += (*v - '0') * scale;
    }
    return q <= SO_Q_MAX ? q : -1;
}

/* Parse "type/subtype *( OWS ; OWS name=value )" at *s, stopping at ','
 * or the end.  allow_q: q= ends the media parameters (Accept).  Returns 0
 * when the member is malformed (then *s is left at the next ',' or end). */
static int parse_media(apr_pool_t *p, const char **s, int allow_q,
                       so_media *m)
{
    int ok = 1, saw_q = 0;

    m->q = SO_Q_MAX;
    m->params = apr_array_make(p, 0, sizeof(so_media_param));
    if (!(m->type = take_token(p, s)) || **s != '/') {
        ok = 0;
    }
    else {
        (*s)++;
        ok = (m->subtype = take_token(p, s)) != NULL;
    }
    while (ok && *(*s = skip_ows(*s)) == ';') {
        const char *name, *value;

        *s = skip_ows(*s + 1);
        if (!(name = take_token(p, s)) || **s != '='
            || (++*s, !(value = take_value(p, s)))) {
            ok = 0;
        }
        else if (allow_q && !strcmp(name, "q")) {
            if ((m->q = parse_qvalue(value)) < 0) {
                ok = 0;
            }
            saw_q = 1;
            break;           /* what follows q is accept-ext: ignored */
        }
        else {
            so_media_param *param = apr_array_push(m->params);

            param->name = name;
            param->value = value;
        }
    }
    if (ok && !saw_q && **s && **s != ',') {
        ok = 0;              /* "text/html junk": no media range */
    }
    if (allow_q) {
        /* skip accept-ext and anything malformed up to the next member */
        while (**s && **s != ',') {
            if (**s == '"') {
                if (!take_value(p, s)) {
                    break;
                }
                continue;
            }
            (*s)++;
        }
        if (ok && !strcmp(m->type, "*") && strcmp(m->subtype, "*")) {
            ok = 0;          /* "* /html" is no media range */
        }
    }
    return ok;
}

const char *so_media_parse(apr_pool_t *p, const char *text, so_media **out)
{
    const char *s = skip_ows(text);
    so_media *m = apr_palloc(p, sizeof(*m));

    if (!parse_media(p, &s, 0, m) || *skip_ows(s)) {
        return apr_psprintf(p, "'%s' is not a media type (type/subtype)",
                            text);
    }
    if (!strcmp(m->type, "*") || !strcmp(m->subtype, "*")) {
        return apr_psprintf(p, "'%s' is a media range; name the media "
                            "type the target serves (type/subtype, no '*')",
                            text);
    }
    *out = m;
    return NULL;
}

apr_array_header_t *so_accept_parse(apr_pool_t *p, const char *header)
{
    apr_array_header_t *ranges;
    const char *s = header;

    if (!header) {
        return NULL;
    }
    ranges = apr_array_make(p, 8, sizeof(so_media));
    while (*s) {
        so_media m;

        s = skip_ows(s);
        if (*s == ',') {
            s++;
            continue;
        }
        if (parse_media(p, &s, 1, &m)) {
            *(so_media *)apr_array_push(ranges) = m;
        }
        if (*s == ',') {
            s++;
        }
    }
    return ranges;
}

static int has_param(const so_media *type, const so_media_param *want)
{
    const so_media_param *have = (const so_media_param *)type->params->elts;
    int i;

    for (i = 0; i < type->params->nelts; i++) {
        if (!strcmp(have[i].name, want->name)
            && !strcasecmp(have[i].value, want->value)) {
            return 1;
        }
    }
    return 0;
}

/* How specifically range matches type: 0 no match, 1 asterisk/asterisk,
 * 2 type/asterisk, 3 type/subtype, 4 and up: also that many parameters. */
static int specificity(const so_media *range, const so_media *type)
{
    const so_media_param *params = (const so_media_param *)
                                   range->params->elts;
    int i;

    if (!strcmp(range->type, "*")) {
        return range->params->nelts ? 0 : 1;
    }
    if (strcmp(range->type, type->type)) {
        return 0;
    }
    if (!strcmp(range->subtype, "*")) {
        return range->params->nelts ? 0 : 2;
    }
    if (strcmp(range->subtype, type->subtype)) {
        return 0;
    }
    for (i = 0; i < range->params->nelts; i++) {
        if (!has_param(type, &params[i])) {
            return 0;
        }
    }
    return 3 + range->params->nelts;
}

int so_accept_quality(const apr_array_header_t *accept, const so_media *type)
{
    const so_media *ranges;
    int i, best = 0, q = 0;

    if (!accept) {
        return SO_Q_MAX;
    }
    ranges = (const so_media *)accept->elts;
    for (i = 0; i < accept->nelts; i++) {
        int spec = specificity(&ranges[i], type);

        /* the most specific range decides; of equals, the kindest */
        if (spec > best || (spec == best && spec && ranges[i].q > q)) {
            best = spec;
            q = ranges[i].q;
        }
    }
    return q;
}

/* A parameter value as a token, or else as a quoted-string. */
static const char *quote_value(apr_pool_t *p, const char *v)
{
    const char *c;
    char *out, *o;

    for (c = v; so_is_token_char(*c); c++) {
    }
    if (*v && !*c) {
        return v;
    }
    out = o = apr_palloc(p, 2 * strlen(v) + 3);
    *o++ = '"';
    for (c = v; *c; c++) {
        if (*c == '"' || *c == '\\') {
            *o++ = '\\';
        }
        *o++ = *c;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

const char *so_media_string(apr_pool_t *p, const so_media *m, int with_q)
{
    const so_media_param *params = (const so_media_param *)m->params->elts;
    const char *s = apr_pstrcat(p, m->type, "/", m->subtype, NULL);
    int i;

    for (i = 0; i < m->params->nelts; i++) {
        s = apr_pstrcat(p, s, ";", params[i].name, "=",
                        quote_value(p, params[i].value), NULL);
    }
    return with_q ? apr_psprintf(p, "%s;q=%d.%03d", s, m->q / SO_Q_MAX,
                                 m->q % SO_Q_MAX)
                  : s;
}
