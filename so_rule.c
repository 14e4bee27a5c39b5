/* so_rule.c: literal table and target templates (see so_rule.h). */

#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"

#include "so_rule.h"
#include "so_uri.h"

/* ---- literal table ---------------------------------------------------- */

struct so_literals {
    apr_pool_t *pool;
    apr_hash_t *keys;                /* URL-path -> so_literal_key */
};

so_literals *so_literals_make(apr_pool_t *p)
{
    so_literals *t = apr_palloc(p, sizeof(*t));

    t->pool = p;
    t->keys = apr_hash_make(p);
    return t;
}

void so_literals_add(so_literals *t, const char *url_path, const void *entry)
{
    so_literal_key *key = apr_hash_get(t->keys, url_path,
                                       APR_HASH_KEY_STRING);

    if (!key) {
        key = apr_palloc(t->pool, sizeof(*key));
        key->url_path = apr_pstrdup(t->pool, url_path);
        key->entries = apr_array_make(t->pool, 1, sizeof(const void *));
        apr_hash_set(t->keys, key->url_path, APR_HASH_KEY_STRING, key);
    }
    *(const void **)apr_array_push(key->entries) = entry;
}

int so_literals_empty(const so_literals *t)
{
    return apr_hash_count(t->keys) == 0;
}

unsigned int so_literals_count(const so_literals *t)
{
    return apr_hash_count(t->keys);
}

void so_literals_start(so_literal_cursor *c, const so_literals *t,
                       const char *path)
{
    c->table = t;
    c->path = path;
    c->path_len = strlen(path);
    c->pending = 0;
    /* an empty table: no probe at all */
    c->tried_full = so_literals_empty(t);
    c->scan = c->tried_full ? 0 : c->path_len;
}

/* The candidates, longest first: the whole path, then for each '/' at
 * offset i (from the right) the prefix that keeps it (length i + 1, for
 * URL-paths written with a trailing slash) and the one that stops before
 * it (length i).  So "/a" is tried for "/a/b" but never for "/ab". */
static apr_size_t next_candidate(so_literal_cursor *c)
{
    apr_size_t len;

    if (!c->tried_full) {
        c->tried_full = 1;
        if (c->path_len > 0) {
            return c->path_len;
        }
    }
    if (c->pending) {
        len = c->pending;
        c->pending = 0;
        return len;
    }
    while (c->scan > 0) {
        apr_size_t i = --c->scan;

        if (c->path[i] != '/') {
            continue;
        }
        c->pending = i;
        /* the prefix that keeps this '/', unless it was tried already:
         * as the whole path, or as the one that stops before a '/' at
         * i + 1 (with "//" in the path) */
        if (i + 1 < c->path_len && c->path[i + 1] != '/') {
            return i + 1;
        }
        if (c->pending) {
            len = c->pending;
            c->pending = 0;
            return len;
        }
    }
    return 0;
}

const so_literal_key *so_literals_next(so_literal_cursor *c,
                                       const char **rest)
{
    apr_size_t len;

    while ((len = next_candidate(c)) > 0) {
        const so_literal_key *key = apr_hash_get(c->table->keys, c->path,
                                                 (apr_ssize_t)len);
        if (key) {
            const char *r = c->path + len;

            c->last_len = len;
            while (*r == '/') {
                r++;
            }
            /* "/old/" keeps its trailing slash: "/new/", not "/new" */
            *rest = (!*r && r > c->path + len) ? r - 1 : r;
            return key;
        }
    }
    return NULL;
}

/* ---- regex index ------------------------------------------------------ */

struct so_regexes {
    apr_pool_t *pool;
    apr_hash_t *keys;                /* key -> array of so_regex_entry */
    int count;
};

typedef struct {
    int order;                       /* position in configuration order */
    const void *group;
} so_regex_entry;

so_regexes *so_regexes_make(apr_pool_t *p)
{
    so_regexes *x = apr_palloc(p, sizeof(*x));

    x->pool = p;
    x->keys = apr_hash_make(p);
    x->count = 0;
    return x;
}

int so_regexes_count(const so_regexes *x)
{
    return x->count;
}

/* The characters that end a pattern's literal text, and the quantifiers
 * that make the character before them optional. */
#define REGEX_META "\\.[]()*+?{}|^$"
#define OPTIONAL_QUANTIFIER "?*{"

