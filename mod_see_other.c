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
 * note (so_note) and map files (so_map) are pure units with their own
 * tests; this file is the httpd glue.
 */

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_expr.h"
#include "util_filter.h"

#include "apr_dbm.h"
#include "apr_lib.h"
#include "apr_strings.h"
#if APR_HAS_THREADS
#include "apr_thread_mutex.h"
#endif

#include <limits.h>
#include <stdlib.h>

#include "so_accept.h"
#include "so_map.h"
#include "so_note.h"
#include "so_rule.h"
#include "so_uri.h"

module AP_MODULE_DECLARE_DATA see_other_module;

#define NOTE_FILTER "SEE_OTHER_NOTE"
#define RULE_NOTE "see-other-rule"
#define UNSET (-1)

typedef enum {
    RULE_SECTION,            /* one-argument form: the whole section */
    RULE_PATH,               /* SeeOther URL-path, SeeOtherMap entry */
    RULE_REGEX,              /* SeeOtherMatch */
    RULE_MAP                 /* SeeOtherMap: entries looked up per request */
} rule_kind;

/* A SeeOtherMap file: a loaded text map, or a DBM file read per request. */
typedef struct {
    const char *prefix;      /* URL-prefix without its trailing '/' */
    apr_size_t prefix_len;
    const char *file;
    const so_map_table *table;           /* NULL: DBM */
    apr_time_t mtime;                    /* when loaded (.htaccess maps) */
    apr_off_t size;
} so_map_t;

typedef struct {
    const char *where;       /* "file:line", for the log and RULE_NOTE */
    int line;
    rule_kind kind;
    const char *url_path;    /* RULE_PATH */
    const char *pattern;     /* RULE_REGEX, with nocase */
    int nocase;
    const so_map_t *map;     /* RULE_MAP */
    apr_uri_t target;        /* parsed target, unless it has $N */
    const so_template *tpl;  /* SeeOtherMatch target with $N, else NULL */
    int tpl_scheme;          /* the literal template has a scheme, */
    int tpl_authority;       /* an authority */
    int exact;               /* `exact` or a map entry: no path remainder */
    ap_regex_t *regex;
    ap_expr_info_t *cond;    /* expr=, or NULL */
    apr_array_header_t *accept;          /* so_media *, or NULL: default */
    so_query_mode query;
    int any_method;
    apr_int64_t method_mask; /* AP_METHOD_BIT << method number */
    int head;                /* methods= names HEAD */
    apr_array_header_t *other_methods;   /* names without a number */
} so_rule_t;

/* Rules that stand at the same place in the precedence: the one-argument
 * rules of a section, the rules of one URL-path, the rules of one regex.
 * One of them answers, chosen by methods=, expr= and accept=. */
typedef struct {
    ap_regex_t *regex;                   /* for SeeOtherMatch groups */
    apr_array_header_t *rules;           /* so_rule_t *, config order */
} so_group_t;

/* The rules written in one place (a section, .htaccess, a server). */
typedef struct {
    so_group_t *section;                 /* one-argument rules, or NULL */
    so_literals *literals;               /* URL-path -> so_rule_t * */
    so_regexes *regexes;                 /* indexed so_group_t * */
    apr_hash_t *patterns;                /* "flags:regex" -> so_group_t */
    apr_array_header_t *maps;            /* so_rule_t *, RULE_MAP */
    /* .htaccess: the rules as parsed (cached), indexed when first used */
    apr_array_header_t *pending;
} so_rules_t;

/* Per-process caches for .htaccess, which httpd parses on every request:
 * rules by their text, compiled regexes, indexed rule sets, loaded maps,
 * open DBM files.  Made in child_init; NULL in the parent.  Entries are
 * never freed while the process lives (a request may use them), so their
 * number is bounded. */
