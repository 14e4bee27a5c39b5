/* so_config.c: directive parsing, the .htaccess parse cache and map
 * loading (see so_config.h).
 *
 * Every parser writes into a parse context: the pool the rule will live
 * in (the configuration's, the cache's, or the request's when the cache
 * is full) and the cache being filled, whose lock is then held.  Nothing
 * infers where it is from the pool it was given.
 */

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"

#include "apr_file_info.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include <limits.h>
#include <stdlib.h>

#include "so_accept.h"
#include "so_config.h"

/* The module whose configuration this file fills, set once by
 * so_config_init (register_hooks runs before any directive is read). */
static const module *self;
#undef APLOG_MODULE_INDEX
#define APLOG_MODULE_INDEX (self->module_index)

/* The largest map file a .htaccess may name: it is held in every child
 * that serves the site (docs/security.md). */
#define SO_HTACCESS_MAP_MAX_BYTES (16 * 1024 * 1024)

/* Where a directive line is being parsed into. */
typedef struct {
    cmd_parms *cmd;
    apr_pool_t *pool;        /* the rule and its error message live here */
    so_cache *filling;       /* the cache being filled (its lock held), or
                              * NULL */
} parse_ctx;

/* The configuration a rule directive writes to: the server's for rules
 * outside any section, else the section's (or .htaccess's). */
static so_conf_t *conf_for(cmd_parms *cmd, void *dconf)
{
    if (cmd->path == NULL) {
        return ap_get_module_config(cmd->server->module_config,
                                    self);
    }
    return dconf;
}

/* Parsed inside .htaccess (not the server config or a section there)? */
static int in_htaccess(const cmd_parms *cmd)
{
    return !(cmd->override & (ACCESS_CONF | RSRC_CONF));
}

/* Where a parsed rule goes.  In .htaccess, with the process cache, the
 * rule joins the level's pending list: the indexed set is looked up (or
 * built once) when the level is first consulted. */
static void file_rule(cmd_parms *cmd, void *dconf, const so_rule_t *rule,
                      const so_cache *cache)
{
    so_level_add(cmd->pool, so_conf_level(cmd->pool, conf_for(cmd, dconf)),
                 rule, cache && in_htaccess(cmd));
}

static const char *fail(cmd_parms *cmd, const char *why)
{
    return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", why, NULL);
}

/* ---- words and options ------------------------------------------------ */

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

