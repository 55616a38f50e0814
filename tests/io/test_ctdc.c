/* The CTDC dialects (src/io/ctdc.c): the shared sample of the global dataset,
 * a synthetic-dialect fixture covering every column, malformed values,
 * header problems, re-import and rejects, and the mapping tables checked
 * against the code lists. */
#include "test_util.h"

#include "core/assess.h"
#include "core/codes.h"
#include "core/csv.h"
#include "io/io_int.h"

#include <sodium.h>

static const ct_case_read_opts read_opts = {{2026, 11, 25}, "local", 0};

/* ---- reading a file without a store --------------------------------------- */

typedef struct readout {
    int rc; /* of ct_io_open */
    ct_io_format format;
    char open_error[CT_ERR_MSG_MAX];
    char *json[64]; /* each valid record, compact with sorted keys */
    long line[64];
    int child[64]; /* ct_person_is_child of its victim */
    size_t n;
    char problems[8192]; /* "LINE:field:msg|" */
    ct_io_unmapped unmapped[CT_IO_UNMAPPED_MAX];
    size_t nunmapped;
} readout;

static void keep_record(readout *o, const ct_case *c, long line)
{
    json_t *j = ct_case_to_json(c, 0, 0);
    assert_non_null(j);
    assert_true(o->n < 64);
    o->json[o->n] = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    o->line[o->n] = line;
    o->child[o->n] = ct_person_is_child(c, &c->persons[0], read_opts.today);
    o->n++;
    json_decref(j);
}

static void keep_problems(readout *o, long line, const ct_problems *pr)
{
    for (size_t i = 0; i < pr->n; i++) {
        size_t len = strlen(o->problems);
        snprintf(o->problems + len, sizeof(o->problems) - len, "%ld:%s:%s|", line, pr->v[i].field,
                 pr->v[i].msg);
    }
}

static void read_records(ct_io_reader *r, readout *o)
{
    ct_case c;
    ct_case_init(&c);
    ct_io_record rec;
    ct_io_record_init(&rec);
    ct_problems pr = CT_PROBLEMS_INIT;
    ct_err err = CT_ERR_INIT;
    for (;;) {
        ct_case_reset(&c);
        ct_problems_clear(&pr);
        int rc = ct_io_next(r, &c, &rec, &pr, &err);
        if (rc == 0)
            break;
        if (rc == 1)
            keep_record(o, &c, rec.line);
        else if (rc == CT_EINVAL)
            keep_problems(o, rec.line, &pr);
        else
            fail_msg("reading stopped: %s", err.msg);
    }
    const ct_io_unmapped *u;
    size_t n = ct_io_reader_unmapped(r, &u);
    for (size_t i = 0; i < n; i++)
        if (u[i].no_field || u[i].no_code || u[i].extra)
            o->unmapped[o->nunmapped++] = u[i];
    ct_problems_release(&pr);
    ct_io_record_release(&rec);
    ct_case_release(&c);
}

static readout *read_path(const char *path, ct_io_format fmt)
{
    readout *o = calloc(1, sizeof(*o));
    ct_err err = CT_ERR_INIT;
    ct_io_reader *r;
    o->rc = ct_io_open(path, fmt, &read_opts, &r, &err);
    if (o->rc) {
        snprintf(o->open_error, sizeof(o->open_error), "%s", err.msg);
        return o;
    }
    o->format = ct_io_reader_format(r);
    read_records(r, o);
    ct_io_close(r);
    return o;
}

static void readout_free(readout *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->json[i]);
    free(o);
}

/* The JSON of the record that starts on line. */
static const char *at_line(const readout *o, long line)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->line[i] == line)
            return o->json[i];
    fail_msg("no valid record on line %ld; problems: %s", line, o->problems);
    return NULL;
}

static void expect_has(const char *json, const char *part)
{
    if (!strstr(json, part))
        fail_msg("'%s' lacks '%s'", json, part);
}

static void expect_lacks(const char *json, const char *part)
{
    if (strstr(json, part))
        fail_msg("'%s' should not hold '%s'", json, part);
}

