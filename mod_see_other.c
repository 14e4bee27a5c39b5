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
 *   SeeOtherEngine | SeeOtherAbsolute | SeeOtherNote  on|off
 *
 *   options: methods=M[,M...]  query=inherit|drop|merge  expr=EXPRESSION
 *            nocase (SeeOtherMatch only)
 *
 * Rules written at server or virtual host level are decided and answered
 * in translate_name, before httpd touches the filesystem.  Rules in
 * sections and .htaccess are decided with the merged per-directory
 * configuration, level by level from the nearest outward, and answered in
 * the first fixup, before mod_dir can change the path.  The answer's body,
 * a short note linking to the Location, comes from an output filter.
 *
 * The URI arithmetic (so_uri), rule tables and templates (so_rule), the
 * note (so_note), map files (so_map) and negotiation (so_accept) are pure
 * units with their own tests.  The httpd glue is this file (configuration,
 * directives, hooks) and so_answer.c (deciding a request, sending the 303);
 * see_other.h holds what they share.
 */

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "apr_lib.h"
#include "apr_strings.h"

#include <limits.h>
#include <stdlib.h>

#include "see_other.h"
#include "so_accept.h"

#define NOTE_FILTER "SEE_OTHER_NOTE"

so_cache_t *so_cache;
ap_filter_rec_t *so_note_filter_handle;

/* ---- configuration ---------------------------------------------------- */

static void *create_conf(apr_pool_t *p, char *dummy)
{
    so_conf_t *conf = apr_pcalloc(p, sizeof(*conf));

    (void)dummy;
    conf->engine = conf->absolute = conf->note = UNSET;
    return conf;
}

static void *create_server_conf(apr_pool_t *p, server_rec *s)
{
    (void)s;
    return create_conf(p, NULL);
}

/* The levels a configuration contributes, nearest first; *sealed when it
 * hides everything outer (SeeOtherEngine off). */
const so_level_t *so_chain_of(const so_conf_t *conf, int *sealed)
{
    if (conf->merged) {
        *sealed = conf->sealed;
        return conf->chain;
    }
    *sealed = (conf->engine == 0);
    return conf->engine == 0 ? NULL : conf->own;
}

/* inner's levels in front of outer's.  Only inner's nodes are copied (one
 * per merged section, usually one); outer's list is shared. */
static const so_level_t *join_chains(apr_pool_t *p, const so_level_t *inner,
                                     const so_level_t *outer)
{
    so_level_t *head = NULL, **tail = &head;

    if (!outer) {
        return inner;
    }
    for (; inner; inner = inner->outer) {
        *tail = apr_palloc(p, sizeof(**tail));
        (*tail)->rules = inner->rules;
        tail = (so_level_t **)&(*tail)->outer;
    }
    *tail = (so_level_t *)outer;
    return head;
}

static void *merge_conf(apr_pool_t *p, void *basev, void *addv)
{
    const so_conf_t *base = basev, *add = addv;
    so_conf_t *conf = apr_palloc(p, sizeof(*conf));
    const so_level_t *inner, *outer;
    int inner_sealed, outer_sealed;

    conf->engine = add->engine != UNSET ? add->engine : base->engine;
    conf->absolute = add->absolute != UNSET ? add->absolute : base->absolute;
    conf->note = add->note != UNSET ? add->note : base->note;
    conf->own = NULL;
    conf->merged = 1;
    inner = so_chain_of(add, &inner_sealed);
    outer = so_chain_of(base, &outer_sealed);
    if (inner_sealed) {
        conf->chain = inner;
        conf->sealed = 1;
    }
    else {
        conf->chain = join_chains(p, inner, outer);
        conf->sealed = outer_sealed;
    }
    return conf;
}

/* The configuration a rule directive writes to: the server's for rules
 * outside any section, else the section's (or .htaccess's). */
static so_conf_t *conf_for(cmd_parms *cmd, void *dconf)
{
    if (cmd->path == NULL) {
        return ap_get_module_config(cmd->server->module_config,
                                    &see_other_module);
    }
    return dconf;
}

so_rules_t *so_make_rules(apr_pool_t *p)
{
    so_rules_t *rules = apr_pcalloc(p, sizeof(*rules));

    rules->literals = so_literals_make(p);
    rules->regexes = so_regexes_make(p);
    rules->patterns = apr_hash_make(p);
    rules->maps = apr_array_make(p, 1, sizeof(so_rule_t *));
    return rules;
}