typedef struct {
    apr_pool_t *pool;
#if APR_HAS_THREADS
    apr_thread_mutex_t *lock;
#endif
    apr_hash_t *parsed;      /* "file\nline\nDirective args" -> parse_t */
    apr_hash_t *regexes;     /* "i:regex" or ":regex" -> ap_regex_t */
    apr_hash_t *rule_sets;   /* rule pointer sequence -> so_rules_t */
    apr_hash_t *maps;        /* map file -> so_map_t */
    apr_hash_t *dbms;        /* DBM file -> apr_dbm_t */
    int entries;
} so_cache_t;

#define CACHE_MAX_ENTRIES 100000

static so_cache_t *cache;

static ap_filter_rec_t *note_filter_handle;

/* The levels that hold rules, nearest first. */
typedef struct so_level {
    const so_rules_t *rules;
    const struct so_level *outer;
} so_level_t;

/* One type for server and per-directory configuration: both merge the
 * same way, a nearer level in front of the outer ones. */
typedef struct {
    int engine, absolute, note;          /* UNSET, 0 or 1 */
    so_level_t *own;                     /* rules written here, or NULL */
    int merged;                          /* chain/sealed below are valid */
    const so_level_t *chain;
    int sealed;                          /* nothing outer may be added */
} so_conf_t;

/* One request being decided: the lazily parsed Accept header, and whether
 * a negotiated group took part (then the answer varies on Accept). */
typedef struct {
    request_rec *r;
    const apr_array_header_t *accept;
    int accept_parsed;
} so_req_t;

/* The answer decided for a request. */
typedef struct {
    const so_rule_t *rule;
    const char *location;
    int note;
} so_answer_t;

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
static const so_level_t *chain_of(const so_conf_t *conf, int *sealed)
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
    inner = chain_of(add, &inner_sealed);
    outer = chain_of(base, &outer_sealed);
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

