/* fuzz_template.c: libFuzzer target for so_template.c (the
 * SeeOtherMatch target: literal text, "\$", and $N references), driven
 * the way the module drives them.
 *
 * Input: byte 0 gives the number of groups of the pattern (0..9), bytes
 * 1..20 the capture spans (a start byte 0xFF: the group did not take
 * part), the rest is "template\nsubject" (the subject is the decoded
 * request path, any bytes but NUL).  Checked:
 *   - so_template_compile fails exactly when a $N names a group the
 *     pattern lacks or stands in the scheme ("$1://h/": the request
 *     would choose the scheme; finding 2 of docs/security.md), and the
 *     skeleton is the template with "\$" read as
 *     '$' and each $N as 'x';
 *   - when the skeleton passes the module's configuration check (URI
 *     bytes only), every expansion is URI bytes only: never CR, LF, NUL,
 *     space or backslash, whatever the captures hold;
 *   - an expansion the module would answer with (it parses, and adds no
 *     scheme or authority the skeleton lacks: so_answer.c rule_target)
 *     has the skeleton's scheme, and the skeleton's authority: the same
 *     user, password, host and port, unless a reference stands in it
 *     (then the same port, and a host that is a reg-name: captures there
 *     are unreserved bytes and %XX; or, when captures empty it, none:
 *     the request's);
 *   - its Location (so_uri_location, every query mode, relative and
 *     absolute) holds no CR, LF, NUL, space or backslash.
 * Violations abort().
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

#include "so_template.h"
#include "so_uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER (1 + 2 * SO_MAX_GROUPS)

static apr_pool_t *process_pool;

static void check(int ok)
{
    if (!ok) {
        abort();
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

static int uri_bytes_only(const char *s)
{
    for (; *s; s++) {
        if (!is_uri_byte((unsigned char)*s)) {
            return 0;
        }
    }
    return 1;
}

static int same_text(const char *a, const char *b, int nocase)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return nocase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* Host text made of the template's literal bytes and captures (which
 * come as unreserved bytes and %XX): a reg-name, nothing that could end
 * it or start a port, user or path (':', '@', '/', '[', ...). */
static int host_text(const char *s)
{
    for (; *s; s++) {
        if (!apr_isalnum(*s) && !strchr("-._~%!$&'()*+,;=", *s)) {
            return 0;
        }
    }
    return 1;
}

/* The reference skeleton: "\$" is '$', $N is 'x' (*bad set when N names
 * a missing group); ref_at[i] is set for skeleton offsets of references. */
static char *reference_skeleton(apr_pool_t *p, const char *text, int ngroups,
                                char *ref_at, int *bad)
{
    char *skel = apr_palloc(p, strlen(text) + 1), *o = skel;
    const char *s;

    *bad = 0;
    for (s = text; *s; s++) {
        if (s[0] == '\\' && s[1] == '$') {
            ref_at[o - skel] = 0;
            *o++ = '$';
            s++;
        }
        else if (s[0] == '$' && apr_isdigit(s[1])) {
            *bad |= s[1] - '0' > ngroups;
            ref_at[o - skel] = 1;
            *o++ = 'x';
            s++;
        }
        else {
            ref_at[o - skel] = 0;
            *o++ = *s;
        }
    }
    *o = '\0';
    /* a reference in the scheme is refused: the scheme is the target's */
    for (s = skel; apr_isalpha(*skel) && (apr_isalnum(*s) || *s == '+'
                                          || *s == '-' || *s == '.'); s++) {
        if (ref_at[s - skel] && strchr(s, ':')) {
            *bad |= s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")]
                    == ':';
        }
    }
    return skel;
}

/* Does a reference stand in the skeleton's authority?  The authority is
 * what follows "//" (after the scheme, if any) up to '/', '?' or '#'. */
static int reference_in_authority(const char *skel, const char *ref_at,
                                  const apr_uri_t *parsed)
{
    size_t start = 0, end;

    if (parsed->scheme) {
        start = strlen(parsed->scheme) + 1;
    }
    if (strncmp(skel + start, "//", 2)) {
        return 0;
    }
    start += 2;
    end = start + strcspn(skel + start, "/?#");
    for (; start < end; start++) {
        if (ref_at[start]) {
            return 1;
        }
    }
    return 0;
}

