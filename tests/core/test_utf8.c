#include "test_util.h"

#include "core/utf8.h"

static size_t bad(const char *s)
{
    return ct_utf8_invalid_at(s, strlen(s));
}

static void accepts_every_script(void **state)
{
    const char *names[] = {"Olena Коваленко", "محمد", "张伟", "Nguyễn Thị", "🙂", ""};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        assert_int_equal(bad(names[i]), strlen(names[i]));
}

static void refuses_malformed_sequences(void **state)
{
    assert_int_equal(bad("ab\xC0\xAF"), 2);        /* overlong '/' */
    assert_int_equal(bad("\xE0\x80\xAF"), 0);      /* overlong, 3 bytes */
    assert_int_equal(bad("x\xED\xA0\x80"), 1);     /* surrogate U+D800 */
    assert_int_equal(bad("\xF4\x90\x80\x80"), 0);  /* above U+10FFFF */
    assert_int_equal(bad("ok\xC3"), 2);            /* truncated */
    assert_int_equal(bad("\x80"), 0);              /* lone continuation */
    assert_int_equal(bad("\xE2\x82"), 0);          /* truncated 3-byte */
    assert_int_equal(bad("\xF0\x9F\x99\x82x"), 5); /* valid 4-byte */
}

static void counts_code_points(void **state)
{
    assert_int_equal(ct_utf8_length("Коваленко", strlen("Коваленко")), 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_every_script),
        cmocka_unit_test(refuses_malformed_sequences),
        cmocka_unit_test(counts_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