static so_rules_t *rules_of(apr_pool_t *p, so_conf_t *conf)
{
    if (!conf->own) {
        conf->own = apr_palloc(p, sizeof(*conf->own));
        conf->own->rules = so_make_rules(p);
        conf->own->outer = NULL;
    }
    return (so_rules_t *)conf->own->rules;
}

static so_group_t *new_group(apr_pool_t *p, ap_regex_t *regex)
{
    so_group_t *group = apr_palloc(p, sizeof(*group));

    group->regex = regex;
    group->rules = apr_array_make(p, 1, sizeof(so_rule_t *));
    return group;
}

static void add_to_group(so_group_t *group, const so_rule_t *rule)
{
    *(const so_rule_t **)apr_array_push(group->rules) = rule;
}

/* What tells regexes apart: the pattern and its case flag. */
static const char *pattern_key(apr_pool_t *p, const char *pattern,
                               int nocase)
{
    return apr_pstrcat(p, nocase ? "i:" : ":", pattern, NULL);
}

/* File a rule where matching will look for it. */
void so_add_rule(apr_pool_t *p, so_rules_t *rules, const so_rule_t *rule)
{
    so_group_t *group;
    const char *key;

    switch (rule->kind) {
    case RULE_SECTION:
        if (!rules->section) {
            rules->section = new_group(p, NULL);
        }
        add_to_group(rules->section, rule);
        break;
    case RULE_PATH:
        so_literals_add(rules->literals, rule->url_path, rule);
        break;
    case RULE_REGEX:
        /* rules of one pattern form one group, at its first place */
        key = pattern_key(p, rule->pattern, rule->nocase);
        group = apr_hash_get(rules->patterns, key, APR_HASH_KEY_STRING);
        if (!group) {
            group = new_group(p, rule->regex);
            apr_hash_set(rules->patterns, key, APR_HASH_KEY_STRING, group);
            so_regexes_add(rules->regexes, rule->pattern, rule->nocase,
                           group);
        }
        add_to_group(group, rule);
        break;
    case RULE_MAP:
        *(const so_rule_t **)apr_array_push(rules->maps) = rule;
        break;
    }
}

/* Parsed inside .htaccess (not the server config or a section there)? */
static int in_htaccess(const cmd_parms *cmd)
{
    return !(cmd->override & (ACCESS_CONF | RSRC_CONF));
}

/* Where a parsed rule goes.  In .htaccess, with the process cache, the
 * rule joins the level's pending list: the indexed set is looked up (or
 * built once) when the level is first consulted. */
static void file_rule(cmd_parms *cmd, void *dconf, const so_rule_t *rule)
{
    so_rules_t *rules = rules_of(cmd->pool, conf_for(cmd, dconf));

    if (so_cache && in_htaccess(cmd)) {
        if (!rules->pending) {
            rules->pending = apr_array_make(cmd->pool, 8,
                                            sizeof(so_rule_t *));
        }
        *(const so_rule_t **)apr_array_push(rules->pending) = rule;
    }
    else {
        so_add_rule(cmd->pool, rules, rule);
    }
}

/* Next word of a directive line.  Like ap_getword_conf, and also takes
 * NAME="quoted value" as one word, so expr="..." needs no outer quotes. */
static char *next_word(apr_pool_t *p, const char **line)
{
    const char *s = *line, *eq;

    while (apr_isspace(*s)) {
        s++;
    }
    for (eq = s; apr_isalpha(*eq); eq++) {
        continue;
    }
    if (eq > s && *eq == '=' && (eq[1] == '"' || eq[1] == '\'')) {
        const char *rest = eq + 1;
        char *value = ap_getword_conf(p, &rest);

        *line = rest;
        return apr_pstrcat(p, apr_pstrmemdup(p, s, (apr_size_t)(eq - s + 1)),
                           value, NULL);
    }
    *line = s;
    return ap_getword_conf(p, line);
}

static apr_array_header_t *split_words(apr_pool_t *p, const char *line)
{
    apr_array_header_t *words = apr_array_make(p, 4, sizeof(char *));

    while (*line) {
        char *w = next_word(p, &line);

        if (*w) {
            *(char **)apr_array_push(words) = w;
        }
    }
    return words;
}

