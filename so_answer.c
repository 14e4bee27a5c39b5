/* so_answer.c: deciding a request and sending the 303 (see so_answer.h).
 *
 * A configuration's levels are tried nearest first; within a level the
 * one-argument rules, the URL-paths longest first (map entries after a
 * URL-path equal to the whole path), then the regexes in configuration
 * order.  Each place holds a group of rules, of which methods=, expr= and
 * accept= choose one.  The chosen target is resolved against the request
 * URI; the answer drains the request body, sets 303 and Location, and the
 * note filter writes the body.
 */

#include "httpd.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_core.h"

#include "apr_strings.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "so_accept.h"
#include "so_answer.h"
#include "so_format.h"
#include "so_link.h"
#include "so_note.h"

/* The module this file serves, set once by so_answer_init (before the
 * configuration is read): its log level settings apply to messages from
 * here, without a reference back up to the module record. */
static const module *self;
#undef APLOG_MODULE_INDEX
#define APLOG_MODULE_INDEX (self->module_index)

#define NOTE_FILTER "SEE_OTHER_NOTE"

/* Set once, in register_hooks, before any request. */
static ap_filter_rec_t *note_filter_handle;

/* One request being decided: the lazily parsed Accept header, the
 * process cache, and the regex match data made on first use. */
typedef struct {
    request_rec *r;
    so_cache *cache;
    const apr_array_header_t *accept;
    int accept_parsed;
    pcre2_match_data *match_data;
    /* issue 11 */
    const so_conf_t *conf;
    int vary_accept;         /* a typed rule took part, Accept decided */
    int format_used;         /* SeeOtherFormatParam took Accept's place */
    apr_array_header_t *typed;           /* typed rules that applied in
                                          * the group last chosen from */
    const char *links;       /* Link entries so far, or NULL */
    apr_uri_t base;          /* request_site, once made; its path too
                              * once needed (request_path) */
    int base_made, base_stripped;
    const char *origin;      /* so_uri_origin(base), once made */
} so_req_t;

/* The most work one regex may do on one path: PCRE2's match limit
 * (steps of its matcher; its default is 10,000,000) and depth limit
 * (backtracking frames).  A URL-path is at most a few kilobytes, so a
 * sane pattern needs a small fraction of either; a catastrophic one
 * stops within about a millisecond. */
#define SO_REGEX_MATCH_LIMIT 100000
#define SO_REGEX_DEPTH_LIMIT 10000

/* Set once, in so_answer_init; only read afterwards. */
static pcre2_match_context *match_limits;

/* PCRE2 memory from a pool: freed with it, nothing to clean up. */
static void *pool_alloc(PCRE2_SIZE size, void *pool)
{
    return apr_palloc(pool, size);
}

static void pool_free(void *block, void *pool)
{
    (void)block;
    (void)pool;
}

static pcre2_general_context *pool_context(apr_pool_t *p)
{
    return pcre2_general_context_create(pool_alloc, pool_free, p);
}

/* ---- matching --------------------------------------------------------- */

/* A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method
 * (Fetch standard).  Only rules that name OPTIONS answer it. */
static int is_preflight(const request_rec *r)
{
    return r->method_number == M_OPTIONS
           && apr_table_get(r->headers_in, "Origin")
           && apr_table_get(r->headers_in, "Access-Control-Request-Method");
}

static int method_allowed(const request_rec *r, const so_rule_t *rule)
{
    const so_rule_opts *opts = rule->opts;
    int i;

    if (r->method_number == M_OPTIONS && is_preflight(r)) {
        return !opts->any_method
               && (opts->method_mask & (AP_METHOD_BIT << M_OPTIONS));
    }
    if (opts->any_method || (opts->head && r->header_only)) {
        return 1;
    }
    if (r->method_number != M_INVALID && r->method_number < 64
        && (opts->method_mask & (AP_METHOD_BIT << r->method_number))) {
        return 1;
    }
    for (i = 0; opts->other_methods && i < opts->other_methods->nelts; i++) {
        if (!strcmp(r->method, APR_ARRAY_IDX(opts->other_methods, i,
                                             const char *))) {
            return 1;
        }
    }
    return 0;
}

/* Why methods= or expr= rule a rule out for this request, or NULL when
 * they hold. */
static const char *ruled_out(request_rec *r, const so_rule_t *rule)
{
    const char *err = NULL;
    int ok;

    if (!method_allowed(r, rule)) {
        return "methods= does not name this method";
    }
    if (!rule->opts->cond) {
        return NULL;
    }
    ok = ap_expr_exec(r, rule->opts->cond, &err);
    if (err) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOther rule %s: "
                      "expr= failed: %s", rule->where, err);
        return "expr= failed";
    }
    return ok > 0 ? NULL : "expr= is false";
}

