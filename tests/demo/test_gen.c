/* Tests of the demo generator (src/demo/gen.c, render.c, data.c, names.c):
 * reproducibility, published shares, dates, validity, truth and duplicates. */
#include "test_util.h"

#include "core/case_json.h"
#include "core/codes.h"
#include "core/utf8.h"
#include "demo/demo_int.h"

#include <math.h>
#include <sodium.h>

#define TODAY ((ct_date){2025, 6, 30})

static ct_demo *new_demo(long cases, long victims, uint64_t seed, int with_keys)
{
    ct_demo_opts o = {cases, victims, seed, TODAY, with_keys};
    ct_demo *d = NULL;
    ct_err err = CT_ERR_INIT;
    int rc = ct_demo_new(&o, &d, &err);
    if (rc)
        fail_msg("ct_demo_new: %s", err.msg);
    return d;
}

/* Every case of a run, as compact JSON lines, with the truth of each person. */
static char *run_json(long cases, uint64_t seed, int with_keys)
{
    ct_demo *d = new_demo(cases, 0, seed, with_keys);
    ct_case c;
    ct_case_init(&c);
    char *all = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&all, &len);
    ct_err err = CT_ERR_INIT;
    int rc;
    while ((rc = ct_demo_next(d, &c, &err)) == 1) {
        json_t *j = ct_case_to_json(&c, 0, 0);
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        fprintf(out, "%s\n", s);
        for (size_t i = 0; i < c.npersons; i++)
            fprintf(out, "%s,%s\n", c.persons[i].id, ct_demo_true_person(d, i));
        free(s);
        json_decref(j);
        ct_case_reset(&c);
    }
    assert_int_equal(rc, 0);
    fclose(out);
    ct_case_release(&c);
    ct_demo_free(d);
    return all;
}

static void same_seed_same_cases(void **state)
{
    (void)state;
    char *a = run_json(400, 42, 0), *b = run_json(400, 42, 0), *c = run_json(400, 43, 0);
    assert_string_equal(a, b);
    assert_true(strcmp(a, c) != 0);
    /* --with-keys only adds keys: the rest is the same */
    char *k = run_json(400, 42, 1);
    assert_true(strlen(k) > strlen(a));
    free(a);
    free(b);
    free(c);
    free(k);
}

static void limits_are_exact(void **state)
{
    (void)state;
    ct_err err = CT_ERR_INIT;
    ct_case c;
    ct_case_init(&c);
    for (int by_victims = 0; by_victims < 2; by_victims++) {
        ct_demo *d = by_victims ? new_demo(0, 777, 5, 0) : new_demo(555, 0, 5, 0);
        long cases = 0, victims = 0;
        while (ct_demo_next(d, &c, &err) == 1) {
            cases++;
            victims += (long)ct_case_victims(&c);
            ct_case_reset(&c);
        }
        if (by_victims)
            assert_int_equal(victims, 777);
        else
            assert_int_equal(cases, 555);
        ct_demo_free(d);
    }
    ct_case_release(&c);
    ct_demo_opts none = {0, 0, 1, TODAY, 0};
    ct_demo *d = NULL;
    assert_int_equal(ct_demo_new(&none, &d, &err), CT_EUSAGE);
    ct_err_clear(&err);
    ct_demo_opts future = {10, 0, 1, {2999, 1, 1}, 0};
    assert_int_equal(ct_demo_new(&future, &d, &err), CT_EUSAGE);
    assert_null(d);
}

/* ---- a sample of cases, with the facts the checks below need ----------------- */

typedef struct rec {
    char agency[201];
    char given[201], family[201], dob[16];
    int age, sex; /* sex: 'f', 'm' or 'u' */
} rec;

typedef struct sample {
    long cases, victims, known_profile, profile[CT_PROFILE__N];
    long forms[DM_NFORM], form_cases;
    long flow[CT_FLOW__N];
    long suspects, female_suspects;
    long problems;
    /* truth: victim records by true person */
    rec *by_true; /* first record of each true victim, by its number */
    int *nrec;    /* records per true victim */
    long ntrue;
    long dup_persons, dup_same_agency, dup_name_differs, dup_dob_differs;
    ct_date latest;
    long early_dates;
} sample;

