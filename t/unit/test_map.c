/* test_map.c: unit tests of so_map.c (Check, TAP on stdout).
 *
 * The text parser on buffers (len bytes and one more that is never set,
 * so valgrind sees any read of it), opening files without blocking, the
 * in-memory table read from temp files, and the DBM check on a DBM
 * written here with APR's default type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "unit.h"

#include "apr_dbm.h"
#include "apr_file_io.h"
#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "so_map.h"

/* What the callback saw: "key=target@line" strings. */
typedef struct {
    apr_array_header_t *seen;
    int calls;
    const char *reject;      /* key to refuse, or NULL */
} collector;

static collector *collector_make(const char *reject)
{
    collector *c = apr_pcalloc(pool, sizeof(*c));

    c->seen = apr_array_make(pool, 4, sizeof(const char *));
    c->reject = reject;
    return c;
}

static const char *collect(void *baton, const char *key, const char *target,
                           int line)
{
    collector *c = baton;

    c->calls++;
    if (c->reject && !strcmp(key, c->reject)) {
        return apr_psprintf(pool, "key '%s' refused", key);
    }
    *(const char **)apr_array_push(c->seen) = apr_psprintf(pool, "%s=%s@%d",
                                                           key, target,
                                                           line);
    return NULL;
}

/* All of it, space-separated. */
static const char *seen(const collector *c)
{
    return apr_array_pstrcat(pool, c->seen, ' ');
}

/* The last entry seen, or "". */
static const char *last_seen(const collector *c)
{
    return c->seen->nelts
           ? APR_ARRAY_IDX(c->seen, c->seen->nelts - 1, const char *) : "";
}

/* so_map_parse over a copy of text in a buffer of len + 1 bytes. */
static const char *parse_copy(const char *text, apr_size_t len,
                              collector *c)
{
    char *buf = malloc(len + 1);
    const char *err;

    ck_assert_ptr_nonnull(buf);
    memcpy(buf, text, len);
    err = so_map_parse(pool, buf, len, collect, c);
    free(buf);
    return err;
}

/* ------------------------------------------------------------------ */
/* so_map_parse                                                         */

static const struct {
    const char *text;
    const char *want;        /* entries seen, if the parse succeeds */
    const char *error;       /* else: parts of the error, '|'-separated */
} parses[] = {
    { "",                                   "",                 NULL },
    { "\n",                                 "",                 NULL },
    { "a 1\nb 2\n",                         "a=1@1 b=2@2",      NULL },
    /* a last line without a newline */
    { "a 1\nb 2",                           "a=1@1 b=2@2",      NULL },
    { "a 1",                                "a=1@1",            NULL },
    /* comments, also indented; '#' inside a word is text */
    { "# c\n  # indented\n\t#tab\na 1\n#",  "a=1@4",            NULL },
    { "#a 1\n",                             "",                 NULL },
    { "a#b c#d\n",                          "a#b=c#d@1",        NULL },
    /* blank lines, also of white space only */
    { "\n\n  \n\t\na 1\n\n",                "a=1@5",            NULL },
    /* CRLF line endings */
    { "a 1\r\nb 2\r\n",                     "a=1@1 b=2@2",      NULL },
    { "# c\r\n\r\na 1\r\n",                 "a=1@3",            NULL },
    { "a 1\r",                              "a=1@1",            NULL },
    /* tabs and runs of blanks */
    { "a\t1\n\tb \t 2\t\n  c   3  \n",      "a=1@1 b=2@2 c=3@3", NULL },
    /* what a word may hold */
    { "/id/x https://example.com/doc/x?a=1&b=2#f\n",
      "/id/x=https://example.com/doc/x?a=1&b=2#f@1",             NULL },
    { "caf\xc3\xa9 /\xc3\xa9t\xc3\xa9\n",   "caf\xc3\xa9=/\xc3\xa9t\xc3\xa9@1",
      NULL },
    /* one word: the line and the key are named */
    { "a 1\nlonely\n",                      NULL,   "line 2|lonely|no target" },
    { "lonely",                             NULL,   "line 1|lonely" },
    { "a 1\r\n\r\nx \r\n",                  NULL,   "line 3|'x'" },
    { "a 1\n\tx\t\n",                       NULL,   "line 2|'x'" },
    /* three words */
    { "a 1\n\nb 2 3\n",                     NULL,   "line 3|more words" },
    { "a 1 # trailing comment\n",           NULL,   "line 1|more words" },
    /* the callback's error, with the line number */
    { "a 1\nbad x\nc 3\n",                  NULL,   "line 2: key 'bad' refused" },
};