/* LogLevel see_other:trace2: each candidate passed over, and why. */
static void log_skipped(request_rec *r, const so_rule_t *rule,
                        const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "%s %s: rule %s skipped: "
                  "%s", r->method, r->uri, rule->where, why);
}

/* rule_applies when the rule has methods= or expr=. */
static int rule_applies_checked(request_rec *r, const so_rule_t *rule)
{
    const char *why = ruled_out(r, rule);

    if (why) {
        log_skipped(r, rule, why);
    }
    return !why;
}

/* methods= and expr= hold for this request (trace2 says why not).  The
 * commonest rule, any method but a preflight's and no expr=, is told
 * here, without a call: a negotiated group asks it of every rule. */
static APR_INLINE int rule_applies(request_rec *r, const so_rule_t *rule)
{
    return (rule->opts->any_method && !rule->opts->cond
            && r->method_number != M_OPTIONS)
           || rule_applies_checked(r, rule);
}

/* What negotiation reads: the format parameter's value when
 * SeeOtherFormatParam names one the query holds, else the Accept header
 * (its parse from the thread's cache). */
static void request_accept(so_req_t *req)
{
    request_rec *r = req->r;
    const char *header, *value = NULL;

    if (req->conf->format_param && r->args
        && (value = so_format_find(r->pool, r->args,
                                   req->conf->format_param))) {
        req->format_used = 1;
        req->accept = so_accept_parse(r->pool, so_format_accept(value));
        req->accept_parsed = 1;
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "negotiating for "
                      "%s=%s (in place of Accept): %s",
                      req->conf->format_param, value,
                      so_format_accept(value));
        return;
    }
    header = apr_table_get(r->headers_in, "Accept");
    req->accept = so_cache_accept(req->cache, header, r->pool);
    req->accept_parsed = 1;
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "negotiating for "
                  "Accept: %s",
                  header ? header : "(none: everything acceptable)");
}

/* The quality of a typed rule for this request: its best media type. */
static int rule_quality(so_req_t *req, const so_rule_t *rule)
{
    const so_media *best_type = NULL;
    int i, best = 0;

    if (!req->accept_parsed) {
        request_accept(req);
    }
    for (i = 0; i < rule->opts->accept->nelts; i++) {
        const so_media *type = APR_ARRAY_IDX(rule->opts->accept, i,
                                             so_media *);
        int q = so_accept_quality(req->accept, type);

        if (!best_type || q > best) {
            best = q;
            best_type = type;
            if (q == SO_Q_MAX) {
                break;       /* none can do better */
            }
        }
    }
    /* ap_log_rerror evaluates its arguments only at trace1 */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, req->r, "rule %s serves %s: "
                  "quality %d.%03d", rule->where,
                  so_media_string(req->r->pool, best_type, 0),
                  best / SO_Q_MAX, best % SO_Q_MAX);
    return best;
}

/* Choose the rule of a group that answers: among the rules that apply
 * (methods=, expr=, and `exact` when there is a path remainder), the typed
 * rule the Accept header likes best (ties: configuration order), else the
 * first untyped one.  NULL when none is left. */
static const so_rule_t *choose_rule(so_req_t *req,
                                    const apr_array_header_t *rules,
                                    const char *rest)
{
    const so_rule_t *best = NULL, *fallback = NULL;
    int i, best_q = 0, typed = 0;
    /* with trace logging, every candidate is weighed and logged */
    int all = APLOG_R_IS_LEVEL(req->r, APLOG_TRACE1);

    if (req->typed) {
        apr_array_clear(req->typed);
    }
    for (i = 0; i < rules->nelts; i++) {
        const so_rule_t *rule = APR_ARRAY_IDX(rules, i, const so_rule_t *);
        int q;

        if (rule->exact && rest && *rest) {
            log_skipped(req->r, rule, "exact, and the path goes on below "
                        "its URL-path");
            continue;
        }
        if (!rule_applies(req->r, rule)) {
            continue;
        }
        if (!rule->opts->accept) {
            if (!fallback) {
                fallback = rule;
            }
            continue;
        }
        typed = 1;
        if (req->typed) {
            apr_array_header_t *t = req->typed;

            /* made with room for a group's usual few */
            if (t->nelts < t->nalloc) {
                ((const so_rule_t **)t->elts)[t->nelts++] = rule;
            }
            else {
                *(const so_rule_t **)apr_array_push(t) = rule;
            }
        }
        /* ties go to configuration order: after a rule of quality 1 no
         * other can win, and no default is needed; only the list of
         * variants (alternates, 406) needs the rest */
        if (best_q == SO_Q_MAX && !all) {
            if (!req->typed) {
                break;
            }
            continue;
        }
        if ((q = rule_quality(req, rule)) > best_q) {
            best = rule;
            best_q = q;
        }
        else if (!q) {
            log_skipped(req->r, rule, "accept=: no type it serves is "
                        "acceptable");
        }
    }
    if (typed && !req->format_used) {
        /* the outcome depended on Accept, whatever it was (set once, by
         * so_decide) */
        req->vary_accept = 1;
    }
    return best ? best : fallback;
}