const char *so_regex_key(apr_pool_t *p, const char *pattern, int nocase)
{
    char *lit = apr_palloc(p, strlen(pattern) + 1);
    apr_size_t len = 0, complete = 0;
    const char *s = pattern;

    /* Case-folded or alternating patterns have no fixed prefix. */
    if (nocase || *s++ != '^' || strchr(pattern, '|')) {
        return "";
    }
    while (*s) {
        char c = *s;

        if (c == '\\' && s[1] && !apr_isalnum(s[1])) {
            c = s[1];
            s += 2;
        }
        else if (c == '$' && s[1] == '\0') {
            complete = len;          /* the path ends here: last segment */
            break;
        }
        else if (strchr(REGEX_META, c)) {
            break;
        }
        else {
            s++;
        }
        if (*s && strchr(OPTIONAL_QUANTIFIER, *s)) {
            break;                   /* c may be absent: not literal */
        }
        if (c == '/') {
            complete = len;
        }
        lit[len++] = c;
        if (*s == '+') {
            break;                   /* c, then maybe more of it */
        }
    }
    return apr_pstrmemdup(p, lit, complete);
}

void so_regexes_add(so_regexes *x, const char *pattern, int nocase,
                    const void *group)
{
    const char *key = so_regex_key(x->pool, pattern, nocase);
    apr_array_header_t *list = apr_hash_get(x->keys, key,
                                            APR_HASH_KEY_STRING);
    so_regex_entry *entry;

    if (!list) {
        list = apr_array_make(x->pool, 1, sizeof(so_regex_entry));
        apr_hash_set(x->keys, key, APR_HASH_KEY_STRING, list);
    }
    entry = apr_array_push(list);
    entry->order = x->count++;
    entry->group = group;
}

/* Probe "", every prefix of path that ends before a '/', and the whole
 * path: the keys a pattern filed there could match below. */
void so_regexes_start(so_regex_cursor *c, const so_regexes *x,
                      const char *path, apr_pool_t *p)
{
    apr_size_t len = strlen(path), i;
    int slots = 2;

    c->nlists = 0;
    if (x->count == 0) {
        return;
    }
    for (i = 1; i < len; i++) {
        slots += path[i] == '/';
    }
    c->lists = apr_palloc(p, slots * sizeof(*c->lists));
    c->pos = apr_pcalloc(p, slots * sizeof(*c->pos));
    for (i = 0; i <= len; i++) {
        const apr_array_header_t *list;

        if (i > 0 && i < len && path[i] != '/') {
            continue;
        }
        list = apr_hash_get(x->keys, path, (apr_ssize_t)i);
        if (list) {
            c->lists[c->nlists++] = list;
        }
    }
}

/* The candidate with the smallest configuration order across the lists. */
const void *so_regexes_next(so_regex_cursor *c)
{
    const so_regex_entry *best = NULL;
    int i, from = -1;

    for (i = 0; i < c->nlists; i++) {
        const so_regex_entry *e;

        if (c->pos[i] >= c->lists[i]->nelts) {
            continue;
        }
        e = &APR_ARRAY_IDX(c->lists[i], c->pos[i], so_regex_entry);
        if (!best || e->order < best->order) {
            best = e;
            from = i;
        }
    }
    if (!best) {
        return NULL;
    }
    c->pos[from]++;
    return best->group;
}

/* ---- templates -------------------------------------------------------- */

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

static void add_piece(apr_array_header_t *pieces, const char *text,
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
            add_piece(t->pieces, lit + lit_start, nlit - lit_start, -1, 0);
        }
        lit_start = nlit;
        skel[nskel] = '\0';
        add_piece(t->pieces, NULL, 0, s[1] - '0', inside_authority(skel));
        if (first_ref < 0) {
            first_ref = (long)nskel;
            first_ref_digit = s[1];
        }
        skel[nskel++] = 'x';
        s++;
    }
    if (nlit > lit_start) {
        add_piece(t->pieces, lit + lit_start, nlit - lit_start, -1, 0);
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

/* Host text: nothing but unreserved characters may come from a capture, so
 * it can add no port, user, path, query or fragment. */
static char *escape_host_text(apr_pool_t *p, const char *text,
                              apr_size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, 3 * len + 1), *o = out;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];

        if (apr_isalnum(ch) || ch == '-' || ch == '.' || ch == '_'
            || ch == '~') {
            *o++ = (char)ch;
        }
        else {
            *o++ = '%';
            *o++ = hex[ch >> 4];
            *o++ = hex[ch & 15];
        }
    }
    *o = '\0';
    return out;
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
                 ? escape_host_text(p, cap, len)
                 : so_uri_escape_path(p, apr_pstrmemdup(p, cap, len));
        }
        *(const char **)apr_array_push(parts) = text;
    }
    return apr_array_pstrcat(p, parts, 0);
}
