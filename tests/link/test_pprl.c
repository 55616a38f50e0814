/* Privacy-preserving linkage: schemas, encodings, the .clk format, Dice
 * with pruning, overlaps, and the FEBRL4 target (Dice 0.8: recall >= 0.99
 * at precision >= 0.999; clkhash + anonlink reach R 0.992, P 1.000). */
#include "test_util.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "link/pprl.h"

#include <stdlib.h>

static const unsigned char secret[] = "a secret shared by the agencies only";

static const char *small_schema =
    "{\"version\":3,\"clkConfig\":{\"l\":256,\"kdf\":{\"type\":\"HKDF\",\"hash\":\"SHA256\","
    "\"salt\":\"c2FsdA==\",\"keySize\":32}},\"features\":["
    "{\"identifier\":\"id\",\"ignored\":true},"
    "{\"identifier\":\"name\",\"format\":{\"type\":\"string\"},\"hashing\":{\"comparison\":"
    "{\"type\":\"ngram\",\"n\":2},\"strategy\":{\"bitsPerToken\":10}}},"
    "{\"identifier\":\"dob\",\"format\":{\"type\":\"date\",\"format\":\"%Y-%m-%d\"},"
    "\"hashing\":{\"comparison\":{\"type\":\"ngram\",\"n\":1,\"positional\":true},"
    "\"strategy\":{\"bitsPerFeature\":60}}}]}";

static ct_pprl_schema *parse(const char *json, ct_err *err)
{
    return ct_pprl_schema_parse(json, strlen(json), err);
}

static void bad_schema(const char *json, const char *want)
{
    ct_err err = CT_ERR_INIT;
    ct_pprl_schema *s = parse(json, &err);
    assert_null(s);
    assert_int_equal(err.code, CT_EINVAL);
    if (!strstr(err.msg, want))
        fail_msg("'%s' lacks '%s'", err.msg, want);
}

static void test_schema(void **state)
{
    (void)state;
    ct_err err = CT_ERR_INIT;
    ct_pprl_schema *s = parse(small_schema, &err);
    assert_non_null(s);
    assert_int_equal(ct_pprl_schema_bits(s), 256);
    assert_int_equal(ct_pprl_schema_nfeatures(s), 3);
    assert_null(ct_pprl_schema_feature(s, 0));
    assert_string_equal(ct_pprl_schema_feature(s, 1), "name");
    assert_int_equal(strlen(ct_pprl_schema_id(s)), 32);
    ct_pprl_schema_free(s);
    bad_schema("[]", "not a JSON object");
    bad_schema("{\"version\":2}", "version");
    bad_schema("{\"version\":3,\"clkConfig\":{\"l\":1000}}", "clkConfig.l");
    bad_schema("{\"version\":3,\"clkConfig\":{\"l\":128,\"xor_folds\":2}}", "folds");
    bad_schema("{\"version\":3,\"clkConfig\":{\"l\":128},\"features\":[{\"identifier\":\"a\","
               "\"format\":{\"type\":\"string\"},\"hashing\":{\"comparison\":{\"type\":\"ngram\"},"
               "\"strategy\":{\"bitsPerToken\":5},\"hash\":{\"type\":\"doubleHash\"}}}]}",
               "only blakeHash");
    bad_schema("{\"version\":3,\"clkConfig\":{\"l\":128},\"features\":[{\"identifier\":\"a\","
               "\"ignored\":true}]}",
               "every feature is ignored");
}

static void encode(const ct_pprl_encoder *e, const char *name, const char *dob, uint64_t *out)
{
    const char *v[3] = {NULL, name, dob};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_pprl_encode(e, v, out, &err), 0);
}

static void test_encode_and_dice(void **state)
{
    (void)state;
    ct_err err = CT_ERR_INIT;
    ct_pprl_schema *s = parse(small_schema, &err);
    ct_pprl_encoder *e = ct_pprl_encoder_new(s, secret, sizeof(secret), &err);
    ct_pprl_encoder *other =
        ct_pprl_encoder_new(s, (const unsigned char *)"another secret, 16+", 19, &err);
    assert_non_null(e);
    assert_null(ct_pprl_encoder_new(s, (const unsigned char *)"short", 5, &err));
    uint64_t a[4], b[4], c[4], d[4], x[4];
    encode(e, "Olena Kovalenko", "1998-04-12", a);
    encode(e, "OLENA KOVALENKO", "1998-04-12", b); /* normalised: same encoding */
    encode(e, "Olena Kovalenko", "1998-12-04", c); /* day and month swapped */
    encode(e, "Robert Smith", "1971-06-24", d);
    encode(other, "Olena Kovalenko", "1998-04-12", x);
    assert_memory_equal(a, b, sizeof(a));
    assert_true(ct_pprl_dice(a, b, 4) == 1.0);
    double close = ct_pprl_dice(a, c, 4), far = ct_pprl_dice(a, d, 4);
    assert_true(close > 0.8 && close < 1.0);
    assert_true(far < 0.6);
    assert_true(ct_pprl_dice(a, x, 4) < 0.7); /* keys matter */
    const char *bad[3] = {NULL, "x", "12/04/1998"};
    ct_err e2 = CT_ERR_INIT;
    assert_int_equal(ct_pprl_encode(e, bad, x, &e2), CT_EINVAL);
    assert_string_equal(e2.field, "dob");
    ct_pprl_encoder_free(e);
    ct_pprl_encoder_free(other);
    ct_pprl_schema_free(s);
}

