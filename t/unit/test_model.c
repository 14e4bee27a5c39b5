/* test_model.c: unit tests of so_model.c (Check, TAP on stdout).
 *
 * The rule model without httpd: how settings and level chains merge
 * (nearest level first, outer levels shared), how SeeOtherEngine off seals
 * a chain, and where rules are filed (groups per URL-path and per
 * pattern, configuration order kept, pending .htaccess levels).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "so_model.h"

/* A rule of kind written at "file:line"; path is its URL-path or
 * pattern. */
static so_rule_t *rule_at(so_rule_kind kind, const char *path, int line)
{
    so_rule_t *rule = apr_pcalloc(pool, sizeof(*rule));

    rule->kind = kind;
    rule->opts = &so_rule_plain;
    rule->where = apr_psprintf(pool, "f:%d", line);
    if (kind == SO_RULE_REGEX) {
        rule->pattern = path;
    }
    else {
        rule->url_path = path;
    }
    return rule;
}

/* A configuration with one level holding one path rule. */
static so_conf_t *conf_with_rule(int line)
{
    so_conf_t *conf = so_conf_make(pool);

    so_level_add(pool, so_conf_level(pool, conf),
                 rule_at(SO_RULE_PATH, "/p", line), NULL);
    return conf;
}

/* The chain as "line line ...", nearest first: the line of each level's
 * first rule under /p. */
static const char *chain_lines(const so_conf_t *conf)
{
    const so_level_t *level;
    const char *out = "";

    for (level = so_conf_chain(conf); level; level = level->outer) {
        so_literal_cursor c;
        const so_literal_key *key;
        const char *rest;

        so_literals_start(&c, level->set->literals, "/p");
        key = so_literals_next(&c, &rest);
        ck_assert_ptr_nonnull(key);
        out = apr_pstrcat(pool, out, *out ? " " : "",
                          APR_ARRAY_IDX(key->entries, 0, so_rule_t *)->where,
                          NULL);
    }
    return out;
}

/* ------------------------------------------------------------------ */
/* settings                                                             */

START_TEST(test_flags_unset_mean_on)
{
    so_conf_t *conf = so_conf_make(pool);

    ck_assert_int_eq(conf->engine, SO_UNSET);
    ck_assert_int_eq(so_flag_on(conf->engine), 1);
    ck_assert_int_eq(so_flag_on(0), 0);
    ck_assert_int_eq(so_flag_on(1), 1);
}
END_TEST

/* The nearer setting wins; an unset one inherits. */
START_TEST(test_flags_merge)
{
    so_conf_t *base = so_conf_make(pool), *add = so_conf_make(pool);
    so_conf_t *merged;

    base->absolute = 1;
    base->note = 1;
    add->note = 0;
    merged = so_conf_merge(pool, base, add);
    ck_assert_int_eq(merged->absolute, 1);
    ck_assert_int_eq(merged->note, 0);
    ck_assert_int_eq(merged->engine, SO_UNSET);
}
END_TEST

/* SeeOtherNote All, the template and the legacy status merge like the
 * switches: the nearer setting wins, an unset one inherits. */
START_TEST(test_note_settings_merge)
{
    so_conf_t *server = so_conf_make(pool), *dir = so_conf_make(pool);
    so_conf_t *sub = so_conf_make(pool), *m1, *m2;
    so_note_template *a, *b;

    ck_assert_ptr_null(so_note_template_parse(pool, "A{{location}}", 13, &a));
    ck_assert_ptr_null(so_note_template_parse(pool, "B{{location}}", 13, &b));
    ck_assert_int_eq(so_conf_legacy_status(server), 303);
    server->note = SO_NOTE_ALL;
    server->note_template = a;
    dir->legacy_status = 302;
    m1 = so_conf_merge(pool, server, dir);
    ck_assert_int_eq(m1->note, SO_NOTE_ALL);
    ck_assert_int_eq(so_flag_on(m1->note), 1);
    ck_assert_ptr_eq(m1->note_template, a);
    ck_assert_int_eq(so_conf_legacy_status(m1), 302);
    sub->note = 1;
    sub->note_template = b;
    sub->legacy_status = 303;
    m2 = so_conf_merge(pool, m1, sub);
    ck_assert_int_eq(m2->note, 1);
    ck_assert_ptr_eq(m2->note_template, b);
    ck_assert_int_eq(so_conf_legacy_status(m2), 303);
}
END_TEST

