/* so_complete.h: SeeOtherNote All: the note of the 303s others send.
 *
 * CGI scripts, proxied backends (mod_proxy_http, mod_proxy_fcgi),
 * mod_asis, mod_lua and other handlers often answer 303 with a Location
 * and no body.  With SeeOtherNote All an output filter completes such an
 * answer with the module's note (or the SeeOtherNoteTemplate), its href
 * that Location byte for byte, and sets Content-Type and Content-Length
 * to the note's; nothing else is changed.  Every other answer (another
 * status, a 303 with a body of its own, a 303 without Location) passes
 * untouched: the filter decides on the first brigade and then removes
 * itself.
 *
 * "No body": the first brigade the filter sees, after any number of
 * metadata buckets (FLUSH, ...) and data buckets of length 0, holds EOS.
 * A brigade of only such empty buckets without EOS is held (it holds no
 * byte of content) until the next one decides.
 *
 * Request time, beside so_answer.c; reads the rule model's settings.
 */
#ifndef SO_COMPLETE_H
#define SO_COMPLETE_H

#include "httpd.h"

#include "so_model.h"

/* Log as module m and register the completion filter (from
 * register_hooks). */
void so_complete_init(const module *m);

/* From insert_filter: add the completion filter to r when conf says
 * SeeOtherNote All (never to a subrequest). */
void so_complete_insert(request_rec *r, const so_conf_t *conf);

#endif /* SO_COMPLETE_H */
