/* see_other.h: what the httpd glue of mod_see_other shares between its
 * two files: mod_see_other.c (configuration, directives, hooks) and
 * so_answer.c (deciding a request and sending the 303).  The pure units
 * (so_uri, so_rule, so_note, so_map, so_accept) do not include it.
 */
#ifndef SEE_OTHER_H
#define SEE_OTHER_H

#include "httpd.h"
#include "http_config.h"
#include "ap_expr.h"
#include "ap_regex.h"
#include "util_filter.h"

#include "apr_hash.h"
#include "apr_tables.h"
#include "apr_uri.h"
#if APR_HAS_THREADS
#include "apr_thread_mutex.h"
#endif

#include "so_map.h"
#include "so_rule.h"
#include "so_uri.h"

extern module AP_MODULE_DECLARE_DATA see_other_module;

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
    apr_hash_t *files;       /* .htaccess name -> its parsed lines */
    struct file_lines *last_file;        /* the one parsed last */
    apr_hash_t *regexes;     /* "i:regex" or ":regex" -> ap_regex_t */
    apr_hash_t *rule_sets;   /* rule pointer sequence -> so_rules_t */
    apr_hash_t *maps;        /* map file -> so_map_t */
    apr_hash_t *dbms;        /* DBM file -> apr_dbm_t */
    int entries;
} so_cache_t;

#define CACHE_MAX_ENTRIES 100000

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

/* The answer decided for a request. */
typedef struct {
    const so_rule_t *rule;
    const char *location;
    int note;
} so_answer_t;

/* The per-process caches (NULL in the parent) and the note filter. */
extern so_cache_t *so_cache;
extern ap_filter_rec_t *so_note_filter_handle;

/* mod_see_other.c */
const so_level_t *so_chain_of(const so_conf_t *conf, int *sealed);
so_rules_t *so_make_rules(apr_pool_t *p);
void so_add_rule(apr_pool_t *p, so_rules_t *rules, const so_rule_t *rule);

/* so_answer.c */
int so_flag_on(int value);
int so_decide(request_rec *r, const so_conf_t *conf, so_answer_t *answer);
int so_send_answer(request_rec *r, const so_answer_t *answer);
apr_status_t so_note_filter(ap_filter_t *f, apr_bucket_brigade *bb);

#endif /* SEE_OTHER_H */