static int form_index(const ct_case *c)
{
    const char *f = ct_demo_form_of(c);
    static const char *const forms[] = {"sexual_exploitation", "forced_labour",
                                        "forced_criminality", "begging"};
    for (int i = 0; i < 4; i++)
        if (f && strcmp(f, forms[i]) == 0)
            return i;
    return DM_OTHER;
}

static void later(sample *s, ct_date d, int case_date)
{
    if (!d.year)
        return;
    if (ct_date_days(ct_date_first_day(d)) > ct_date_days(ct_date_first_day(s->latest)))
        s->latest = d;
    if (case_date ? d.year < 1990 : d.year < 1900)
        s->early_dates++;
}

static void check_valid(sample *s, const ct_case *c)
{
    /* the importer's validation: the JSON of the case read back */
    json_t *j = ct_case_to_json(c, 0, 0);
    ct_case back;
    ct_case_init(&back);
    ct_problems pr = CT_PROBLEMS_INIT;
    ct_case_read_opts ro = {TODAY, "local", 0};
    if (ct_case_from_json(&back, j, &ro, &pr) != 0) {
        for (size_t i = 0; i < pr.n && s->problems < 5; i++)
            print_message("invalid: %s: %s\n", pr.v[i].field, pr.v[i].msg);
        s->problems++;
    }
    ct_problems_release(&pr);
    ct_case_release(&back);
    json_decref(j);
}

static void note_victim(sample *s, const ct_case *c, const ct_person *p, const char *truth)
{
    long t = atol(truth + 1);
    assert_true(t > 0 && t < s->ntrue);
    rec r = {{0}, {0}, {0}, {0}, p->age, p->sex ? p->sex[0] : 'u'};
    snprintf(r.agency, sizeof(r.agency), "%s", c->agency);
    snprintf(r.given, sizeof(r.given), "%s", p->given_name ? p->given_name : "");
    snprintf(r.family, sizeof(r.family), "%s", p->family_name ? p->family_name : "");
    ct_date_format(p->date_of_birth, r.dob);
    if (s->nrec[t]++ == 0) {
        s->by_true[t] = r;
        return;
    }
    const rec *first = &s->by_true[t];
    s->dup_persons += s->nrec[t] == 2;
    s->dup_same_agency += strcmp(first->agency, r.agency) == 0;
    s->dup_name_differs += strcmp(first->given, r.given) || strcmp(first->family, r.family);
    s->dup_dob_differs += strcmp(first->dob, r.dob) != 0 || first->age != r.age;
}

static void note_case(sample *s, ct_demo *d, const ct_case *c, const ct_code *det)
{
    s->cases++;
    check_valid(s, c);
    later(s, c->date_recruitment, 1);
    later(s, c->date_exploitation_start, 1);
    later(s, c->date_exploitation_end, 1);
    later(s, c->date_identification, 1);
    int form = form_index(c);
    for (size_t i = 0; i < c->npersons; i++) {
        const ct_person *p = &c->persons[i];
        later(s, p->date_of_birth, 0);
        for (size_t k = 0; k < p->nproceedings; k++)
            later(s, p->proceedings[k].date, 1);
        if (!ct_person_is_victim(p)) {
            s->suspects++;
            s->female_suspects += p->sex && strcmp(p->sex, "female") == 0;
            continue;
        }
        s->victims++;
        enum ct_demo_profile prof = ct_demo_profile_of(c, p);
        s->profile[prof]++;
        s->known_profile += prof != CT_PROFILE_UNKNOWN;
        s->forms[form]++;
        const ct_code *cit =
            p->citizenship.n ? ct_codes_lookup("countries", p->citizenship.v[0]) : NULL;
        s->flow[cit ? (int)dm_flow_of(cit, det) : CT_FLOW_UNKNOWN]++;
        note_victim(s, c, p, ct_demo_true_person(d, i));
    }
}

