/* Shared helpers for cmocka tests (header-only). */
#ifndef CT_TEST_UTIL_H
#define CT_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* The shared data sets (../shared/datasets); fails the test when absent. */
static inline const char *ct_test_datasets(void)
{
    const char *d = getenv("CT_DATASETS");
    if (!d || access(d, R_OK) != 0)
        fail_msg("the shared data sets are missing (CT_DATASETS=%s); they live in "
                 "../shared/datasets beside the clone",
                 d ? d : "(unset)");
    return d;
}

/* A fresh temporary directory for one test; removed by ct_test_rmdir. */
static inline char *ct_test_tmpdir(void)
{
    char tmpl[] = "/tmp/ctip-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static inline void ct_test_rmdir(char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

#endif
