/* Known values of the string kernels: Jaro-Winkler (Winkler 1990 and the
 * rapidfuzz/jellyfish test suites), Levenshtein, Double Metaphone (Philips'
 * examples), normalisation of Unicode edge cases and nickname aliases. */
#include "test_util.h"

#include "link/link.h"
#include "link/link_int.h"

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

/* The textbook Jaro-Winkler, to check the fast paths against. */
static double jw_reference(const char *a, size_t na, const char *b, size_t nb)
{
    if (!na || !nb)
        return na == nb;
    size_t w = (na > nb ? na : nb) / 2;
    w = w ? w - 1 : 0;
    char fa[128] = {0}, fb[128] = {0};
    double m = 0, t = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = i > w ? i - w : 0; j < nb && j <= i + w; j++)
            if (!fb[j] && a[i] == b[j]) {
                fa[i] = fb[j] = 1;
                m++;
                break;
            }
    if (!m)
        return 0;
    for (size_t i = 0, j = 0; i < na; i++) {
        if (!fa[i])
            continue;
        while (!fb[j])
            j++;
        t += a[i] != b[j++];
    }
    /* the kernel's single-division form, so the 0.7 boost boundary rounds alike */
    double jaro = (m * m * (double)(na + nb) + (m - t / 2) * (double)na * (double)nb) /
                  (3 * m * (double)na * (double)nb);
    size_t l = 0;
    while (l < 4 && l < na && l < nb && a[l] == b[l])
        l++;
    return jaro > 0.7 ? jaro + l * 0.1 * (1 - jaro) : jaro;
}

static void test_jaro_winkler_random(void **state)
{
    (void)state;
    uint64_t rng = 7;
    char a[100], b[100];
    for (int k = 0; k < 20000; k++) {
        size_t na = ct_link_rand(&rng) % 70, nb = ct_link_rand(&rng) % 70;
        if (k % 2) /* mostly names: short */
            na %= 17, nb %= 17;
        for (size_t i = 0; i < na; i++)
            a[i] = (char)('a' + ct_link_rand(&rng) % 4);
        for (size_t i = 0; i < nb; i++)
            b[i] = (char)('a' + ct_link_rand(&rng) % 4);
        double x = ct_link_jaro_winkler(a, na, b, nb), y = jw_reference(a, na, b, nb);
        if (fabs(x - y) > 1e-9)
            fail_msg("JW('%.*s', '%.*s') = %.6f, reference %.6f", (int)na, a, (int)nb, b, x, y);
    }
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
        cmocka_unit_test(test_jaro_winkler), cmocka_unit_test(test_jaro_winkler_random),
        cmocka_unit_test(test_levenshtein),  cmocka_unit_test(test_dmetaphone),
        cmocka_unit_test(test_normalise),    cmocka_unit_test(test_aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