/* An option word: a known flag, or NAME=... (known or not, so that a
 * misspelt option is an error and not taken for a target). */
static int looks_like_option(const char *w)
{
    const char *s = w;

    if (!strcmp(w, "nocase") || !strcmp(w, "exact")) {
        return 1;
    }
    if (!apr_isalpha(*s)) {
        return 0;
    }
    while (apr_isalnum(*s) || *s == '_' || *s == '-') {
        s++;
    }
    return *s == '=';
}

static const char *parse_methods(cmd_parms *cmd, so_rule_t *rule,
                                 const char *list)
{
    char *copy = apr_pstrdup(cmd->pool, list), *last, *name;

    rule->any_method = 0;
    for (name = apr_strtok(copy, ",", &last); name;
         name = apr_strtok(NULL, ",", &last)) {
        const char *c;
        int num;

        for (c = name; so_is_token_char(*c); c++) {
            continue;
        }
        if (*c || c == name) {
            return apr_psprintf(cmd->pool, "methods=: '%s' is not a method "
                                "name", name);
        }
        if (!strcmp(name, "HEAD")) {
            rule->head = 1;
            continue;
        }
        num = ap_method_number_of(name);
        if (num != M_INVALID && num < 64) {
            rule->method_mask |= AP_METHOD_BIT << num;
        }
        else {
            if (!rule->other_methods) {
                rule->other_methods = apr_array_make(cmd->pool, 1,
                                                     sizeof(char *));
            }
            *(const char **)apr_array_push(rule->other_methods) = name;
        }
    }
    if (!rule->head && !rule->method_mask && !rule->other_methods) {
        return "methods= needs at least one method";
    }
    return NULL;
}

/* accept=TYPE[,TYPE...]: the media types a rule's target serves. */
static const char *parse_accept(cmd_parms *cmd, so_rule_t *rule,
                                const char *list)
{
    char *copy = apr_pstrdup(cmd->pool, list), *last, *item;

    rule->accept = apr_array_make(cmd->pool, 2, sizeof(so_media *));
    for (item = apr_strtok(copy, ",", &last); item;
         item = apr_strtok(NULL, ",", &last)) {
        const char *err = so_media_parse(cmd->pool, item,
                                         apr_array_push(rule->accept));
        if (err) {
            return apr_pstrcat(cmd->pool, "accept=: ", err, NULL);
        }
    }
    return rule->accept->nelts ? NULL : "accept= needs a media type";
}

/* Which option words a directive takes beyond the common ones. */
#define OPT_NOCASE 1
#define OPT_EXACT  2
#define OPT_ACCEPT 4

/* Apply the option words from index `first` on; `extra` names the ones
 * this directive takes beyond methods=, query= and expr=.  *nocase
 * reports that flag. */
static const char *parse_options(cmd_parms *cmd, so_rule_t *rule,
                                 apr_array_header_t *words, int first,
                                 int extra, int *nocase)
{
    char **w = (char **)words->elts;
    int i;

    rule->any_method = 1;
    rule->query = SO_QUERY_INHERIT;
    for (i = first; i < words->nelts; i++) {
        const char *err = NULL;

        if (!strcmp(w[i], "nocase") && (extra & OPT_NOCASE)) {
            *nocase = 1;
        }
        else if (!strcmp(w[i], "exact") && (extra & OPT_EXACT)) {
            rule->exact = 1;
        }
        else if (!strncmp(w[i], "accept=", 7) && (extra & OPT_ACCEPT)) {
            err = parse_accept(cmd, rule, w[i] + 7);
        }
        else if (!strncmp(w[i], "methods=", 8)) {
            err = parse_methods(cmd, rule, w[i] + 8);
        }
        else if (!strcmp(w[i], "query=inherit")) {
            rule->query = SO_QUERY_INHERIT;
        }
        else if (!strcmp(w[i], "query=drop")) {
            rule->query = SO_QUERY_DROP;
        }
        else if (!strcmp(w[i], "query=merge")) {
            rule->query = SO_QUERY_MERGE;
        }
        else if (!strncmp(w[i], "expr=", 5)) {
            rule->cond = ap_expr_parse_cmd(cmd, w[i] + 5, 0, &err, NULL);
            if (err) {
                err = apr_psprintf(cmd->pool, "cannot parse expr=%s: %s",
                                   w[i] + 5, err);
            }
        }
        else if (!strncmp(w[i], "query=", 6)) {
            err = apr_psprintf(cmd->pool, "query= takes inherit, drop or "
                               "merge, not '%s'", w[i] + 6);
        }
        else {
            err = apr_psprintf(cmd->pool, "unknown option '%s'", w[i]);
        }
        if (err) {
            return err;
        }
    }
    return NULL;
}