/* A NUL byte would cut a key or target short: refused, line named. */
START_TEST(test_parse_nul)
{
    static const char text[] = "a 1\nb 2\x00x\nc 3\n";
    collector *c = collector_make(NULL);
    const char *err = parse_copy(text, sizeof(text) - 1, c);

    ck_assert_str_eq(SHOW(err), "line 2: a NUL byte");
    ck_assert_int_eq(c->calls, 0);
}
END_TEST

START_TEST(test_parse_text)
{
    collector *c = collector_make("bad");
    const char *err = parse_copy(parses[_i].text, strlen(parses[_i].text),
                                 c);

    if (!parses[_i].error) {
        ck_assert_msg(err == NULL, "parse(\"%s\"): unexpected error \"%s\"",
                      parses[_i].text, err);
        ck_assert_msg(strcmp(seen(c), parses[_i].want) == 0,
                      "parse(\"%s\"): got \"%s\", want \"%s\"",
                      parses[_i].text, seen(c), parses[_i].want);
    }
    else {
        char *parts = apr_pstrdup(pool, parses[_i].error), *last;
        const char *part;

        ck_assert_msg(err != NULL, "parse(\"%s\"): no error, saw \"%s\"",
                      parses[_i].text, seen(c));
        for (part = apr_strtok(parts, "|", &last); part;
             part = apr_strtok(NULL, "|", &last)) {
            ck_assert_msg(strstr(err, part) != NULL,
                          "parse(\"%s\"): error \"%s\" does not say \"%s\"",
                          parses[_i].text, err, part);
        }
    }
}
END_TEST

/* The parse stops at the first error: no later line is passed on. */
START_TEST(test_parse_text_stops)
{
    static const char text[] = "a 1\nbad 2\nc 3\nd\n";
    collector *c = collector_make("bad");
    const char *err = parse_copy(text, strlen(text), c);

    ck_assert_str_eq(SHOW(err), "line 2: key 'bad' refused");
    ck_assert_int_eq(c->calls, 2);
    ck_assert_str_eq(seen(c), "a=1@1");
}
END_TEST

/* len, not a NUL, ends the text. */
START_TEST(test_parse_text_len)
{
    static const char text[] = "a 1\nb 2\nc";
    collector *c = collector_make(NULL);

    ck_assert_ptr_null(parse_copy(text, 7, c));
    ck_assert_str_eq(seen(c), "a=1@1 b=2@2");
    apr_array_clear(c->seen);
    ck_assert_ptr_null(parse_copy(text, 4, c));
    ck_assert_str_eq(seen(c), "a=1@1");
    apr_array_clear(c->seen);
    ck_assert_ptr_null(parse_copy(text, 0, c));
    ck_assert_str_eq(seen(c), "");
}
END_TEST

/* Many lines: numbers stay right. */
START_TEST(test_parse_text_many_lines)
{
    enum { N = 20000 };
    collector *c = collector_make(NULL);
    char *text = apr_palloc(pool, N * 16), *t = text;
    int i;

    for (i = 1; i <= N; i++) {
        t += sprintf(t, i % 2 ? "k%d t%d\n" : "# %d\n", i, i);
    }
    strcpy(t, "x");
    ck_assert_ptr_null(parse_copy(text, (apr_size_t)(t - text), c));
    ck_assert_int_eq(c->calls, N / 2);
    ck_assert_str_eq(last_seen(c), "k19999=t19999@19999");
    ck_assert_str_eq(parse_copy(text, strlen(text), c),
                     apr_psprintf(pool, "line %d: 'x' has no target",
                                  N + 1));
}
END_TEST

/* ------------------------------------------------------------------ */
/* so_map_read_text                                                     */

