/* so_model.c: the compiled rules and their merge (see so_model.h). */

#include <string.h>

#include "apr_atomic.h"
#include "apr_strings.h"

#include "so_accept.h"
#include "so_model.h"

const so_rule_opts so_rule_plain = { .any_method = 1 };

int so_flag_on(int value)
{
    return value != 0;
}

int so_conf_legacy_status(const so_conf_t *conf)
{
    return conf->legacy_status == SO_UNSET ? 303 : conf->legacy_status;
}

int so_flag_set(int value)
{
    return value == 1;
}

so_conf_t *so_conf_make(apr_pool_t *p)
{
    so_conf_t *conf = apr_pcalloc(p, sizeof(*conf));

    conf->engine = conf->absolute = conf->note = SO_UNSET;
    conf->legacy_status = SO_UNSET;
    conf->alternates = conf->not_acceptable = SO_UNSET;
    return conf;
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

const so_level_t *so_conf_chain(const so_conf_t *conf)
{
    int sealed;

    return chain_of(conf, &sealed);
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
        **tail = *inner;
        tail = (so_level_t **)&(*tail)->outer;
    }
    *tail = (so_level_t *)outer;
    return head;
}

static int merge_flag(int base, int add)
{
    return add != SO_UNSET ? add : base;
}

so_conf_t *so_conf_merge(apr_pool_t *p, const so_conf_t *base,
                         const so_conf_t *add)
{
    so_conf_t *conf = apr_palloc(p, sizeof(*conf));
    const so_level_t *inner, *outer;
    int inner_sealed, outer_sealed;

    conf->engine = merge_flag(base->engine, add->engine);
    conf->absolute = merge_flag(base->absolute, add->absolute);
    conf->note = merge_flag(base->note, add->note);
    conf->own = NULL;
    conf->merged = 1;
    conf->note_template = add->note_template ? add->note_template
                                             : base->note_template;
    conf->legacy_status = merge_flag(base->legacy_status,
                                     add->legacy_status);
    conf->alternates = merge_flag(base->alternates, add->alternates);
    conf->not_acceptable = merge_flag(base->not_acceptable,
                                      add->not_acceptable);
    conf->format_param = add->format_param ? add->format_param
                                           : base->format_param;
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

const char *so_pattern_key(apr_pool_t *p, const char *pattern, int nocase)
{
    return apr_pstrcat(p, nocase ? "i:" : ":", pattern, NULL);
}

so_rule_set_t *so_rule_set_make(apr_pool_t *p)
{
    so_rule_set_t *set = apr_pcalloc(p, sizeof(*set));

    set->literals = so_literals_make(p);
    set->regexes = so_regexes_make(p);
    set->patterns = apr_hash_make(p);
    set->maps = apr_array_make(p, 1, sizeof(so_rule_t *));
    return set;
}

static so_group_t *new_group(apr_pool_t *p, ap_regex_t *regex)
{
    so_group_t *group = apr_palloc(p, sizeof(*group));

    group->regex = regex;
    group->rules = apr_array_make(p, 1, sizeof(so_rule_t *));
    return group;
}

static void push_rule(apr_array_header_t *rules, const so_rule_t *rule)
{
    *(const so_rule_t **)apr_array_push(rules) = rule;
}

void so_rule_set_add(apr_pool_t *p, so_rule_set_t *set,
                     const so_rule_t *rule)
{
    so_group_t *group;
    const char *key;

    switch (rule->kind) {
    case SO_RULE_SECTION:
        if (!set->section) {
            set->section = new_group(p, NULL);
        }
        push_rule(set->section->rules, rule);
        break;
    case SO_RULE_PATH:
        so_literals_add(set->literals, rule->url_path, rule);
        break;
    case SO_RULE_REGEX:
        /* rules of one pattern form one group, at its first place */
        key = so_pattern_key(p, rule->pattern, rule->nocase);
        group = apr_hash_get(set->patterns, key, APR_HASH_KEY_STRING);
        if (!group) {
            group = new_group(p, rule->opts->regex);
            apr_hash_set(set->patterns, key, APR_HASH_KEY_STRING, group);
            so_regexes_add(set->regexes, rule->pattern, rule->nocase,
                           group);
        }
        push_rule(group->rules, rule);
        break;
    case SO_RULE_MAP:
        push_rule(set->maps, rule);
        break;
    }
}

so_level_t *so_conf_level(apr_pool_t *p, so_conf_t *conf)
{
    if (!conf->own) {
        conf->own = apr_pcalloc(p, sizeof(*conf->own));
    }
    return conf->own;
}

void so_level_add(apr_pool_t *p, so_level_t *level, const so_rule_t *rule,
                  const void *origin)
{
    if (origin) {
        if (!level->pending) {
            level->pending = apr_array_make(p, 8, sizeof(so_rule_t *));
            level->origin = origin;
        }
        level->mixed_origins |= level->origin != origin;
        push_rule(level->pending, rule);
        return;
    }
    if (!level->set) {
        level->set = so_rule_set_make(p);
    }
    so_rule_set_add(p, (so_rule_set_t *)level->set, rule);
}

/* Text a Location may carry as it is: no control or space (those are
 * encoded when the Location is made; such a target is left to that). */
static int no_ctl_or_space(const char *s)
{
    for (; s && *s; s++) {
        if ((unsigned char)*s <= 0x20 || *s == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* The serial numbers of variant texts: never reused in a process, so a
 * thread's table of rendered lists (so_cache_links_get) can never take
 * another text, made where a freed one was, for the freed one. */
static volatile apr_uint64_t variant_serials;

apr_size_t so_rule_variant(apr_pool_t *p, const so_rule_t *rule,
                           so_rule_opts *opts)
{
    const so_media *type;
    so_link_text *text;
    const char *tail;
    apr_uri_t t;

    if (!opts->accept || opts->tpl || rule->kind == SO_RULE_MAP) {
        return 0;
    }
    so_rule_target(rule, &t);
    if (t.scheme || t.hostinfo || t.hostname || !t.path || t.path[0] != '/'
        || t.path[1] == '/' || strstr(t.path, "/.")
        || !no_ctl_or_space(t.path) || !no_ctl_or_space(t.query)
        || !no_ctl_or_space(t.fragment)) {
        return 0;
    }
    type = APR_ARRAY_IDX(opts->accept, 0, so_media *);
    tail = apr_pstrcat(p, t.path, t.query ? "?" : "", t.query ? t.query : "",
                       t.fragment ? "#" : "", t.fragment ? t.fragment : "",
                       NULL);
    text = so_link_text_make(p, tail, so_media_string(p, type, 0));
    text->serial = apr_atomic_inc64(&variant_serials) + 1;
    opts->variant = text;
    return sizeof(*text) + text->link_len + text->html_len
           + text->html_end_len + 3;
}