static const ct_io_unmapped *unmapped(const readout *o, const char *column)
{
    for (size_t i = 0; i < o->nunmapped; i++)
        if (strcmp(o->unmapped[i].column, column) == 0)
            return &o->unmapped[i];
    return NULL;
}

static void expect_unmapped(const readout *o, const char *column, long no_field, long no_code,
                            long extra)
{
    const ct_io_unmapped *u = unmapped(o, column);
    long got[3] = {u ? u->no_field : 0, u ? u->no_code : 0, u ? u->extra : 0};
    if (got[0] != no_field || got[1] != no_code || got[2] != extra)
        fail_msg("%s: counted %ld/%ld/%ld, expected %ld/%ld/%ld", column, got[0], got[1], got[2],
                 no_field, no_code, extra);
}

/* ---- files ----------------------------------------------------------------- */

typedef struct fixture {
    char *dir;
    ct_store *s;
    char problems[8192];
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

static const char *sample_path(void)
{
    static char path[1024];
    snprintf(path, sizeof(path), "%s/ctdc/ctdc_global_dataset_20200414_sample.csv",
             ct_test_datasets());
    return path;
}

static const char *synthetic_path(void)
{
    static char path[1024];
    const char *src = getenv("CT_SOURCE_DIR");
    assert_non_null(src);
    snprintf(path, sizeof(path), "%s/tests/io/data/ctdc_synthetic.csv", src);
    return path;
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

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void collect(void *arg, const char *file, long line, const char *field, const char *msg)
{
    (void)file;
    fixture *f = arg;
    size_t n = strlen(f->problems);
    snprintf(f->problems + n, sizeof(f->problems) - n, "%ld:%s:%s|", line, field, msg);
}

static int import(fixture *f, const char *path, int skip, ct_import_stats *st)
{
    ct_import_opts o = {path, CT_FMT_AUTO, NULL, skip, NULL, 0, 0, collect, f};
    ct_err err = CT_ERR_INIT;
    f->problems[0] = '\0';
    return ct_import_run(f->s, &o, st, &err);
}

static long count_cases(fixture *f)
{
    long cases, v, s;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_count(f->s, &cases, &v, &s, &err), 0);
    assert_int_equal(v, cases); /* one victim per row */
    return cases;
}

/* A global-dialect file: the disclaimer column, the 63 variables, then rows
 * of -99 with the cells given as "column=value;column=value". */
static char *global_file(fixture *f, const char *name, const char *const *rows, size_t nrows)
{
    size_t n;
    const ct_ctdc_col *cols = ct_io_ctdc_table(CT_FMT_CTDC_GLOBAL, &n);
    char *text = calloc(1, 65536);
    strcat(text, "By using this data you agree to the Terms of Use");
    for (size_t k = 0; k < n; k++)
        strcat(strcat(text, ","), cols[k].name);
    strcat(text, "\n");
    for (size_t r = 0; r < nrows; r++) {
        const char *first = strncmp(rows[r], "@=", 2) == 0 ? rows[r] + 2 : "";
        strncat(text, first, strcspn(first, ";"));
        for (size_t k = 0; k < n; k++) {
            char key[80];
            snprintf(key, sizeof(key), "%s=", cols[k].name);
            const char *v = strstr(rows[r], key);
            strcat(text, ",");
            if (v && (v == rows[r] || v[-1] == ';'))
                strncat(text, v + strlen(key), strcspn(v + strlen(key), ";"));
            else
                strcat(text, "-99");
        }
        strcat(text, "\n");
    }
    char *path = strdup(write_file(f, name, text));
    free(text);
    return path;
}

/* ---- the global dataset: the shared sample --------------------------------- */

static void global_sample_maps_every_row(void **state)
{
    (void)state;
    readout *o = read_path(sample_path(), CT_FMT_AUTO);
    assert_int_equal(o->rc, 0);
    assert_int_equal(o->format, CT_FMT_CTDC_GLOBAL);
    assert_string_equal(o->problems, "");
    assert_int_equal(o->n, 20);
    for (size_t i = 0; i < o->n; i++) {
        expect_has(o->json[i], "\"sex\":\"female\"");
        expect_has(o->json[i], "\"nrm_stage\":\"reported\"");
        assert_int_equal(o->child[i], 0); /* 18-20 and 21-23 at registration: adults */
    }
    /* line 2: 2002, Colombia, 18--20, sexual exploitation, relation unknown */
    const char *j = at_line(o, 2);
    expect_has(j, "\"dates\":{\"identification\":\"2002\"}");
    expect_has(j, "\"citizenship\":[\"COL\"]");
    expect_has(j, "\"age_band\":\"18-20\"");
    expect_has(j, "\"purposes\":[\"sexual_exploitation\"]");
    expect_has(j, "\"main_purpose\":\"sexual_exploitation\"");
    expect_has(j, "\"recruiter_relation\":\"unknown\"");
    expect_lacks(j, "means_of_control"); /* all -99, NotSpecified 1 */
    expect_lacks(j, "countries");        /* CountryOfExploitation -99 */
    /* line 3: no form flagged, isAbduction 0 */
    j = at_line(o, 3);
    expect_lacks(j, "purposes");
    expect_lacks(j, "\"means\"");
    expect_has(j, "\"citizenship\":[\"MDA\"]");
    /* line 5: Takes earnings;Physical abuse;Other, in the US, 2016 */
    j = at_line(o, 5);
    expect_has(j, "\"means_of_control\":[\"takes_earnings\",\"physical_abuse\",\"other\"]");
    expect_has(j, "\"countries\":{\"exploitation\":\"USA\"}");
    expect_has(j, "\"identification\":\"2016\"");
    expect_has(j, "\"age_band\":\"21-23\"");
    /* line 11: Friend/Acquaintance; Intimate Partner -> the first flag of the table */
    expect_has(at_line(o, 11), "\"recruiter_relation\":\"intimate_partner\"");
    expect_has(at_line(o, 16), "\"recruiter_relation\":\"family\"");
    expect_has(at_line(o, 12), "\"recruiter_relation\":\"other\"");
    /* what had no place, counted (20 rows) */
    expect_unmapped(o, "Datasource", 20, 0, 0);
    expect_unmapped(o, "majorityStatusAtExploit", 8, 0, 0);
    expect_unmapped(o, "majorityEntry", 3, 0, 0);
    expect_unmapped(o, "typeOfSexProstitution", 5, 0, 0);
    expect_unmapped(o, "recruiterRelationFriend", 0, 0, 1);
    assert_int_equal(o->nunmapped, 5);
    readout_free(o);
}

static void global_sample_imports_once(void **state)
{
    fixture *f = *state;
    ct_import_stats st;
    assert_int_equal(import(f, sample_path(), 0, &st), 0);
    assert_int_equal(st.inserted, 20);
    assert_int_equal(count_cases(f), 20);
    assert_int_equal(st.nunmapped, 5);
    /* again: identical rows are distinct victims, but nothing is added twice */
    assert_int_equal(import(f, sample_path(), 0, &st), 0);
    assert_int_equal(st.unchanged, 20);
    assert_int_equal(st.inserted, 0);
    assert_int_equal(count_cases(f), 20);
}

/* The global dialect's own rules: isSexAndLabour, the majority fallback,
 * aquafarming, begging, codes with no equivalent, and its malformed cells. */
static void global_rules_and_malformed_cells(void **state)
{
    fixture *f = *state;
    static const char *const rows[] = {
        /* 2 */ ("isSexAndLabour=1;typeOfLabourAquafarming=1;typeOfLabourAgriculture=1;"
                 "typeOfLabourBegging=1;typeOfLabourOther=1;majorityStatus=Minor;isAbduction=1;"
                 "citizenship=ZZ;CountryOfExploitation=00;gender=Transgender/NonConforming"),
        /* 3 */ "ageBroad=18--20;majorityStatus=Minor",
        /* 4 */ "@=x;yearOfRegistration=2017",
        /* 5 */ "isForcedLabour=yes;citizenship=XK;majorityEntry=Unknown",
        /* 6 */ "majorityStatus=Adult;ageBroad=0--8;gender=F",
        /* 7 */
        ("isForcedLabour=1;typeOfLabourIllicitActivities=1;typeOfLabourPeddling=1;"
         "typeOfLabourMiningOrDrilling=1;ageBroad=48+;majorityStatus=Adult"),
    };
    char *path = global_file(f, "global.csv", rows, 6);
    readout *o = read_path(path, CT_FMT_AUTO);
    assert_int_equal(o->format, CT_FMT_CTDC_GLOBAL);
    const char *j = at_line(o, 2);
    expect_has(j, "\"purposes\":[\"sexual_exploitation\",\"forced_labour\",\"forced_begging\"]");
    expect_lacks(j, "main_purpose"); /* two forms: nobody said which is main */
    expect_has(j, "\"labour_sector\":\"agriculture\"");
    expect_has(j, "\"means\":[\"abduction\"]");
    expect_has(j, "\"age_band\":\"0-17\""); /* from majorityStatus */
    expect_has(j, "\"sex\":\"other\"");
    expect_lacks(j, "citizenship");
    expect_lacks(j, "countries");
    assert_int_equal(o->child[0], 1);
    j = at_line(o, 7);
    expect_has(j, "\"purposes\":[\"forced_labour\",\"forced_criminality\"]");
    expect_has(j, "\"main_purpose\":\"forced_labour\""); /* criminality is a type of labour */
    expect_has(j, "\"labour_sector\":\"mining\"");
    expect_has(j, "\"age_band\":\"48+\"");
    expect_has(o->problems, "3:majorityStatus:contradicts ageBroad|");
    expect_has(o->problems, "4::the first (disclaimer) column must be empty|");
    expect_has(o->problems, "5:isForcedLabour:expected 1, 0, -99 or an empty cell|");
    expect_has(o->problems, "6:majorityStatus:contradicts ageBroad|");
    expect_has(o->problems, "6:gender:unknown value 'F'");
    assert_int_equal(o->n, 2);
    /* line 5 is invalid: its XK is not counted; line 2's Other labour is */
    expect_unmapped(o, "typeOfLabourOther", 0, 1, 0);
    expect_unmapped(o, "typeOfLabourPeddling", 0, 0, 1);
    expect_unmapped(o, "citizenship", 0, 0, 0);
    expect_unmapped(o, "typeOfLabourAquafarming", 0, 0, 0); /* the same sector twice */
    readout_free(o);
    free(path);
}

/* ---- the synthetic dataset: a fixture with every column -------------------- */

static void synthetic_fixture_covers_every_column(void **state)
{
    (void)state;
    FILE *fp = fopen(synthetic_path(), "rb");
    assert_non_null(fp);
    ct_err err = CT_ERR_INIT;
    ct_csv *csv = ct_csv_open(fp, NULL, &err);
    ct_csv_record rec;
    assert_int_equal(ct_csv_next(csv, &rec, &err), 1);
    size_t n;
    const ct_ctdc_col *cols = ct_io_ctdc_table(CT_FMT_CTDC_SYNTHETIC, &n);
    assert_int_equal(rec.n, n);
    for (size_t k = 0; k < n; k++)
        assert_string_equal(rec.field[k], cols[k].name);
    int used[64] = {0};
    while (ct_csv_next(csv, &rec, &err) == 1)
        for (size_t k = 0; k < rec.n && k < n; k++)
            used[k] |= rec.len[k] > 0;
    for (size_t k = 0; k < n; k++)
        if (!used[k])
            fail_msg("the fixture has no value in %s", cols[k].name);
    ct_csv_close(csv);
    fclose(fp);
}

static void synthetic_fixture_maps_every_row(void **state)
{
    (void)state;
    readout *o = read_path(synthetic_path(), CT_FMT_AUTO);
    assert_int_equal(o->rc, 0);
    assert_int_equal(o->format, CT_FMT_CTDC_SYNTHETIC);
    assert_string_equal(o->problems, "");
    assert_int_equal(o->n, 6);
    const char *j = at_line(o, 2);
    expect_has(j, "\"identification\":\"2021\"");
    expect_has(j, "\"sex\":\"female\"");
    expect_has(j, "\"age_band\":\"9-17\""); /* written 09--17 */
    expect_has(j, "\"citizenship\":[\"UKR\"]");
    expect_has(j, "\"countries\":{\"exploitation\":\"POL\"}");
    expect_has(j, "\"means_of_control\":[\"debt_bondage\",\"threats\",\"withholds_documents\"]");
    expect_has(j, "\"purposes\":[\"sexual_exploitation\"]");
    expect_has(j, "\"main_purpose\":\"sexual_exploitation\"");
    expect_has(j, "\"recruiter_relation\":\"intimate_partner\"");
    assert_int_equal(o->child[0], 1); /* 9-17: a child */
    j = at_line(o, 3);
    expect_has(j, "\"sex\":\"male\"");
    expect_has(j, "\"age_band\":\"30-38\"");
    expect_has(j,
               "\"means_of_control\":[\"psychological_abuse\",\"false_promises\","
               "\"psychoactive_substances\",\"denies_basic_needs\",\"excessive_working_hours\"]");
    expect_has(j, "\"purposes\":[\"forced_labour\"]");
    expect_has(j, "\"labour_sector\":\"agriculture\"");
    expect_has(j, "\"recruiter_relation\":\"friend\"");
    assert_int_equal(o->child[1], 0);
    j = at_line(o, 4);
    expect_has(j, "\"sex\":\"other\"");
    expect_has(j, "\"age_band\":\"48+\"");
    expect_has(j, "\"purposes\":[\"other\"]");
    expect_has(j, "\"labour_sector\":\"construction\"");
    expect_has(j, "\"recruiter_relation\":\"other\"");
    expect_lacks(j, "countries");
    j = at_line(o, 5); /* every cell empty: a victim with nothing known */
    expect_lacks(j, "dates");
    expect_has(j, "\"persons\":[{\"nrm_stage\":\"reported\",\"role\":\"victim\"}]");
    assert_int_equal(o->child[3], -1);
    j = at_line(o, 6);
    expect_has(j, "\"purposes\":[\"forced_labour\",\"sexual_exploitation\"]");
    expect_lacks(j, "main_purpose");
    expect_lacks(j, "citizenship");   /* XKX: user-assigned, counted */
    assert_int_equal(o->child[4], 0); /* 18-20: an adult */
    assert_string_equal(at_line(o, 7), at_line(o, 2));
    expect_unmapped(o, "traffickMonths", 4, 0, 0);
    expect_unmapped(o, "typeOfSexProstitution", 2, 0, 0);
    expect_unmapped(o, "typeOfSexPornography", 1, 0, 0);
    expect_unmapped(o, "recruiterRelationFamily", 0, 0, 1);
    expect_unmapped(o, "typeOfLabourDomesticWork", 0, 0, 1);
    expect_unmapped(o, "typeOfLabourHospitality", 0, 0, 1);
    expect_unmapped(o, "citizenship", 0, 1, 0);
    assert_int_equal(o->nunmapped, 7);
    readout_free(o);
}

static void synthetic_identical_rows_are_two_victims_once(void **state)
{
    fixture *f = *state;
    ct_import_stats st;
    assert_int_equal(import(f, synthetic_path(), 0, &st), 0);
    assert_int_equal(st.inserted, 6); /* lines 2 and 7 are identical: two victims */
    assert_int_equal(import(f, synthetic_path(), 0, &st), 0);
    assert_int_equal(st.unchanged, 6);
    assert_int_equal(count_cases(f), 6);
}

/* ---- malformed values, all or nothing, rejects ------------------------------ */

static const char synthetic_header[] =
    "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,"
    "meansDebtBondageEarnings,meansThreats,meansAbusePsyPhySex,meansFalsePromises,"
    "meansDrugsAlcohol,meansDenyBasicNeeds,meansExcessiveWorkHours,meansWithholdDocs,"
    "isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourAgriculture,"
    "typeOfLabourConstruction,typeOfLabourDomesticWork,typeOfLabourHospitality,"
    "typeOfSexProstitution,typeOfSexPornography,recruiterRelationIntimatePartner,"
    "recruiterRelationFriend,recruiterRelationFamily,recruiterRelationOther\n";

#define ROW_UK "2021,Woman,09--17,UK,,,,,,,,,,,,1,,,,,,,,,,,"
#define ROW_NL "\"2022\nx\",Man,24--26,NGA,ITA,,,,,,,,,,,,,,,,,,,,,,"
static const char synthetic_bad_rows[] = "20x1,Femme,17--20,U1,USA,,2,,,,,,,,,,,,,,,,,,,,\n" /* 2 */
                                         "1985,Woman,,,,,,,,,,,,,,,,,,,,,,,,,\n"             /* 3 */
                                         "2099,Woman,,,,,,,,,,,,,,,,,,,,,,,,,\n"             /* 4 */
    ROW_UK "\n"                                                                              /* 5 */
                                         "2021,Woman\n"                                      /* 6 */
                                         "2022,Man,24--26,NGA,ITA,,,,,,,,,,1,,,,1,,,,,,,,\n" /* 7 */
    ROW_NL "\n"; /* 8-9: a newline in a cell */

static void malformed_values_are_named_and_nothing_is_imported(void **state)
{
    fixture *f = *state;
    char content[4096];
    snprintf(content, sizeof(content), "%s%s", synthetic_header, synthetic_bad_rows);
    ct_import_stats st;
    assert_int_equal(import(f, write_file(f, "bad.csv", content), 0, &st), CT_EINVAL);
    assert_int_equal(count_cases(f), 0);
    const char *p = f->problems;
    expect_has(p, "2:yearOfRegistration:expected a year (YYYY), -99 or an empty cell|");
    expect_has(p, "2:gender:unknown value 'Femme' (docs/import.md lists the values)|");
    expect_has(p, "2:ageBroad:unknown value '17--20'");
    expect_has(p, "2:citizenship:'U1' is not an ISO 3166-1 country code|");
    expect_has(p, "2:meansDebtBondageEarnings:expected 1, 0, -99 or an empty cell|");
    expect_has(p, "3:yearOfRegistration:case dates start in 1990|");
    expect_has(p, "4:yearOfRegistration:date lies in the future|");
    expect_has(p, "5:citizenship:'UK' is not an ISO 3166-1 country code|");
    expect_has(p, "6::2 fields, the header has 27|");
    expect_has(p, "8:yearOfRegistration:expected a year");
    expect_lacks(p, "|7:");
    assert_int_equal(st.records, 7);
}

static void rejects_keep_rows_unchanged_and_import_once_corrected(void **state)
{
    fixture *f = *state;
    char content[4096];
    snprintf(content, sizeof(content), "%s%s", synthetic_header, synthetic_bad_rows);
    char in[600];
    snprintf(in, sizeof(in), "%s", write_file(f, "mixed.csv", content));
    ct_import_stats st;
    assert_int_equal(import(f, in, 1, &st), CT_EREJECTED);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(st.rejected, 6);
    char *r = slurp(st.rejects_path);
    /* the header and each bad row as they were, the reason last */
    char want[1024];
    snprintf(want, sizeof(want), "%.*s,ctip_error\n", (int)strlen(synthetic_header) - 1,
             synthetic_header);
    assert_int_equal(strncmp(r, want, strlen(want)), 0);
    expect_has(r, "\n" ROW_UK ",citizenship: 'UK' is not an ISO 3166-1 country code\n");
    expect_has(r, "\n" ROW_NL ",\"yearOfRegistration: expected a year (YYYY), -99 or an empty "
                  "cell\"\n");
    expect_has(r, "\n2021,Woman,\"2 fields, the header has 27\"\n");
    /* the rejects file with UK corrected to GBR: that row comes in, the
     * others are rejected again (their old ctip_error is ignored) */
    char *fixed = strstr(r, ",UK,");
    memcpy(fixed, ",GB,", 4);
    char fixed_path[600];
    snprintf(fixed_path, sizeof(fixed_path), "%s", write_file(f, "fixed.csv", r));
    assert_int_equal(import(f, fixed_path, 1, &st), CT_EREJECTED);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(st.rejected, 5);
    assert_int_equal(count_cases(f), 2);
    /* the original again adds nothing */
    assert_int_equal(import(f, in, 1, &st), CT_EREJECTED);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(count_cases(f), 2);
    free(r);
}

static void global_rejects_keep_the_disclaimer_header(void **state)
{
    fixture *f = *state;
    static const char *const rows[] = {"gender=Female;yearOfRegistration=2018",
                                       "gender=Femme;yearOfRegistration=2018"};
    char *path = global_file(f, "g.csv", rows, 2);
    ct_import_stats st;
    assert_int_equal(import(f, path, 1, &st), CT_EREJECTED);
    assert_int_equal(st.inserted, 1);
    char *r = slurp(st.rejects_path);
    expect_has(r, "By using this data you agree to the Terms of Use,yearOfRegistration,");
    expect_has(r, ",recruiterRelationUnknown,ctip_error\n,2018,-99,Femme,-99,");
    expect_has(r, ",-99,gender: unknown value 'Femme' (docs/import.md lists the values)\n");
    free(r);
    free(path);
}

/* ---- headers ------------------------------------------------------------------ */

static void headers_pick_the_dialect_or_say_why_not(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *header;
        ct_io_format force;
        int rc;
        ct_io_format format;
        const char *error;
    } cases[] = {
        {"yearofregistration,GENDER,traffickmonths\n", CT_FMT_AUTO, 0, CT_FMT_CTDC_SYNTHETIC, ""},
        {",yearOfRegistration,Datasource\n", CT_FMT_AUTO, 0, CT_FMT_CTDC_GLOBAL, ""},
        {"yearOfRegistration,gender,ageBroad\n", CT_FMT_AUTO, CT_EINVAL, 0,
         "1: the header fits both CTDC dialects"},
        {"yearOfRegistration,gender,ageBroad\n", CT_FMT_CTDC_SYNTHETIC, 0, CT_FMT_CTDC_SYNTHETIC,
         ""},
        {"yearOfRegistration,traffickMonths,colour\n", CT_FMT_AUTO, CT_EINVAL, 0,
         "1: colour: not a variable of the CTDC synthetic dataset 2021-2025"},
        {"yearOfRegistration,Datasource,majorityStatus,traffickMonths\n", CT_FMT_AUTO, CT_EINVAL, 0,
         "1: traffickMonths: not a variable of the CTDC global dataset 2017-2020"},
        {"yearOfRegistration,gender,traffickMonths,Gender\n", CT_FMT_AUTO, CT_EINVAL, 0,
         "1: Gender: column given twice"},
        {"yearOfRegistration,traffickMonths,ctip_error\n", CT_FMT_AUTO, 0, CT_FMT_CTDC_SYNTHETIC,
         ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        readout *o = read_path(write_file(f, "h.csv", cases[i].header), cases[i].force);
        if (o->rc != cases[i].rc || (!o->rc && o->format != cases[i].format) ||
            !strstr(o->open_error, cases[i].error))
            fail_msg("case %zu: rc %d format %d: %s", i, o->rc, o->format, o->open_error);
        readout_free(o);
    }
}

/* ---- the tables against the code lists -------------------------------------- */

static const ct_code_list *target_list(enum ct_ctdc_target t)
{
    static const char *const names[] = {NULL,    "means_of_control", "purposes",
                                        "means", "labour_sectors",   "recruiter_relations"};
    return names[t] ? ct_codes_list(names[t]) : NULL;
}

/* Where a list's attribute names this column, the table maps it to the
 * canonical (first) code with that value. */
static void check_against_attributes(const ct_ctdc_col *col, const char *const *attrs)
{
    const ct_code_list *l = target_list(col->target);
    for (size_t a = 0; attrs[a]; a++) {
        const ct_code *c = ct_codes_find_attr(l, attrs[a], col->name);
        if (c && strcmp(ct_code_id(c), col->code) != 0)
            fail_msg("%s maps to %s, the code list (%s) says %s", col->name, col->code, attrs[a],
                     ct_code_id(c));
    }
}

/* Every code whose attribute names a column of the dialect is reached from
 * that column's row. */
static void check_lists_reach_the_table(const ct_ctdc_col *cols, size_t n, const char *const *attrs)
{
    for (int t = CT_CTDC_T_MEANS_OF_CONTROL; t <= CT_CTDC_T_RECRUITER; t++) {
        const ct_code_list *l = target_list((enum ct_ctdc_target)t);
        for (size_t i = 0; i < ct_code_list_size(l); i++)
            for (size_t a = 0; attrs[a]; a++) {
                const char *v = ct_code_attr(ct_code_list_at(l, i), attrs[a]);
                size_t k = 0;
                while (v && k < n && strcmp(cols[k].name, v) != 0)
                    k++;
                if (v && k < n && (cols[k].target != (enum ct_ctdc_target)t || !cols[k].code))
                    fail_msg("%s (%s of %s) is not mapped to that list", v, attrs[a],
                             ct_code_id(ct_code_list_at(l, i)));
            }
    }
}

static void tables_agree_with_the_code_lists(void **state)
{
    (void)state;
    static const char *const global_attrs[] = {"ctdc", "ctdc_flag", NULL};
    static const char *const synthetic_attrs[] = {"ctdc_synthetic", "ctdc", "ctdc_flag", NULL};
    static const struct {
        ct_io_format f;
        size_t variables; /* domain.md §3 */
        const char *const *attrs;
    } dialects[] = {{CT_FMT_CTDC_GLOBAL, 63, global_attrs},
                    {CT_FMT_CTDC_SYNTHETIC, 27, synthetic_attrs}};
    for (size_t d = 0; d < 2; d++) {
        size_t n;
        const ct_ctdc_col *cols = ct_io_ctdc_table(dialects[d].f, &n);
        assert_int_equal(n, dialects[d].variables);
        assert_true(n <= CT_IO_UNMAPPED_MAX);
        for (size_t k = 0; k < n; k++) {
            const ct_ctdc_col *col = &cols[k];
            for (size_t j = 0; j < k; j++)
                assert_true(strcasecmp(cols[j].name, col->name) != 0);
            if (!col->code) {
                assert_int_equal(col->target, CT_CTDC_T_NONE);
                continue;
            }
            const ct_code_list *l = target_list(col->target);
            assert_non_null(l);
            if (!ct_codes_find(l, col->code) || (col->also && !ct_codes_find(l, col->also)))
                fail_msg("%s: %s is not a code of its list", col->name, col->code);
            check_against_attributes(col, dialects[d].attrs);
        }
        check_lists_reach_the_table(cols, n, dialects[d].attrs);
    }
    /* the band spellings of both files */
    const ct_code_list *bands = ct_codes_list("age_bands");
    assert_non_null(ct_codes_find_attr(bands, "ctdc", "9--17"));
    assert_non_null(ct_codes_find_attr(bands, "ctdc_alt", "09--17"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(global_sample_maps_every_row),
        cmocka_unit_test_setup_teardown(global_sample_imports_once, setup, teardown),
        cmocka_unit_test_setup_teardown(global_rules_and_malformed_cells, setup, teardown),
        cmocka_unit_test(synthetic_fixture_covers_every_column),
        cmocka_unit_test(synthetic_fixture_maps_every_row),
        cmocka_unit_test_setup_teardown(synthetic_identical_rows_are_two_victims_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(malformed_values_are_named_and_nothing_is_imported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(rejects_keep_rows_unchanged_and_import_once_corrected,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(global_rejects_keep_the_disclaimer_header, setup, teardown),
        cmocka_unit_test_setup_teardown(headers_pick_the_dialect_or_say_why_not, setup, teardown),
        cmocka_unit_test(tables_agree_with_the_code_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