static const char *temp_dir(void)
{
    const char *dir;

    ck_assert_int_eq(apr_temp_dir_get(&dir, pool), APR_SUCCESS);
    return dir;
}

static apr_status_t remove_file(void *name)
{
    return apr_file_remove(name, NULL);
}

/* A temp file holding text, removed with the test's pool; its name. */
static const char *temp_file(const char *text)
{
    char *name = apr_pstrcat(pool, temp_dir(), "/so_map_XXXXXX", NULL);
    apr_file_t *f;
    apr_size_t len = strlen(text);

    ck_assert_int_eq(apr_file_mktemp(&f, name, APR_FOPEN_CREATE
                                     | APR_FOPEN_READ | APR_FOPEN_WRITE
                                     | APR_FOPEN_EXCL, pool), APR_SUCCESS);
    ck_assert_int_eq(apr_file_write_full(f, text, len, NULL), APR_SUCCESS);
    ck_assert_int_eq(apr_file_close(f), APR_SUCCESS);
    apr_pool_cleanup_register(pool, name, remove_file,
                              apr_pool_cleanup_null);
    return name;
}

/* Open and read path into a table; the error, or NULL. */
static const char *read_table(const char *path, apr_off_t max,
                              apr_array_header_t *warnings,
                              so_map_table **t)
{
    so_map_source src;
    const char *err = so_map_open(pool, "map file", path, &src);

    if (!err) {
        err = so_map_table_read(pool, &src, max, NULL, warnings, t);
        apr_file_close(src.file);
    }
    return err;
}

static const char *get(const so_map_table *t, const char *key, int *line)
{
    return SHOW(so_map_table_get(t, key, line));
}

START_TEST(test_read_text)
{
    const char *name = temp_file("# ids\r\n/id/1 /doc/1\r\n\n\t/id/2\t/doc/2");
    so_map_table *t = NULL;
    const char *err = read_table(name, 0, NULL, &t);
    int line = 0;

    ck_assert_msg(err == NULL, "read: %s", SHOW(err));
    ck_assert_str_eq(get(t, "id/1", &line), "/doc/1");
    ck_assert_int_eq(line, 2);
    ck_assert_str_eq(get(t, "id/2", &line), "/doc/2");
    ck_assert_int_eq(line, 4);
}
END_TEST

START_TEST(test_read_text_empty)
{
    so_map_table *t = NULL;
    const char *err = read_table(temp_file(""), 0, NULL, &t);
    int line = 0;

    ck_assert_msg(err == NULL, "read of an empty file: %s", SHOW(err));
    ck_assert_ptr_null(so_map_table_get(t, "a", &line));
}
END_TEST

/* A file bigger than any one read buffer. */
START_TEST(test_read_text_big)
{
    enum { N = 50000 };
    char *text = apr_palloc(pool, N * 24), *t = text;
    so_map_table *table = NULL;
    const char *err;
    int i, line = 0;

    for (i = 1; i <= N; i++) {
        t += sprintf(t, "/k/%d /t/%d\n", i, i);
    }
    err = read_table(temp_file(text), 0, NULL, &table);
    ck_assert_msg(err == NULL, "read: %s", SHOW(err));
    ck_assert_str_eq(get(table, "k/50000", &line), "/t/50000");
    ck_assert_int_eq(line, 50000);
}
END_TEST

/* max_bytes: a larger file is refused, naming its size and the bound. */
START_TEST(test_read_text_too_big)
{
    const char *name = temp_file("a /1\nb /2\n");
    so_map_table *t = NULL;

    ck_assert_str_eq(SHOW(read_table(name, 9, NULL, &t)),
                     apr_psprintf(pool, "map file %s: 10 bytes, more than "
                                  "the 9 allowed", name));
    ck_assert_ptr_null(read_table(name, 10, NULL, &t));
}
END_TEST

/* A parse error names the file and the line. */
START_TEST(test_read_text_bad_line)
{
    const char *name = temp_file("a 1\nb\n");
    so_map_table *t = NULL;
    const char *err = read_table(name, 0, NULL, &t);

    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, name) && strstr(err, "line 2"),
                  "error \"%s\" names neither file nor line", err);
}
END_TEST

