/* so_model.h: the compiled rules of mod_see_other.
 *
 * What configuration produces and request time reads: a rule, the group
 * of rules that share one place in the precedence, the rule set written
 * in one place (a server, a section, an .htaccess file), and the chain of
 * rule sets a request sees, nearest first.  Also the settings that merge
 * with them (SeeOtherEngine, SeeOtherAbsolute, SeeOtherNote) and the
 * merge itself.
 *
 * Owns: nothing shared.  A rule set is built once (at configuration time,
 * or by the per-process cache under its lock, see so_cache.h) and only
 * read afterwards, so reading needs no lock.  Only APR is called here;
 * the httpd types below (compiled regex and expression) are only held.
 */
#ifndef SO_MODEL_H
#define SO_MODEL_H

#include <string.h>

#include "apr_hash.h"
#include "apr_tables.h"
#include "apr_uri.h"

#include "ap_expr.h"
#include "ap_regex.h"

#include "so_index.h"
#include "so_link.h"
#include "so_map.h"
#include "so_note.h"
#include "so_template.h"
#include "so_uri.h"

#define SO_UNSET (-1)

/* The longest target or Location: what httpd lets a header line hold
 * (LimitRequestFieldSize's default, 8190), less "Location: ". */
#define SO_LOCATION_MAX 8180

typedef enum {
    SO_RULE_SECTION,         /* one-argument form: the whole section */
    SO_RULE_PATH,            /* SeeOther URL-path, SeeOtherMap entry */
    SO_RULE_REGEX,           /* SeeOtherMatch */
    SO_RULE_MAP              /* SeeOtherMap: entries looked up per request */
} so_rule_kind;

/* A SeeOtherMap file: a loaded text map, or a DBM file read per request. */
typedef struct {
    const char *prefix;      /* URL-prefix without its trailing '/' */
    apr_size_t prefix_len;
    const char *file;
    const so_map_table *table;           /* NULL: DBM */
    apr_time_t mtime;                    /* when loaded (.htaccess maps) */
    apr_off_t size;
} so_map_file;

/* What a rule may say beyond its URL-path and its target: methods=,
 * expr=, accept=, a SeeOtherMatch regex and template.  Most rules say none
 * of it and share so_rule_plain. */
typedef struct {
    ap_regex_t *regex;       /* SO_RULE_REGEX */
    apr_array_header_t *accept;          /* so_media *, or NULL: default */
    /* a typed rule's entry in the list of variants, written once when
     * its target is a plain path-absolute reference (so_rule_variant);
     * else NULL */
    const so_link_text *variant;
    apr_array_header_t *other_methods;   /* names without a number */
    ap_expr_info_t *cond;    /* expr=, or NULL */
    const so_template *tpl;  /* SeeOtherMatch target with $N, else NULL */
    apr_int64_t method_mask; /* AP_METHOD_BIT << method number */
    unsigned int any_method:1;
    unsigned int head:1;     /* methods= names HEAD */
    unsigned int tpl_scheme:1;           /* the literal template has a */
    unsigned int tpl_authority:1;        /* scheme, an authority */
} so_rule_opts;

/* Any method, no condition, no type, no template. */
extern const so_rule_opts so_rule_plain;

/* A rule: 40 bytes, since a configuration may hold 100,000 of them (a
 * large table of paths belongs in a SeeOtherMap, but is not always put
 * there). */
typedef struct {
    const char *where;       /* "file:line", for the log and the note */
    union {                  /* what the rule is filed under */
        const char *url_path;            /* SO_RULE_PATH */
        const char *pattern;             /* SO_RULE_REGEX, with nocase */
    };
    union {
        const so_map_file *map;          /* SO_RULE_MAP */
        /* the target, unless it has $N (so_rule_target): */
        const char *target_path;         /* a path alone (most targets) */
        const apr_uri_t *target;         /* any other (parsed_target) */
    };
    const so_rule_opts *opts;            /* never NULL */
    unsigned int kind:2;     /* so_rule_kind */
    unsigned int query:2;    /* so_query_mode */
    unsigned int nocase:1;
    unsigned int exact:1;    /* `exact` or a map entry: no path remainder */
    unsigned int parsed_target:1;
} so_rule_t;

/* The target of a rule without a template, as apr_uri_parse gives it. */
static APR_INLINE void so_rule_target(const so_rule_t *rule, apr_uri_t *uri)
{
    if (rule->parsed_target) {
        *uri = *rule->target;
        return;
    }
    memset(uri, 0, sizeof(*uri));
    uri->is_initialized = 1;
    uri->path = (char *)rule->target_path;
}