/* ------------------------------------------------------------------ */
/* level chains                                                         */

START_TEST(test_chain_nearest_first)
{
    so_conf_t *server = conf_with_rule(1), *dir = conf_with_rule(2);
    so_conf_t *sub = conf_with_rule(3);
    so_conf_t *m1 = so_conf_merge(pool, server, dir);
    so_conf_t *m2 = so_conf_merge(pool, m1, sub);

    ck_assert_str_eq(chain_lines(server), "f:1");
    ck_assert_str_eq(chain_lines(m1), "f:2 f:1");
    ck_assert_str_eq(chain_lines(m2), "f:3 f:2 f:1");
    /* merging does not change what it merged */
    ck_assert_str_eq(chain_lines(m1), "f:2 f:1");
}
END_TEST

/* A section without rules adds no level, and the outer chain is shared,
 * not copied. */
START_TEST(test_chain_shared)
{
    so_conf_t *server = conf_with_rule(1), *dir = conf_with_rule(2);
    so_conf_t *m1 = so_conf_merge(pool, server, dir);
    so_conf_t *m2 = so_conf_merge(pool, m1, so_conf_make(pool));

    ck_assert_ptr_eq(so_conf_chain(m2), so_conf_chain(m1));
    ck_assert_ptr_eq(so_conf_chain(m1)->outer, so_conf_chain(server));
}
END_TEST

/* SeeOtherEngine off hides every outer level, also from later merges;
 * on below it starts a new chain. */
START_TEST(test_engine_off_seals)
{
    so_conf_t *server = conf_with_rule(1), *off = conf_with_rule(2);
    so_conf_t *below = conf_with_rule(3), *m1, *m2, *on, *m3;

    off->engine = 0;
    m1 = so_conf_merge(pool, server, off);
    ck_assert_ptr_null(so_conf_chain(m1));
    ck_assert_int_eq(m1->engine, 0);
    m2 = so_conf_merge(pool, m1, below);
    ck_assert_str_eq(chain_lines(m2), "f:3");
    on = conf_with_rule(4);
    on->engine = 1;
    m3 = so_conf_merge(pool, m1, on);
    ck_assert_str_eq(chain_lines(m3), "f:4");
    ck_assert_int_eq(m3->engine, 1);
}
END_TEST

/* An unmerged configuration with engine off contributes nothing. */
START_TEST(test_engine_off_unmerged)
{
    so_conf_t *conf = conf_with_rule(1);

    conf->engine = 0;
    ck_assert_ptr_null(so_conf_chain(conf));
}
END_TEST

/* ------------------------------------------------------------------ */
/* filing                                                               */

/* Rules of one URL-path form one group in configuration order; rules
 * of one pattern (and case flag) form one group at its first place. */
START_TEST(test_groups)
{
    so_rule_set_t *set = so_rule_set_make(pool);
    so_rule_t *a1 = rule_at(SO_RULE_PATH, "/a", 1);
    so_rule_t *a2 = rule_at(SO_RULE_PATH, "/a", 2);
    so_rule_t *r1 = rule_at(SO_RULE_REGEX, "^/x", 3);
    so_rule_t *r2 = rule_at(SO_RULE_REGEX, "^/y", 4);
    so_rule_t *r3 = rule_at(SO_RULE_REGEX, "^/x", 5);
    so_rule_t *r4 = rule_at(SO_RULE_REGEX, "^/x", 6);
    so_literal_cursor lc;
    so_regex_cursor rc;
    const so_literal_key *key;
    const so_group_t *g;
    const char *rest;

    r4->nocase = 1;
    so_rule_set_add(pool, set, a1);
    so_rule_set_add(pool, set, r1);
    so_rule_set_add(pool, set, r2);
    so_rule_set_add(pool, set, a2);
    so_rule_set_add(pool, set, r3);
    so_rule_set_add(pool, set, r4);

    so_literals_start(&lc, set->literals, "/a/b");
    key = so_literals_next(&lc, &rest);
    ck_assert_int_eq(key->entries->nelts, 2);
    ck_assert_ptr_eq(APR_ARRAY_IDX(key->entries, 0, so_rule_t *), a1);
    ck_assert_ptr_eq(APR_ARRAY_IDX(key->entries, 1, so_rule_t *), a2);

    /* candidates in the order of each pattern's first rule: "^/x" (r1,
     * r3), "^/y" (r2), nocase "^/x" (r4) as a group of its own */
    so_regexes_start(&rc, set->regexes, "/x", pool);
    g = so_regexes_next(&rc);
    ck_assert_int_eq(g->rules->nelts, 2);
    ck_assert_ptr_eq(APR_ARRAY_IDX(g->rules, 0, so_rule_t *), r1);
    ck_assert_ptr_eq(APR_ARRAY_IDX(g->rules, 1, so_rule_t *), r3);
    g = so_regexes_next(&rc);
    ck_assert_int_eq(g->rules->nelts, 1);
    ck_assert_ptr_eq(APR_ARRAY_IDX(g->rules, 0, so_rule_t *), r2);
    g = so_regexes_next(&rc);
    ck_assert_int_eq(g->rules->nelts, 1);
    ck_assert_ptr_eq(APR_ARRAY_IDX(g->rules, 0, so_rule_t *), r4);
    ck_assert_ptr_null(so_regexes_next(&rc));
}
END_TEST