/* A target must already be a URI reference: no byte that would need
 * percent-encoding to stand in a Location header. */
static int is_uri_byte(unsigned char c)
{
    switch (c) {
    case '"': case '<': case '>': case '\\': case '^': case '`':
    case '{': case '|': case '}':
        return 0;
    }
    return c > ' ' && c < 0x7f;
}

static const char *check_target_text(apr_pool_t *p, const char *target)
{
    const unsigned char *s;

    for (s = (const unsigned char *)target; *s; s++) {
        if (!is_uri_byte(*s)) {
            return apr_psprintf(p, "target '%s' is not a URI reference "
                                "(percent-encode byte 0x%02X)", target, *s);
        }
    }
    return NULL;
}

static const char *parse_target(apr_pool_t *p, const char *text,
                                apr_uri_t *uri)
{
    const char *err = check_target_text(p, text);

    if (err) {
        return err;
    }
    if (apr_uri_parse(p, text, uri) != APR_SUCCESS) {
        return apr_psprintf(p, "cannot parse target '%s'", text);
    }
    return NULL;
}

static so_rule_t *new_rule(cmd_parms *cmd, rule_kind kind)
{
    so_rule_t *rule = apr_pcalloc(cmd->pool, sizeof(*rule));

    rule->kind = kind;
    rule->where = apr_psprintf(cmd->pool, "%s:%d",
                               cmd->directive->filename,
                               cmd->directive->line_num);
    return rule;
}

static const char *fail(cmd_parms *cmd, const char *why)
{
    return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", why, NULL);
}

/* SeeOther [URL-path] target [option ...] */
static const char *parse_see_other(cmd_parms *cmd, const char *line,
                                   so_rule_t **out)
{
    apr_array_header_t *words = split_words(cmd->temp_pool, line);
    char **w = (char **)words->elts;
    const char *url_path = NULL, *target, *err;
    so_rule_t *rule;
    int first, nocase = 0;

    if (words->nelts == 0 || looks_like_option(w[0])) {
        return "needs a target before its options (a relative target "
               "that looks like an option is written ./name=value)";
    }
    if (words->nelts >= 2 && !looks_like_option(w[1])) {
        url_path = w[0];
        target = w[1];
        first = 2;
        if (url_path[0] != '/') {
            return apr_psprintf(cmd->pool, "URL-path '%s' must begin with "
                                "'/'", url_path);
        }
    }
    else if (cmd->path == NULL) {
        return words->nelts >= 2
               ? "needs a URL-path and a target here (the one-argument "
                 "form belongs in a section or .htaccess)"
               : "the one-argument form belongs in a section (<Location>, "
                 "<Directory>, <Files>, <If>, ...) or .htaccess; here "
                 "write SeeOther URL-path target";
    }
    else {
        target = w[0];
        first = 1;
    }
    rule = new_rule(cmd, url_path ? RULE_PATH : RULE_SECTION);
    rule->url_path = apr_pstrdup(cmd->pool, url_path);
    if ((err = parse_options(cmd, rule, words, first,
                             OPT_ACCEPT | (url_path ? OPT_EXACT : 0),
                             &nocase))
        || (err = parse_target(cmd->pool, target, &rule->target))) {
        return err;
    }
    *out = rule;
    return NULL;
}

/* Which of scheme and authority the literal text of a template has. */
static const char *compile_template(cmd_parms *cmd, so_rule_t *rule,
                                    const char *target)
{
    so_template *tpl;
    apr_uri_t skeleton;
    const char *err;

    if ((err = so_template_compile(cmd->pool, target, rule->regex->re_nsub,
                                   &tpl))
        || (err = check_target_text(cmd->pool, so_template_skeleton(tpl)))) {
        return err;
    }
    if (!strcmp(so_template_skeleton(tpl), target)) {
        return parse_target(cmd->pool, target, &rule->target);
    }
    if (apr_uri_parse(cmd->pool, so_template_skeleton(tpl), &skeleton)
        != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "cannot parse target '%s'", target);
    }
    rule->tpl = tpl;
    rule->tpl_scheme = skeleton.scheme != NULL;
    rule->tpl_authority = skeleton.hostinfo != NULL;
    return NULL;
}