/* The effective request URI as the client sent it, but its path (made
 * only when needed, by request_path): scheme, host and port as httpd
 * builds its own redirects, the query escaped. */
static void request_site(request_rec *r, apr_uri_t *base)
{
    memset(base, 0, sizeof(*base));
    base->scheme = (char *)ap_http_scheme(r);
    base->hostname = (char *)ap_get_server_name(r);
    base->port = ap_get_server_port(r);
    /* only a port that is not the scheme's default is ever printed */
    base->port_str = base->port == apr_uri_port_of_scheme(base->scheme)
                     ? NULL : apr_itoa(r->pool, base->port);
    base->hostinfo = base->hostname;
    base->query = so_uri_escape_received(r->pool, r->args);
}

/* The request's path as received ("/a//b?q" gives "/a//b"; even "//x/y"
 * is a path, never an authority) and its length, or NULL when the request
 * target is not in origin-form. */
static const char *received_path(const request_rec *r, apr_size_t *len)
{
    const char *target = r->unparsed_uri;

    if (!target || target[0] != '/') {
        return NULL;
    }
    *len = strcspn(target, "?#");
    return target;
}

/* The path of the effective request URI: as received, but with the bytes
 * a URI may not hold encoded. */
static char *request_path(request_rec *r)
{
    const char *path = NULL;
    apr_size_t len;
    apr_uri_t sent;

    if ((path = received_path(r, &len))) {
        path = apr_pstrmemdup(r->pool, path, len);
    }
    else if (r->unparsed_uri
             && apr_uri_parse(r->pool, r->unparsed_uri, &sent)
                == APR_SUCCESS
             && sent.path && sent.path[0] == '/') {
        path = sent.path;     /* absolute-form */
    }
    return path ? so_uri_escape_received(r->pool, path)
                : ap_escape_uri(r->pool, r->uri);
}

/* The target of a rule that matched; rest is the path remainder of a
 * prefix rule.  Returns an HTTP status: OK, or 400 when captures would
 * give the target a scheme or authority the rule did not write. */
static int rule_target(request_rec *r, const so_rule_t *rule,
                       const char *rest, const ap_regmatch_t *m,
                       apr_uri_t *target)
{
    int starts[SO_MAX_GROUPS], ends[SO_MAX_GROUPS], i;
    const char *text;

    if (!rule->opts->tpl) {
        so_rule_target(rule, target);
        if (rest && *rest) {
            target->path = so_uri_join_path(r->pool, target->path,
                                            so_uri_escape_path(r->pool,
                                                               rest));
        }
        return OK;
    }
    for (i = 0; i < SO_MAX_GROUPS; i++) {
        starts[i] = m[i].rm_so;
        ends[i] = m[i].rm_eo;
    }
    text = so_template_expand(r->pool, rule->opts->tpl, r->uri, starts, ends);
    /* "//x" is an authority whatever apr_uri_parse makes of "///x": a
     * browser takes both for host x */
    if (apr_uri_parse(r->pool, text, target) != APR_SUCCESS
        || (target->scheme && !rule->opts->tpl_scheme)
        || ((target->hostinfo || (text[0] == '/' && text[1] == '/'))
            && !rule->opts->tpl_authority)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "SeeOtherMatch rule "
                      "%s: refusing target '%s' for %s: the captured text "
                      "would add a scheme or authority", rule->where, text,
                      r->uri);
        return HTTP_BAD_REQUEST;
    }
    return OK;
}

/* The entry of a map for the whole request path, as a rule of its own
 * (exact, with the map's options), or NULL. */
/* A DBM value is seen only when fetched: the checks a text map's targets
 * pass at load time (so_cache keeps only values that passed as hot keys). */
static const char *check_dbm_value(apr_pool_t *p, const char *value)
{
    apr_uri_t uri;
    const char *why = so_uri_check_target(p, value, SO_LOCATION_MAX);

    if (!why && apr_uri_parse(p, value, &uri) != APR_SUCCESS) {
        why = "cannot parse the target";
    }
    return why ? why : so_uri_check_authority(p, value, &uri);
}

