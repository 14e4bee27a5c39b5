/* unit.h: what every C unit test shares (Check, TAP on stdout).
 *
 * Each test gets a fresh APR pool in `pool`; each table row is a loop
 * iteration of its own, so that every row is a TAP line naming what failed.
 */
#ifndef SO_UNIT_H
#define SO_UNIT_H

#include <check.h>

#include "apr_pools.h"

#define NELTS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SHOW(s) ((s) ? (s) : "(null)")

/* The current test's pool. */
extern apr_pool_t *pool;

/* The fixture behind it, for tests that need more set up. */
void pool_setup(void);
void pool_teardown(void);

/* A TCase whose tests each run with a fresh pool. */
TCase *pooled_tcase(Suite *s, const char *name);

/* Macros, not functions: the type of a test changed in Check 0.13. */
#define ADD_LOOP(s, test, n) \
    tcase_add_loop_test(pooled_tcase((s), #test), test, 0, (n))
#define ADD_ONE(s, test) \
    tcase_add_test(pooled_tcase((s), #test), test)

/* Run a suite with TAP output; the exit status for main(). */
int run_suite(Suite *s);

#endif /* SO_UNIT_H */