/* Compile a pattern; in a child, once per process. */
static ap_regex_t *compile_regex(cmd_parms *cmd, const char *pattern,
                                 int nocase)
{
    const char *key = pattern_key(cmd->temp_pool, pattern, nocase);
    ap_regex_t *regex = so_cache ? apr_hash_get(so_cache->regexes, key,
                                             APR_HASH_KEY_STRING) : NULL;
    if (!regex) {
        regex = ap_pregcomp(cmd->pool, pattern, AP_REG_EXTENDED
                            | AP_REG_DOLLAR_ENDONLY
                            | (nocase ? AP_REG_ICASE : 0));
        if (regex && so_cache && cmd->pool == so_cache->pool) {
            apr_hash_set(so_cache->regexes, apr_pstrdup(so_cache->pool, key),
                         APR_HASH_KEY_STRING, regex);
        }
    }
    return regex;
}

/* SeeOtherMatch regex target [option ...] */
static const char *parse_see_other_match(cmd_parms *cmd, const char *line,
                                         so_rule_t **out)
{
    apr_array_header_t *words = split_words(cmd->temp_pool, line);
    char **w = (char **)words->elts;
    so_rule_t *rule;
    const char *err;

    if (words->nelts < 2 || looks_like_option(w[1])) {
        return "needs a regex and a target (a relative target that looks "
               "like an option is written ./name=value)";
    }
    rule = new_rule(cmd, RULE_REGEX);
    if ((err = parse_options(cmd, rule, words, 2, OPT_NOCASE | OPT_ACCEPT,
                             &rule->nocase))) {
        return err;
    }
    rule->pattern = apr_pstrdup(cmd->pool, w[0]);
    if (!(rule->regex = compile_regex(cmd, rule->pattern, rule->nocase))) {
        return apr_psprintf(cmd->pool, "cannot compile regex '%s'", w[0]);
    }
    if ((err = compile_template(cmd, rule, w[1]))) {
        return err;
    }
    *out = rule;
    return NULL;
}

typedef const char *(*rule_parser)(cmd_parms *cmd, const char *line,
                                   so_rule_t **out);

/* What the cache holds for one line of a .htaccess file: the directive and
 * its arguments as written, and what parsing them gave (a rule or an
 * error). */
typedef struct {
    const command_rec *directive;
    const char *args;
    const so_rule_t *rule;
    const char *err;
} parse_t;

/* The parsed lines of one .htaccess file, by line number. */
typedef struct file_lines {
    const char *name;
    apr_hash_t *lines;                   /* int line -> parse_t */
} file_lines_t;

/* The lines of the file being parsed; with the lock held.  Consecutive
 * directives come from the same file, so the last one is tried first. */
static file_lines_t *lines_of(const char *name)
{
    file_lines_t *file = so_cache->last_file;

    if (file && !strcmp(file->name, name)) {
        return file;
    }
    file = apr_hash_get(so_cache->files, name, APR_HASH_KEY_STRING);
    if (!file) {
        file = apr_palloc(so_cache->pool, sizeof(*file));
        file->name = apr_pstrdup(so_cache->pool, name);
        file->lines = apr_hash_make(so_cache->pool);
        apr_hash_set(so_cache->files, file->name, APR_HASH_KEY_STRING, file);
    }
    return so_cache->last_file = file;
}

/* Parse a rule line of .htaccess once per process: httpd reads .htaccess
 * on every request, and compiling regexes and targets each time would
 * cost more than the rest of the request.  A line is known by its file
 * and number, and taken again only if its text is the same. */