static int map_entry_rule(so_req_t *req, const so_rule_t *map_rule,
                          const so_rule_t **out)
{
    request_rec *r = req->r;
    const so_map_file *map = map_rule->map;
    const char *key = r->uri + map->prefix_len, *target = NULL, *why;
    apr_uri_t *uri;
    so_rule_t *rule;
    int line = 0, dbm_err = SO_DBM_OK;
    const char *dbm_why = NULL;

    if (strncmp(r->uri, map->prefix, map->prefix_len) || *key++ != '/'
        || !*key || *key == '/') {
        return DECLINED;
    }
    if (map->table) {
        target = so_map_table_get(map->table, key, &line);
    }
    else if (req->cache) {
        target = so_cache_dbm_get(req->cache, map->file, key,
                                  r->request_time, r->pool, check_dbm_value,
                                  &dbm_why, &dbm_err);
    }
    if (dbm_err == SO_DBM_CANNOT_OPEN) {
        /* the map's owner must hear of it: no fall-through to a 404 */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOtherMap: "
                      "cannot open DBM map %s; answering 500", map->file);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (!target && dbm_err != SO_DBM_NUL_BYTE) {
        log_skipped(r, map_rule, "its map has no entry for this path");
        return DECLINED;
    }
    rule = apr_palloc(r->pool, sizeof(*rule));
    *rule = *map_rule;
    rule->kind = SO_RULE_PATH;
    rule->exact = 1;
    rule->where = apr_pstrcat(r->pool, map->file, ":",
                              map->table ? apr_itoa(r->pool, line) : key,
                              NULL);
    why = dbm_err == SO_DBM_NUL_BYTE ? "its value holds a NUL byte"
        : dbm_why;
    rule->target = uri = apr_palloc(r->pool, sizeof(*uri));
    rule->parsed_target = 1;
    if (!why && apr_uri_parse(r->pool, target, uri) != APR_SUCCESS) {
        why = "cannot parse the target";
    }
    if (why) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOtherMap %s: %s; "
                      "answering 500", rule->where, why);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    *out = rule;
    return OK;
}

/* The rule set of a level: filed at configuration time, or (.htaccess)
 * the pending rules' set, from the process cache. */
static const so_rule_set_t *level_rules(so_req_t *req,
                                        const so_level_t *level)
{
    if (!level->pending || !req->cache) {
        return level->set;
    }
    return so_cache_rule_set(req->cache, level, req->r->pool);
}

/* GET and HEAD are answered by fetching the Location with GET: a
 * Location naming the request's own URI would be fetched, and answered,
 * forever. */
static int is_self_redirect(request_rec *r, const apr_uri_t *base,
                            const apr_uri_t *target)
{
    return r->method_number == M_GET
           && so_uri_same_resource(r->pool, base, target);
}

/* Run a group's regex on the path: 1 (m filled), 0, or -1 when the regex
 * hit the match limit, which is logged naming the rule.  PCRE2 directly,
 * not ap_regexec: only so can a limit (and not just "no match") be told
 * from its answer.  Its memory is the request's. */
static int match_group(so_req_t *req, const so_group_t *group,
                       ap_regmatch_t *m)
{
    request_rec *r = req->r;
    PCRE2_SIZE *ovector;
    int rc, i;

    if (!req->match_data) {
        req->match_data = pcre2_match_data_create(SO_MAX_GROUPS,
                                                  pool_context(r->pool));
    }
    rc = pcre2_match(group->regex->re_pcre, (PCRE2_SPTR)r->uri,
                     PCRE2_ZERO_TERMINATED, 0, 0, req->match_data,
                     match_limits);
    if (rc == PCRE2_ERROR_NOMATCH) {
        return 0;
    }
    if (rc < 0) {
        const so_rule_t *rule = APR_ARRAY_IDX(group->rules, 0,
                                              const so_rule_t *);
        PCRE2_UCHAR why[120];

        pcre2_get_error_message(rc, why, sizeof(why));
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOtherMatch rule %s: "
                      "the regex gave up on %s (%s; the limits are %d "
                      "steps and %d nested groups); answering 500",
                      rule->where, r->uri, (const char *)why,
                      SO_REGEX_MATCH_LIMIT, SO_REGEX_DEPTH_LIMIT);
        return -1;
    }
    ovector = pcre2_get_ovector_pointer(req->match_data);
    for (i = 0; i < SO_MAX_GROUPS; i++) {
        int set = i < rc && ovector[2 * i] != PCRE2_UNSET;

        m[i].rm_so = set ? (int)ovector[2 * i] : -1;
        m[i].rm_eo = set ? (int)ovector[2 * i + 1] : -1;
    }
    return 1;
}

/* The request's base URI without its path (request_site), made once per
 * decision; its query without the format parameter once negotiation read
 * that. */
static const apr_uri_t *req_site(so_req_t *req)
{
    if (!req->base_made) {
        request_site(req->r, &req->base);
        req->base_made = 1;
    }
    if (req->format_used && !req->base_stripped && req->base.query) {
        req->base_stripped = 1;
        req->base.query = (char *)so_format_remove(req->r->pool,
                                                   req->base.query,
                                                   req->conf->format_param);
    }
    return &req->base;
}

/* The whole base URI: req_site and the path (request_path), made once;
 * only a target that is not path-absolute, or the loop check, needs the
 * path. */
static const apr_uri_t *req_base(so_req_t *req)
{
    req_site(req);
    if (!req->base.path) {
        req->base.path = request_path(req->r);
    }
    return &req->base;
}