START_TEST(test_read_text_missing)
{
    const char *name = temp_file("");
    so_map_source src;
    const char *err;

    ck_assert_int_eq(apr_file_remove(name, pool), APR_SUCCESS);
    err = so_map_open(pool, "map file", name, &src);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, name) != NULL,
                  "error \"%s\" does not name %s", err, name);
}
END_TEST

/* A directory is no map file either. */
START_TEST(test_read_text_directory)
{
    so_map_source src;

    ck_assert_str_eq(SHOW(so_map_open(pool, "map file", temp_dir(), &src)),
                     apr_psprintf(pool, "map file %s: not a regular file",
                                  temp_dir()));
}
END_TEST

/* A FIFO without a writer: refused at once, never waited on. */
START_TEST(test_open_fifo)
{
    const char *name = apr_pstrcat(pool, temp_file(""), ".fifo", NULL);
    so_map_source src;
    const char *err;

    ck_assert_int_eq(mkfifo(name, 0600), 0);
    err = so_map_open(pool, "map file", name, &src);
    unlink(name);
    ck_assert_str_eq(SHOW(err), apr_psprintf(pool, "map file %s: not a "
                                             "regular file", name));
}
END_TEST

/* ------------------------------------------------------------------ */
/* so_map_check_dbm                                                     */

static char dbm_dir[64];

static void dbm_setup(void)
{
    const char *tmp;

    pool_setup();
    ck_assert_int_eq(apr_temp_dir_get(&tmp, pool), APR_SUCCESS);
    ck_assert_int_lt(snprintf(dbm_dir, sizeof(dbm_dir), "%s/so_dbm_XXXXXX",
                              tmp), (int)sizeof(dbm_dir));
    ck_assert_ptr_nonnull(mkdtemp(dbm_dir));
}

/* Remove every file of the temp dir, then the dir. */
static void dbm_teardown(void)
{
    apr_dir_t *dir;
    apr_finfo_t fi;

    if (apr_dir_open(&dir, dbm_dir, pool) == APR_SUCCESS) {
        while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, dir)
               == APR_SUCCESS) {
            if (fi.filetype == APR_REG) {
                apr_file_remove(apr_pstrcat(pool, dbm_dir, "/", fi.name,
                                            NULL), pool);
            }
        }
        apr_dir_close(dir);
    }
    apr_dir_remove(dbm_dir, pool);
    pool_teardown();
}

static void dbm_write(const char *path, const char *const *pairs, int n)
{
    apr_dbm_t *db;
    int i;

    ck_assert_int_eq(apr_dbm_open_ex(&db, "default", path, APR_DBM_RWCREATE,
                                     APR_OS_DEFAULT, pool), APR_SUCCESS);
    for (i = 0; i < n; i += 2) {
        apr_datum_t k, v;

        k.dptr = (char *)pairs[i];
        k.dsize = strlen(pairs[i]);
        v.dptr = (char *)pairs[i + 1];
        v.dsize = strlen(pairs[i + 1]);
        ck_assert_int_eq(apr_dbm_store(db, k, v), APR_SUCCESS);
    }
    apr_dbm_close(db);
}

/* The in-memory map: lookups, leading slashes, a key written twice, a
 * refused target naming its line, and a map of 100,000 entries. */
static const char *refuse_space_x(apr_pool_t *p, const char *target)
{
    (void)p;
    return strchr(target, 'X') ? "has an X" : NULL;
}

START_TEST(test_table_lookup)
{
    so_map_table *t = NULL;
    const char *path = temp_file("# c\na /t/a\n/b  /t/b\n\na /t/a2\nc\t/t/c");
    int line = 0;

    apr_array_header_t *warnings = apr_array_make(pool, 1, sizeof(char *));
    so_map_source src;

    ck_assert_ptr_null(so_map_open(pool, "map file", path, &src));
    ck_assert_ptr_null(so_map_table_read(pool, &src, 0, refuse_space_x,
                                         warnings, &t));
    ck_assert_str_eq(so_map_table_get(t, "a", &line), "/t/a");
    ck_assert_int_eq(line, 2);              /* the first line wins */
    ck_assert_int_eq(warnings->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(warnings, 0, const char *),
                     apr_psprintf(pool, "%s, line 5: key 'a' was given on "
                                  "line 2 already; the first one is used",
                                  path));
    ck_assert_str_eq(so_map_table_get(t, "b", &line), "/t/b");
    ck_assert_int_eq(line, 3);
    ck_assert_str_eq(so_map_table_get(t, "c", &line), "/t/c");
    ck_assert_ptr_null(so_map_table_get(t, "/b", &line));
    ck_assert_ptr_null(so_map_table_get(t, "d", &line));
    ck_assert_ptr_null(so_map_table_get(t, "", &line));
}
END_TEST