static const char *parse_cached(cmd_parms *cmd, const char *line,
                                rule_parser parse, const so_rule_t **out)
{
    apr_pool_t *request_pool = cmd->pool;
    file_lines_t *file;
    parse_t *parsed;
    so_rule_t *rule = NULL;

#if APR_HAS_THREADS
    apr_thread_mutex_lock(so_cache->lock);
#endif
    file = lines_of(cmd->directive->filename);
    parsed = apr_hash_get(file->lines, &cmd->directive->line_num,
                          sizeof(cmd->directive->line_num));
    if ((!parsed || parsed->directive != cmd->cmd
         || strcmp(parsed->args, line))
        && so_cache->entries < CACHE_MAX_ENTRIES) {
        /* new or edited: parse into the cache (the old entry stays, a
         * request may still use its rule) */
        cmd->pool = so_cache->pool;
        parsed = apr_palloc(so_cache->pool, sizeof(*parsed));
        parsed->directive = cmd->cmd;
        parsed->args = apr_pstrdup(so_cache->pool, line);
        parsed->err = parse(cmd, line, &rule);
        parsed->rule = rule;
        cmd->pool = request_pool;
        apr_hash_set(file->lines, apr_pmemdup(so_cache->pool,
                                              &cmd->directive->line_num,
                                              sizeof(int)),
                     sizeof(int), parsed);
        so_cache->entries++;
    }
    else if (parsed && (parsed->directive != cmd->cmd
                        || strcmp(parsed->args, line))) {
        parsed = NULL;
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(so_cache->lock);
#endif
    if (!parsed) {
        /* the cache is full: parse for this request only */
        const char *err = parse(cmd, line, &rule);

        *out = rule;
        return err;
    }
    *out = parsed->rule;
    return parsed->err;
}

static const char *add_parsed(cmd_parms *cmd, void *dconf, const char *line,
                              rule_parser parse)
{
    const so_rule_t *rule = NULL;
    const char *err;

    if (so_cache && in_htaccess(cmd)) {
        err = parse_cached(cmd, line, parse, &rule);
    }
    else {
        so_rule_t *fresh = NULL;

        err = parse(cmd, line, &fresh);
        rule = fresh;
    }
    if (err) {
        return fail(cmd, err);
    }
    file_rule(cmd, dconf, rule);
    return NULL;
}

static const char *cmd_see_other(cmd_parms *cmd, void *dconf,
                                 const char *line)
{
    return add_parsed(cmd, dconf, line, parse_see_other);
}

static const char *cmd_see_other_match(cmd_parms *cmd, void *dconf,
                                       const char *line)
{
    return add_parsed(cmd, dconf, line, parse_see_other_match);
}

/* Check a map target while loading: it must be a URI reference.  Only an
 * authority ("//host:port") can make apr_uri_parse fail, so targets
 * without one are spared the parse: a large map loads in half the time. */
static const char *check_map_target(apr_pool_t *p, const char *target)
{
    apr_uri_t uri;
    const char *err = check_target_text(p, target);

    if (err || !strstr(target, "//")) {
        return err;
    }
    return parse_target(p, target, &uri);
}

/* Load (a text map) or check (a DBM map, read per request) a map file. */
static const char *load_map(apr_pool_t *p, apr_pool_t *scratch,
                            const char *file, int dbm, so_map_t *map)
{
    apr_finfo_t fi;
    apr_status_t rv;

    map->file = file;
    map->table = NULL;
    if ((rv = apr_stat(&fi, file, APR_FINFO_MTIME | APR_FINFO_SIZE
                                  | APR_FINFO_TYPE, scratch))
        != APR_SUCCESS || fi.filetype != APR_REG) {
        char msg[120];

        return apr_psprintf(p, "map file %s: %s", file,
                            rv != APR_SUCCESS
                            ? apr_strerror(rv, msg, sizeof(msg))
                            : "not a regular file");
    }
    map->mtime = fi.mtime;
    map->size = fi.size;
    if (dbm) {
        /* A DBM map is never read whole (with Berkeley DB that costs about
         * a second per million entries): it must open now; an entry's
         * target is checked when it is used. */
        return so_map_check_dbm(scratch, file);
    }
    return so_map_table_load(p, file, check_map_target,
                             (so_map_table **)&map->table);
}

/* The file a .htaccess map names must lie in that .htaccess's own tree:
 * a shared-hosting customer may publish no one else's file. */
static const char *htaccess_map_path(cmd_parms *cmd, const char *file,
                                     const char **out)
{
    const char *htaccess = cmd->directive->filename;
    const char *slash = strrchr(htaccess, '/');
    char *dir, *merged, real_dir[PATH_MAX], real_file[PATH_MAX];
    apr_size_t len;

    /* the directory of the .htaccess file itself: inside <Files> or <If>
     * there, cmd->path is the section's argument, not a directory */
    dir = apr_pstrmemdup(cmd->pool, htaccess,
                         slash ? (apr_size_t)(slash - htaccess + 1) : 0);
    if (apr_filepath_merge(&merged, dir, file, APR_FILEPATH_SECUREROOT,
                           cmd->pool) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "map file '%s' must lie in this "
                            ".htaccess's directory tree, %s", file, dir);
    }
    if (!realpath(dir, real_dir) || !realpath(merged, real_file)) {
        return apr_psprintf(cmd->pool, "cannot read map file %s", merged);
    }
    len = strlen(real_dir);
    if (strncmp(real_file, real_dir, len) || real_file[len] != '/') {
        return apr_psprintf(cmd->pool, "map file '%s' leads outside this "
                            ".htaccess's directory tree, %s", file, dir);
    }
    *out = merged;
    return NULL;
}