static sample *draw(long cases, uint64_t seed)
{
    sample *s = calloc(1, sizeof(*s));
    s->ntrue = cases * 12;
    s->by_true = calloc((size_t)s->ntrue, sizeof(*s->by_true));
    s->nrec = calloc((size_t)s->ntrue, sizeof(*s->nrec));
    ct_demo *d = new_demo(cases, 0, seed, 0);
    ct_case c;
    ct_case_init(&c);
    ct_err err = CT_ERR_INIT;
    while (ct_demo_next(d, &c, &err) == 1) {
        const ct_code *det = NULL;
        for (size_t i = 0; i < d->data.nagency; i++)
            if (strcmp(d->data.agency[i].name, c.agency) == 0)
                det = ct_codes_lookup("countries", d->data.agency[i].country);
        assert_non_null(det);
        note_case(s, d, &c, det);
        ct_case_reset(&c);
    }
    ct_case_release(&c);
    ct_demo_free(d);
    return s;
}

static void free_sample(sample *s)
{
    free(s->by_true);
    free(s->nrec);
    free(s);
}

static double share(long n, long total)
{
    return total ? 100.0 * (double)n / (double)total : 0;
}

/* GLOTIP 2024 (sex and age) and 2020 (forms), within a few points on a few
 * thousand cases; about 60 % foreigners (GLOTIP 2016), a minority
 * trans-regional. Tolerances: about 3 standard errors at this size. */
static void shares_follow_the_published_figures(void **state)
{
    (void)state;
    sample *s = draw(4000, 11);
    long k = s->known_profile;
    print_message("victims %ld: women %.1f men %.1f girls %.1f boys %.1f unknown %.1f\n",
                  s->victims, share(s->profile[0], k), share(s->profile[1], k),
                  share(s->profile[2], k), share(s->profile[3], k),
                  share(s->profile[CT_PROFILE_UNKNOWN], s->victims));
    assert_true(fabs(share(s->profile[CT_PROFILE_WOMEN], k) - 39) < 3);
    assert_true(fabs(share(s->profile[CT_PROFILE_MEN], k) - 23) < 3);
    assert_true(fabs(share(s->profile[CT_PROFILE_GIRLS], k) - 22) < 3);
    assert_true(fabs(share(s->profile[CT_PROFILE_BOYS], k) - 16) < 3);
    assert_true(s->profile[CT_PROFILE_UNKNOWN] > 0); /* some unknowns */
    assert_true(share(s->profile[CT_PROFILE_UNKNOWN], s->victims) < 15);
    static const double forms[DM_NFORM] = {50, 38, 6, 1, 5};
    for (int f = 0; f < DM_NFORM; f++)
        assert_true(fabs(share(s->forms[f], s->victims) - forms[f]) < (forms[f] > 5 ? 3.5 : 1.5));
    long known = s->victims - s->flow[CT_FLOW_UNKNOWN];
    double foreign = 100 - share(s->flow[CT_FLOW_DOMESTIC], known);
    double trans = share(s->flow[CT_FLOW_TRANSREGIONAL], known);
    print_message("foreigners %.1f %%, trans-regional %.1f %%\n", foreign, trans);
    assert_true(fabs(foreign - 60) < 5);
    assert_true(trans > 3 && trans < 20);
    assert_true(
        share(s->flow[CT_FLOW_DOMESTIC] + s->flow[CT_FLOW_SUBREGIONAL] + s->flow[CT_FLOW_REGIONAL],
              known) > 75);
    /* suspects: mostly male, some female (GLOTIP data file: about a third) */
    double fem = share(s->female_suspects, s->suspects);
    assert_true(fem > 25 && fem < 40);
    free_sample(s);
}