START_TEST(test_table_refused)
{
    so_map_table *t = NULL;
    so_map_source src;
    const char *err = so_map_open(pool, "map file", temp_file("a /ok\nb /X\n"), &src);

    ck_assert_ptr_null(err);
    err = so_map_table_read(pool, &src, 0, refuse_space_x, NULL, &t);

    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, "line 2: has an X") != NULL, "%s", err);
}
END_TEST

START_TEST(test_table_big)
{
    apr_array_header_t *lines = apr_array_make(pool, 100000, sizeof(char *));
    so_map_table *t = NULL;
    char key[32];
    int i, line = 0;

    for (i = 0; i < 100000; i++) {
        *(char **)apr_array_push(lines) = apr_psprintf(pool, "k%d /t/%d\n",
                                                       i, i);
    }
    ck_assert_ptr_null(read_table(temp_file(apr_array_pstrcat(pool, lines,
                                                              0)),
                                  0, NULL, &t));
    for (i = 0; i < 100000; i += 997) {
        snprintf(key, sizeof(key), "k%d", i);
        ck_assert_str_eq(so_map_table_get(t, key, &line),
                         apr_psprintf(pool, "/t/%d", i));
        ck_assert_int_eq(line, i + 1);
    }
    ck_assert_ptr_null(so_map_table_get(t, "k100000", &line));
}
END_TEST

/* A DBM file is checked only for opening: it is never read whole. */
START_TEST(test_check_dbm)
{
    static const char *const pairs[] = { "/id/1", "/doc/1", "bad", "no uri" };
    const char *path = apr_pstrcat(pool, dbm_dir, "/ids", NULL);
    const char *err;

    so_map_source src;

    dbm_write(path, pairs, NELTS(pairs));
    ck_assert_ptr_null(so_map_open(pool, "map file", path, &src));
    err = so_map_check_dbm(pool, &src);
    ck_assert_msg(err == NULL, "check_dbm: %s", SHOW(err));
}
END_TEST

START_TEST(test_check_dbm_missing)
{
    const char *path = apr_pstrcat(pool, dbm_dir, "/missing", NULL);
    so_map_source src;
    const char *err = so_map_open(pool, "map file", path, &src);

    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, path) != NULL,
                  "error \"%s\" does not name %s", err, path);
}
END_TEST

/* ------------------------------------------------------------------ */

/* The same with a temp dir for DBM files. */
static TCase *dbm_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, dbm_setup, dbm_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

#define ADD_DBM(s, test) \
    tcase_add_test(dbm_tcase((s), #test), test)

static Suite *map_suite(void)
{
    Suite *s = suite_create("so_map");

    ADD_LOOP(s, test_parse_text, NELTS(parses));
    ADD_ONE(s, test_parse_nul);
    ADD_ONE(s, test_parse_text_stops);
    ADD_ONE(s, test_parse_text_len);
    ADD_ONE(s, test_parse_text_many_lines);
    ADD_ONE(s, test_read_text);
    ADD_ONE(s, test_read_text_empty);
    ADD_ONE(s, test_read_text_big);
    ADD_ONE(s, test_read_text_too_big);
    ADD_ONE(s, test_open_fifo);
    ADD_ONE(s, test_read_text_bad_line);
    ADD_ONE(s, test_read_text_missing);
    ADD_ONE(s, test_read_text_directory);
    ADD_ONE(s, test_table_lookup);
    ADD_ONE(s, test_table_refused);
    ADD_ONE(s, test_table_big);
    ADD_DBM(s, test_check_dbm);
    ADD_DBM(s, test_check_dbm_missing);
    return s;
}

int main(void)
{
    return run_suite(map_suite());
}
