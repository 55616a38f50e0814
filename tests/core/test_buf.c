#include "test_util.h"

#include "core/alloc.h"
#include "core/buf.h"

static void appends_and_detaches(void **state)
{
    ct_buf b = CT_BUF_INIT;
    assert_string_equal(b.buf, "");
    ct_buf_adds(&b, "case ");
    ct_buf_addf(&b, "%d of %s", 7, "12");
    ct_buf_addc(&b, '!');
    assert_string_equal(b.buf, "case 7 of 12!");
    assert_int_equal(b.len, 13);
    ct_buf_truncate(&b, 4);
    assert_string_equal(b.buf, "case");
    char *s = ct_buf_detach(&b);
    assert_string_equal(s, "case");
    assert_string_equal(b.buf, "");
    ct_free(s);
}

static void failed_growth_is_sticky_and_keeps_contents(void **state)
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_adds(&b, "kept");
    ct_alloc_fail_after(1);
    char big[4096];
    memset(big, 'x', sizeof(big));
    ct_buf_add(&b, big, sizeof(big));
    ct_alloc_fail_after(0);
#ifdef CT_FAULT_INJECTION
    assert_true(b.oom);
    assert_string_equal(b.buf, "kept");
    ct_buf_adds(&b, "more"); /* ignored after a failure */
    assert_string_equal(b.buf, "kept");
    assert_null(ct_buf_detach(&b));
#else
    ct_buf_release(&b);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_and_detaches),
        cmocka_unit_test(failed_growth_is_sticky_and_keeps_contents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