static const char *parse_methods(parse_ctx *ctx, so_rule_t *rule,
                                 const char *list)
{
    char *copy = apr_pstrdup(ctx->pool, list), *last, *name;

    rule->any_method = 0;
    for (name = apr_strtok(copy, ",", &last); name;
         name = apr_strtok(NULL, ",", &last)) {
        const char *c;
        int num;

        for (c = name; so_is_token_char(*c); c++) {
            continue;
        }
        if (*c || c == name) {
            return apr_psprintf(ctx->pool, "methods=: '%s' is not a method "
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
                rule->other_methods = apr_array_make(ctx->pool, 1,
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
static const char *parse_accept(parse_ctx *ctx, so_rule_t *rule,
                                const char *list)
{
    char *copy = apr_pstrdup(ctx->pool, list), *last, *item;

    rule->accept = apr_array_make(ctx->pool, 2, sizeof(so_media *));
    for (item = apr_strtok(copy, ",", &last); item;
         item = apr_strtok(NULL, ",", &last)) {
        const char *err = so_media_parse(ctx->pool, item,
                                         apr_array_push(rule->accept));
        if (err) {
            return apr_pstrcat(ctx->pool, "accept=: ", err, NULL);
        }
    }
    return rule->accept->nelts ? NULL : "accept= needs a media type";
}

/* expr=: parsed into the context's pool (ap_expr_parse_cmd would use
 * cmd->pool, which is not where a cached rule lives). */
static const char *parse_expr(parse_ctx *ctx, so_rule_t *rule,
                              const char *text)
{
    ap_expr_info_t *info = apr_pcalloc(ctx->pool, sizeof(*info));

    info->filename = ctx->cmd->directive->filename;
    info->line_number = ctx->cmd->directive->line_num;
    info->module_index = APLOG_MODULE_INDEX;
    rule->cond = info;
    return ap_expr_parse(ctx->pool, ctx->cmd->temp_pool, info, text, NULL);
}

/* Which option words a directive takes beyond the common ones. */
#define OPT_NOCASE 1
#define OPT_EXACT  2
#define OPT_ACCEPT 4

/* Apply the option words from index `first` on; `extra` names the ones
 * this directive takes beyond methods=, query= and expr=.  *nocase
 * reports that flag. */
static const char *parse_options(parse_ctx *ctx, so_rule_t *rule,
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
            err = parse_accept(ctx, rule, w[i] + 7);
        }
        else if (!strncmp(w[i], "methods=", 8)) {
            err = parse_methods(ctx, rule, w[i] + 8);
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
            err = parse_expr(ctx, rule, w[i] + 5);
            if (err) {
                err = apr_psprintf(ctx->pool, "cannot parse expr=%s: %s",
                                   w[i] + 5, err);
            }
        }
        else if (!strncmp(w[i], "query=", 6)) {
            err = apr_psprintf(ctx->pool, "query= takes inherit, drop or "
                               "merge, not '%s'", w[i] + 6);
        }
        else {
            err = apr_psprintf(ctx->pool, "unknown option '%s'", w[i]);
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

static so_rule_t *new_rule(parse_ctx *ctx, so_rule_kind kind)
{
    so_rule_t *rule = apr_pcalloc(ctx->pool, sizeof(*rule));

    rule->kind = kind;
    rule->where = apr_psprintf(ctx->pool, "%s:%d",
                               ctx->cmd->directive->filename,
                               ctx->cmd->directive->line_num);
    return rule;
}

/* ---- rules ------------------------------------------------------------ */

/* SeeOther [URL-path] target [option ...] */
static const char *parse_see_other(parse_ctx *ctx, const char *line,
                                   so_rule_t **out)
{
    apr_array_header_t *words = split_words(ctx->cmd->temp_pool, line);
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
            return apr_psprintf(ctx->pool, "URL-path '%s' must begin with "
                                "'/'", url_path);
        }
    }
    else if (ctx->cmd->path == NULL) {
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
    rule = new_rule(ctx, url_path ? SO_RULE_PATH : SO_RULE_SECTION);
    rule->url_path = apr_pstrdup(ctx->pool, url_path);
    if ((err = parse_options(ctx, rule, words, first,
                             OPT_ACCEPT | (url_path ? OPT_EXACT : 0),
                             &nocase))
        || (err = parse_target(ctx->pool, target, &rule->target))) {
        return err;
    }
    *out = rule;
    return NULL;
}

/* Which of scheme and authority the literal text of a template has. */
static const char *compile_template(parse_ctx *ctx, so_rule_t *rule,
                                    const char *target)
{
    so_template *tpl;
    apr_uri_t skeleton;
    const char *err;

    if ((err = so_template_compile(ctx->pool, target, rule->regex->re_nsub,
                                   &tpl))
        || (err = check_target_text(ctx->pool, so_template_skeleton(tpl)))) {
        return err;
    }
    if (!strcmp(so_template_skeleton(tpl), target)) {
        return parse_target(ctx->pool, target, &rule->target);
    }
    if (apr_uri_parse(ctx->pool, so_template_skeleton(tpl), &skeleton)
        != APR_SUCCESS) {
        return apr_psprintf(ctx->pool, "cannot parse target '%s'", target);
    }
    rule->tpl = tpl;
    rule->tpl_scheme = skeleton.scheme != NULL;
    rule->tpl_authority = skeleton.hostinfo != NULL;
    return NULL;
}

/* Compile a pattern; when filling the cache, once per process. */
static ap_regex_t *compile_regex(parse_ctx *ctx, const char *pattern,
                                 int nocase)
{
    const char *key = NULL;
    ap_regex_t *regex = NULL;

    if (ctx->filling) {
        key = so_pattern_key(ctx->cmd->temp_pool, pattern, nocase);
        regex = apr_hash_get(ctx->filling->regexes, key,
                             APR_HASH_KEY_STRING);
    }
    if (!regex) {
        regex = ap_pregcomp(ctx->pool, pattern, AP_REG_EXTENDED
                            | AP_REG_DOLLAR_ENDONLY
                            | (nocase ? AP_REG_ICASE : 0));
        if (regex && ctx->filling) {
            apr_hash_set(ctx->filling->regexes, apr_pstrdup(ctx->pool, key),
                         APR_HASH_KEY_STRING, regex);
        }
    }
    return regex;
}

/* SeeOtherMatch regex target [option ...] */
static const char *parse_see_other_match(parse_ctx *ctx, const char *line,
                                         so_rule_t **out)
{
    apr_array_header_t *words = split_words(ctx->cmd->temp_pool, line);
    char **w = (char **)words->elts;
    so_rule_t *rule;
    const char *err;
    int nocase = 0;

    if (words->nelts < 2 || looks_like_option(w[1])) {
        return "needs a regex and a target (a relative target that looks "
               "like an option is written ./name=value)";
    }
    rule = new_rule(ctx, SO_RULE_REGEX);
    if ((err = parse_options(ctx, rule, words, 2, OPT_NOCASE | OPT_ACCEPT,
                             &nocase))) {
        return err;
    }
    rule->nocase = nocase;
    rule->pattern = apr_pstrdup(ctx->pool, w[0]);
    if (!(rule->regex = compile_regex(ctx, rule->pattern, nocase))) {
        return apr_psprintf(ctx->pool, "cannot compile regex '%s'", w[0]);
    }
    if ((err = compile_template(ctx, rule, w[1]))) {
        return err;
    }
    *out = rule;
    return NULL;
}

/* ---- the .htaccess parse cache ---------------------------------------- */

typedef const char *(*rule_parser)(parse_ctx *ctx, const char *line,
                                   so_rule_t **out);

/* What the cache holds for one line of a .htaccess file: the directive and
 * its arguments as written, and what parsing them gave (a rule or an
 * error). */
typedef struct {
    const command_rec *directive;
    const char *args;
    const so_rule_t *rule;
    const char *err;
} parsed_line;

/* The parsed lines of one .htaccess file, by line number. */
typedef struct {
    const char *name;
    apr_hash_t *lines;                   /* int line -> parsed_line */
} file_lines;

/* The lines of the file being parsed; with the cache lock held.
 * Consecutive directives come from the same file, so the last one is
 * tried first. */
static file_lines *lines_of(so_cache *cache, const char *name)
{
    file_lines *file = cache->last_file;

    if (file && !strcmp(file->name, name)) {
        return file;
    }
    file = apr_hash_get(cache->files, name, APR_HASH_KEY_STRING);
    if (!file) {
        file = apr_palloc(cache->pool, sizeof(*file));
        file->name = apr_pstrdup(cache->pool, name);
        file->lines = apr_hash_make(cache->pool);
        apr_hash_set(cache->files, file->name, APR_HASH_KEY_STRING, file);
    }
    cache->last_file = file;
    return file;
}

static int same_line(const parsed_line *parsed, const cmd_parms *cmd,
                     const char *line)
{
    return parsed->directive == cmd->cmd && !strcmp(parsed->args, line);
}

/* Parse a rule line of .htaccess once per process: httpd reads .htaccess
 * on every request, and compiling regexes and targets each time would
 * cost more than the rest of the request.  A line is known by its file
 * and number, and taken again only if its text is the same.  NULL when
 * the cache is full. */
static const parsed_line *parse_cached(cmd_parms *cmd, so_cache *cache,
                                       const char *line, rule_parser parse)
{
    parse_ctx ctx = { cmd, cache->pool, cache };
    const int *line_num = &cmd->directive->line_num;
    parsed_line *parsed;
    file_lines *file;
    so_rule_t *rule = NULL;

    so_cache_lock(cache);
    file = lines_of(cache, cmd->directive->filename);
    parsed = apr_hash_get(file->lines, line_num, sizeof(*line_num));
    if (parsed && !same_line(parsed, cmd, line)) {
        parsed = NULL;       /* edited: the old entry stays, a request may
                              * still use its rule */
    }
    if (!parsed && so_cache_has_room(cache, 1)) {
        parsed = apr_palloc(cache->pool, sizeof(*parsed));
        parsed->directive = cmd->cmd;
        parsed->args = apr_pstrdup(cache->pool, line);
        parsed->err = parse(&ctx, line, &rule);
        parsed->rule = rule;
        apr_hash_set(file->lines, apr_pmemdup(cache->pool, line_num,
                                              sizeof(*line_num)),
                     sizeof(*line_num), parsed);
        cache->entries++;
    }
    so_cache_unlock(cache);
    return parsed;
}

static const char *add_parsed(cmd_parms *cmd, void *dconf, const char *line,
                              rule_parser parse, so_cache *cache)
{
    const parsed_line *parsed = NULL;
    const so_rule_t *rule;
    const char *err;

    if (cache && in_htaccess(cmd)) {
        parsed = parse_cached(cmd, cache, line, parse);
    }
    if (parsed) {
        rule = parsed->rule;
        err = parsed->err;
    }
    else {
        /* the server configuration, or the cache is full */
        parse_ctx ctx = { cmd, cmd->pool, NULL };
        so_rule_t *fresh = NULL;

        err = parse(&ctx, line, &fresh);
        rule = fresh;
    }
    if (err) {
        return fail(cmd, err);
    }
    file_rule(cmd, dconf, rule, cache);
    return NULL;
}

const char *so_config_see_other(cmd_parms *cmd, void *dconf,
                                const char *line, so_cache *cache)
{
    return add_parsed(cmd, dconf, line, parse_see_other, cache);
}

const char *so_config_see_other_match(cmd_parms *cmd, void *dconf,
                                      const char *line, so_cache *cache)
{
    return add_parsed(cmd, dconf, line, parse_see_other_match, cache);
}

/* ---- maps ------------------------------------------------------------- */

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

/* Log what loading a map had to say without refusing it. */
static void log_map_warnings(cmd_parms *cmd, const apr_array_header_t *w)
{
    int i;

    for (i = 0; i < w->nelts; i++) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "%s (%s:%d):"
                     " %s", cmd->cmd->name, cmd->directive->filename,
                     cmd->directive->line_num,
                     APR_ARRAY_IDX(w, i, const char *));
    }
}

/* Load (a text map) or check (a DBM map, read per request) an opened map
 * file into map; max_bytes bounds a text map (0: no bound). */
static const char *load_map(cmd_parms *cmd, apr_pool_t *p,
                            const so_map_source *src, int dbm,
                            apr_off_t max_bytes, so_map_file *map)
{
    apr_array_header_t *warnings;
    const char *err;

    map->file = src->path;
    map->table = NULL;
    map->mtime = src->mtime;
    map->size = src->size;
    if (dbm) {
        /* A DBM map is never read whole (with Berkeley DB that costs about
         * a second per million entries): it must open now; an entry's
         * target is checked when it is used. */
        return so_map_check_dbm(cmd->temp_pool, src);
    }
    warnings = apr_array_make(cmd->temp_pool, 0, sizeof(const char *));
    err = so_map_table_read(p, src, max_bytes, check_map_target, warnings,
                            (so_map_table **)&map->table);
    log_map_warnings(cmd, warnings);
    return err;
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

/* A copy of the map rule `model` whose map is loaded from src into p. */
static const char *load_map_rule(cmd_parms *cmd, apr_pool_t *p,
                                 const so_map_source *src, int dbm,
                                 const so_rule_t *model, so_rule_t **out)
{
    so_rule_t *rule = apr_palloc(p, sizeof(*rule));
    so_map_file *map = apr_palloc(p, sizeof(*map));
    so_map_source own = *src;
    const char *err;

    *rule = *model;
    *map = *model->map;
    rule->map = map;
    rule->where = apr_pstrdup(p, model->where);
    map->prefix = apr_pstrdup(p, map->prefix);
    own.path = apr_pstrdup(p, src->path);
    if ((err = load_map(cmd, p, &own, dbm, SO_HTACCESS_MAP_MAX_BYTES,
                        map))) {
        return err;
    }
    *out = rule;
    return NULL;
}

/* A .htaccess map, loaded once per process and again when the file
 * changes.  The map and its rule stay while the file is unchanged, so the
 * indexed rule set of the .htaccess is reused.  The file is opened once
 * and read outside the cache lock, into a pool of its own, then filed. */
static const char *cached_map_rule(cmd_parms *cmd, so_cache *cache,
                                   const so_map_source *src, int dbm,
                                   const so_rule_t *model,
                                   const so_rule_t **out)
{
    const char *key = apr_psprintf(cmd->temp_pool, "%s\n%s\n%d",
                                   src->path, model->where, dbm);
    const so_rule_t *cached;
    so_rule_t *fresh;
    apr_pool_t *pool;
    const char *err;
    int room;

    so_cache_lock(cache);
    cached = apr_hash_get(cache->maps, key, APR_HASH_KEY_STRING);
    room = so_cache_has_room(cache, 1);
    so_cache_unlock(cache);
    if (cached && cached->map->mtime == src->mtime
        && cached->map->size == src->size) {
        *out = cached;
        return NULL;
    }
    /* new or changed (the old copy stays, a request may still use it);
     * when the cache is full, loaded for this request only */
    pool = room ? so_cache_entry_pool() : cmd->pool;
    if ((err = load_map_rule(cmd, pool, src, dbm, model, &fresh))) {
        err = apr_pstrdup(cmd->pool, err);
        if (room) {
            apr_pool_destroy(pool);
        }
        return err;
    }
    if (room) {
        so_cache_lock(cache);
        apr_hash_set(cache->maps, apr_pstrdup(pool, key),
                     APR_HASH_KEY_STRING, fresh);
        cache->entries++;
        so_cache_unlock(cache);
    }
    *out = fresh;
    return NULL;
}

const char *so_config_see_other_map(cmd_parms *cmd, void *dconf,
                                    const char *line, so_cache *cache)
{
    apr_array_header_t *words = split_words(cmd->temp_pool, line);
    char **w = (char **)words->elts;
    parse_ctx ctx = { cmd, cmd->pool, NULL };
    const so_rule_t *loaded = NULL;
    so_map_source src;
    so_rule_t *rule;
    so_map_file *map;
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
    rule = new_rule(&ctx, SO_RULE_MAP);
    rule->map = map = apr_pcalloc(cmd->pool, sizeof(*map));
    map->prefix = apr_pstrdup(cmd->pool, w[0]);
    map->prefix_len = strlen(map->prefix);
    while (map->prefix_len > 0 && map->prefix[map->prefix_len - 1] == '/') {
        map->prefix_len--;
    }
    if ((err = parse_options(&ctx, rule, words, 2, 0, &nocase))) {
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
    }
    else if (!(file = ap_server_root_relative(cmd->pool, file))) {
        return fail(cmd, apr_psprintf(cmd->pool, "bad map file path '%s'",
                                      w[1]));
    }
    if ((err = so_map_open(cmd->temp_pool, file, &src))) {
        return fail(cmd, err);
    }
    if (in_htaccess(cmd) && cache) {
        err = cached_map_rule(cmd, cache, &src, dbm, rule, &loaded);
    }
    else {
        err = load_map(cmd, cmd->pool, &src, dbm, in_htaccess(cmd)
                       ? SO_HTACCESS_MAP_MAX_BYTES : 0, map);
        loaded = rule;
    }
    apr_file_close(src.file);
    if (err) {
        return fail(cmd, err);
    }
    file_rule(cmd, dconf, loaded, cache);
    return NULL;
}

void so_config_init(const module *m)
{
    self = m;
}

/* Outside any section the setting is the server level's and, through the
 * server's defaults, every section's. */
const char *so_config_flag(cmd_parms *cmd, void *dconf, int on)
{
    int offset = (int)(apr_uintptr_t)cmd->info;

    *(int *)((char *)dconf + offset) = on;
    if (cmd->path == NULL) {
        *(int *)((char *)conf_for(cmd, dconf) + offset) = on;
    }
    return NULL;
}

/* SeeOtherFormatParam NAME: the query parameter that takes the place of
 * the Accept header in negotiated groups. */
const char *so_config_format_param(cmd_parms *cmd, void *dconf,
                                   const char *name)
{
    const char *c;

    for (c = name; *c; c++) {
        if (*c == '&' || *c == '=' || *c == '#' || *c == '%'
            || !apr_isgraph(*c)) {
            break;
        }
    }
    if (!*name || *c) {
        return fail(cmd, apr_psprintf(cmd->pool, "'%s' is not a query "
                                      "parameter name (no '&', '=', '#', "
                                      "'%%' or spaces)", name));
    }
    ((so_conf_t *)dconf)->format_param = name;
    if (cmd->path == NULL) {
        conf_for(cmd, dconf)->format_param = name;
    }
    return NULL;
}
