/* so_answer.h: request time of mod_see_other: deciding which rule answers
 * a request, and answering it with 303 See Other and its note.
 *
 * Reads the rule model (so_model.h) and the per-process cache
 * (so_cache.h); owns the note's output filter.
 */
#ifndef SO_ANSWER_H
#define SO_ANSWER_H

#include "httpd.h"

#include "so_cache.h"
#include "so_model.h"

/* The request note naming the rule that answered ("file:line"). */
#define SO_RULE_NOTE "see-other-rule"

/* The answer decided for a request. */
typedef struct {
    const so_rule_t *rule;
    const char *location;
    int note;
    const so_note_template *note_template;   /* NULL: the module's own */
    int status;              /* 303, or SeeOtherLegacyStatus for HTTP/1.0 */
} so_answer_t;

/* Log as module m and register the note filter (from register_hooks). */
void so_answer_init(const module *m);

/* Decide with conf's levels, nearest first.  OK with *answer filled,
 * DECLINED when no rule answers, or an HTTP error status.  cache is the
 * process's, for .htaccess levels and DBM maps (NULL: none). */
int so_decide(request_rec *r, const so_conf_t *conf, so_cache *cache,
              so_answer_t *answer);

/* When an ErrorDocument is configured for the answer's status: read the
 * request body, set Location and return the status, for httpd to answer
 * with the ErrorDocument as it does for mod_alias's redirects.  OK when
 * none is configured. */
int so_answer_error_document(request_rec *r, const so_answer_t *answer);

/* Read the request body to its end, then send the 303. */
int so_send_answer(request_rec *r, const so_answer_t *answer);

#endif /* SO_ANSWER_H */
