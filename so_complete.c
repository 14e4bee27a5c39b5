/* so_complete.c: completing others' bodiless 303s (see so_complete.h). */

#include "httpd.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_core.h"
#include "util_filter.h"

#include "so_answer.h"
#include "so_complete.h"
#include "so_note.h"

/* The module this file serves, set once by so_complete_init. */
static const module *self;
#undef APLOG_MODULE_INDEX
#define APLOG_MODULE_INDEX (self->module_index)

#define COMPLETE_FILTER "SEE_OTHER_COMPLETE"

/* Set once, in register_hooks, before any request. */
static ap_filter_rec_t *complete_filter_handle;

typedef struct {
    const so_conf_t *conf;
    apr_bucket_brigade *held;    /* empty buckets, no EOS yet, or NULL */
} complete_ctx;

/* The Location of a 303 this filter may complete, or NULL: the module's
 * own answers have their note already, and an ErrorDocument 303 is the
 * site's answer to httpd's own redirects, left to httpd. */
static const char *completable(request_rec *r)
{
    const char *location;

    if (r->status != HTTP_SEE_OTHER
        || apr_table_get(r->notes, SO_RULE_NOTE)) {
        return NULL;
    }
    location = apr_table_get(r->headers_out, "Location");
    if (!location) {
        location = apr_table_get(r->err_headers_out, "Location");
    }
    if (!location
        || ap_response_code_string(r, ap_index_of_response(HTTP_SEE_OTHER))) {
        return NULL;
    }
    return location;
}

/* Whether bb, from its start, holds only empty buckets up to EOS (1), a
 * byte of content (0), or only empty buckets and no EOS (-1).  Buckets of
 * unknown length (a CGI's pipe) are read, blocking, to tell. */
static int no_body(apr_bucket_brigade *bb, apr_status_t *rv)
{
    apr_bucket *e;

    *rv = APR_SUCCESS;
    for (e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb);
         e = APR_BUCKET_NEXT(e)) {
        const char *data;
        apr_size_t len;

        if (APR_BUCKET_IS_EOS(e)) {
            return 1;
        }
        if (APR_BUCKET_IS_METADATA(e) || e->length == 0) {
            continue;
        }
        if (e->length != (apr_size_t)-1) {
            return 0;
        }
        if ((*rv = apr_bucket_read(e, &data, &len, APR_BLOCK_READ))
            != APR_SUCCESS) {
            return 0;
        }
        if (len) {
            return 0;
        }
    }
    return -1;
}

/* A HEAD answer never has a body, whatever the GET would have: the
 * answer's own Content-Length is then the one sign of a body of its own
 * (a proxied backend's, a handler's that announces its length). */
static int head_announces_body(request_rec *r)
{
    const char *cl;

    if (!r->header_only) {
        return 0;
    }
    cl = apr_table_get(r->headers_out, "Content-Length");
    return cl && strspn(cl, "0") != strlen(cl);
}

static apr_status_t complete_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    complete_ctx *ctx = f->ctx;
    const char *location, *note;
    apr_status_t rv;
    apr_size_t len;
    apr_bucket *e;
    int empty;

    if (ctx->held) {
        APR_BRIGADE_PREPEND(bb, ctx->held);
    }
    if (!(location = completable(r))) {
        ap_remove_output_filter(f);
        return ap_pass_brigade(f->next, bb);
    }
    empty = no_body(bb, &rv);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (empty < 0) {
        /* nothing but empty buckets so far: keep them until EOS or data */
        if (!ctx->held) {
            ctx->held = apr_brigade_create(r->pool, f->c->bucket_alloc);
        }
        for (e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb);
             e = APR_BUCKET_NEXT(e)) {
            if ((rv = apr_bucket_setaside(e, r->pool)) != APR_SUCCESS
                && rv != APR_ENOTIMPL) {
                return rv;
            }
        }
        APR_BRIGADE_CONCAT(ctx->held, bb);
        return APR_SUCCESS;
    }
    ap_remove_output_filter(f);
    if (empty && !head_announces_body(r)) {
        for (e = APR_BRIGADE_FIRST(bb); !APR_BUCKET_IS_EOS(e);
             e = APR_BUCKET_NEXT(e)) {
        }
        /* HEAD too, as for the module's own note: the filters below give
         * it the GET's headers, and httpd sends no body */
        note = so_note_render_template(r->pool, ctx->conf->note_template,
                                       location, &len);
        ap_set_content_type(r, "text/html; charset=utf-8");
        /* the framing is httpd's to choose for the note: a backend's
         * Transfer-Encoding (left in place for a proxied HEAD) would make
         * it drop the Content-Length */
        apr_table_unset(r->headers_out, "Transfer-Encoding");
        ap_set_content_length(r, (apr_off_t)len);
        APR_BUCKET_INSERT_BEFORE(e, apr_bucket_pool_create(
            note, len, r->pool, f->c->bucket_alloc));
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "completed a 303 "
                      "without body (Location: %s) with the note",
                      location);
    }
    return ap_pass_brigade(f->next, bb);
}

void so_complete_insert(request_rec *r, const so_conf_t *conf)
{
    complete_ctx *ctx;

    if (conf->note != SO_NOTE_ALL || r->main) {
        return;
    }
    ctx = apr_palloc(r->pool, sizeof(*ctx));
    ctx->conf = conf;
    ctx->held = NULL;
    ap_add_output_filter_handle(complete_filter_handle, ctx, r,
                                r->connection);
}

void so_complete_init(const module *m)
{
    self = m;
    /* a resource filter: before mod_deflate and every content-set filter,
     * so they see the note as any body */
    complete_filter_handle = ap_register_output_filter(
        COMPLETE_FILTER, complete_filter, NULL, AP_FTYPE_RESOURCE);
}
