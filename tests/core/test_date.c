#include "test_util.h"

#include "core/date.h"
#include "core/err.h"

static ct_date D(const char *s)
{
    ct_date d;
    assert_int_equal(ct_date_parse(s, strlen(s), &d), 0);
    return d;
}

static void parses_partial_dates_and_refuses_impossible_ones(void **state)
{
    ct_date d = D("2021-03");
    assert_int_equal(d.year, 2021);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 0);
    assert_int_equal(D("2024-02-29").day, 29);
    const char *bad[] = {"2023-02-29", "2021-13", "2021-00", "21-03-01",   "2021-3-1",
                         "2021/03/01", "",        "0000",    "2021-04-31", "abcd"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ct_date x;
        assert_int_equal(ct_date_parse(bad[i], strlen(bad[i]), &x), CT_EINVAL);
    }
}

static void formats_as_given(void **state)
{
    char out[CT_DATE_TEXT_MAX];
    ct_date_format(D("1998"), out);
    assert_string_equal(out, "1998");
    ct_date_format(D("1998-04"), out);
    assert_string_equal(out, "1998-04");
    ct_date_format(D("1998-04-07"), out);
    assert_string_equal(out, "1998-04-07");
    ct_date_format(CT_DATE_NONE, out);
    assert_string_equal(out, "");
}

static void day_numbers_round_trip(void **state)
{
    assert_int_equal(ct_date_days(D("1970-01-01")), 0);
    assert_int_equal(ct_date_days(D("2000-03-01")) - ct_date_days(D("2000-02-28")), 2);
    for (long z = -800000; z < 800000; z += 997) {
        ct_date d = ct_date_from_days(z);
        assert_int_equal(ct_date_days(d), z);
    }
}

static void ranges_of_contracts(void **state)
{
    ct_date today = D("2026-11-25");
    const char *why;
    assert_int_equal(ct_date_check(D("1899"), CT_DATE_BIRTH, today, &why), CT_EINVAL);
    assert_int_equal(ct_date_check(D("1900"), CT_DATE_BIRTH, today, &why), 0);
    assert_int_equal(ct_date_check(D("1989-12"), CT_DATE_EVENT, today, &why), CT_EINVAL);
    assert_int_equal(ct_date_check(D("1990"), CT_DATE_EVENT, today, &why), 0);
    assert_int_equal(ct_date_check(D("2026-11"), CT_DATE_EVENT, today, &why), 0);
    assert_int_equal(ct_date_check(D("2026-11-26"), CT_DATE_EVENT, today, &why), CT_EINVAL);
    assert_int_equal(ct_date_check(D("2027"), CT_DATE_BIRTH, today, &why), CT_EINVAL);
}

static void age_ranges_from_partial_dates(void **state)
{
    int lo, hi;
    /* full dates: the day before the 18th birthday is 17 */
    assert_int_equal(ct_age_range(D("2004-05-10"), -1, CT_DATE_NONE, D("2022-05-09"), &lo, &hi), 0);
    assert_int_equal(lo, 17);
    assert_int_equal(hi, 17);
    assert_int_equal(ct_age_range(D("2004-05-10"), -1, CT_DATE_NONE, D("2022-05-10"), &lo, &hi), 0);
    assert_int_equal(lo, 18);
    /* year of birth only, acts in a known year: 16 or 17 */
    assert_int_equal(ct_age_range(D("2005"), -1, CT_DATE_NONE, D("2022"), &lo, &hi), 0);
    assert_int_equal(lo, 16);
    assert_int_equal(hi, 17);
    /* 19 on 2022-06-01 means born 2002-06-02..2003-06-01: 17 or 18 in June 2020 */
    assert_int_equal(ct_age_range(CT_DATE_NONE, 19, D("2022-06-01"), D("2020-06"), &lo, &hi), 0);
    assert_int_equal(lo, 17);
    assert_int_equal(hi, 18);
    /* an age with nothing to anchor it is taken as it is */
    assert_int_equal(ct_age_range(CT_DATE_NONE, 30, CT_DATE_NONE, D("2020"), &lo, &hi), 0);
    assert_int_equal(lo, 30);
    /* nothing known */
    assert_int_equal(ct_age_range(CT_DATE_NONE, -1, D("2022"), D("2020"), &lo, &hi), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_partial_dates_and_refuses_impossible_ones),
        cmocka_unit_test(formats_as_given),
        cmocka_unit_test(day_numbers_round_trip),
        cmocka_unit_test(ranges_of_contracts),
        cmocka_unit_test(age_ranges_from_partial_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