/* A .htaccess map, loaded once per process and again when the file
 * changes.  The map and its rule stay while the file is unchanged, so the
 * indexed rule set of the .htaccess is reused. */
static const char *cached_map_rule(cmd_parms *cmd, const char *file, int dbm,
                                   const so_rule_t *model,
                                   const so_rule_t **out)
{
    const char *key = apr_psprintf(cmd->temp_pool, "%s\n%s\n%d", file,
                                   model->where, dbm);
    const so_rule_t *rule;
    const char *err = NULL;
    apr_finfo_t fi;

    if (apr_stat(&fi, file, APR_FINFO_MTIME | APR_FINFO_SIZE, cmd->temp_pool)
        != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "cannot read map file %s", file);
    }
#if APR_HAS_THREADS
    apr_thread_mutex_lock(so_cache->lock);
#endif
    rule = apr_hash_get(so_cache->maps, key, APR_HASH_KEY_STRING);
    if (rule && (rule->map->mtime != fi.mtime || rule->map->size != fi.size)) {
        rule = NULL;         /* changed: load it again (the old copy stays,
                              * a request may still use it) */
    }
    if (!rule && so_cache->entries < CACHE_MAX_ENTRIES) {
        so_rule_t *fresh = apr_palloc(so_cache->pool, sizeof(*fresh));
        so_map_t *map = apr_palloc(so_cache->pool, sizeof(*map));

        *fresh = *model;
        *map = *model->map;
        fresh->map = map;
        fresh->where = apr_pstrdup(so_cache->pool, model->where);
        map->prefix = apr_pstrdup(so_cache->pool, map->prefix);
        if ((err = load_map(so_cache->pool, cmd->temp_pool,
                            apr_pstrdup(so_cache->pool, file), dbm, map))) {
            err = apr_pstrdup(cmd->pool, err);
        }
        else {
            apr_hash_set(so_cache->maps, apr_pstrdup(so_cache->pool, key),
                         APR_HASH_KEY_STRING, fresh);
            so_cache->entries++;
            rule = fresh;
        }
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(so_cache->lock);
#endif
    if (!rule && !err) {
        /* the cache is full: load the map for this request only */
        so_map_t *map = (so_map_t *)model->map;

        if (!(err = load_map(cmd->pool, cmd->temp_pool, file, dbm, map))) {
            rule = model;
        }
    }
    *out = rule;
    return err;
}

/* SeeOtherMap URL-prefix [txt:|dbm:]file [option ...] */
static const char *cmd_see_other_map(cmd_parms *cmd, void *dconf,
                                     const char *line)
{
    apr_array_header_t *words = split_words(cmd->temp_pool, line);
    char **w = (char **)words->elts;
    so_rule_t *rule;
    so_map_t *map;
    const so_rule_t *loaded = NULL;
    const char *file, *err;
    int dbm = 0, nocase = 0;

    if (words->nelts < 2) {
        return fail(cmd, "needs a URL-prefix and a map file");
    }
    if (w[0][0] != '/') {
        return fail(cmd, apr_psprintf(cmd->pool, "URL-prefix '%s' must "
                                      "begin with '/'", w[0]));
    }
    file = w[1];
    if (!strncmp(file, "dbm:", 4)) {
        dbm = 1;
        file += 4;
    }
    else if (!strncmp(file, "txt:", 4)) {
        file += 4;
    }
    rule = new_rule(cmd, RULE_MAP);
    rule->map = map = apr_pcalloc(cmd->pool, sizeof(*map));
    map->prefix = apr_pstrdup(cmd->pool, w[0]);
    map->prefix_len = strlen(map->prefix);
    while (map->prefix_len > 0 && map->prefix[map->prefix_len - 1] == '/') {
        map->prefix_len--;
    }
    if ((err = parse_options(cmd, rule, words, 2, 0, &nocase))) {
        return fail(cmd, err);
    }
    if (cmd->path && !in_htaccess(cmd)) {
        return fail(cmd, "belongs in the server config, a virtual host or "
                    ".htaccess");
    }
    if (in_htaccess(cmd)) {
        if ((err = htaccess_map_path(cmd, file, &file))) {
            return fail(cmd, err);
        }
        if (so_cache) {
            if ((err = cached_map_rule(cmd, file, dbm, rule, &loaded))) {
                return fail(cmd, err);
            }
            file_rule(cmd, dconf, loaded);
            return NULL;
        }
    }
    else if (!(file = ap_server_root_relative(cmd->pool, file))) {
        return fail(cmd, apr_psprintf(cmd->pool, "bad map file path '%s'",
                                      w[1]));
    }
    if ((err = load_map(cmd->pool, cmd->temp_pool, file, dbm, map))) {
        return fail(cmd, err);
    }
    file_rule(cmd, dconf, rule);
    return NULL;
}