static void dates_are_never_in_the_future_and_cases_are_valid(void **state)
{
    (void)state;
    sample *s = draw(2500, 3);
    char latest[16];
    ct_date_format(s->latest, latest);
    print_message("latest date %s, %ld invalid cases\n", latest, s->problems);
    assert_true(ct_date_days(ct_date_last_day(s->latest)) <= ct_date_days(TODAY));
    assert_int_equal(s->early_dates, 0);
    assert_int_equal(s->problems, 0);
    free_sample(s);
}

/* Some persons have records at several agencies (never the same one), and
 * those records differ the way real records do. */
static void duplicates_exist_across_agencies_with_differences(void **state)
{
    (void)state;
    sample *s = draw(3000, 8);
    long records = 0, persons = 0;
    for (long t = 1; t < s->ntrue; t++) {
        records += s->nrec[t];
        persons += s->nrec[t] > 0;
    }
    double per = (double)records / (double)persons;
    print_message("%ld records of %ld victims (%.3f per victim), %ld with several; "
                  "names differ in %ld, birth data in %ld\n",
                  records, persons, per, s->dup_persons, s->dup_name_differs, s->dup_dob_differs);
    /* extra_records: 15 % of victims twice more... once more, 5 % twice more: 1.25 */
    assert_true(per > 1.2 && per < 1.3);
    assert_int_equal(s->dup_same_agency, 0);
    long extra = records - persons;
    assert_true(s->dup_name_differs > extra / 5);
    assert_true(s->dup_dob_differs > extra / 5);
    assert_true(s->dup_name_differs < extra); /* most are still recognisable */
    free_sample(s);
}

/* ---- data files ------------------------------------------------------------------- */

static uint32_t first_code_point(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80)
        return p[0];
    if ((p[0] & 0xE0) == 0xC0)
        return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    if ((p[0] & 0xF0) == 0xE0)
        return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
           ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* The script a pool claims, checked on the first letter of every name; the
 * variants of other scripts are romanisations (Latin). */
static int in_script(const char *script, uint32_t cp)
{
    static const struct {
        const char *script;
        uint32_t lo, hi;
    } ranges[] = {{"Latn", 0x41, 0x24F},    {"Cyrl", 0x400, 0x4FF}, {"Arab", 0x600, 0x6FF},
                  {"Hani", 0x4E00, 0x9FFF}, {"Thai", 0xE00, 0xE7F}, {"Deva", 0x900, 0x97F},
                  {"Beng", 0x980, 0x9FF}};
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (strcmp(ranges[i].script, script) == 0)
            return cp >= ranges[i].lo && cp <= ranges[i].hi;
    return 0;
}

static void check_name(const dm_pool *p, const dm_name *n)
{
    if (!in_script(p->script, first_code_point(n->name)))
        fail_msg("pool %s: '%s' is not in script %s", p->name, n->name, p->script);
    int latin = strcmp(p->script, "Latn") == 0;
    if (!latin && !n->nvar)
        fail_msg("pool %s: '%s' has no romanisation", p->name, n->name);
    for (size_t i = 0; i < n->nvar; i++)
        if (!in_script("Latn", first_code_point(n->var[i])))
            fail_msg("pool %s: variant '%s' is not Latin", p->name, n->var[i]);
}

static void name_pools_are_in_their_scripts(void **state)
{
    (void)state;
    dm_data x;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(dm_data_load(&x, &err), 0);
    int scripts[8] = {0};
    static const char *const names[] = {"Latn", "Cyrl", "Arab", "Hani", "Thai", "Deva", "Beng"};
    for (size_t i = 0; i < x.npool; i++) {
        const dm_pool *p = &x.pool[i];
        for (int k = 0; k < 7; k++)
            scripts[k] |= strcmp(p->script, names[k]) == 0;
        for (int sex = 0; sex < 2; sex++)
            for (size_t k = 0; k < p->ngiven[sex]; k++)
                check_name(p, &p->given[sex][k]);
        for (size_t k = 0; k < p->nfamily; k++)
            check_name(p, &p->family[k]);
    }
    for (int k = 0; k < 7; k++)
        assert_true(scripts[k]);
    /* every origin's pool is used, every country of detection has origins */
    assert_true(x.norigin >= 20);
    for (size_t i = 0; i < x.ndetection; i++) {
        size_t n = 0;
        for (int c = 0; c < DM_NFLOW; c++)
            n += x.detection[i].norigin[c];
        assert_true(n > 0);
    }
    dm_data_release(&x);
}

