/* Linkage files: mappings, date layouts, and clear FILE:LINE: column: reason
 * errors for bad CSV and bad mappings; Unicode edge cases end to end. */
#include "test_util.h"

#include "link/link.h"

typedef struct msgs {
    char text[4096];
    int n;
} msgs;

static void collect(void *ctx, const char *msg)
{
    msgs *m = ctx;
    m->n++;
    strncat(m->text, msg, sizeof(m->text) - strlen(m->text) - 2);
    strcat(m->text, "\n");
}

static int load(const char *csv, const ct_link_file_opts *o, msgs *m, ct_link_data **d, ct_err *err)
{
    ct_link_input in = {"in.csv", NULL, csv, strlen(csv)};
    return ct_link_load(&in, 1, o, collect, m, d, err);
}

static void test_mapping_and_dates(void **state)
{
    (void)state;
    const char *csv = "rec, given_name, surname, dob, city\n"
                      "a, Anna, Smith, 19800102, Lyon\n"
                      "b, , , , \n";
    ct_link_file_opts o = {"rec=id,surname=family_name,dob=date_of_birth", "city:text", "YYYYMMDD",
                           0};
    msgs m = {{0}, 0};
    ct_link_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(load(csv, &o, &m, &d, &err), 0);
    assert_int_equal(ct_link_data_count(d), 2);
    assert_int_equal(ct_link_data_ncols(d), 4);
    assert_string_equal(ct_link_data_column(d, 0)->name, "given_name");
    assert_string_equal(ct_link_data_column(d, 3)->name, "city");
    assert_string_equal(ct_link_data_id(d, 1), "b");
    ct_link_data_free(d);
}

static void expect_error(const char *csv, const ct_link_file_opts *o, int code, const char *want)
{
    msgs m = {{0}, 0};
    ct_link_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    int r = load(csv, o, &m, &d, &err);
    assert_null(d);
    if (r != code || (!strstr(err.msg, want) && !strstr(m.text, want)))
        fail_msg("got %d '%s' / '%s', expected %d with '%s'", r, err.msg, m.text, code, want);
}

static void test_bad_mappings(void **state)
{
    (void)state;
    ct_link_file_opts o = {0};
    expect_error("name,dob\nx,2000\n", &o, CT_EINVAL, "in.csv:1: id: required column missing");
    o.map = "nosuch=id";
    expect_error("name,dob\nx,2000\n", &o, CT_EINVAL, "in.csv:1: nosuch: no such column");
    o.map = "broken";
    expect_error("name,dob\nx,2000\n", &o, CT_EUSAGE, "--map: expected SRC=DST");
    o.map = "name=id,dob=id";
    expect_error("name,dob\nx,2000\n", &o, CT_EINVAL, "column given twice");
    o.map = NULL;
    o.compare = "city";
    expect_error("id,given_name\n1,x\n", &o, CT_EINVAL, "in.csv:1: city: no such column");
    o.compare = "given_name:fuzzy";
    expect_error("id,given_name\n1,x\n", &o, CT_EUSAGE, "unknown method 'fuzzy'");
}

static void test_bad_csv(void **state)
{
    (void)state;
    ct_link_file_opts o = {0};
    expect_error("", &o, CT_EINVAL, "in.csv:1: empty file");
    expect_error("id,given_name\n1,x\n2\n", &o, CT_EINVAL,
                 "in.csv:3: 1 fields where the header has 2");
    expect_error("id,given_name\n1,\"open\n", &o, CT_EINVAL, "in.csv:2:");
    expect_error("id,given_name\n1,\xff\n", &o, CT_EINVAL, "in.csv:2:");
    expect_error("id,date_of_birth\n1,1990-13\n2,12/05/1990\n", &o, CT_EINVAL,
                 "in.csv:3: date_of_birth: not a date in the expected format");
    expect_error("id,sex\n1,x\n", &o, CT_EINVAL, "in.csv:2: sex: not a sex code");
    expect_error("id,given_name\n,x\n", &o, CT_EINVAL, "in.csv:2: id: empty");
    o.date_format = "DD/MM/YYYY";
    expect_error("id,date_of_birth\n1,1990-01-02\n", &o, CT_EINVAL,
                 "in.csv:2: date_of_birth: not a date");
}

