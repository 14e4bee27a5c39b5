/* so_template.h: SeeOtherMatch targets with $N, for mod_see_other.
 *
 * A template is a target compiled once: literal text and $N references,
 * each reference knowing whether it stands in the authority (where a
 * capture may only be host text) or later (path, query, fragment).
 * Expansion takes capture offsets, not a regex: the regex runs in the
 * caller, so this unit needs only APR.
 */
#ifndef SO_TEMPLATE_H
#define SO_TEMPLATE_H

#include "apr_pools.h"

#define SO_MAX_GROUPS 10             /* $0 .. $9 */

typedef struct so_template so_template;

/* Compile text, in which "$N" (N a digit) names capture N and "\$" is a
 * literal '$'.  ngroups is the number of capture groups of the regex
 * ($0 is always there).  Returns NULL or an error message. */
const char *so_template_compile(apr_pool_t *p, const char *text, int ngroups,
                                so_template **out);

/* The template with each reference replaced by a harmless letter: what the
 * target is made of before any capture, for the "no scheme or authority
 * that the literal target did not have" check. */
const char *so_template_skeleton(const so_template *t);

/* Expand against subject; starts[i]/ends[i] delimit capture i (a negative
 * start: the group did not take part).  Captures are percent-encoded for
 * where they stand (so_uri_escape_path, or so_uri_escape_host in the
 * authority). */
char *so_template_expand(apr_pool_t *p, const so_template *t,
                         const char *subject, const int *starts,
                         const int *ends);

#endif /* SO_TEMPLATE_H */