/* SeeOtherEngine/Absolute/Note: outside any section the setting is the
 * server level's and, through the server's defaults, every section's. */
static const char *set_flag(cmd_parms *cmd, void *dconf, int on)
{
    int offset = (int)(apr_uintptr_t)cmd->info;

    *(int *)((char *)dconf + offset) = on;
    if (cmd->path == NULL) {
        *(int *)((char *)conf_for(cmd, dconf) + offset) = on;
    }
    return NULL;
}

/* ---- hooks ------------------------------------------------------------ */

/* Answer now, in place of a handler: run insert_filter as
 * ap_invoke_handler would (mod_headers and other filters apply to the 303
 * as to any answer), send the 303, and end the request's processing with
 * DONE. */
static int answer_now(request_rec *r, const so_answer_t *answer)
{
    int status;

    ap_run_insert_filter(r);
    status = so_send_answer(r, answer);
    return status == OK ? DONE : status;
}

/* Decide with conf's rules and, when one answers, answer.  Subrequests
 * are never redirected. */
static int decide_and_answer(request_rec *r, ap_conf_vector_t *config)
{
    so_answer_t answer;
    int status;

    if (r->main) {
        return DECLINED;
    }
    status = so_decide(r, ap_get_module_config(config, &see_other_module),
                       &answer);
    return status == OK ? answer_now(r, &answer) : status;
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

static void see_other_child_init(apr_pool_t *p, server_rec *s)
{
    so_cache_t *c = apr_pcalloc(p, sizeof(*c));

    (void)s;
    apr_pool_create(&c->pool, p);
#if APR_HAS_THREADS
    apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p);
#endif
    c->files = apr_hash_make(c->pool);
    c->regexes = apr_hash_make(c->pool);
    c->rule_sets = apr_hash_make(c->pool);
    c->maps = apr_hash_make(c->pool);
    c->dbms = apr_hash_make(c->pool);
    so_cache = c;
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
    AP_INIT_FLAG("SeeOtherEngine", set_flag,
                 (void *)APR_OFFSETOF(so_conf_t, engine),
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On or Off: whether SeeOther rules apply here"),
    AP_INIT_FLAG("SeeOtherAbsolute", set_flag,
                 (void *)APR_OFFSETOF(so_conf_t, absolute),
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On: absolute Location; Off: same-origin targets as "
                 "/path"),
    AP_INIT_FLAG("SeeOtherNote", set_flag,
                 (void *)APR_OFFSETOF(so_conf_t, note),
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On or Off: whether the 303 carries a hypertext note"),
    {NULL}
};

static void register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_child_init(see_other_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(see_other_translate, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(see_other_fixups, NULL, NULL, APR_HOOK_FIRST);
    so_note_filter_handle = ap_register_output_filter(NOTE_FILTER, so_note_filter,
                                                   NULL, AP_FTYPE_RESOURCE);
}

AP_DECLARE_MODULE(see_other) = {
    STANDARD20_MODULE_STUFF,
    create_conf,
    merge_conf,
    create_server_conf,
    merge_conf,
    see_other_cmds,
    register_hooks,
    AP_MODULE_FLAG_NONE
};
