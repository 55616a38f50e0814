/* Known values of the string kernels: Jaro-Winkler (Winkler 1990 and the
 * rapidfuzz/jellyfish test suites), Levenshtein, Double Metaphone (Philips'
 * examples), normalisation of Unicode edge cases and nickname aliases. */
#include "test_util.h"

#include "link/link.h"

#include <math.h>

static double jw(const char *a, const char *b)
{
    return ct_link_jaro_winkler(a, strlen(a), b, strlen(b));
}

static void test_jaro_winkler(void **state)
{
    (void)state;
    assert_true(fabs(jw("martha", "marhta") - 0.9611) < 1e-4);
    assert_true(fabs(jw("dwayne", "duane") - 0.84) < 1e-4);
    assert_true(fabs(jw("dixon", "dicksonx") - 0.8133) < 1e-4);
    assert_true(fabs(jw("jones", "johnson") - 0.8324) < 1e-4);
    assert_true(fabs(jw("abc", "xyz") - 0.0) < 1e-12);
    assert_true(fabs(jw("same", "same") - 1.0) < 1e-12);
    assert_true(fabs(jw("", "") - 1.0) < 1e-12);
    assert_true(fabs(jw("a", "") - 0.0) < 1e-12);
    /* symmetric, and the long path agrees with the bit-parallel one */
    assert_true(fabs(jw("crate", "trace") - jw("trace", "crate")) < 1e-12);
    char a[200], b[200];
    memset(a, 'x', 100);
    memset(b, 'x', 100);
    a[100] = b[100] = 0;
    b[50] = 'y';
    double longv = jw(a, b);
    assert_true(longv > 0.98 && longv < 1.0);
}

static void test_levenshtein(void **state)
{
    (void)state;
    assert_int_equal(ct_link_levenshtein("kitten", 6, "sitting", 7, 5), 3);
    assert_int_equal(ct_link_levenshtein("kitten", 6, "sitting", 7, 2), 3); /* capped: max+1 */
    assert_int_equal(ct_link_levenshtein("19560409", 8, "19560490", 8, 2), 2);
    assert_int_equal(ct_link_levenshtein("abc", 3, "abc", 3, 2), 0);
    assert_int_equal(ct_link_levenshtein("", 0, "ab", 2, 2), 2);
    assert_int_equal(ct_link_levenshtein("flaw", 4, "lawn", 4, 3), 2);
}

static void dm_is(const char *s, const char *pri, const char *alt)
{
    char p[5], a[5];
    ct_link_dmetaphone(s, strlen(s), p, a);
    if (strcmp(p, pri) || strcmp(a, alt))
        fail_msg("dmetaphone(%s) = %s/%s, expected %s/%s", s, p, a, pri, alt);
}

static void test_dmetaphone(void **state)
{
    (void)state;
    dm_is("smith", "SM0", "XMT");
    dm_is("schmidt", "XMT", "SMT");
    dm_is("michael", "MKL", "MXL");
    dm_is("thomas", "TMS", "TMS");
    dm_is("jose", "HS", "HS");
    dm_is("xavier", "SF", "SFR");
    dm_is("arnow", "ARN", "ARNF");
    dm_is("arnoff", "ARNF", "ARNF");
    dm_is("catherine", "K0RN", "KTRN");
    dm_is("katherine", "K0RN", "KTRN");
    dm_is("jones", "JNS", "ANS");
    dm_is("knight", "NT", "NT");
    dm_is("caesar", "SSR", "SSR");
    dm_is("", "", "");
}

static char *norm(const char *s)
{
    ct_buf b = CT_BUF_INIT;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_link_normalise(s, strlen(s), &b, &err), 0);
    return ct_buf_detach(&b);
}

static void norm_is(const char *in, const char *want)
{
    char *got = norm(in);
    if (strcmp(got, want))
        fail_msg("normalise(%s) = '%s', expected '%s'", in, got, want);
    free(got);
}

static void test_normalise(void **state)
{
    (void)state;
    norm_is("  José   MARÍA ", "jose maria");
    norm_is("Jose\xcc\x81", "jose"); /* combining acute accent */
    norm_is("O'Brien-Smith", "obrien smith");
    norm_is("O\xe2\x80\x99"
            "Brien",
            "obrien");                         /* typographic apostrophe */
    norm_is("\xef\xbc\xaa\xef\xbd\x8f", "jo"); /* full-width letters (NFKC) */
    norm_is("Straße", "strasse");
    norm_is("Łukasz Øster", "lukasz oster");
    norm_is("Олена Коваленко", "olena kovalenko");
    norm_is("Юлія", "iuliia"); /* ICAO 9303 */
    norm_is("Γιώργος", "giorgos");
    norm_is("محمد", "mhmd"); /* right-to-left, no short vowels */
    norm_is("\xe2\x80\x8f"
            "سعيد",
            "sid"); /* with a right-to-left mark */
    norm_is("", "");
    norm_is("  --  ", "");
    norm_is("李小龍", "李小龍"); /* scripts outside the table are kept */
    ct_buf b = CT_BUF_INIT;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_link_normalise("\xff\xfe", 2, &b, &err), CT_EINVAL);
    ct_buf_release(&b);
    ct_buf_init(&b);
    assert_int_equal(ct_link_normalise_sorted("Mary  ANN", 9, &b, &err), 0);
    assert_string_equal(b.buf, "ann mary");
    ct_buf_release(&b);
}

static void test_aliases(void **state)
{
    (void)state;
    assert_true(ct_link_is_alias("rob", "robert"));
    assert_true(ct_link_is_alias("robert", "rob"));
    assert_true(ct_link_is_alias("robin", "rob"));
    assert_false(ct_link_is_alias("robin", "robert")); /* not transitive */
    assert_false(ct_link_is_alias("bob", "rob"));      /* two nicknames of one name */
    assert_true(ct_link_is_alias("sasha", "alexander"));
    assert_false(ct_link_is_alias("robert", "robert"));
    assert_false(ct_link_is_alias("", "rob"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaro_winkler), cmocka_unit_test(test_levenshtein),
        cmocka_unit_test(test_dmetaphone),   cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