/* so_uri_origin of the base, made once. */
static const char *req_origin(so_req_t *req)
{
    if (!req->origin) {
        req->origin = so_uri_origin(req->r->pool, req_site(req));
    }
    return req->origin;
}

/* The Location of a path-absolute target (most are), made without
 * resolving or unparsing (so_uri_location_path), when the request cannot
 * be its own Location: a method other than GET (is_self_redirect), or a
 * GET whose path as received plainly differs from the target's
 * (so_uri_paths_differ: so_uri_same_resource would say no).  NULL: the
 * general way decides. */
static const char *plain_location(so_req_t *req, const apr_uri_t *target,
                                  so_query_mode mode, int absolute)
{
    request_rec *r = req->r;
    const char *received;
    apr_size_t len;

    if (r->method_number == M_GET
        && (!(received = received_path(r, &len))
            || !so_uri_paths_differ(received, len, target->path))) {
        return NULL;
    }
    return so_uri_location_path(r->pool, absolute ? req_origin(req) : "",
                                 req_site(req), target, mode, absolute);
}

/* A rule was chosen: build the answer (500 for a loop or an overlong
 * Location). */
static int answer_with(so_req_t *req, const so_rule_t *rule,
                       const char *rest, const ap_regmatch_t *m,
                       const so_conf_t *conf, so_answer_t *answer)
{
    request_rec *r = req->r;
    apr_uri_t target;
    int absolute = so_flag_on(conf->absolute);
    int status = rule_target(r, rule, rest, m, &target);

    if (status != OK) {
        return status;
    }
    if (!(answer->location = plain_location(req, &target, rule->query,
                                            absolute))) {
        apr_uri_t base = *req_base(req), resolved;

        so_uri_target(r->pool, &base, &target, rule->query, &resolved);
        if (is_self_redirect(r, &base, &resolved)) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOther rule %s: "
                          "%s would be sent to itself (a redirect loop); "
                          "answering 500 instead", rule->where,
                          r->unparsed_uri);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        answer->location = so_uri_reference(r->pool, &base, &resolved,
                                            absolute);
    }
    answer->rule = rule;
    answer->note = so_flag_on(conf->note);
    answer->note_template = conf->note_template;
    answer->status = r->proto_num < HTTP_VERSION(1, 1)
                     ? so_conf_legacy_status(conf) : HTTP_SEE_OTHER;
    if (strlen(answer->location) > SO_LOCATION_MAX) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOther rule %s: the "
                      "Location for %s would be %" APR_SIZE_T_FMT " bytes, "
                      "more than the %d a header may hold; answering 500",
                      rule->where, r->uri, strlen(answer->location),
                      SO_LOCATION_MAX);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "%s %s matched %s by "
                  "rule %s: See Other %s", r->method, r->uri,
                  rule->kind == SO_RULE_REGEX ? "regex" : "path",
                  rule->where, answer->location);
    return OK;
}

/* ---- alternates and 406 (issue 11) ----------------------------------- */

/* "type/subtype" of a media type without parameters (apr_pstrcat costs
 * more than the rest of a Link entry). */
static const char *type_subtype(apr_pool_t *p, const so_media *m)
{
    apr_size_t t = strlen(m->type), st = strlen(m->subtype);
    char *out = apr_palloc(p, t + st + 2);

    memcpy(out, m->type, t);
    out[t] = '/';
    memcpy(out + t + 1, m->subtype, st + 1);
    return out;
}

/* Does so_uri_pick_query give the rule's target's own query, whatever
 * the request's, which is there (non-empty) or not? */
static APR_INLINE int target_query_stays(const so_rule_t *rule,
                                         int request_query)
{
    return !request_query || rule->query == SO_QUERY_DROP
           || (rule->query == SO_QUERY_INHERIT && rule->parsed_target
               && rule->target->query);
}

/* The request has a (non-empty) query. */
static int has_query(so_req_t *req)
{
    const char *query = req_site(req)->query;

    return query && *query;
}

/* A rule's variant from the text written for it (so_rule_variant): when
 * its Location is the origin and that text, that is with no path
 * remainder and the target's own query (the request has none, or query=
 * leaves it out).  0: not so. */
static int variant_text(so_req_t *req, const so_rule_t *rule,
                        const char *rest, so_link_variant *v)
{
    if (!rule->opts->variant || (rest && *rest)
        || !target_query_stays(rule, has_query(req))) {
        return 0;
    }
    v->uri = so_flag_on(req->conf->absolute) ? req_origin(req) : "";
    v->text = rule->opts->variant;
    v->type = NULL;
    return 1;
}

/* The key of the group last chosen from (req->typed) in the thread's
 * rendered lists: its variants' serial numbers in order, when each is
 * its text (variant_text) and none too long for a header.  Their number,
 * or 0 when the list is not of that kind. */