static void check_location(apr_pool_t *p, const apr_uri_t *target,
                           const char *subject)
{
    static const so_query_mode modes[] = {
        SO_QUERY_INHERIT, SO_QUERY_DROP, SO_QUERY_MERGE
    };
    apr_uri_t base;
    int m, absolute;

    memset(&base, 0, sizeof(base));
    base.scheme = "http";
    base.hostname = base.hostinfo = "site.example";
    base.port = 80;
    base.path = so_uri_escape_received(p, subject);
    base.query = "q=1";
    for (m = 0; m < 3; m++) {
        for (absolute = 0; absolute <= 1; absolute++) {
            const char *loc = so_uri_location(p, &base, target, modes[m],
                                              absolute);

            check(loc != NULL && *loc != '\0');
            check(strpbrk(loc, "\r\n \\") == NULL);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *text, *nl, *skel, *ref_at;
    const char *subject = "", *err, *expanded;
    so_template *tpl;
    int ngroups, starts[SO_MAX_GROUPS], ends[SO_MAX_GROUPS], bad, i;
    size_t subject_len;
    apr_uri_t skeleton, target;

    if (size < HEADER) {
        return 0;
    }
    if (process_pool == NULL) {
        if (apr_initialize() != APR_SUCCESS
            || apr_pool_create(&process_pool, NULL) != APR_SUCCESS) {
            abort();
        }
    }
    apr_pool_create(&p, process_pool);

    ngroups = data[0] % SO_MAX_GROUPS;
    text = apr_pstrmemdup(p, (const char *)data + HEADER, size - HEADER);
    nl = strchr(text, '\n');
    if (nl) {
        *nl = '\0';
        subject = nl + 1;
    }
    subject_len = strlen(subject);
    /* spans inside the subject, as PCRE gives them */
    for (i = 0; i < SO_MAX_GROUPS; i++) {
        unsigned char s = data[1 + 2 * i], e = data[2 + 2 * i];

        if (s == 0xFF || i > ngroups) {
            starts[i] = ends[i] = -1;
            continue;
        }
        starts[i] = (int)(s % (subject_len + 1));
        ends[i] = starts[i] + (int)(e % (subject_len - starts[i] + 1));
    }

    ref_at = apr_pcalloc(p, strlen(text) + 1);
    skel = reference_skeleton(p, text, ngroups, ref_at, &bad);
    err = so_template_compile(p, text, ngroups, &tpl);
    check((err != NULL) == bad);
    if (err) {
        apr_pool_destroy(p);
        return 0;
    }
    check(strcmp(so_template_skeleton(tpl), skel) == 0);

    expanded = so_template_expand(p, tpl, subject, starts, ends);
    check(expanded != NULL);
    /* the module refuses such a target at configuration time */
    if (!uri_bytes_only(skel)
        || apr_uri_parse(p, skel, &skeleton) != APR_SUCCESS
        /* a host that is neither a reg-name nor an IPv6 literal ("[[h"):
         * the configuration check has to refuse it (finding 1) */
        || (skeleton.hostname && !host_text(skeleton.hostname)
            && strspn(skeleton.hostname, "0123456789abcdefABCDEF:.")
               != strlen(skeleton.hostname))) {
        apr_pool_destroy(p);
        return 0;
    }
    check(uri_bytes_only(expanded));

    if (apr_uri_parse(p, expanded, &target) != APR_SUCCESS
        || (target.scheme && !skeleton.scheme)
        || (target.hostinfo && !skeleton.hostinfo)) {
        apr_pool_destroy(p);
        return 0;                    /* the module answers 400 */
    }
    check(same_text(target.scheme, skeleton.scheme, 1));
    /* an empty capture can empty an authority made of references: APR
     * then reads "////p" as a path, and the request's site applies */
    check((target.hostinfo == NULL) == (skeleton.hostinfo == NULL)
          || (target.hostinfo == NULL
              && reference_in_authority(skel, ref_at, &skeleton)));
    if (skeleton.hostinfo && target.hostinfo) {
        check(same_text(target.port_str, skeleton.port_str, 0));
        if (reference_in_authority(skel, ref_at, &skeleton)) {
            /* the same port; user and password made of the template's
             * bytes and host text; the host as written, or host text */
            check(target.hostname != NULL
                  && (same_text(target.hostname, skeleton.hostname, 1)
                      || host_text(target.hostname)));
        }
        else {
            check(same_text(target.user, skeleton.user, 0));
            check(same_text(target.password, skeleton.password, 0));
            check(same_text(target.hostname, skeleton.hostname, 1));
        }
    }
    check_location(p, &target, subject);

    apr_pool_destroy(p);
    return 0;
}