START_TEST(test_section_and_maps)
{
    so_rule_set_t *set = so_rule_set_make(pool);
    so_rule_t *s1 = rule_at(SO_RULE_SECTION, NULL, 1);
    so_rule_t *m1 = rule_at(SO_RULE_MAP, NULL, 2);
    so_rule_t *s2 = rule_at(SO_RULE_SECTION, NULL, 3);

    ck_assert_ptr_null(set->section);
    so_rule_set_add(pool, set, s1);
    so_rule_set_add(pool, set, m1);
    so_rule_set_add(pool, set, s2);
    ck_assert_int_eq(set->section->rules->nelts, 2);
    ck_assert_ptr_eq(APR_ARRAY_IDX(set->section->rules, 1, so_rule_t *), s2);
    ck_assert_int_eq(set->maps->nelts, 1);
    ck_assert_ptr_eq(APR_ARRAY_IDX(set->maps, 0, so_rule_t *), m1);
}
END_TEST

/* .htaccess levels keep their rules pending, in order, unfiled, and know
 * whether they all came from one origin. */
START_TEST(test_pending_level)
{
    static const char gen1[] = "1", gen2[] = "2";
    so_conf_t *conf = so_conf_make(pool);
    so_level_t *level = so_conf_level(pool, conf);
    so_rule_t *a = rule_at(SO_RULE_PATH, "/a", 1);
    so_rule_t *b = rule_at(SO_RULE_REGEX, "^/b", 2);

    so_level_add(pool, level, a, gen1);
    so_level_add(pool, level, b, gen1);
    ck_assert_ptr_eq(level->origin, gen1);
    ck_assert_int_eq(level->mixed_origins, 0);
    ck_assert_ptr_eq(so_conf_level(pool, conf), level);
    ck_assert_ptr_null(level->set);
    ck_assert_int_eq(level->pending->nelts, 2);
    ck_assert_ptr_eq(APR_ARRAY_IDX(level->pending, 0, so_rule_t *), a);
    ck_assert_ptr_eq(APR_ARRAY_IDX(level->pending, 1, so_rule_t *), b);
    ck_assert_ptr_eq(so_conf_chain(conf), level);
    so_level_add(pool, level, a, gen2);
    ck_assert_int_eq(level->mixed_origins, 1);
}
END_TEST

START_TEST(test_pattern_key)
{
    ck_assert_str_eq(so_pattern_key(pool, "^/a", 0), ":^/a");
    ck_assert_str_eq(so_pattern_key(pool, "^/a", 1), "i:^/a");
}
END_TEST

static Suite *model_suite(void)
{
    Suite *s = suite_create("so_model");

    ADD_ONE(s, test_flags_unset_mean_on);
    ADD_ONE(s, test_flags_merge);
    ADD_ONE(s, test_note_settings_merge);
    ADD_ONE(s, test_chain_nearest_first);
    ADD_ONE(s, test_chain_shared);
    ADD_ONE(s, test_engine_off_seals);
    ADD_ONE(s, test_engine_off_unmerged);
    ADD_ONE(s, test_groups);
    ADD_ONE(s, test_section_and_maps);
    ADD_ONE(s, test_pending_level);
    ADD_ONE(s, test_pattern_key);
    return s;
}

int main(void)
{
    return run_suite(model_suite());
}