static int variant_serials(so_req_t *req, const char *rest,
                           apr_uint64_t *serials)
{
    const so_rule_t *const *typed = (const so_rule_t *const *)
                                    req->typed->elts;
    int i, n = req->typed->nelts, request_query;
    apr_size_t origin_len;

    if (!req->cache || n > SO_LINKS_CACHE_MAX_TEXTS || (rest && *rest)) {
        return 0;
    }
    /* variant_text's tests, what is the same for all made once */
    request_query = has_query(req);
    origin_len = so_flag_on(req->conf->absolute) ? strlen(req_origin(req))
                                                 : 0;
    for (i = 0; i < n; i++) {
        const so_link_text *text = typed[i]->opts->variant;

        if (!text || !target_query_stays(typed[i], request_query)
            || origin_len + text->uri_len > SO_LOCATION_MAX) {
            return 0;
        }
        serials[i] = text->serial;
    }
    return n;
}

/* The variants of the group last chosen from (req->typed), each with its
 * Location as answer_with would make it; chosen's is the answer's. */
static apr_array_header_t *group_variants(so_req_t *req, const char *rest,
                                          const ap_regmatch_t *m,
                                          const so_rule_t *chosen,
                                          const char *chosen_location)
{
    request_rec *r = req->r;
    apr_array_header_t *out = apr_array_make(r->pool, req->typed->nelts,
                                             sizeof(so_link_variant));
    int i;

    for (i = 0; i < req->typed->nelts; i++) {
        const so_rule_t *rule = APR_ARRAY_IDX(req->typed, i,
                                              const so_rule_t *);
        const so_media *type = APR_ARRAY_IDX(rule->opts->accept, 0,
                                             so_media *);
        so_link_variant *v = apr_array_push(out);
        apr_uri_t target;

        if (variant_text(req, rule, rest, v)) {
            if (strlen(v->uri) + v->text->uri_len > SO_LOCATION_MAX) {
                out->nelts--;    /* no header may hold it */
            }
            continue;
        }
        v->text = NULL;
        if (rule == chosen && chosen_location) {
            v->uri = chosen_location;
        }
        else if (rule_target(r, rule, rest, m, &target) == OK) {
            int absolute = so_flag_on(req->conf->absolute);

            if (!(v->uri = so_uri_location_path(r->pool,
                                                absolute ? req_origin(req)
                                                         : "",
                                                req_site(req), &target,
                                                rule->query, absolute))) {
                v->uri = so_uri_location(r->pool, req_base(req), &target,
                                         rule->query, absolute);
            }
        }
        else {
            out->nelts--;
            continue;        /* logged by rule_target */
        }
        if (strlen(v->uri) > SO_LOCATION_MAX) {
            out->nelts--;    /* no header may hold it (answer_with says) */
            continue;
        }
        v->type = type->params->nelts ? so_media_string(r->pool, type, 0)
                                      : type_subtype(r->pool, type);
    }
    return out;
}

/* Choose from one group and answer: OK (answer filled), DECLINED (the
 * group falls through), or an HTTP status (406, a refused target).  A
 * negotiated group adds its variants to the Link entries when
 * SeeOtherAlternates is on; with SeeOtherNotAcceptable on, a negotiated
 * group without a default and without an acceptable rule answers 406. */
static int group_answer(so_req_t *req, const apr_array_header_t *rules,
                        const char *rest, const ap_regmatch_t *m,
                        so_answer_t *answer)
{
    const so_rule_t *rule = choose_rule(req, rules, rest);
    apr_array_header_t *variants = NULL;
    int status = DECLINED;

    if (rule) {
        status = answer_with(req, rule, rest, m, req->conf, answer);
    }
    if (!req->typed || !req->typed->nelts
        || (status != OK && status != DECLINED)) {
        return status;
    }
    if (so_flag_set(req->conf->alternates)) {
        const char *link, *html = NULL;
        const char *origin = so_flag_on(req->conf->absolute)
                             ? req_origin(req) : "";
        apr_uint64_t serials[SO_LINKS_CACHE_MAX_TEXTS];
        int n = variant_serials(req, rest, serials);
        int want_html = status == OK && answer->note;

        if (!n || !so_cache_links_get(req->cache, serials, n, origin,
                                      req->r->pool, &link,
                                      want_html ? &html : NULL)) {
            variants = group_variants(req, rest, m, rule,
                                      status == OK ? answer->location
                                                   : NULL);
            /* the note's list too, when there is a note or the thread
             * keeps both: one scan for both */
            so_link_render(req->r->pool, variants, &link,
                           want_html || n ? &html : NULL);
            if (n) {
                so_cache_links_put(req->cache, serials, n, origin, link,
                                   html);
            }
            if (!want_html) {
                html = NULL;
            }
        }
        if (link) {
            req->links = req->links ? apr_pstrcat(req->r->pool, req->links,
                                                  ", ", link, NULL)
                                    : link;
        }
        answer->variants_html = html;
    }
    if (!rule && so_flag_set(req->conf->not_acceptable)) {
        if (!variants) {
            variants = group_variants(req, rest, m, rule, NULL);
        }
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, req->r, "%s %s: no "
                      "variant acceptable, no default: Not Acceptable",
                      req->r->method, req->r->uri);
        apr_table_setn(req->r->notes, "variant-list", apr_pstrcat(
            req->r->pool, "<p>Available variants:</p>\n",
            so_link_html_list(req->r->pool, variants), NULL));
        apr_table_setn(req->r->notes, SO_RULE_NOTE,
                       APR_ARRAY_IDX(req->typed, 0, const so_rule_t *)
                       ->where);
        return HTTP_NOT_ACCEPTABLE;
    }
    return status;
}

