/* mod_see_other: answer configured requests with 303 See Other.
 *
 * RFC 9110 section 15.4.4: a 303 sends the client to fetch another resource
 * with GET.  Post/Redirect/Get answers a form POST with one, and Linked
 * Data answers a GET on the identifier of a thing with one.
 *
 *   SeeOther      URL-path target [option ...]   segment-aware prefix
 *   SeeOther      target [option ...]            in a section/.htaccess
 *   SeeOtherMatch regex target [option ...]      $0..$9 in the target
 *   SeeOtherMap   URL-prefix [txt:|dbm:]file [option ...]
 *   SeeOtherEngine | SeeOtherAbsolute  on|off
 *   SeeOtherNote  on|off|all       all: also others' bodiless 303s
 *   SeeOtherNoteTemplate file      the note's wording
 *   SeeOtherLegacyStatus 302|303   for HTTP/1.0 requests
 *
 *   options: methods=M[,M...]  query=inherit|drop|merge  expr=EXPRESSION
 *            accept=TYPE[,TYPE...]  (SeeOther, SeeOtherMatch)
 *            exact (SeeOther URL-path form)  nocase (SeeOtherMatch)
 *
 * Rules written at server or virtual host level are decided and answered
 * in translate_name, before httpd touches the filesystem.  Rules in
 * sections and .htaccess are decided with the merged per-directory
 * configuration, level by level from the nearest outward, and answered in
 * the first fixup, before mod_dir can change the path.
 *
 * This file is the top of the module: configuration records, the command
 * table, the hooks.  Below it, each layer calling only downward:
 *   so_config.c (directives)   so_answer.c (decide, answer, note filter)
 *   so_complete.c (SeeOtherNote All: the note of others' 303s)
 *   so_model.c (rules, rule sets, level chains)   so_cache.c (per process)
 *   pure units: so_uri, so_index, so_template, so_map, so_accept, so_note
 */

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "so_answer.h"
#include "so_complete.h"
#include "so_config.h"

module AP_MODULE_DECLARE_DATA see_other_module;

#ifndef SO_VERSION
#define SO_VERSION "unknown"     /* the Makefile passes VERSION's */
#endif

/* The per-process cache: made in child_init, NULL in the parent.  Only
 * this file sees it; it is passed down to the layers that use it. */
static so_cache *process_cache;

/* ---- configuration ---------------------------------------------------- */

static void *create_dir_conf(apr_pool_t *p, char *dir)
{
    (void)dir;
    return so_conf_make(p);
}

static void *create_server_conf(apr_pool_t *p, server_rec *s)
{
    (void)s;
    return so_conf_make(p);
}

static void *merge_conf(apr_pool_t *p, void *base, void *add)
{
    return so_conf_merge(p, base, add);
}

static const char *cmd_see_other(cmd_parms *cmd, void *dconf,
                                 const char *line)
{
    return so_config_see_other(cmd, dconf, line, process_cache);
}

static const char *cmd_see_other_match(cmd_parms *cmd, void *dconf,
                                       const char *line)
{
    return so_config_see_other_match(cmd, dconf, line, process_cache);
}

static const char *cmd_see_other_map(cmd_parms *cmd, void *dconf,
                                     const char *line)
{
    return so_config_see_other_map(cmd, dconf, line, process_cache);
}

/* ---- hooks ------------------------------------------------------------ */

/* Decide with one configuration's rules and, when one answers, answer in
 * place of a handler: run insert_filter as ap_invoke_handler would
 * (mod_headers and other filters apply to the 303 as to any answer), send
 * the 303, and end the request's processing with DONE.  Subrequests are
 * never redirected. */
static int decide_and_answer(request_rec *r, ap_conf_vector_t *config)
{
    so_answer_t answer;
    int status;

    if (r->main) {
        return DECLINED;
    }
    status = so_decide(r, ap_get_module_config(config, &see_other_module),
                       process_cache, &answer);
    if (status != OK) {
        return status;
    }
    /* an ErrorDocument for the status: httpd answers, as for mod_alias */
    if ((status = so_answer_error_document(r, &answer)) != OK) {
        return status;
    }
    ap_run_insert_filter(r);
    status = so_send_answer(r, &answer);
    return status == OK ? DONE : status;
}

/* Server-level rules, before any filesystem work: no stat, no directory
 * walk, no .htaccess. */
