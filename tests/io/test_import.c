#include "test_util.h"

#include "io/io.h"

#include <sodium.h>

typedef struct fixture {
    char *dir;
    ct_store *s;
    char problems[8192]; /* "LINE:field:msg|" of every reported problem */
} fixture;

static int setup(void **state)
{
    assert_true(sodium_init() >= 0);
    fixture *f = calloc(1, sizeof(*f));
    f->dir = ct_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/t.db", f->dir);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(path, CT_STORE_CREATE, &f->s, &err), 0);
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "local");
    assert_int_equal(ct_store_agency_add(f->s, &a, &err), 0);
    assert_int_equal(ct_store_meta_set(f->s, "home_agency", "local", &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_store_close(f->s);
    ct_test_rmdir(f->dir);
    free(f);
    return 0;
}

static void collect(void *arg, const char *file, long line, const char *field, const char *msg)
{
    fixture *f = arg;
    size_t n = strlen(f->problems);
    snprintf(f->problems + n, sizeof(f->problems) - n, "%ld:%s:%s|", line, field, msg);
}

static char *write_file(fixture *f, const char *name, const char *content)
{
    static char path[600];
    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(content, fp);
    fclose(fp);
    return path;
}

static int import(fixture *f, const char *path, int skip, ct_import_stats *st)
{
    ct_import_opts o = {path, CT_FMT_AUTO, NULL, skip, NULL, 0, 0, collect, f};
    ct_err err = CT_ERR_INIT;
    f->problems[0] = '\0';
    return ct_import_run(f->s, &o, st, &err);
}

static long count_cases(fixture *f, long *victims)
{
    long cases, v, s;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_count(f->s, &cases, &v, &s, &err), 0);
    if (victims)
        *victims = v;
    return cases;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static const char header[] = "case_id,source_id,agency,person_id,given_name,family_name,sex,"
                             "date_of_birth,age,age_uncertain,citizenship,acts,means,purposes,"
                             "main_purpose,labour_sector,country_origin,country_exploitation,"
                             "date_recruitment,date_identification,status\r\n";

static void csv_with_bom_crlf_and_quoted_newlines(void **state)
{
    fixture *f = *state;
    char content[4096];
    snprintf(content, sizeof(content),
             "\xEF\xBB\xBF%s"
             ",S1,,,\"Anna\nMaria\",\"O'Neil, Jr\",F,2004,,,ALB;GRC,recruitment,deception,"
             "sexual_exploitation,,,ALB,GRC,2020,2021-06,active\r\n"
             ",S1,,,Ben,,M,,15,,ALB,recruitment,deception,sexual_exploitation,,,ALB,GRC,2020,"
             "2021-06,active\r\n",
             header);
    ct_import_stats st;
    assert_int_equal(import(f, write_file(f, "in.csv", content), 0, &st), 0);
    long victims;
    assert_int_equal(count_cases(f, &victims), 1); /* two rows, one case */
    assert_int_equal(victims, 2);
    assert_int_equal(st.inserted, 1);
}

static void all_or_nothing_names_every_problem(void **state)
{
    fixture *f = *state;
    char content[4096];
    snprintf(content, sizeof(content),
             "%s,A,,,,,female,,,,,,,,,,,,,,\r\n"
             ",B,,,,,nonsense,,,,,,,,,,,,,2099,\r\n"
             ",C,,,,,,,,,XXX,,,,,,,,,,\r\n",
             header);
    ct_import_stats st;
    assert_int_equal(import(f, write_file(f, "bad.csv", content), 0, &st), CT_EINVAL);
    assert_int_equal(count_cases(f, NULL), 0);
    assert_non_null(strstr(f->problems, "3:sex:unknown code 'nonsense'"));
    assert_non_null(strstr(f->problems, "3:date_identification:date lies in the future"));
    assert_non_null(strstr(f->problems, "4:citizenship:unknown code 'XXX'"));
}

static void skip_invalid_writes_rejects_that_import_once_corrected(void **state)
{
    fixture *f = *state;
    char content[4096];
    snprintf(content, sizeof(content),
             "%s,A,,,,,female,,,,,,,,,,,,,,\r\n,B,,,,,nonsense,,,,,,,,,,,,,,\r\n", header);
    char in[600];
    snprintf(in, sizeof(in), "%s", write_file(f, "mixed.csv", content));
    ct_import_stats st;
    assert_int_equal(import(f, in, 1, &st), CT_EREJECTED);
    assert_int_equal(st.rejected, 1);
    assert_int_equal(count_cases(f, NULL), 1);
    char rejects[600];
    snprintf(rejects, sizeof(rejects), "%s/mixed.rejects.csv", f->dir);
    assert_string_equal(st.rejects_path, rejects);
    const char *r = slurp(rejects);
    /* the header, then the bad row unchanged with its reason last */
    assert_non_null(strstr(r, "date_identification,status,ctip_error\n"));
    assert_non_null(strstr(r, ",B,,,,,nonsense,,,,,,,,,,,,,,,sex: unknown code 'nonsense'"));
    /* the corrected rejects file imports as it is */
    char fixed[4096];
    snprintf(fixed, sizeof(fixed), "%s", r);
    char *p = strstr(fixed, "nonsense");
    memcpy(p, "male    ", 8);
    memmove(p + 4, p + 8, strlen(p + 8) + 1);
    assert_int_equal(import(f, write_file(f, "fixed.csv", fixed), 0, &st), 0);
    assert_int_equal(count_cases(f, NULL), 2);
    /* and importing the original again duplicates nothing */
    assert_int_equal(import(f, in, 1, &st), CT_EREJECTED);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(count_cases(f, NULL), 2);
}

static void identical_rows_are_distinct_victims_but_reimport_adds_none(void **state)
{
    fixture *f = *state;
    const char *rows = "{\"acts\":[\"harbouring\"],\"persons\":[{\"sex\":\"female\"}]}\n"
                       "{\"acts\":[\"harbouring\"],\"persons\":[{\"sex\":\"female\"}]}\n"
                       "\n"
                       "{\"acts\":[\"harbouring\"],\"persons\":[{\"sex\":\"female\"}]}\n";
    char in[600];
    snprintf(in, sizeof(in), "%s", write_file(f, "same.jsonl", rows));
    ct_import_stats st;
    assert_int_equal(import(f, in, 0, &st), 0);
    assert_int_equal(count_cases(f, NULL), 3);
    assert_int_equal(import(f, in, 0, &st), 0);
    assert_int_equal(st.unchanged, 3);
    assert_int_equal(count_cases(f, NULL), 3);
}

static void jsonl_problems_carry_line_numbers(void **state)
{
    fixture *f = *state;
    const char *rows = "{\"acts\":[\"harbouring\"]}\n"
                       "\n"
                       "{\"acts\":[\"harbouring\"],\n"
                       "{\"persons\":[{\"age\":-1}]}\n";
    ct_import_stats st;
    assert_int_equal(import(f, write_file(f, "bad.jsonl", rows), 0, &st), CT_EINVAL);
    assert_non_null(strstr(f->problems, "3::not valid JSON"));
    assert_non_null(strstr(f->problems, "4:persons[0].age:must lie between 0 and 120"));
    assert_int_equal(count_cases(f, NULL), 0);
}

static void rows_of_a_case_must_be_consecutive(void **state)
{
    fixture *f = *state;
    char content[4096];
    snprintf(content, sizeof(content),
             "%s,A,,,,,female,,,,,,,,,,,,,,\r\n,B,,,,,male,,,,,,,,,,,,,,\r\n"
             ",A,,,,,male,,,,,,,,,,,,,,\r\n",
             header);
    ct_import_stats st;
    assert_int_equal(import(f, write_file(f, "split.csv", content), 0, &st), CT_EINVAL);
    assert_non_null(strstr(f->problems, "4:source_id:the rows of one case must follow"));
}

static int export_to(fixture *f, ct_io_format fmt, const char *name, char *path)
{
    snprintf(path, 600, "%s/%s", f->dir, name);
    FILE *out = fopen(path, "wb");
    ct_export_opts o = {fmt, NULL};
    long n;
    ct_err err = CT_ERR_INIT;
    int rc = ct_export_run(f->s, &o, out, &n, &err);
    fclose(out);
    return rc;
}

static void jsonl_export_is_lossless(void **state)
{
    fixture *f = *state;
    const char *rows =
        "{\"source_id\":\"X\",\"acts\":[\"recruitment\"],\"means\":[\"abduction\"],\"purposes\":"
        "[\"organ_removal\"],\"countries\":{\"origin\":\"NGA\",\"transit\":[\"NER\",\"LBY\"],"
        "\"exploitation\":\"ITA\"},\"technology\":[\"recruitment_online\"],\"persons\":[{"
        "\"given_name\":\"Chidi\",\"other_names\":[\"C; O\"],\"identifiers\":[{\"type\":"
        "\"passport\",\"value\":\"A1\"}],\"age\":22,\"person_key\":\"k-1\"},{\"role\":\"suspect\","
        "\"proceedings\":[{\"kind\":\"conviction\",\"date\":\"2023-02-01\"}]}]}\n";
    ct_import_stats st;
    assert_int_equal(import(f, write_file(f, "one.jsonl", rows), 0, &st), 0);
    char first[600], second[600];
    assert_int_equal(export_to(f, CT_FMT_JSONL, "out1.jsonl", first), 0);
    /* into an empty database */
    ct_store_close(f->s);
    char db[600];
    snprintf(db, sizeof(db), "%s/t2.db", f->dir);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(db, CT_STORE_CREATE, &f->s, &err), 0);
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "local");
    assert_int_equal(ct_store_agency_add(f->s, &a, &err), 0);
    assert_int_equal(ct_store_meta_set(f->s, "home_agency", "local", &err), 0);
    assert_int_equal(import(f, first, 0, &st), 0);
    assert_int_equal(export_to(f, CT_FMT_JSONL, "out2.jsonl", second), 0);
    json_t *x = json_load_file(first, 0, NULL), *y = json_load_file(second, 0, NULL);
    assert_non_null(x);
    assert_non_null(y);
    /* the same records; only the store's timestamps are new */
    const char *meta[] = {"created_at", "updated_at"};
    for (int i = 0; i < 2; i++) {
        assert_non_null(json_object_get(x, meta[i]));
        json_object_del(x, meta[i]);
        json_object_del(y, meta[i]);
    }
    assert_true(json_equal(x, y));
    assert_non_null(strstr(slurp(first), "\"other_names\":[\"C; O\"]"));
    json_decref(x);
    json_decref(y);
}