/* Every source a figure cites is described in docs/demo-data.md. */
static void every_source_is_documented(void **state)
{
    (void)state;
    const char *top = getenv("CT_SOURCE_DIR");
    assert_non_null(top);
    char path[1024];
    snprintf(path, sizeof(path), "%s/docs/demo-data.md", top);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char doc[1 << 17];
    size_t n = fread(doc, 1, sizeof(doc) - 1, f);
    fclose(f);
    doc[n] = '\0';
    snprintf(path, sizeof(path), "%s/data/demo/shares.tsv", top);
    f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || strncmp(line, "table\t", 6) == 0)
            continue;
        char *src = strrchr(line, '\t');
        assert_non_null(src);
        src[strcspn(src, "\n")] = '\0';
        char key[80];
        snprintf(key, sizeof(key), "| `%s` |", src + 1);
        if (!strstr(doc, key))
            fail_msg("source %s of shares.tsv is not in the Sources table of docs/demo-data.md",
                     src + 1);
    }
    fclose(f);
}

/* The published margins are met exactly by the fitted profile x form table. */
static void joint_table_meets_both_margins(void **state)
{
    (void)state;
    ct_demo *d = new_demo(1, 0, 1, 0);
    double total = d->form_cum[DM_NFORM - 1];
    static const double forms[DM_NFORM] = {50, 38, 6, 1, 5}, prof[4] = {39, 23, 22, 16};
    double p[4] = {0};
    for (int f = 0; f < DM_NFORM; f++) {
        double col = d->form_cum[f] - (f ? d->form_cum[f - 1] : 0);
        assert_true(fabs(col / total - forms[f] / 100) < 1e-9);
        for (int k = 0; k < 4; k++)
            p[k] += d->profile_cum[f][k] - (k ? d->profile_cum[f][k - 1] : 0);
    }
    for (int k = 0; k < 4; k++)
        assert_true(fabs(p[k] / total - prof[k] / 100) < 1e-6);
    ct_demo_free(d);
}

static void typos_are_one_edit_after_the_first_letter(void **state)
{
    (void)state;
    dm_rng r;
    dm_rng_seed(&r, 9);
    const char *names[] = {"Schröder", "Коваленко", "محمد", "Nguyễn Thị", "Ana", "สมชาย"};
    int changed = 0;
    for (int i = 0; i < 600; i++) {
        const char *s = names[i % 6];
        char out[64];
        dm_typo(&r, s, out, sizeof(out));
        assert_int_equal(ct_utf8_invalid_at(out, strlen(out)), strlen(out));
        /* the first character stays */
        size_t first = 1;
        while (((unsigned char)s[first] & 0xC0) == 0x80)
            first++;
        assert_memory_equal(out, s, first);
        changed += strcmp(out, s) != 0;
        long diff = (long)strlen(out) - (long)strlen(s);
        assert_true(diff >= -4 && diff <= 4);
    }
    assert_true(changed > 300);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_cases),
        cmocka_unit_test(limits_are_exact),
        cmocka_unit_test(shares_follow_the_published_figures),
        cmocka_unit_test(dates_are_never_in_the_future_and_cases_are_valid),
        cmocka_unit_test(duplicates_exist_across_agencies_with_differences),
        cmocka_unit_test(name_pools_are_in_their_scripts),
        cmocka_unit_test(every_source_is_documented),
        cmocka_unit_test(joint_table_meets_both_margins),
        cmocka_unit_test(typos_are_one_edit_after_the_first_letter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
