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
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

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

/* The most a .htaccess file's rules (with their compiled regexes and the
 * maps they load) may hold in one process: one tenant can never take what
 * the others need (docs/security.md). */
#define SO_HTACCESS_MAX_BYTES (48 * 1024 * 1024)

/* Where a directive line is being parsed into. */
typedef struct {
    cmd_parms *cmd;
    apr_pool_t *pool;        /* the rule and its error message live here */
    so_cache_gen *filling;   /* the cache generation being filled (the
                              * cache lock held), or NULL */
    apr_size_t bytes;        /* what the parse added to it, estimated */
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
                      const so_cache_gen *origin)
{
    so_level_add(cmd->pool, so_conf_level(cmd->pool, conf_for(cmd, dconf)),
                 rule, origin);
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

/* The words of a directive line.  Room for a usual line's words is kept
 * in the list itself (the parse of a rule needs no array of its own);
 * longer lines spill into the pool. */
#define WORDS_KEPT 8
typedef struct {
    int nelts, nalloc;
    char **elts;
    char *kept[WORDS_KEPT];
} word_list;

static void push_word(apr_pool_t *p, word_list *words, char *w)
{
    if (words->nelts == words->nalloc) {
        char **more = apr_palloc(p, 2 * words->nalloc * sizeof(*more));

        memcpy(more, words->elts, words->nelts * sizeof(*more));
        words->elts = more;
        words->nalloc *= 2;
    }
    words->elts[words->nelts++] = w;
}

/* Split line into words allocated from p.  A line without quotes or
 * backslashes (nearly every rule) is what ap_getword_conf would read word
 * by word: it is copied once, into room (strlen(line) + 1 bytes) when
 * given, and cut in place. */
static void split_words(apr_pool_t *p, const char *line, char *room,
                        word_list *words)
{
    words->nelts = 0;
    words->nalloc = WORDS_KEPT;
    words->elts = words->kept;
    if (!strpbrk(line, "\"'\\")) {
        char *s = room ? strcpy(room, line) : apr_pstrdup(p, line);

        for (;;) {
            while (apr_isspace(*s)) {
                s++;
            }
            if (!*s) {
                return;
            }
            push_word(p, words, s);
            while (*s && !apr_isspace(*s)) {
                s++;
            }
            if (*s) {
                *s++ = '\0';
            }
        }
    }
    while (*line) {
        char *w = next_word(p, &line);

        if (*w) {
            push_word(p, words, w);
        }
    }
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

/* A comma-separated list of option values must have no empty item: a
 * trailing or doubled ',' is most likely a value lost. */
static const char *check_list(apr_pool_t *p, const char *option,
                              const char *list)
{
    apr_size_t len = strlen(list);

    if (len && (list[0] == ',' || list[len - 1] == ','
                || strstr(list, ",,"))) {
        return apr_psprintf(p, "%s'%s' has an empty item: write the values "
                            "separated by single commas, with no comma at "
                            "either end and no space", option, list);
    }
    return NULL;
}

/* An unknown method in other than upper case is most likely a known one
 * miswritten: methods are case-sensitive, and "post" never matches. */
static const char *check_method_case(apr_pool_t *p, const char *name)
{
    char *upper = apr_pstrdup(p, name), *u;

    for (u = upper; *u; u++) {
        *u = apr_toupper(*u);
    }
    if (strcmp(upper, name) && (ap_method_number_of(upper) != M_INVALID
                                || !strcmp(upper, "HEAD"))) {
        return apr_psprintf(p, "methods=: '%s' would never match: method "
                            "names are case-sensitive; write '%s'", name,
                            upper);
    }
    return NULL;
}

static const char *parse_methods(parse_ctx *ctx, so_rule_opts *opts,
                                 const char *list)
{
    char *copy = apr_pstrdup(ctx->pool, list), *last, *name;
    const char *err;

    if ((err = check_list(ctx->pool, "methods=", list))) {
        return err;
    }
    opts->any_method = 0;
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
        if ((err = check_method_case(ctx->pool, name))) {
            return err;
        }
        if (!strcmp(name, "HEAD")) {
            opts->head = 1;
            continue;
        }
        num = ap_method_number_of(name);
        if (num != M_INVALID && num < 64) {
            opts->method_mask |= AP_METHOD_BIT << num;
        }
        else {
            if (!opts->other_methods) {
                opts->other_methods = apr_array_make(ctx->pool, 1,
                                                     sizeof(char *));
            }
            *(const char **)apr_array_push(opts->other_methods) = name;
        }
    }
    if (!opts->head && !opts->method_mask && !opts->other_methods) {
        return "methods= needs at least one method";
    }
    return NULL;
}

/* accept=TYPE[,TYPE...]: the media types a rule's target serves. */
static const char *parse_accept(parse_ctx *ctx, so_rule_opts *opts,
                                const char *list)
{
    char *copy = apr_pstrdup(ctx->pool, list), *last, *item;
    const char *err;

    if ((err = check_list(ctx->pool, "accept=", list))) {
        return err;
    }
    opts->accept = apr_array_make(ctx->pool, 2, sizeof(so_media *));
    for (item = apr_strtok(copy, ",", &last); item;
         item = apr_strtok(NULL, ",", &last)) {
        err = so_media_parse(ctx->pool, item, apr_array_push(opts->accept));
        if (err) {
            return apr_pstrcat(ctx->pool, "accept=: ", err, NULL);
        }
    }
    return opts->accept->nelts ? NULL : "accept= needs a media type";
}

/* expr=: parsed into the context's pool (ap_expr_parse_cmd would use
 * cmd->pool, which is not where a cached rule lives). */
static const char *parse_expr(parse_ctx *ctx, so_rule_opts *opts,
                              const char *text)
{
    ap_expr_info_t *info = apr_pcalloc(ctx->pool, sizeof(*info));

    info->filename = ctx->cmd->directive->filename;
    info->line_number = ctx->cmd->directive->line_num;
    info->module_index = APLOG_MODULE_INDEX;
    opts->cond = info;
    return ap_expr_parse(ctx->pool, ctx->cmd->temp_pool, info, text, NULL);
}

/* Which option words a directive takes beyond the common ones. */
#define OPT_NOCASE 1
#define OPT_EXACT  2
#define OPT_ACCEPT 4

/* Apply the option words from index `first` on, to rule and to opts
 * (which rule->opts points to until keep_opts); `extra` names the ones
 * this directive takes beyond methods=, query= and expr=.  *nocase
 * reports that flag. */
static const char *parse_options(parse_ctx *ctx, so_rule_t *rule,
                                 so_rule_opts *opts, const word_list *words,
                                 int first, int extra, int *nocase)
{
    char **w = words->elts;
    int i;

    *opts = so_rule_plain;
    rule->opts = opts;
    rule->query = SO_QUERY_INHERIT;
    for (i = first; i < words->nelts; i++) {
        const char *err = NULL;
        apr_size_t len = strlen(w[i]);

        /* "accept=a/b, c/d": a list split by a space */
        if (len && w[i][len - 1] == ',' && i + 1 < words->nelts
            && !looks_like_option(w[i + 1])) {
            return apr_psprintf(ctx->pool, "'%s' follows '%s' after a "
                                "space: a list of values takes no spaces "
                                "(write %s%s)", w[i + 1], w[i], w[i],
                                w[i + 1]);
        }

        if (!strcmp(w[i], "nocase") && (extra & OPT_NOCASE)) {
            *nocase = 1;
        }
        else if (!strcmp(w[i], "exact") && (extra & OPT_EXACT)) {
            rule->exact = 1;
        }
        else if (!strncmp(w[i], "accept=", 7) && (extra & OPT_ACCEPT)) {
            err = parse_accept(ctx, opts, w[i] + 7);
        }
        else if (!strncmp(w[i], "methods=", 8)) {
            err = parse_methods(ctx, opts, w[i] + 8);
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
            err = parse_expr(ctx, opts, w[i] + 5);
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

/* The options as the rule keeps them, once parsed: so_rule_plain when
 * there are none (most rules), else a copy in the rule's pool. */
static const so_rule_opts *keep_opts(parse_ctx *ctx, const so_rule_opts *opts)
{
    if (opts->any_method && !opts->accept && !opts->cond && !opts->tpl
        && !opts->regex) {
        return &so_rule_plain;
    }
    ctx->bytes += sizeof(*opts);
    return apr_pmemdup(ctx->pool, opts, sizeof(*opts));
}

/* A target must already be a URI reference, no longer than a Location
 * may be, and of no refused scheme (so_uri_check_target). */
static const char *check_target_text(apr_pool_t *p, const char *target)
{
    return so_uri_check_target(p, target, SO_LOCATION_MAX);
}

/* Parse a checked target into uri. */
static const char *parse_target(apr_pool_t *p, const char *text,
                                apr_uri_t *uri)
{
    if (apr_uri_parse(p, text, uri) != APR_SUCCESS) {
        return apr_psprintf(p, "cannot parse target '%s'", text);
    }
    return so_uri_check_authority(p, text, uri);
}

/* A checked target as the rule keeps it.  A plain absolute path (no
 * "//", '?' or '#': most targets) is what apr_uri_parse would make a path
 * alone of, and is kept as it is (text lives as long as the rule);
 * anything else is parsed into p. */
static const char *set_target(apr_pool_t *p, so_rule_t *rule,
                              const char *text)
{
    apr_uri_t *uri;
    const char *err;

    if (text[0] == '/' && text[1] != '/' && !strpbrk(text, "?#")) {
        rule->target_path = text;
        return NULL;
    }
    uri = apr_palloc(p, sizeof(*uri));
    if ((err = parse_target(p, text, uri))) {
        return err;
    }
    rule->target = uri;
    rule->parsed_target = 1;
    return NULL;
}

/* A rule in ctx's pool, with its "file:line" (what apr_psprintf("%s:%d")
 * gives, written directly: the formatter cost a third of a rule's parse)
 * and room_len bytes for the caller (*room, when asked for) after it: one
 * allocation, since a configuration may hold 100,000 rules. */
static so_rule_t *new_rule(parse_ctx *ctx, so_rule_kind kind,
                           apr_size_t room_len, char **room)
{
    const ap_directive_t *d = ctx->cmd->directive;
    const char *file = d->filename ? d->filename : "(null)";
    char digits[16], *num = digits + sizeof(digits), *where;
    unsigned int n = d->line_num < 0 ? 0U - (unsigned int)d->line_num
                                     : (unsigned int)d->line_num;
    apr_size_t file_len = strlen(file), num_len;
    so_rule_t *rule;

    do {
        *--num = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    if (d->line_num < 0) {
        *--num = '-';
    }
    num_len = (apr_size_t)(digits + sizeof(digits) - num);
    rule = apr_palloc(ctx->pool, sizeof(*rule) + file_len + num_len + 2
                                 + room_len);
    memset(rule, 0, sizeof(*rule));
    rule->kind = kind;
    rule->where = where = (char *)(rule + 1);
    memcpy(where, file, file_len);
    where[file_len] = ':';
    memcpy(where + file_len + 1, num, num_len);
    where[file_len + 1 + num_len] = '\0';
    if (room) {
        *room = where + file_len + num_len + 2;
    }
    return rule;
}

/* ---- rules ------------------------------------------------------------ */

/* Does a rule answer GET (and so HEAD)? */
static int answers_get(const so_rule_t *rule)
{
    return rule->opts->any_method || rule->opts->head
           || (rule->opts->method_mask & (AP_METHOD_BIT << M_GET));
}

/* A target that is only a fragment names the request's own URI: for GET
 * a loop, and most likely a comment written after the rule. */
static const char *check_fragment_only(parse_ctx *ctx, const so_rule_t *rule,
                                       const char *target)
{
    if (target[0] != '#' || !answers_get(rule)) {
        return NULL;
    }
    return apr_psprintf(ctx->pool, "target '%s' is only a fragment: every "
                        "GET would be sent to itself (a redirect loop).  A "
                        "comment must stand on a line of its own; a "
                        "fragment-only target needs methods= without GET",
                        target);
}

static const char *self_loop_error(parse_ctx *ctx, const so_rule_t *rule,
                                   const char *target)
{
    return apr_psprintf(ctx->pool, "target '%s' is the URL-path '%s' "
                        "itself: every GET would be sent to itself (a "
                        "redirect loop); limit it with methods=POST (Post/"
                        "Redirect/Get to the same URL) or give another "
                        "target", target, rule->url_path);
}

/* A URL-path rule whose target is its own URL-path answers every GET of
 * that path (and, as a prefix, of every path below it) with a 303 to
 * itself: refused, unless expr= may tell requests apart.  A target that
 * adds a query, or query=drop, leaves requests that differ. */
static const char *check_self_loop(parse_ctx *ctx, const so_rule_t *rule,
                                   const char *target)
{
    apr_uri_t base, own, resolved;

    if (!rule->url_path || !answers_get(rule) || rule->opts->cond
        || rule->query == SO_QUERY_DROP) {
        return NULL;
    }
    so_rule_target(rule, &own);
    if (own.scheme || own.hostinfo || own.query) {
        return NULL;
    }
    /* an absolute path with no dot segment or percent-encoding is its own
     * normal form: a plain comparison tells (most targets are such) */
    if (own.path && own.path[0] == '/' && !strpbrk(own.path, ".%")) {
        return strcmp(own.path, rule->url_path) ? NULL
               : self_loop_error(ctx, rule, target);
    }
    memset(&base, 0, sizeof(base));
    base.scheme = "http";
    base.hostinfo = base.hostname = "localhost";
    base.path = (char *)rule->url_path;
    so_uri_resolve(ctx->cmd->temp_pool, &base, &own, &resolved);
    resolved.query = NULL;
    if (!so_uri_same_resource(ctx->cmd->temp_pool, &base, &resolved)) {
        return NULL;
    }
    return self_loop_error(ctx, rule, target);
}

/* SeeOther [URL-path] target [option ...] */
static const char *parse_see_other(parse_ctx *ctx, const char *line,
                                   so_rule_t **out)
{
    const char *url_path = NULL, *target, *err;
    so_rule_opts opts;
    word_list words;
    so_rule_t *rule;
    char **w, *room;
    int first, nocase = 0;

    /* the words are kept with the rule: its URL-path and target are taken
     * from them, not copied */
    rule = new_rule(ctx, SO_RULE_SECTION, strlen(line) + 1, &room);
    split_words(ctx->pool, line, room, &words);
    w = words.elts;

    if (words.nelts == 0 || looks_like_option(w[0])) {
        return "needs a target before its options (a relative target "
               "that looks like an option is written ./name=value)";
    }
    if (words.nelts >= 2 && !looks_like_option(w[1])) {
        url_path = w[0];
        target = w[1];
        first = 2;
        if (url_path[0] != '/') {
            return apr_psprintf(ctx->pool, "URL-path '%s' must begin with "
                                "'/'", url_path);
        }
    }
    else if (ctx->cmd->path == NULL) {
        return words.nelts >= 2
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
    if (url_path) {
        rule->kind = SO_RULE_PATH;
        rule->url_path = url_path;
    }
    if ((err = parse_options(ctx, rule, &opts, &words, first,
                             OPT_ACCEPT | (url_path ? OPT_EXACT : 0),
                             &nocase))
        || (err = check_target_text(ctx->pool, target))
        || (err = set_target(ctx->pool, rule, target))
        || (err = check_fragment_only(ctx, rule, target))
        || (err = check_self_loop(ctx, rule, target))) {
        return err;
    }
    ctx->bytes += so_rule_variant(ctx->pool, rule, &opts);
    rule->opts = keep_opts(ctx, &opts);
    *out = rule;
    return NULL;
}

/* A SeeOtherMatch target: a template when it has $N (into opts, with
 * which of scheme and authority its literal text has), else a target. */
static const char *compile_template(parse_ctx *ctx, so_rule_t *rule,
                                    so_rule_opts *opts, const char *target)
{
    so_template *tpl;
    apr_uri_t skeleton;
    const char *err;

    if ((err = so_template_compile(ctx->pool, target, opts->regex->re_nsub,
                                   &tpl))
        || (err = check_target_text(ctx->pool, so_template_skeleton(tpl)))) {
        return err;
    }
    if (!strcmp(so_template_skeleton(tpl), target)) {
        return set_target(ctx->pool, rule, target);
    }
    if (apr_uri_parse(ctx->pool, so_template_skeleton(tpl), &skeleton)
        != APR_SUCCESS) {
        return apr_psprintf(ctx->pool, "cannot parse target '%s'", target);
    }
    opts->tpl = tpl;
    opts->tpl_scheme = skeleton.scheme != NULL;
    opts->tpl_authority = skeleton.hostinfo != NULL;
    return NULL;
}

/* Why PCRE2 refuses a pattern, and where: ap_pregcomp only says that it
 * did.  The same options as ap_pregcomp's for AP_REG_EXTENDED and
 * AP_REG_DOLLAR_ENDONLY (and AP_REG_ICASE). */
static const char *regex_error(apr_pool_t *p, const char *pattern,
                               int nocase)
{
    PCRE2_UCHAR why[160];
    PCRE2_SIZE offset = 0;
    pcre2_code *code;
    int errcode = 0;

    code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                         PCRE2_DOLLAR_ENDONLY | (nocase ? PCRE2_CASELESS : 0),
                         &errcode, &offset, NULL);
    if (code) {
        pcre2_code_free(code);
        return apr_psprintf(p, "cannot compile regex '%s'", pattern);
    }
    pcre2_get_error_message(errcode, why, sizeof(why));
    return apr_psprintf(p, "cannot compile regex '%s': %s at offset %"
                        APR_SIZE_T_FMT " ('%s' ^ '%s')", pattern,
                        (const char *)why, (apr_size_t)offset,
                        apr_pstrmemdup(p, pattern, offset),
                        pattern + offset);
}

/* What a compiled regex holds, by PCRE2's own count. */
static apr_size_t regex_bytes(const ap_regex_t *regex)
{
    size_t size = 0;

    pcre2_pattern_info(regex->re_pcre, PCRE2_INFO_SIZE, &size);
    return size;
}

/* Compile a pattern; when filling the cache, once per process. */
static const char *compile_regex(parse_ctx *ctx, const char *pattern,
                                 int nocase, ap_regex_t **out)
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
        if (!regex) {
            return regex_error(ctx->pool, pattern, nocase);
        }
        if (ctx->filling) {
            apr_hash_set(ctx->filling->regexes, apr_pstrdup(ctx->pool, key),
                         APR_HASH_KEY_STRING, regex);
            ctx->bytes += regex_bytes(regex) + strlen(key);
        }
    }
    *out = regex;
    return NULL;
}

/* SeeOtherMatch regex target [option ...] */
static const char *parse_see_other_match(parse_ctx *ctx, const char *line,
                                         so_rule_t **out)
{
    so_rule_opts opts;
    word_list words;
    so_rule_t *rule;
    const char *err;
    char **w, *room;
    int nocase = 0;

    /* the words are kept with the rule (its pattern is one) */
    rule = new_rule(ctx, SO_RULE_REGEX, strlen(line) + 1, &room);
    split_words(ctx->pool, line, room, &words);
    w = words.elts;
    if (words.nelts < 2 || looks_like_option(w[1])) {
        return "needs a regex and a target (a relative target that looks "
               "like an option is written ./name=value)";
    }
    if ((err = parse_options(ctx, rule, &opts, &words, 2,
                             OPT_NOCASE | OPT_ACCEPT, &nocase))) {
        return err;
    }
    rule->nocase = nocase;
    rule->pattern = w[0];
    if ((err = compile_regex(ctx, rule->pattern, nocase, &opts.regex))) {
        return err;
    }
    if ((err = check_fragment_only(ctx, rule, w[1]))) {
        return err;
    }
    if ((err = compile_template(ctx, rule, &opts, w[1]))) {
        return err;
    }
    ctx->bytes += so_rule_variant(ctx->pool, rule, &opts);
    rule->opts = keep_opts(ctx, &opts);
    *out = rule;
    return NULL;
}

/* ---- the .htaccess parse cache ---------------------------------------- */

typedef const char *(*rule_parser)(parse_ctx *ctx, const char *line,
                                   so_rule_t **out);

/* What the cache holds for one line of a .htaccess file: the directive and
 * its arguments as written, what parsing them gave (a rule or an error),
 * and what that holds in memory. */
typedef struct {
    const command_rec *directive;
    const char *args;
    const so_rule_t *rule;
    const char *err;
    apr_size_t bytes;
} parsed_line;

/* The parsed lines of one .htaccess file, by line number, and what they
 * hold: bytes of lines still in the file and of lines since edited
 * (dead, freed with their generation). */
typedef struct {
    const char *name;
    apr_hash_t *lines;                   /* int line -> parsed_line */
    apr_size_t bytes, dead;
} file_lines;

/* The lines of the file being parsed, made empty when `fresh`; with the
 * cache lock held.  Consecutive directives come from the same file, so
 * the last one is tried first. */
static file_lines *lines_of(so_cache_gen *g, const char *name, int fresh)
{
    file_lines *file = g->last_file;

    if (!file || strcmp(file->name, name)) {
        file = apr_hash_get(g->files, name, APR_HASH_KEY_STRING);
    }
    if (!file || fresh) {
        file = apr_pcalloc(g->pool, sizeof(*file));
        file->name = apr_pstrdup(g->pool, name);
        file->lines = apr_hash_make(g->pool);
        apr_hash_set(g->files, file->name, APR_HASH_KEY_STRING, file);
    }
    g->last_file = file;
    return file;
}

static int same_line(const parsed_line *parsed, const cmd_parms *cmd,
                     const char *line)
{
    return parsed->directive == cmd->cmd && !strcmp(parsed->args, line);
}

/* File a parse into the file's lines, within the file's bound.  Past it,
 * a file that has dead lines starts afresh (they were its own edits);
 * one that has not is refused: its rules take more than a tenant may. */
static void file_line(cmd_parms *cmd, so_cache_gen *g, file_lines **file,
                      parsed_line *parsed)
{
    const int *line_num = &cmd->directive->line_num;

    if ((*file)->bytes + parsed->bytes > SO_HTACCESS_MAX_BYTES) {
        if ((*file)->dead) {
            *file = lines_of(g, (*file)->name, 1);
        }
        else {
            parsed->rule = NULL;
            parsed->err = apr_psprintf(g->pool, "the rules of %s take "
                                       "more than the %d MiB a .htaccess "
                                       "file may hold in memory (see "
                                       "docs/security.md)", (*file)->name,
                                       SO_HTACCESS_MAX_BYTES >> 20);
        }
    }
    (*file)->bytes += parsed->bytes;
    apr_hash_set((*file)->lines, apr_pmemdup(g->pool, line_num,
                                             sizeof(*line_num)),
                 sizeof(*line_num), parsed);
}

/* Parse a rule line of .htaccess once per process: httpd reads .htaccess
 * on every request, and compiling regexes and targets each time would
 * cost more than the rest of the request.  A line is known by its file
 * and number, and taken again only if its text is the same.  *gen is the
 * generation it came from. */
static const parsed_line *parse_cached(cmd_parms *cmd, so_cache *cache,
                                       const char *line, rule_parser parse,
                                       const void *held, so_cache_gen **gen)
{
    const int *line_num = &cmd->directive->line_num;
    so_cache_gen *g = so_cache_enter(cache, cmd->pool, held);
    parse_ctx ctx = { cmd, g->pool, g, 0 };
    file_lines *file = lines_of(g, cmd->directive->filename, 0);
    parsed_line *parsed = apr_hash_get(file->lines, line_num,
                                       sizeof(*line_num));
    so_rule_t *rule = NULL;

    if (parsed && !same_line(parsed, cmd, line)) {
        /* edited: the old entry stays while a request may use it */
        file->dead += parsed->bytes;
        file->bytes -= parsed->bytes;
        parsed = NULL;
    }
    if (!parsed) {
        parsed = apr_palloc(g->pool, sizeof(*parsed));
        parsed->directive = cmd->cmd;
        parsed->args = apr_pstrdup(g->pool, line);
        parsed->err = parse(&ctx, line, &rule);
        parsed->rule = rule;
        parsed->bytes = ctx.bytes + sizeof(*rule) + 2 * strlen(line) + 64;
        file_line(cmd, g, &file, parsed);
        so_cache_charge(cache, g, parsed->bytes, 1);
    }
    so_cache_leave(cache);
    *gen = g;
    return parsed;
}

static const char *add_parsed(cmd_parms *cmd, void *dconf, const char *line,
                              rule_parser parse, so_cache *cache)
{
    const parsed_line *parsed;
    so_cache_gen *gen = NULL;
    const so_rule_t *rule;
    const char *err;

    if (cache && in_htaccess(cmd)) {
        /* the level this .htaccess fills: its rules' origin is a
         * generation this request already holds */
        const so_level_t *level = so_conf_level(cmd->pool,
                                                conf_for(cmd, dconf));

        parsed = parse_cached(cmd, cache, line, parse, level->origin, &gen);
        rule = parsed->rule;
        err = parsed->err;
    }
    else {
        parse_ctx ctx = { cmd, cmd->pool, NULL, 0 };
        so_rule_t *fresh = NULL;

        err = parse(&ctx, line, &fresh);
        rule = fresh;
    }
    if (err) {
        return fail(cmd, err);
    }
    file_rule(cmd, dconf, rule, gen);
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

/* Is path inside the directory real_dir (both real paths)? */
static int lies_in(const char *path, const char *real_dir)
{
    apr_size_t len = strlen(real_dir);

    return !strncmp(path, real_dir, len) && path[len] == '/';
}

/* Open the file a .htaccess names (a map, a note template; `what` says
 * which): it must lie in that .htaccess's own tree, since a shared-hosting
 * customer may publish no one else's file.  The name is checked before
 * anything is opened (no device or FIFO outside is ever touched), and what
 * was opened is checked again by its descriptor's own path: a symlink a
 * tenant swaps in between the two is caught. */
static const char *open_htaccess_file(cmd_parms *cmd, const char *what,
                                      const char *file, so_map_source *src)
{
    const char *htaccess = cmd->directive->filename;
    const char *slash = strrchr(htaccess, '/');
    char *dir, *merged, real_dir[PATH_MAX], real[PATH_MAX], link[64];
    const char *err;
    apr_os_file_t fd;
    ssize_t n;

    /* the directory of the .htaccess file itself: inside <Files> or <If>
     * there, cmd->path is the section's argument, not a directory */
    dir = apr_pstrmemdup(cmd->pool, htaccess,
                         slash ? (apr_size_t)(slash - htaccess + 1) : 0);
    if (apr_filepath_merge(&merged, dir, file, APR_FILEPATH_SECUREROOT,
                           cmd->pool) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s '%s' must lie in this "
                            ".htaccess's directory tree, %s", what, file,
                            dir);
    }
    if (!realpath(dir, real_dir) || !realpath(merged, real)) {
        return apr_psprintf(cmd->pool, "cannot read %s %s", what, merged);
    }
    if (!lies_in(real, real_dir)) {
        return apr_psprintf(cmd->pool, "%s '%s' leads outside this "
                            ".htaccess's directory tree, %s", what, file,
                            dir);
    }
    if ((err = so_map_open(cmd->temp_pool, what, merged, src))) {
        return err;
    }
    apr_os_file_get(&fd, src->file);
    apr_snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, real, sizeof(real) - 1);
    if (n > 0) {
        real[n] = '\0';
    }
    if (n <= 0 || !lies_in(real, real_dir)) {
        apr_file_close(src->file);
        return apr_psprintf(cmd->pool, "%s '%s' leads outside this "
                            ".htaccess's directory tree", what, file);
    }
    return NULL;
}

/* Open the file a directive names: in .htaccess, within its tree; in the
 * server configuration, relative to ServerRoot. */
static const char *open_named_file(cmd_parms *cmd, const char *what,
                                   const char *file, so_map_source *src)
{
    const char *path;

    if (in_htaccess(cmd)) {
        return open_htaccess_file(cmd, what, file, src);
    }
    if (!(path = ap_server_root_relative(cmd->pool, file))) {
        return apr_psprintf(cmd->pool, "bad %s path '%s'", what, file);
    }
    return so_map_open(cmd->temp_pool, what, path, src);
}

/* A copy in p of the map rule `model` (parsed from words), whose map is
 * loaded from src into p.  Its options are parsed again, into p: the
 * model's (methods=, expr=) are in the request's pool. */
static const char *load_map_rule(cmd_parms *cmd, apr_pool_t *p,
                                 const so_map_source *src, int dbm,
                                 const so_rule_t *model,
                                 const word_list *words, so_rule_t **out)
{
    so_rule_t *rule = apr_palloc(p, sizeof(*rule));
    so_map_file *map = apr_palloc(p, sizeof(*map));
    parse_ctx ctx = { cmd, p, NULL, 0 };
    so_map_source own = *src;
    so_rule_opts opts;
    const char *err;
    int nocase = 0;

    *rule = *model;
    if ((err = parse_options(&ctx, rule, &opts, words, 2, 0, &nocase))) {
        return err;
    }
    rule->opts = keep_opts(&ctx, &opts);
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
 * and read outside the cache lock, into a pool of its own, then adopted
 * by the generation current then.  *gen is the generation it is in.
 * The line is part of the key: a URL-prefix or option edited in place
 * makes another rule. */
static const char *cached_map_rule(cmd_parms *cmd, so_cache *cache,
                                   const so_map_source *src, int dbm,
                                   const char *line, const word_list *words,
                                   const so_rule_t *model,
                                   const so_rule_t **out,
                                   so_cache_gen **gen)
{
    const char *key = apr_psprintf(cmd->temp_pool, "%s\n%s\n%d\n%s",
                                   src->path, model->where, dbm, line);
    const so_rule_t *cached;
    so_rule_t *fresh;
    apr_pool_t *pool;
    const char *err;
    so_cache_gen *g;

    g = so_cache_enter(cache, cmd->pool, NULL);
    cached = apr_hash_get(g->maps, key, APR_HASH_KEY_STRING);
    so_cache_leave(cache);
    if (cached && cached->map->mtime == src->mtime
        && cached->map->size == src->size) {
        *out = cached;
        *gen = g;
        return NULL;
    }
    /* new or changed: the old copy stays while a request may use it */
    pool = so_cache_entry_pool();
    if ((err = load_map_rule(cmd, pool, src, dbm, model, words, &fresh))) {
        err = apr_pstrdup(cmd->pool, err);
        apr_pool_destroy(pool);
        return err;
    }
    g = so_cache_enter(cache, cmd->pool, NULL);
    so_cache_adopt(g, pool);
    apr_hash_set(g->maps, apr_pstrdup(pool, key), APR_HASH_KEY_STRING,
                 fresh);
    so_cache_charge(cache, g, fresh->map->table
                              ? so_map_table_bytes(fresh->map->table)
                              : 1024, 1);
    so_cache_leave(cache);
    *out = fresh;
    *gen = g;
    return NULL;
}

const char *so_config_see_other_map(cmd_parms *cmd, void *dconf,
                                    const char *line, so_cache *cache)
{
    parse_ctx ctx = { cmd, cmd->pool, NULL, 0 };
    const so_rule_t *loaded = NULL;
    so_cache_gen *gen = NULL;
    so_map_source src;
    so_rule_t *rule;
    so_map_file *map;
    const char *file, *err;
    so_rule_opts opts;
    word_list words;
    char **w;
    int dbm = 0, nocase = 0;

    split_words(cmd->temp_pool, line, NULL, &words);
    w = words.elts;
    if (words.nelts < 2) {
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
    rule = new_rule(&ctx, SO_RULE_MAP, 0, NULL);
    rule->map = map = apr_pcalloc(cmd->pool, sizeof(*map));
    map->prefix = apr_pstrdup(cmd->pool, w[0]);
    map->prefix_len = strlen(map->prefix);
    while (map->prefix_len > 0 && map->prefix[map->prefix_len - 1] == '/') {
        map->prefix_len--;
    }
    if ((err = parse_options(&ctx, rule, &opts, &words, 2, 0, &nocase))) {
        return fail(cmd, err);
    }
    rule->opts = keep_opts(&ctx, &opts);
    if (cmd->path && !in_htaccess(cmd)) {
        return fail(cmd, "belongs in the server config, a virtual host or "
                    ".htaccess");
    }
    if ((err = open_named_file(cmd, "map file", file, &src))) {
        return fail(cmd, err);
    }
    if (in_htaccess(cmd) && cache) {
        err = cached_map_rule(cmd, cache, &src, dbm, line, &words, rule,
                              &loaded, &gen);
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
    file_rule(cmd, dconf, loaded, gen);
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

/* ---- the note of every 303 (issue 10) ---------------------------------- */

/* Set the int at cmd->info's offset: in dconf and, outside any section,
 * in the server's configuration too (as so_config_flag). */
static void set_int(cmd_parms *cmd, void *dconf, int value)
{
    int offset = (int)(apr_uintptr_t)cmd->info;

    *(int *)((char *)dconf + offset) = value;
    if (cmd->path == NULL) {
        *(int *)((char *)conf_for(cmd, dconf) + offset) = value;
    }
}

const char *so_config_note(cmd_parms *cmd, void *dconf, const char *arg)
{
    int value;

    if (!strcasecmp(arg, "on")) {
        value = 1;
    }
    else if (!strcasecmp(arg, "off")) {
        value = 0;
    }
    else if (!strcasecmp(arg, "all")) {
        value = SO_NOTE_ALL;
    }
    else {
        return fail(cmd, apr_psprintf(cmd->pool, "must be On, Off or All, "
                                      "not '%s' (On: the module's own 303s "
                                      "carry the note; All: also the "
                                      "bodiless 303s of CGI scripts, "
                                      "proxied backends and other "
                                      "handlers)", arg));
    }
    set_int(cmd, dconf, value);
    return NULL;
}

const char *so_config_legacy_status(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    if (strcmp(arg, "302") && strcmp(arg, "303")) {
        return fail(cmd, apr_psprintf(cmd->pool, "must be 302 or 303, not "
                                      "'%s' (the status an HTTP/1.0 "
                                      "request is answered with)", arg));
    }
    set_int(cmd, dconf, atoi(arg));
    return NULL;
}

/* SeeOtherNoteTemplate FILE: read and checked now (a regular file of at
 * most SO_NOTE_TEMPLATE_MAX bytes, UTF-8, holding {{location}}). */
const char *so_config_note_template(cmd_parms *cmd, void *dconf,
                                    const char *file)
{
    so_note_template *tpl;
    so_map_source src;
    apr_size_t len = 0;
    const char *err;
    char *buf = NULL;

    if ((err = open_named_file(cmd, "template file", file, &src))) {
        return fail(cmd, err);
    }
    err = so_map_read(cmd->temp_pool, &src, SO_NOTE_TEMPLATE_MAX, &buf, &len);
    apr_file_close(src.file);
    if (!err && (err = so_note_template_parse(cmd->pool, buf, len, &tpl))) {
        err = apr_psprintf(cmd->pool, "template file %s: %s", src.path, err);
    }
    if (err) {
        return fail(cmd, err);
    }
    ((so_conf_t *)dconf)->note_template = tpl;
    if (cmd->path == NULL) {
        conf_for(cmd, dconf)->note_template = tpl;
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