static int see_other_translate(request_rec *r)
{
    return decide_and_answer(r, r->server->module_config);
}

/* Section and .htaccess rules, in the first fixup: the per-directory
 * configuration is complete, and mod_dir's fixup (DirectorySlash's 301,
 * the DirectoryIndex lookup) has not yet changed the path they must see;
 * a handler would come too late. */
static int see_other_fixups(request_rec *r)
{
    return decide_and_answer(r, r->per_dir_config);
}

/* The version, in the Server header (with ServerTokens Full) and in the
 * error log at start-up (LogLevel info). */
static int see_other_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                 apr_pool_t *ptemp, server_rec *s)
{
    (void)plog;
    (void)ptemp;
    ap_add_version_component(pconf, "mod_see_other/" SO_VERSION);
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "mod_see_other/" SO_VERSION
                 " configured");
    return OK;
}

/* SeeOtherNote All: the completion filter, for whatever handler answers. */
static void see_other_insert_filter(request_rec *r)
{
    so_complete_insert(r, ap_get_module_config(r->per_dir_config,
                                               &see_other_module));
}

static void see_other_child_init(apr_pool_t *p, server_rec *s)
{
    (void)s;
    process_cache = so_cache_make(p);
}

static const command_rec see_other_cmds[] = {
    AP_INIT_RAW_ARGS("SeeOther", cmd_see_other, NULL,
                     RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                     "[URL-path] target [option ...]: answer 303 See Other"),
    AP_INIT_RAW_ARGS("SeeOtherMatch", cmd_see_other_match, NULL,
                     RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                     "regex target [option ...]: answer 303, $0..$9 in "
                     "the target"),
    AP_INIT_RAW_ARGS("SeeOtherMap", cmd_see_other_map, NULL,
                     RSRC_CONF | OR_FILEINFO,
                     "URL-prefix [txt:|dbm:]file [option ...]: one exact "
                     "path and target per entry"),
    AP_INIT_FLAG("SeeOtherEngine", so_config_flag,
                 (void *)APR_OFFSETOF(so_conf_t, engine),
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On or Off: whether SeeOther rules apply here"),
    AP_INIT_FLAG("SeeOtherAbsolute", so_config_flag,
                 (void *)APR_OFFSETOF(so_conf_t, absolute),
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On: absolute Location; Off: same-origin targets as "
                 "/path"),
    AP_INIT_TAKE1("SeeOtherNote", so_config_note,
                  (void *)APR_OFFSETOF(so_conf_t, note),
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "On, Off or All: whether the 303 carries a hypertext "
                  "note (All: also the bodiless 303s of other handlers)"),
    AP_INIT_TAKE1("SeeOtherNoteTemplate", so_config_note_template, NULL,
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "FILE: the note's UTF-8 HTML, {{location}} standing for "
                  "the escaped Location"),
    AP_INIT_TAKE1("SeeOtherLegacyStatus", so_config_legacy_status,
                  (void *)APR_OFFSETOF(so_conf_t, legacy_status),
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "302 or 303: the status of the module's answers to "
                  "HTTP/1.0 requests"),
    {NULL}
};

/* SeeOther rules come before mod_rewrite's and mod_alias's, whatever the
 * LoadModule order: a rule written for one purpose (this URL-path gets a
 * 303) wins over general machinery (a rewrite to a front controller, a
 * catch-all Redirect), and an admin reading the configuration need not
 * know the order modules were loaded in (docs/howto-coexist.md). */
static const char *const before_rewrite_and_alias[] = {
    "mod_rewrite.c", "mod_alias.c", NULL
};

static void register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_post_config(see_other_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(see_other_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(see_other_translate, NULL,
                           before_rewrite_and_alias, APR_HOOK_FIRST);
    ap_hook_fixups(see_other_fixups, NULL, before_rewrite_and_alias,
                   APR_HOOK_FIRST);
    so_config_init(&see_other_module);
    so_answer_init(&see_other_module);
    so_complete_init(&see_other_module);
    ap_hook_insert_filter(see_other_insert_filter, NULL, NULL,
                          APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(see_other) = {
    STANDARD20_MODULE_STUFF,
    create_dir_conf,
    merge_conf,
    create_server_conf,
    merge_conf,
    see_other_cmds,
    register_hooks,
    AP_MODULE_FLAG_NONE
};