/* Try one level's rules: the section's one-argument rules, URL-paths
 * longest first, then regexes in configuration order.  DECLINED when no
 * group had a rule to answer. */
static int decide_level(so_req_t *req, const so_rule_set_t *rules,
                        const so_conf_t *conf, so_answer_t *answer)
{
    request_rec *r = req->r;
    ap_regmatch_t m[SO_MAX_GROUPS];
    so_literal_cursor literals;
    so_regex_cursor regexes;
    const so_literal_key *key;
    const so_group_t *group;
    const so_rule_t *rule;
    const char *rest;
    int i, status;

    (void)conf;
    if (rules->section && (status = group_answer(req, rules->section->rules,
                                                 NULL, NULL, answer))
                          != DECLINED) {
        return status;
    }
    /* URL-paths longest first; map entries are whole paths, so they come
     * right after a URL-path equal to the whole path */
    so_literals_start(&literals, rules->literals, r->uri);
    key = so_literals_next(&literals, &rest);
    if (key && !*rest) {
        if ((status = group_answer(req, key->entries, rest, NULL, answer))
            != DECLINED) {
            return status;
        }
        key = so_literals_next(&literals, &rest);
    }
    for (i = 0; i < rules->maps->nelts; i++) {
        const so_rule_t *map_rule = APR_ARRAY_IDX(rules->maps, i,
                                                  const so_rule_t *);

        int found;

        if (!rule_applies(r, map_rule)) {
            continue;
        }
        found = map_entry_rule(req, map_rule, &rule);
        if (found == OK) {
            return answer_with(req, rule, NULL, NULL, conf, answer);
        }
        if (found != DECLINED) {
            return found;
        }
    }
    for (; key; key = so_literals_next(&literals, &rest)) {
        if ((status = group_answer(req, key->entries, rest, NULL, answer))
            != DECLINED) {
            return status;
        }
    }
    so_regexes_start(&regexes, rules->regexes, r->uri, r->pool);
    while ((group = so_regexes_next(&regexes))) {
        int matched = match_group(req, group, m);

        if (matched < 0) {
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (!matched) {
            log_skipped(r, APR_ARRAY_IDX(group->rules, 0, const so_rule_t *),
                        "its regex does not match");
        }
        else if ((status = group_answer(req, group->rules, NULL, m,
                                        answer)) != DECLINED) {
            return status;
        }
    }
    return DECLINED;
}

/* Vary: Accept and the Link entries of the decision, once per decision:
 * on the module's own 303 in its headers (so_answer_error_document moves
 * them when an ErrorDocument answers instead); otherwise (fall-through,
 * 406, an error) in the error headers, which every answer keeps. */
static void decision_headers(so_req_t *req, int status)
{
    request_rec *r = req->r;
    apr_table_t *t = status == OK ? r->headers_out : r->err_headers_out;

    if (req->vary_accept) {
        apr_table_mergen(t, "Vary", "Accept");
    }
    if (req->links) {
        apr_table_mergen(t, "Link", req->links);
    }
}

int so_decide(request_rec *r, const so_conf_t *conf, so_cache *cache,
              so_answer_t *answer)
{
    so_req_t req = { .r = r, .cache = cache };
    /* room for a negotiated group's usual few typed rules, on the stack */
    const so_rule_t *typed[8];
    apr_array_header_t typed_array = {
        .pool = r->pool, .elt_size = sizeof(typed[0]), .nelts = 0,
        .nalloc = 8, .elts = (char *)typed
    };
    const so_level_t *level;
    int status = DECLINED;

    if (!so_flag_on(conf->engine) || r->uri[0] != '/') {
        return DECLINED;
    }
    req.conf = conf;
    answer->variants_html = NULL;
    if (so_flag_set(conf->alternates) || so_flag_set(conf->not_acceptable)) {
        req.typed = &typed_array;
    }
    for (level = so_conf_chain(conf); level && status == DECLINED;
         level = level->outer) {
        const so_rule_set_t *rules = level_rules(&req, level);

        if (rules) {
            status = decide_level(&req, rules, conf, answer);
        }
    }
    if (status == DECLINED) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE2, 0, r, "%s %s: no rule "
                      "matched the path %s", r->method, r->unparsed_uri,
                      r->uri);
    }
    if (req.vary_accept || req.links) {
        decision_headers(&req, status);
    }
    return status;
}