static void test_clk_file(void **state)
{
    (void)state;
    ct_err err = CT_ERR_INIT;
    ct_clk_set *s = ct_clk_set_new(128, "abc123", &err);
    uint64_t v[2] = {0x0123456789abcdefULL, 0xfULL};
    assert_int_equal(ct_clk_set_add(s, "rec,1", v, &err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(ct_clk_write(s, f, &err), 0);
    fclose(f);
    ct_clk_set *t = ct_clk_read_mem("x.clk", buf, len, &err);
    assert_non_null(t);
    assert_int_equal(ct_clk_set_count(t), 1);
    assert_string_equal(ct_clk_set_id(t, 0), "rec,1");
    assert_string_equal(ct_clk_set_schema(t), "abc123");
    assert_memory_equal(ct_clk_set_clk(t, 0), v, sizeof(v));
    free(buf);
    ct_clk_set_free(s);
    ct_clk_set_free(t);
    const char *bad[][2] = {
        {"nope\n", "x.clk:1: not a ctip-clk file"},
        {"ctip-clk 1 bits=100 schema=ab\n", "x.clk:1: not a ctip-clk file"},
        {"ctip-clk 1 bits=128 schema=ab\nid,x\n", "x.clk:2: expected the header id,clk"},
        {"ctip-clk 1 bits=128 schema=ab\nid,clk\na,AAAA\n", "x.clk:3: clk: not base64"},
        {"ctip-clk 1 bits=128 schema=ab\nid,clk\na\n", "x.clk:3: expected two fields"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ct_err e = CT_ERR_INIT;
        assert_null(ct_clk_read_mem("x.clk", bad[i][0], strlen(bad[i][0]), &e));
        if (!strstr(e.msg, bad[i][1]))
            fail_msg("'%s' lacks '%s'", e.msg, bad[i][1]);
    }
}

/* Three lists with known overlaps: persons 0-9 on A, 5-14 on B, 0-4 and
 * 10-19 on C. */
static void test_overlaps(void **state)
{
    (void)state;
    static const char *names[] = {"Anna Petrova", "Ivan Sokolov", "Maria Garcia", "John Smith",
                                  "Aisha Bello",  "Chen Wei",     "Olga Ivanova", "Pedro Alves",
                                  "Fatima Zahra", "Liam Walsh",   "Nadia Haddad", "Tomas Novak",
                                  "Ewa Kowalska", "Yusuf Demir",  "Sara Lind",    "Kofi Mensah",
                                  "Rosa Diaz",    "Hana Sato",    "Omar Farouk",  "Lena Berg"};
    ct_err err = CT_ERR_INIT;
    ct_pprl_schema *s = parse(small_schema, &err);
    ct_pprl_encoder *e = ct_pprl_encoder_new(s, secret, sizeof(secret), &err);
    ct_clk_set *l[3];
    int lo[3][2] = {{0, 10}, {5, 15}, {0, 5}};
    for (int k = 0; k < 3; k++) {
        l[k] = ct_clk_set_new(256, ct_pprl_schema_id(s), &err);
        for (int p = 0; p < 20; p++) {
            int in = (p >= lo[k][0] && p < lo[k][1]) || (k == 2 && p >= 10);
            if (!in)
                continue;
            uint64_t c[4];
            char dob[11];
            snprintf(dob, sizeof(dob), "19%02d-0%d-1%d", 50 + p, 1 + p % 9, p % 10);
            encode(e, names[p], dob, c);
            assert_int_equal(ct_clk_set_add(l[k], names[p], c, &err), 0);
        }
    }
    size_t total = ct_clk_set_count(l[0]) + ct_clk_set_count(l[1]) + ct_clk_set_count(l[2]);
    uint32_t *person = malloc(total * sizeof(*person));
    assert_int_equal(ct_pprl_overlaps(l, 3, 0.9, 2, person, &err), 0);
    /* count persons by pattern */
    int counts[8] = {0};
    unsigned mask[64] = {0};
    for (size_t x = 0, k = 0, i = 0; x < total; x++, i++) {
        while (i >= ct_clk_set_count(l[k]))
            k++, i = 0;
        mask[person[x]] |= 1u << k;
    }
    for (size_t x = 0; x < total; x++)
        counts[mask[x]]++;
    assert_int_equal(counts[1 | 4], 5); /* persons 0-4: A and C */
    assert_int_equal(counts[1 | 2], 5); /* 5-9: A and B */
    assert_int_equal(counts[2 | 4], 5); /* 10-14: B and C */
    assert_int_equal(counts[4], 5);     /* 15-19: C only */
    free(person);
    for (int k = 0; k < 3; k++)
        ct_clk_set_free(l[k]);
    ct_pprl_encoder_free(e);
    ct_pprl_schema_free(s);
}

/* Encodes a FEBRL file with the example schema of docs/pprl.md. */
static ct_clk_set *encode_febrl(const ct_pprl_encoder *e, const ct_pprl_schema *s, const char *file)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/febrl/%s", ct_test_datasets(), file);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    ct_csv_opts o = {0};
    o.skip_initial_space = 1;
    ct_err err = CT_ERR_INIT;
    ct_csv *csv = ct_csv_open(f, &o, &err);
    ct_csv_record rec;
    assert_int_equal(ct_csv_next(csv, &rec, &err), 1);
    int col[16];
    size_t nf = ct_pprl_schema_nfeatures(s);
    for (size_t i = 0; i < nf; i++) {
        col[i] = -1;
        for (size_t k = 0; ct_pprl_schema_feature(s, i) && k < rec.n; k++)
            if (strcmp(rec.field[k], ct_pprl_schema_feature(s, i)) == 0)
                col[i] = (int)k;
    }
    ct_clk_set *set = ct_clk_set_new(ct_pprl_schema_bits(s), ct_pprl_schema_id(s), &err);
    uint64_t clk[16];
    while (ct_csv_next(csv, &rec, &err) == 1) {
        const char *v[16];
        for (size_t i = 0; i < nf; i++)
            v[i] = col[i] >= 0 ? rec.field[col[i]] : NULL;
        assert_int_equal(ct_pprl_encode(e, v, clk, &err), 0);
        assert_int_equal(ct_clk_set_add(set, rec.field[0], clk, &err), 0);
    }
    ct_csv_close(csv);
    fclose(f);
    return set;
}

static void test_febrl4_pprl(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof(path), "%s/data/link/febrl-schema.json", getenv("CT_SOURCE_DIR"));
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char json[8192];
    size_t n = fread(json, 1, sizeof(json), f);
    fclose(f);
    ct_err err = CT_ERR_INIT;
    ct_pprl_schema *s = ct_pprl_schema_parse(json, n, &err);
    assert_non_null(s);
    ct_pprl_encoder *e = ct_pprl_encoder_new(s, secret, sizeof(secret), &err);
    ct_clk_set *a = encode_febrl(e, s, "dataset4a.csv"), *b = encode_febrl(e, s, "dataset4b.csv");
    ct_link_pair *p = NULL;
    size_t np = 0, na = ct_clk_set_count(a);
    assert_int_equal(ct_pprl_match(a, b, 0.8, 2, &p, &np, NULL, &err), 0);
    for (size_t i = 0; i < np; i++)
        p[i].b += (uint32_t)na;
    unsigned char *keep = malloc(np + 1);
    long kept = ct_link_one_to_one(na + ct_clk_set_count(b), p, np, 0.8, keep, &err);
    double tp = 0;
    for (size_t i = 0; i < np; i++)
        if (keep[i])
            tp += strtol(ct_clk_set_id(a, p[i].a) + 4, NULL, 10) ==
                  strtol(ct_clk_set_id(b, p[i].b - na) + 4, NULL, 10);
    double prec = tp / (double)kept, rec = tp / 5000.0;
    print_message("FEBRL4 PPRL at Dice 0.8: %ld links, precision %.4f recall %.4f\n", kept, prec,
                  rec);
    assert_true(rec >= 0.99);
    assert_true(prec >= 0.999);
    free(keep);
    ct_free(p);
    ct_clk_set_free(a);
    ct_clk_set_free(b);
    ct_pprl_encoder_free(e);
    ct_pprl_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema),      cmocka_unit_test(test_encode_and_dice),
        cmocka_unit_test(test_clk_file),    cmocka_unit_test(test_overlaps),
        cmocka_unit_test(test_febrl4_pprl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
