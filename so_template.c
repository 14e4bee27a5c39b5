/* so_template.c: SeeOtherMatch targets with $N (see so_template.h). */

#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "so_template.h"
#include "so_uri.h"

/* A piece of a template: literal text, or capture `group`. */
typedef struct {
    const char *text;                /* literal text, NUL-terminated */
    int group;                       /* capture number, or -1: literal */
    int in_authority;
} so_piece;

struct so_template {
    apr_array_header_t *pieces;      /* of so_piece */
    const char *skeleton;
};

/* Does the text written so far leave us inside an authority, i.e. it begins
 * "//" or "scheme://" and no '/', '?' or '#' has closed it yet? */
static int inside_authority(const char *sofar)
{
    const char *s = sofar;

    if (apr_isalpha(*s)) {
        const char *c = s;

        while (apr_isalnum(*c) || *c == '+' || *c == '-' || *c == '.') {
            c++;
        }
        if (*c == ':') {
            s = c + 1;
        }
    }
    if (s[0] != '/' || s[1] != '/') {
        return 0;
    }
    return s[2 + strcspn(s + 2, "/?#")] == '\0';
}

/* The length of the scheme text begins with (as apr_uri_parse reads it:
 * a letter, then letters, digits, '+', '-', '.', up to a ':'), or 0. */
static apr_size_t scheme_length(const char *text)
{
    const char *c = text;

    if (!apr_isalpha(*c)) {
        return 0;
    }
    while (apr_isalnum(*c) || *c == '+' || *c == '-' || *c == '.') {
        c++;
    }
    return *c == ':' ? (apr_size_t)(c - text) : 0;
}

static void append_piece(apr_array_header_t *pieces, const char *text,
                         apr_size_t len, int group, int in_authority)
{
    so_piece *piece = apr_array_push(pieces);

    piece->text = text ? apr_pstrmemdup(pieces->pool, text, len) : NULL;
    piece->group = group;
    piece->in_authority = in_authority;
}

const char *so_template_compile(apr_pool_t *p, const char *text, int ngroups,
                                so_template **out)
{
    so_template *t = apr_palloc(p, sizeof(*t));
    char *lit = apr_palloc(p, strlen(text) + 1);   /* unescaped literals */
    char *skel = apr_palloc(p, strlen(text) + 1);
    apr_size_t nlit = 0, nskel = 0, lit_start = 0;
    const char *s;
    long first_ref = -1;             /* skeleton offset of the first $N */
    char first_ref_digit = '0';

    t->pieces = apr_array_make(p, 4, sizeof(so_piece));
    for (s = text; *s; s++) {
        if (*s == '\\' && s[1] == '$') {
            lit[nlit++] = skel[nskel++] = '$';
            s++;
            continue;
        }
        if (*s != '$' || !apr_isdigit(s[1])) {
            lit[nlit++] = skel[nskel++] = *s;
            continue;
        }
        if (s[1] - '0' > ngroups) {
            return apr_psprintf(p, "target '%s' names $%c, but the "
                                "pattern has only %d group%s", text, s[1],
                                ngroups, ngroups == 1 ? "" : "s");
        }
        if (nlit > lit_start) {
            append_piece(t->pieces, lit + lit_start, nlit - lit_start,
                         -1, 0);
        }
        lit_start = nlit;
        skel[nskel] = '\0';
        append_piece(t->pieces, NULL, 0, s[1] - '0',
                     inside_authority(skel));
        if (first_ref < 0) {
            first_ref = (long)nskel;
            first_ref_digit = s[1];
        }
        skel[nskel++] = 'x';
        s++;
    }
    if (nlit > lit_start) {
        append_piece(t->pieces, lit + lit_start, nlit - lit_start, -1, 0);
    }
    skel[nskel] = '\0';
    /* A reference inside the scheme ("$1://h/", "a$1:x") would let the
     * request choose it (javascript:, and the authority with it): the
     * scheme is the literal target's or none. */
    if (first_ref >= 0 && (apr_size_t)first_ref < scheme_length(skel)) {
        return apr_psprintf(p, "target '%s': $%c stands in the scheme; "
                            "the scheme must be written out", text,
                            first_ref_digit);
    }
    t->skeleton = skel;
    *out = t;
    return NULL;
}

const char *so_template_skeleton(const so_template *t)
{
    return t->skeleton;
}

char *so_template_expand(apr_pool_t *p, const so_template *t,
                         const char *subject, const int *starts,
                         const int *ends)
{
    const so_piece *pieces = (const so_piece *)t->pieces->elts;
    apr_array_header_t *parts = apr_array_make(p, t->pieces->nelts,
                                               sizeof(const char *));
    int i;

    for (i = 0; i < t->pieces->nelts; i++) {
        const so_piece *piece = &pieces[i];
        const char *text;

        if (piece->group < 0) {
            text = piece->text;
        }
        else if (starts[piece->group] < 0) {
            text = "";
        }
        else {
            const char *cap = subject + starts[piece->group];
            apr_size_t len = (apr_size_t)(ends[piece->group]
                                          - starts[piece->group]);

            text = piece->in_authority
                 ? so_uri_escape_host(p, apr_pstrmemdup(p, cap, len))
                 : so_uri_escape_path(p, apr_pstrmemdup(p, cap, len));
        }
        *(const char **)apr_array_push(parts) = text;
    }
    return apr_array_pstrcat(p, parts, 0);
}
