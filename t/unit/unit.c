/* unit.c: the shared part of the C unit tests (see unit.h). */

#include <stdio.h>

#include "apr_general.h"

#include "unit.h"

apr_pool_t *pool;

void pool_setup(void)
{
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
}

void pool_teardown(void)
{
    apr_pool_destroy(pool);
    pool = NULL;
}

TCase *pooled_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, pool_setup, pool_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

int run_suite(Suite *s)
{
    SRunner *sr;
    int failures;

    if (apr_initialize() != APR_SUCCESS) {
        fprintf(stderr, "apr_initialize failed\n");
        return 1;
    }
    sr = srunner_create(s);
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failures = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failures ? 1 : 0;
}