/* Rules that stand at the same place in the precedence: the one-argument
 * rules of a section, the rules of one URL-path, the rules of one regex.
 * One of them answers, chosen by methods=, expr= and accept=. */
typedef struct {
    ap_regex_t *regex;                   /* for SeeOtherMatch groups */
    apr_array_header_t *rules;           /* so_rule_t *, config order */
} so_group_t;

/* The rules written in one place, filed where matching looks for them. */
typedef struct {
    so_group_t *section;                 /* one-argument rules, or NULL */
    so_literals *literals;               /* URL-path -> so_rule_t * */
    so_regexes *regexes;                 /* indexed so_group_t * */
    apr_hash_t *patterns;                /* so_pattern_key -> so_group_t */
    apr_array_header_t *maps;            /* so_rule_t *, SO_RULE_MAP */
} so_rule_set_t;

/* One level of a chain: a rule set, or (.htaccess with the process cache)
 * the rules as parsed, to be filed into a set on first use. */
typedef struct so_level {
    const so_rule_set_t *set;            /* NULL while pending */
    apr_array_header_t *pending;         /* so_rule_t *, or NULL */
    const void *origin;      /* where the pending rules came from (the
                              * cache's generation), or NULL */
    int mixed_origins;       /* they came from more than one */
    const struct so_level *outer;
} so_level_t;

/* Write a typed rule's entry in the list of variants (SeeOtherAlternates,
 * SeeOtherNotAcceptable) once, when its target is a path-absolute
 * reference with nothing to encode (the targets so_uri_location_path
 * takes): a request then adds only the origin.  Call when the rule is
 * complete, with its options (opts->variant is set) not yet kept.
 * Returns the bytes it took from p. */
apr_size_t so_rule_variant(apr_pool_t *p, const so_rule_t *rule,
                           so_rule_opts *opts);

/* One type for server and per-directory configuration: both merge the
 * same way, a nearer level in front of the outer ones. */
typedef struct {
    int engine, absolute, note;          /* SO_UNSET, 0 or 1 */
    so_level_t *own;                     /* rules written here, or NULL */
    int merged;                          /* chain/sealed below are valid */
    const so_level_t *chain;
    int sealed;                          /* nothing outer may be added */
    /* issue 10: the note of every 303 */
    const so_note_template *note_template;   /* NULL: the module's own */
    int legacy_status;                   /* SO_UNSET, 302 or 303 */
    /* issue 11: Linked Data publishing */
    int alternates;                      /* SO_UNSET (off), 0 or 1 */
    int not_acceptable;                  /* SO_UNSET (off), 0 or 1 */
    const char *format_param;            /* NULL: none */
} so_conf_t;

/* SeeOtherNote All (note, above): also complete the bodiless 303s of
 * other handlers. */
#define SO_NOTE_ALL 2

/* A switch's value: SO_UNSET means the default, on. */
int so_flag_on(int value);
/* A switch whose default is off (SeeOtherAlternates,
 * SeeOtherNotAcceptable): only 1 is on. */
int so_flag_set(int value);

/* The status the module's own rules answer an HTTP/1.0 request with
 * (SeeOtherLegacyStatus; 303 by default). */
int so_conf_legacy_status(const so_conf_t *conf);

so_conf_t *so_conf_make(apr_pool_t *p);
/* add's settings over base's, add's levels in front of base's (none of
 * base's when add says SeeOtherEngine off). */
so_conf_t *so_conf_merge(apr_pool_t *p, const so_conf_t *base,
                         const so_conf_t *add);
/* The levels a configuration contributes, nearest first. */
const so_level_t *so_conf_chain(const so_conf_t *conf);

/* The key that tells regexes apart: the pattern and its case flag. */
const char *so_pattern_key(apr_pool_t *p, const char *pattern, int nocase);

so_rule_set_t *so_rule_set_make(apr_pool_t *p);
/* File a rule where matching will look for it. */
void so_rule_set_add(apr_pool_t *p, so_rule_set_t *set,
                     const so_rule_t *rule);
/* The level of conf that rules written there go to (made on first use). */
so_level_t *so_conf_level(apr_pool_t *p, so_conf_t *conf);
/* Add a rule to a level: filed now (origin NULL), or kept pending with
 * the origin it was taken from. */
void so_level_add(apr_pool_t *p, so_level_t *level, const so_rule_t *rule,
                  const void *origin);

#endif /* SO_MODEL_H */