/* Dedupes three records that only Unicode normalisation can match. */
static void test_unicode_records(void **state)
{
    (void)state;
    const char *csv = "id,given_name,family_name,date_of_birth\n"
                      "1,José,Álvarez,1990-05-01\n"
                      "2,JOSE\xcc\x81,ALVAREZ,1990-05-01\n" /* combining acute */
                      "3,Олена,Коваленко,1998-04\n"
                      "4,Olena,Kovalenko,1998-04-12\n"
                      "5,\xe2\x80\x8f"
                      "محمد,,1970\n" /* right-to-left mark */
                      "6,,,\n"       /* empty names */
                      "7,,,\n";
    ct_link_file_opts o = {0};
    msgs m = {{0}, 0};
    ct_link_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(load(csv, &o, &m, &d, &err), 0);
    ct_link_opts lo = {0};
    lo.threshold = 0.5;
    ct_link_result *res = NULL;
    assert_int_equal(ct_link_run(d, &lo, &res, &err), 0);
    size_t n;
    const ct_link_pair *p = ct_link_result_pairs(res, &n);
    int found12 = 0, found34 = 0;
    for (size_t i = 0; i < n; i++) {
        found12 |= p[i].a == 0 && p[i].b == 1;
        found34 |= p[i].a == 2 && p[i].b == 3;
        assert_false(p[i].a == 5 && p[i].b == 6); /* blank records are no evidence */
    }
    assert_true(found12);
    assert_true(found34);
    ct_link_result_free(res);
    ct_link_data_free(d);
}

/* Incremental: new records (source 1) are compared with the existing ones
 * and with each other, never existing with existing; stable cluster ids
 * follow the new links. */
static void test_incremental(void **state)
{
    (void)state;
    const char *csv_old = "id,given_name,family_name,date_of_birth\n"
                          "o1,Anna,Petrova,1990-01-02\n"
                          "o2,Anna,Petrova,1990-01-02\n" /* an old duplicate, already known */
                          "o3,Ivan,Sokolov,1985-07-30\n"
                          "o4,Maria,Garcia,1970-03-04\n";
    const char *csv_new = "id,given_name,family_name,date_of_birth\n"
                          "n1,Ivan,Sokolov,1985-07-30\n"
                          "n2,Marie,Garcia,1970-03-04\n"
                          "n3,Ivan,Sokolov,1985-07-30\n";
    ct_link_input in[2] = {{"old.csv", NULL, csv_old, strlen(csv_old)},
                           {"new.csv", NULL, csv_new, strlen(csv_new)}};
    ct_link_file_opts o = {0};
    ct_link_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_link_load(in, 2, &o, NULL, NULL, &d, &err), 0);
    ct_link_opts lo = {0};
    lo.mode = CT_LINK_INCREMENTAL;
    lo.threshold = 0.5;
    ct_link_result *res = NULL;
    assert_int_equal(ct_link_run(d, &lo, &res, &err), 0);
    size_t n;
    const ct_link_pair *p = ct_link_result_pairs(res, &n);
    ct_link_clusters *cl = ct_link_clusters_new(NULL, NULL, &err);
    assert_int_equal(ct_link_clusters_grow(cl, 4, &err), 0); /* the old records */
    assert_int_equal(ct_link_clusters_link(cl, 0, 1, &err), 0);
    uint64_t ivan = ct_link_clusters_id(cl, 2);
    assert_int_equal(ct_link_clusters_grow(cl, 7, &err), 0);
    int n1_o3 = 0, n1_n3 = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(ct_link_data_source(d, p[i].b) == 1); /* never old with old */
        n1_o3 |= p[i].a == 2 && p[i].b == 4;
        n1_n3 |= p[i].a == 4 && p[i].b == 6;
        assert_int_equal(ct_link_clusters_link(cl, p[i].a, p[i].b, &err), 0);
    }
    assert_true(n1_o3 && n1_n3);
    assert_int_equal(ct_link_clusters_id(cl, 4), ivan); /* the old id is kept */
    assert_int_equal(ct_link_clusters_id(cl, 6), ivan);
    ct_link_clusters_free(cl);
    ct_link_result_free(res);
    ct_link_data_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mapping_and_dates), cmocka_unit_test(test_bad_mappings),
        cmocka_unit_test(test_bad_csv),           cmocka_unit_test(test_unicode_records),
        cmocka_unit_test(test_incremental),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