static void csv_export_reimports_to_the_same_view(void **state)
{
    fixture *f = *state;
    char content[4096];
    snprintf(content, sizeof(content),
             "%s,S1,,,\"Anna, \"\"Ann\"\"\",,F,2004,,,ALB,recruitment,,sexual_exploitation,,,ALB,"
             "GRC,2020,2021-06,active\r\n,S2,,,,,,,,,,,,,,,,,,,closed\r\n",
             header);
    ct_import_stats st;
    assert_int_equal(import(f, write_file(f, "in.csv", content), 0, &st), 0);
    char out[600];
    assert_int_equal(export_to(f, CT_FMT_CSV, "out.csv", out), 0);
    const char *text = slurp(out);
    assert_non_null(strstr(text, "\"Anna, \"\"Ann\"\"\""));
    /* re-importing the export changes nothing */
    assert_int_equal(import(f, out, 0, &st), 0);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(count_cases(f, NULL), 2);
}

static void flat_csv_carries_the_age_band_last(void **state)
{
    fixture *f = *state;
    const char *content = "source_id,sex,date_identification,age_band\r\n"
                          "B1,female,2019,9-17\r\nB2,male,2019,48+\r\nB3,male,2019,9--17\r\n";
    ct_import_stats st;
    assert_int_equal(import(f, write_file(f, "bands.csv", content), 1, &st), CT_EREJECTED);
    assert_non_null(strstr(f->problems, "4:age_band:unknown code '9--17'"));
    assert_int_equal(st.inserted, 2);
    char out[600];
    assert_int_equal(export_to(f, CT_FMT_CSV, "bands_out.csv", out), 0);
    const char *text = slurp(out);
    assert_non_null(strstr(text, ",person_key,role,age_band\n"));
    assert_non_null(strstr(text, ",victim,9-17\n"));
    assert_non_null(strstr(text, ",victim,48+\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(csv_with_bom_crlf_and_quoted_newlines, setup, teardown),
        cmocka_unit_test_setup_teardown(all_or_nothing_names_every_problem, setup, teardown),
        cmocka_unit_test_setup_teardown(skip_invalid_writes_rejects_that_import_once_corrected,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(identical_rows_are_distinct_victims_but_reimport_adds_none,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(jsonl_problems_carry_line_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_of_a_case_must_be_consecutive, setup, teardown),
        cmocka_unit_test_setup_teardown(jsonl_export_is_lossless, setup, teardown),
        cmocka_unit_test_setup_teardown(csv_export_reimports_to_the_same_view, setup, teardown),
        cmocka_unit_test_setup_teardown(flat_csv_carries_the_age_band_last, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