static int flag_on(int value)
{
    return value != 0;       /* UNSET means the default, on */
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

static so_rules_t *make_rules(apr_pool_t *p)
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
        conf->own->rules = make_rules(p);
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

/* File a rule where matching will look for it. */
static void add_rule(apr_pool_t *p, so_rules_t *rules, const so_rule_t *rule)
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
        key = apr_pstrcat(p, rule->nocase ? "i:" : ":", rule->pattern, NULL);
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

    if (cache && in_htaccess(cmd)) {
        if (!rules->pending) {
            rules->pending = apr_array_make(cmd->pool, 8,
                                            sizeof(so_rule_t *));
        }
        *(const so_rule_t **)apr_array_push(rules->pending) = rule;
    }
    else {
        add_rule(cmd->pool, rules, rule);
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

static int is_token_char(int c)
{
    return apr_isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
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

        for (c = name; is_token_char(*c); c++) {
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

/* Apply the option words from index `first` on; nocase_ok for
 * SeeOtherMatch.  *nocase reports the flag. */
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
static const char *check_target_text(apr_pool_t *p, const char *target)
{
    const unsigned char *s;

    for (s = (const unsigned char *)target; *s; s++) {
        if (*s <= ' ' || *s >= 0x7f || strchr("\"<>\\^`{|}", *s)) {
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
    rule->line = cmd->directive->line_num;
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
    const char *key = apr_pstrcat(cmd->temp_pool, nocase ? "i:" : ":",
                                  pattern, NULL);
    ap_regex_t *regex = cache ? apr_hash_get(cache->regexes, key,
                                             APR_HASH_KEY_STRING) : NULL;
    if (!regex) {
        regex = ap_pregcomp(cmd->pool, pattern, AP_REG_EXTENDED
                            | AP_REG_DOLLAR_ENDONLY
                            | (nocase ? AP_REG_ICASE : 0));
        if (regex && cache && cmd->pool == cache->pool) {
            apr_hash_set(cache->regexes, apr_pstrdup(cache->pool, key),
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

/* What the cache holds for one line of a .htaccess file. */
typedef struct {
    const so_rule_t *rule;
    const char *err;
} parse_t;

/* Parse a rule line of .htaccess once per process: httpd reads .htaccess
 * on every request, and compiling regexes and targets each time would
 * cost more than the rest of the request.  A line is known by its file,
 * line number and text; an error is remembered too. */
static const char *parse_cached(cmd_parms *cmd, const char *line,
                                rule_parser parse, const so_rule_t **out)
{
    const char *key = apr_psprintf(cmd->temp_pool, "%s\n%d\n%s %s",
                                   cmd->directive->filename,
                                   cmd->directive->line_num, cmd->cmd->name,
                                   line);
    apr_pool_t *request_pool = cmd->pool;
    parse_t *parsed;
    so_rule_t *rule = NULL;

#if APR_HAS_THREADS
    apr_thread_mutex_lock(cache->lock);
#endif
    parsed = apr_hash_get(cache->parsed, key, APR_HASH_KEY_STRING);
    if (!parsed && cache->entries < CACHE_MAX_ENTRIES) {
        cmd->pool = cache->pool;
        parsed = apr_palloc(cache->pool, sizeof(*parsed));
        parsed->err = parse(cmd, line, &rule);
        parsed->rule = rule;
        cmd->pool = request_pool;
        apr_hash_set(cache->parsed, apr_pstrdup(cache->pool, key),
                     APR_HASH_KEY_STRING, parsed);
        cache->entries++;
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cache->lock);
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

    if (cache && in_htaccess(cmd)) {
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

/* Check a map target while loading: it must be a URI reference. */
static const char *check_map_target(apr_pool_t *p, const char *target)
{
    apr_uri_t uri;

    return parse_target(p, target, &uri);
}

static const char *check_dbm_entry(void *baton, const char *key,
                                   const char *target, int n)
{
    (void)key;
    (void)n;
    return check_map_target(baton, target);
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
        /* every target is checked now, so a bad one fails start-up */
        return so_map_read_dbm(scratch, file, check_dbm_entry, scratch);
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
    apr_thread_mutex_lock(cache->lock);
#endif
    rule = apr_hash_get(cache->maps, key, APR_HASH_KEY_STRING);
    if (rule && (rule->map->mtime != fi.mtime || rule->map->size != fi.size)) {
        rule = NULL;         /* changed: load it again (the old copy stays,
                              * a request may still use it) */
    }
    if (!rule && cache->entries < CACHE_MAX_ENTRIES) {
        so_rule_t *fresh = apr_palloc(cache->pool, sizeof(*fresh));
        so_map_t *map = apr_palloc(cache->pool, sizeof(*map));

        *fresh = *model;
        *map = *model->map;
        fresh->map = map;
        fresh->where = apr_pstrdup(cache->pool, model->where);
        map->prefix = apr_pstrdup(cache->pool, map->prefix);
        if ((err = load_map(cache->pool, cmd->temp_pool,
                            apr_pstrdup(cache->pool, file), dbm, map))) {
            err = apr_pstrdup(cmd->pool, err);
        }
        else {
            apr_hash_set(cache->maps, apr_pstrdup(cache->pool, key),
                         APR_HASH_KEY_STRING, fresh);
            cache->entries++;
            rule = fresh;
        }
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cache->lock);
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
        if (cache) {
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

/* ---- matching --------------------------------------------------------- */

static int method_allowed(const request_rec *r, const so_rule_t *rule)
{
    int i;

    if (rule->any_method || (rule->head && r->header_only)) {
        return 1;
    }
    if (r->method_number != M_INVALID && r->method_number < 64
        && (rule->method_mask & (AP_METHOD_BIT << r->method_number))) {
        return 1;
    }
    for (i = 0; rule->other_methods && i < rule->other_methods->nelts; i++) {
        if (!strcmp(r->method, APR_ARRAY_IDX(rule->other_methods, i,
                                             const char *))) {
            return 1;
        }
    }
    return 0;
}

/* methods= and expr= hold for this request. */
static int rule_applies(request_rec *r, const so_rule_t *rule)
{
    const char *err = NULL;
    int ok;

    if (!method_allowed(r, rule)) {
        return 0;
    }
    if (!rule->cond) {
        return 1;
    }
    ok = ap_expr_exec(r, rule->cond, &err);
    if (err) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOther rule %s: "
                      "expr= failed: %s", rule->where, err);
        return 0;
    }
    return ok > 0;
}

/* The quality of a typed rule for this request: its best media type. */
static int rule_quality(so_req_t *req, const so_rule_t *rule)
{
    const so_media *best_type = NULL;
    int i, best = 0;

    if (!req->accept_parsed) {
        const char *header = apr_table_get(req->r->headers_in, "Accept");

        req->accept = so_accept_parse(req->r->pool, header);
        req->accept_parsed = 1;
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, req->r, "negotiating "
                      "for Accept: %s",
                      header ? header : "(none: everything acceptable)");
    }
    for (i = 0; i < rule->accept->nelts; i++) {
        const so_media *type = APR_ARRAY_IDX(rule->accept, i, so_media *);
        int q = so_accept_quality(req->accept, type);

        if (!best_type || q > best) {
            best = q;
            best_type = type;
        }
    }
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

    for (i = 0; i < rules->nelts; i++) {
        const so_rule_t *rule = APR_ARRAY_IDX(rules, i, const so_rule_t *);
        int q;

        if ((rule->exact && rest && *rest) || !rule_applies(req->r, rule)) {
            continue;
        }
        if (!rule->accept) {
            if (!fallback) {
                fallback = rule;
            }
            continue;
        }
        typed = 1;
        if ((q = rule_quality(req, rule)) > best_q) {
            best = rule;
            best_q = q;
        }
    }
    if (typed) {
        /* the outcome depended on Accept, whatever it was */
        apr_table_mergen(req->r->err_headers_out, "Vary", "Accept");
    }
    return best ? best : fallback;
}

/* The effective request URI as the client sent it: scheme, host and port
 * as httpd builds its own redirects, the raw path, the query escaped. */
static void request_base(request_rec *r, apr_uri_t *base)
{
    const char *target = r->unparsed_uri, *path = NULL;
    apr_uri_t sent;

    memset(base, 0, sizeof(*base));
    base->scheme = (char *)ap_http_scheme(r);
    base->hostname = (char *)ap_get_server_name(r);
    base->port = ap_get_server_port(r);
    /* only a port that is not the scheme's default is ever printed */
    base->port_str = base->port == apr_uri_port_of_scheme(base->scheme)
                     ? NULL : apr_itoa(r->pool, base->port);
    base->hostinfo = base->hostname;
    /* origin-form ("/a//b?q", even "//x/y": a path, never an authority),
     * else absolute-form */
    if (target && target[0] == '/') {
        path = apr_pstrmemdup(r->pool, target, strcspn(target, "?#"));
    }
    else if (target && apr_uri_parse(r->pool, target, &sent) == APR_SUCCESS
             && sent.path && sent.path[0] == '/') {
        path = sent.path;
    }
    /* as received, but with the bytes a URI may not hold encoded */
    base->path = path ? so_uri_escape_received(r->pool, path)
                      : ap_escape_uri(r->pool, r->uri);
    base->query = so_uri_escape_received(r->pool, r->args);
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

    if (!rule->tpl) {
        *target = rule->target;
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
    text = so_template_expand(r->pool, rule->tpl, r->uri, starts, ends);
    if (apr_uri_parse(r->pool, text, target) != APR_SUCCESS
        || (target->scheme && !rule->tpl_scheme)
        || (target->hostinfo && !rule->tpl_authority)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "SeeOtherMatch rule "
                      "%s: refusing target '%s' for %s: the captured text "
                      "would add a scheme or authority", rule->where, text,
                      r->uri);
        return HTTP_BAD_REQUEST;
    }
    return OK;
}

/* A DBM map open in this process, reopened when its file changes. */
typedef struct {
    apr_dbm_t *db;
    apr_time_t mtime;
    apr_off_t size;
} open_dbm_t;

static const char *dbm_fetch(apr_dbm_t *db, apr_pool_t *p, const char *key)
{
    apr_datum_t k, v;

    k.dptr = (char *)key;
    k.dsize = strlen(key);
    if (apr_dbm_fetch(db, k, &v) == APR_SUCCESS && v.dptr) {
        return apr_pstrmemdup(p, v.dptr, v.dsize);
    }
    return NULL;
}

/* A value of a DBM map.  Keys written with a leading '/' (as in a text
 * map, where it is dropped) are found too. */
static const char *dbm_get(request_rec *r, const char *file, const char *key)
{
    const char *value = NULL;
    open_dbm_t *open;
    apr_finfo_t fi;

    if (apr_stat(&fi, file, APR_FINFO_MTIME | APR_FINFO_SIZE, r->pool)
        != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOtherMap: cannot "
                      "read DBM map %s", file);
        return NULL;
    }
#if APR_HAS_THREADS
    apr_thread_mutex_lock(cache->lock);
#endif
    open = apr_hash_get(cache->dbms, file, APR_HASH_KEY_STRING);
    if (!open) {
        open = apr_pcalloc(cache->pool, sizeof(*open));
        apr_hash_set(cache->dbms, apr_pstrdup(cache->pool, file),
                     APR_HASH_KEY_STRING, open);
    }
    if (open->db && (open->mtime != fi.mtime || open->size != fi.size)) {
        apr_dbm_close(open->db);
        open->db = NULL;
    }
    if (!open->db && apr_dbm_open(&open->db, file, APR_DBM_READONLY,
                                  APR_OS_DEFAULT, cache->pool)
                     == APR_SUCCESS) {
        open->mtime = fi.mtime;
        open->size = fi.size;
    }
    if (open->db) {
        value = dbm_fetch(open->db, r->pool, key);
        if (!value) {
            value = dbm_fetch(open->db, r->pool,
                              apr_pstrcat(r->pool, "/", key, NULL));
        }
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cache->lock);
#endif
    if (!open->db) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOtherMap: cannot "
                      "open DBM map %s", file);
    }
    return value;
}

/* The entry of a map for the whole request path, as a rule of its own
 * (exact, with the map's options), or NULL. */
static const so_rule_t *map_entry(request_rec *r, const so_rule_t *map_rule)
{
    const so_map_t *map = map_rule->map;
    const char *key = r->uri + map->prefix_len, *target;
    so_rule_t *rule;
    int line = 0;

    if (strncmp(r->uri, map->prefix, map->prefix_len) || *key++ != '/') {
        return NULL;
    }
    target = !*key || *key == '/' ? NULL
           : map->table ? so_map_table_get(map->table, key, &line)
           : cache ? dbm_get(r, map->file, key) : NULL;
    if (!target) {
        return NULL;
    }
    rule = apr_palloc(r->pool, sizeof(*rule));
    *rule = *map_rule;
    rule->kind = RULE_PATH;
    rule->exact = 1;
    rule->where = map->table ? apr_psprintf(r->pool, "%s:%d", map->file, line)
                             : apr_pstrcat(r->pool, map->file, ":", key,
                                           NULL);
    if (apr_uri_parse(r->pool, target, &rule->target) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SeeOtherMap %s: cannot "
                      "parse target '%s'", rule->where, target);
        return NULL;
    }
    return rule;
}

/* The indexed form of a level's rules.  For .htaccess the parsed rules
 * are pending: their indexed set is looked up by the rules' identities, or
 * built (once per process, unless the cache is full). */
static const so_rules_t *indexed_rules(request_rec *r,
                                       const so_rules_t *rules)
{
    const so_rule_t *const *list;
    apr_size_t key_len;
    so_rules_t *set;
    int i;

    if (!rules->pending) {
        return rules;
    }
    list = (const so_rule_t *const *)rules->pending->elts;
    key_len = rules->pending->nelts * sizeof(*list);
#if APR_HAS_THREADS
    apr_thread_mutex_lock(cache->lock);
#endif
    set = apr_hash_get(cache->rule_sets, list, (apr_ssize_t)key_len);
    if (!set) {
        int keep = cache->entries < CACHE_MAX_ENTRIES;
        apr_pool_t *p = keep ? cache->pool : r->pool;

        set = make_rules(p);
        for (i = 0; i < rules->pending->nelts; i++) {
            add_rule(p, set, list[i]);
        }
        if (keep) {
            apr_hash_set(cache->rule_sets, apr_pmemdup(p, list, key_len),
                         (apr_ssize_t)key_len, set);
            cache->entries += rules->pending->nelts;
        }
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cache->lock);
#endif
    return set;
}

/* A rule was chosen: build the answer. */
static int answer_with(request_rec *r, const so_rule_t *rule,
                       const char *rest, const ap_regmatch_t *m,
                       const so_conf_t *conf, so_answer_t *answer)
{
    apr_uri_t base, target;
    int status = rule_target(r, rule, rest, m, &target);

    if (status != OK) {
        return status;
    }
    request_base(r, &base);
    answer->rule = rule;
    answer->note = flag_on(conf->note);
    answer->location = so_uri_location(r->pool, &base, &target, rule->query,
                                       flag_on(conf->absolute));
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "%s %s matched %s by "
                  "rule %s: See Other %s", r->method, r->uri,
                  rule->kind == RULE_REGEX ? "regex" : "path", rule->where,
                  answer->location);
    return OK;
}

/* Try one level's rules: the section's one-argument rules, URL-paths
 * longest first, then regexes in configuration order.  DECLINED when no
 * group had a rule to answer. */
static int decide_level(so_req_t *req, const so_rules_t *rules,
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
    int i;

    if (rules->section
        && (rule = choose_rule(req, rules->section->rules, NULL))) {
        return answer_with(r, rule, NULL, NULL, conf, answer);
    }
    /* URL-paths longest first; map entries are whole paths, so they come
     * right after a URL-path equal to the whole path */
    so_literals_start(&literals, rules->literals, r->uri);
    key = so_literals_next(&literals, &rest);
    if (key && literals.last_len == literals.path_len) {
        if ((rule = choose_rule(req, key->entries, rest))) {
            return answer_with(r, rule, rest, NULL, conf, answer);
        }
        key = so_literals_next(&literals, &rest);
    }
    for (i = 0; i < rules->maps->nelts; i++) {
        const so_rule_t *map_rule = APR_ARRAY_IDX(rules->maps, i,
                                                  const so_rule_t *);

        if (rule_applies(r, map_rule) && (rule = map_entry(r, map_rule))) {
            return answer_with(r, rule, NULL, NULL, conf, answer);
        }
    }
    for (; key; key = so_literals_next(&literals, &rest)) {
        if ((rule = choose_rule(req, key->entries, rest))) {
            return answer_with(r, rule, rest, NULL, conf, answer);
        }
    }
    so_regexes_start(&regexes, rules->regexes, r->uri, r->pool);
    while ((group = so_regexes_next(&regexes))) {
        if (!ap_regexec(group->regex, r->uri, SO_MAX_GROUPS, m, 0)
            && (rule = choose_rule(req, group->rules, NULL))) {
            return answer_with(r, rule, NULL, m, conf, answer);
        }
    }
    return DECLINED;
}

/* Walk a configuration's levels, nearest first. */
static int decide(request_rec *r, const so_conf_t *conf,
                  so_answer_t *answer)
{
    so_req_t req = { r, NULL, 0 };
    const so_level_t *level;
    int sealed, status = DECLINED;

    if (!flag_on(conf->engine) || r->uri[0] != '/') {
        return DECLINED;
    }
    for (level = chain_of(conf, &sealed); level && status == DECLINED;
         level = level->outer) {
        status = decide_level(&req, indexed_rules(r, level->rules), conf,
                              answer);
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

/* Writes the note in front of EOS and sets Content-Length.  send_answer
 * passes nothing but EOS, so nothing else needs care; HEAD gets the length
 * of the GET answer and no body. */
static apr_status_t note_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_bucket *e;

    for (e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb);
         e = APR_BUCKET_NEXT(e)) {
        if (APR_BUCKET_IS_EOS(e)) {
            apr_size_t len;
            char *note = so_note_render(f->r->pool, f->ctx, &len);

            ap_set_content_length(f->r, (apr_off_t)len);
            if (!f->r->header_only) {
                APR_BUCKET_INSERT_BEFORE(e, apr_bucket_pool_create(
                    note, len, f->r->pool, f->c->bucket_alloc));
            }
            ap_remove_output_filter(f);
            break;
        }
    }
    return ap_pass_brigade(f->next, bb);
}

static int send_answer(request_rec *r, const so_answer_t *answer)
{
    apr_bucket_brigade *bb;
    int status = drain_request_body(r);

    if (status != OK) {
        return status;
    }
    r->status = HTTP_SEE_OTHER;
    apr_table_setn(r->headers_out, "Location", answer->location);
    apr_table_setn(r->notes, RULE_NOTE, answer->rule->where);
    if (answer->note) {
        ap_set_content_type(r, "text/html; charset=utf-8");
        ap_add_output_filter_handle(note_filter_handle,
                                    (void *)answer->location, r,
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

/* ---- hooks ------------------------------------------------------------ */

/* Answer now, in place of a handler: run insert_filter as
 * ap_invoke_handler would (mod_headers and other filters apply to the 303
 * as to any answer), send the 303, and end the request's processing with
 * DONE. */
static int answer_now(request_rec *r, const so_answer_t *answer)
{
    int status;

    ap_run_insert_filter(r);
    status = send_answer(r, answer);
    return status == OK ? DONE : status;
}

/* Server-level rules, before any filesystem work: no stat, no directory
 * walk, no .htaccess. */
static int see_other_translate(request_rec *r)
{
    so_answer_t answer;
    int status;

    if (r->main) {
        return DECLINED;
    }
    status = decide(r, ap_get_module_config(r->server->module_config,
                                            &see_other_module), &answer);
    return status == OK ? answer_now(r, &answer) : status;
}

/* Section and .htaccess rules, in the first fixup: the per-directory
 * configuration is complete, and mod_dir's fixup (DirectorySlash's 301,
 * the DirectoryIndex lookup) has not yet changed the path they must see;
 * a handler would come too late. */
static int see_other_fixups(request_rec *r)
{
    so_answer_t answer;
    int status;

    if (r->main) {
        return DECLINED;
    }
    status = decide(r, ap_get_module_config(r->per_dir_config,
                                            &see_other_module), &answer);
    return status == OK ? answer_now(r, &answer) : status;
}

static void see_other_child_init(apr_pool_t *p, server_rec *s)
{
    so_cache_t *c = apr_pcalloc(p, sizeof(*c));

    (void)s;
    apr_pool_create(&c->pool, p);
#if APR_HAS_THREADS
    apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p);
#endif
    c->parsed = apr_hash_make(c->pool);
    c->regexes = apr_hash_make(c->pool);
    c->rule_sets = apr_hash_make(c->pool);
    c->maps = apr_hash_make(c->pool);
    c->dbms = apr_hash_make(c->pool);
    cache = c;
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
    note_filter_handle = ap_register_output_filter(NOTE_FILTER, note_filter,
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