/* ---- the answer ------------------------------------------------------- */

/* Read the request body to its end, so the connection stays usable (and an
 * HTTP/2 stream is not reset before the client has sent it all). */
static int drain_request_body(request_rec *r)
{
    apr_bucket_brigade *bb;
    int seen_eos = 0;

    if (!ap_request_has_body(r)) {
        return OK;           /* no Content-Length, no Transfer-Encoding */
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    while (!seen_eos) {
        apr_status_t rv = ap_get_brigade(r->input_filters, bb,
                                         AP_MODE_READBYTES, APR_BLOCK_READ,
                                         HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            return ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
        }
        if (APR_BRIGADE_EMPTY(bb)) {
            break;
        }
        seen_eos = APR_BUCKET_IS_EOS(APR_BRIGADE_LAST(bb));
        apr_brigade_cleanup(bb);
    }
    return OK;
}

/* What the note says before the list of variants (SeeOtherAlternates). */
#define VARIANTS_HEADING "<p>Variants:</p>\n"

/* Writes the note in front of EOS and sets Content-Length.  send_answer
 * passes nothing but EOS, so nothing else needs care.  HEAD gets the note
 * too, as a static file's HEAD gets its bytes: filters after this one
 * (mod_deflate, ...) then give it the GET answer's headers, and httpd drops
 * the body. */
static apr_status_t note_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_bucket *e;

    for (e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb);
         e = APR_BUCKET_NEXT(e)) {
        if (APR_BUCKET_IS_EOS(e)) {
            apr_size_t len;
            const so_answer_t *answer = f->ctx;
            char *note;

            if (answer->variants_html && !answer->note_template) {
                /* the module's note, the variants in place at once */
                note = so_note_render_with(f->r->pool, answer->location,
                                           VARIANTS_HEADING,
                                           answer->variants_html, &len);
            }
            else {
                note = so_note_render_template(f->r->pool,
                                               answer->note_template,
                                               answer->location, &len);
                if (answer->variants_html) {
                    note = so_link_insert_html(f->r->pool, note, len,
                                               VARIANTS_HEADING,
                                               answer->variants_html, &len);
                }
            }

            ap_set_content_length(f->r, (apr_off_t)len);
            APR_BUCKET_INSERT_BEFORE(e, apr_bucket_pool_create(
                note, len, f->r->pool, f->c->bucket_alloc));
            ap_remove_output_filter(f);
            break;
        }
    }
    return ap_pass_brigade(f->next, bb);
}

/* A header of the decision (decision_headers), from the response headers
 * to the error headers. */
static void move_header(request_rec *r, const char *name)
{
    const char *value = apr_table_get(r->headers_out, name);

    if (value) {
        apr_table_mergen(r->err_headers_out, name, value);
        apr_table_unset(r->headers_out, name);
    }
}

int so_answer_error_document(request_rec *r, const so_answer_t *answer)
{
    int status;

    if (!ap_response_code_string(r, ap_index_of_response(answer->status))) {
        return OK;
    }
    if ((status = drain_request_body(r)) != OK) {
        return status;
    }
    apr_table_setn(r->headers_out, "Location", answer->location);
    apr_table_setn(r->notes, SO_RULE_NOTE, answer->rule->where);
    /* httpd's error answer keeps the error headers only */
    move_header(r, "Vary");
    move_header(r, "Link");
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "ErrorDocument %d "
                  "answers in place of the note", answer->status);
    return answer->status;
}

int so_send_answer(request_rec *r, const so_answer_t *answer)
{
    apr_bucket_brigade *bb;
    int status = drain_request_body(r);

    if (status != OK) {
        return status;
    }
    r->status = answer->status;
    apr_table_setn(r->headers_out, "Location", answer->location);
    apr_table_setn(r->notes, SO_RULE_NOTE, answer->rule->where);
    if (answer->note) {
        ap_set_content_type(r, "text/html; charset=utf-8");
        so_answer_t *copy = apr_pmemdup(r->pool, answer, sizeof(*answer));

        ap_add_output_filter_handle(note_filter_handle, copy, r,
                                    r->connection);
    }
    else {
        r->content_type = NULL;
        ap_set_content_length(r, 0);
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS
           ? OK : AP_FILTER_ERROR;
}


void so_answer_init(const module *m)
{
    self = m;
    match_limits = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(match_limits, SO_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(match_limits, SO_REGEX_DEPTH_LIMIT);
    note_filter_handle = ap_register_output_filter(NOTE_FILTER, note_filter,
                                                   NULL, AP_FTYPE_RESOURCE);
}
