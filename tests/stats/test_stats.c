/*
 * test_stats.c - src/stats end to end on a store:
 *  - a small fixture whose tables are computed by hand (tests/stats/
 *    fixture.jsonl: unknowns, several forms, a main purpose, an age range
 *    spanning 18, suspects with proceedings);
 *  - the GLOTIP CSV: byte-exact header and value formatting;
 *  - proof that no small count is derivable from the published GLOTIP
 *    tables, by an interval LP built here from the published CSV alone
 *    (independent of sdc.c's model);
 *  - proof of k-anonymity on the CTDC export;
 *  - the report's sections in English and French.
 */
#include "test_util.h"

#include "core/i18n.h"
#include "core/case_json.h"
#include "io/io.h"
#include "nrm/nrm.h"
#include "stats/stats.h"
#include "stats/stats_int.h"

#include <glpk.h>
#include <math.h>

static char *tmp;

static void add_agency(ct_store *s, const char *name)
{
    ct_agency a = {0};
    ct_err err = CT_ERR_INIT;
    snprintf(a.name, sizeof(a.name), "%s", name);
    snprintf(a.type, sizeof(a.type), "ngo");
    snprintf(a.country, sizeof(a.country), "FRA");
    assert_int_equal(ct_store_agency_add(s, &a, &err), 0);
}

/* A database with the agencies of the fixture and of gen_cases, holding path. */
static ct_store *make_db(const char *name, const char *path)
{
    char db[512];
    snprintf(db, sizeof(db), "%s/%s", tmp, name);
    ct_store *s;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(db, CT_STORE_CREATE, &s, &err), 0);
    const char *names[] = {"Police FRA",  "NGO FRA",     "Police nationale",
                           "Gendarmerie", "NGO Accueil", "Inspection du travail"};
    for (size_t i = 0; i < 6; i++)
        add_agency(s, names[i]);
    assert_int_equal(ct_store_meta_set(s, "home_agency", "Police FRA", &err), 0);
    ct_import_opts o = {path, CT_FMT_AUTO, NULL, 0, NULL, 0, 0, NULL, NULL};
    ct_import_stats st;
    int r = ct_import_run(s, &o, &st, &err);
    if (r)
        fail_msg("import: %s", err.msg);
    return s;
}

static const char *generated(long n)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/gen%ld.jsonl", tmp, n);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "'%s' %ld > '%s'", CT_GEN_CASES, n, path);
    assert_int_equal(system(cmd), 0);
    return path;
}

static const ct_stats_table *table(const ct_stats_tables *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i]->id, id) == 0)
            return t->v[i];
    fail_msg("no table %s", id);
    return NULL;
}

static long cell(const ct_stats_table *t, const char *row, const char *col)
{
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++)
            if (strcmp(t->row_codes[r], row) == 0 && strcmp(t->col_codes[c], col) == 0)
                return t->cells[r * t->ncols + c];
    fail_msg("%s has no cell %s/%s", t->id, row, col);
    return -1;
}

static int has_note(const ct_stats_table *t, const char *text)
{
    for (size_t i = 0; i < t->nnotes; i++)
        if (strstr(t->notes[i], text))
            return 1;
    return 0;
}

/* ---- the hand-computed fixture ------------------------------------------ */

static void test_fixture_tables(void **state)
{
    (void)state;
    ct_store *s = make_db("fixture.ctip", CT_STATS_FIXTURE);
    ct_stats *st;
    ct_err err = CT_ERR_INIT;
    ct_stats_opts o = {NULL, 2023, 2023, NULL, 0, NULL, NULL};
    assert_int_equal(ct_stats_collect(s, &o, &st, &err), 0);
    assert_int_equal(ct_stats_victims(st), 7); /* F8 is of 2022 */
    ct_stats_tables t = {0};
    assert_int_equal(ct_stats_tables_standard(st, "en", &t, &err), 0);

    const ct_stats_table *sa = table(&t, "victims_sex_age");
    assert_int_equal(cell(sa, "female", "0-17"), 2); /* 12 years; a range 17-18 */
    assert_int_equal(cell(sa, "female", "18+"), 1);
    assert_int_equal(cell(sa, "male", "18+"), 1);
    assert_int_equal(cell(sa, "male", "unknown"), 1); /* no age at all */
    assert_int_equal(cell(sa, "other", "18+"), 1);
    assert_int_equal(cell(sa, "unknown", "0-17"), 1);
    assert_int_equal(cell(sa, "total", "total"), 7);
    assert_true(has_note(sa, "1 victim(s) had an uncertain age"));

    const ct_stats_table *f = table(&t, "victims_forms");
    assert_int_equal(cell(f, "sexual_exploitation", "total"), 3);
    assert_int_equal(cell(f, "sexual_exploitation", "girls"), 1);
    assert_int_equal(cell(f, "sexual_exploitation", "sex_unknown"), 1);
    assert_int_equal(cell(f, "forced_labour", "total"), 3);
    assert_int_equal(cell(f, "forced_begging", "men"), 1);
    assert_int_equal(cell(f, "forced_marriage", "girls"), 1);
    assert_int_equal(cell(f, "organ_removal", "other_sex"), 1);
    assert_int_equal(cell(f, "not_recorded", "male_age_unknown"), 1);
    assert_int_equal(cell(f, "total", "total"), 7); /* victims once, not the 10 forms */
    assert_false(f->rows_additive);
    assert_true(has_note(f, "counted under each"));

    const ct_stats_table *g = table(&t, "victims_glotip_forms");
    assert_int_equal(cell(g, "sexual_exploitation", "women"), 1);
    assert_int_equal(cell(g, "forced_labour", "girls"), 1); /* main purpose */
    assert_int_equal(cell(g, "other_forms", "total"), 4);   /* no main purpose */
    assert_int_equal(cell(g, "other_forms", "men"), 1);     /* labour + begging */
    assert_int_equal(cell(g, "not_recorded", "male_age_unknown"), 1);
    assert_int_equal(cell(g, "total", "total"), 7);

    const ct_stats_table *fl = table(&t, "flows");
    assert_int_equal(cell(fl, "domestic", "total"), 1);
    assert_int_equal(cell(fl, "intra_subregional", "sex_unknown"), 1); /* DEU */
    assert_int_equal(cell(fl, "intra_regional", "girls"), 2);          /* ROU, UKR */
    assert_int_equal(cell(fl, "trans_regional", "total"), 2);          /* NGA, BRA */
    assert_int_equal(cell(fl, "unknown", "total"), 1);

    const ct_stats_table *c = table(&t, "victims_citizenship");
    assert_int_equal(cell(c, "nationals", "total"), 1);
    assert_int_equal(cell(c, "ROU", "girls"), 1);
    assert_int_equal(cell(c, "unknown", "total"), 1);
    assert_int_equal(cell(c, "total", "total"), 7);

    const ct_stats_table *p = table(&t, "persons_sex");
    assert_int_equal(cell(p, "investigated", "total"), 2);
    assert_int_equal(cell(p, "prosecuted", "male"), 1);
    assert_int_equal(cell(p, "convicted", "total"), 1);
    assert_int_equal(cell(p, "suspects", "female"), 1);
    const ct_stats_table *pc = table(&t, "persons_citizenship");
    assert_int_equal(cell(pc, "investigated", "nationals"), 1);
    assert_int_equal(cell(pc, "investigated", "foreigners"), 1);

    assert_int_equal(cell(table(&t, "cases"), "cases", "count"), 7);
    const ct_stats_table *q = table(&t, "data_quality");
    assert_int_equal(cell(q, "victims", "victims"), 7);
    assert_int_equal(cell(q, "sex_unknown", "victims"), 1);
    assert_int_equal(cell(q, "age_unknown", "victims"), 1);
    assert_int_equal(cell(q, "age_uncertain", "victims"), 1);
    assert_int_equal(cell(q, "citizenship_unknown", "victims"), 1);
    assert_int_equal(cell(q, "form_unknown", "victims"), 1);
    ct_stats_tables_release(&t);

    /* --by sex,form: the multi-form victims count under each form */
    ct_stats_table *by;
    assert_int_equal(ct_stats_table_by(st, "sex,form", "en", &by, &err), 0);
    long female_sexual = -1;
    for (size_t r = 0; r < by->nrows; r++)
        if (strcmp(by->row_codes[r], "female;sexual_exploitation") == 0)
            female_sexual = by->cells[r];
    assert_int_equal(female_sexual, 2);
    assert_int_equal(by->cells[by->nrows - 1], 7);
    ct_stats_table_free(by);
    assert_int_equal(ct_stats_table_by(st, "sex,nonsense", "en", &by, &err), CT_EUSAGE);

    ct_stats_free(st);
    ct_store_close(s);
}

/* ---- the National Referral Mechanism ------------------------------------ */

typedef struct victim_ids {
    char women[CT_UUID_TEXT], girl[CT_UUID_TEXT];
} victim_ids;

static int find_victims(ct_case *c, void *arg)
{
    victim_ids *v = arg;
    if (strcmp(c->source_id, "F1") == 0)
        snprintf(v->women, sizeof(v->women), "%s", c->persons[0].id);
    if (strcmp(c->source_id, "F2") == 0)
        snprintf(v->girl, sizeof(v->girl), "%s", c->persons[0].id);
    return 0;
}

static void refer(ct_store *s, const char *person, const char *service, const char *const *moves)
{
    ct_err err = CT_ERR_INIT;
    ct_nrm_referral_input in = {person, service, "NGO FRA", "2023-04-01", NULL};
    char id[CT_UUID_TEXT];
    if (ct_nrm_referral_open(s, &in, id, &err))
        fail_msg("open %s: %s", service, err.msg);
    for (; moves && *moves; moves++)
        if (ct_nrm_referral_move(s, id, *moves, "2023-05-01", "test", 0, &err))
            fail_msg("move to %s: %s", *moves, err.msg);
}

/* Two victims sharing a person key, added to the fixture's year. */
static void add_shared_key_pair(ct_store *s)
{
    for (int i = 0; i < 2; i++) {
        char json[512];
        snprintf(json, sizeof(json),
                 "{\"source_id\":\"K%d\",\"agency\":\"%s\",\"purposes\":[\"forced_labour\"],"
                 "\"dates\":{\"identification\":\"2023-08-01\"},\"persons\":[{\"role\":"
                 "\"victim\",\"sex\":\"male\",\"age\":40,\"person_key\":\"P-77\"}]}",
                 i, i ? "NGO FRA" : "Police FRA");
        json_t *o = json_loads(json, 0, NULL);
        assert_non_null(o);
        ct_case c;
        ct_case_init(&c);
        ct_case_read_opts opts = {{2026, 1, 1}, NULL, 0};
        ct_problems pr = CT_PROBLEMS_INIT;
        assert_int_equal(ct_case_from_json(&c, o, &opts, &pr), 0);
        ct_problems_release(&pr);
        json_decref(o);
        ct_err err = CT_ERR_INIT;
        assert_int_equal(ct_store_case_put(s, &c, NULL, NULL, &err), 0);
        ct_case_release(&c);
    }
}

static void test_nrm_tables(void **state)
{
    (void)state;
    ct_store *s = make_db("nrm.ctip", CT_STATS_FIXTURE);
    ct_actor actor = {"coordinator1", "Police FRA", NULL};
    ct_store_set_actor(s, &actor);
    victim_ids v = {{0}, {0}};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_case_each(s, NULL, find_victims, &v, &err), 0);
    assert_true(v.women[0] && v.girl[0]);
    assert_int_equal(ct_store_nrm_stage_set(s, v.women, "presumed_victim", &err), 0);
    assert_int_equal(ct_store_nrm_stage_set(s, v.girl, "presumed_victim", &err), 0);
    refer(s, v.women, "shelter", (const char *const[]){"accepted", "provided", NULL});
    refer(s, v.women, "medical", NULL);
    refer(s, v.girl, "shelter", (const char *const[]){"declined", NULL});
    add_shared_key_pair(s);

    ct_stats *st;
    ct_stats_opts o = {NULL, 2023, 2023, NULL, 0, NULL, NULL};
    assert_int_equal(ct_stats_collect(s, &o, &st, &err), 0);
    ct_stats_tables t = {0};
    assert_int_equal(ct_stats_tables_standard(st, "en", &t, &err), 0);

    const ct_stats_table *r = table(&t, "referrals");
    assert_int_equal(cell(r, "shelter", "offered"), 2);
    assert_int_equal(cell(r, "shelter", "accepted"), 1);
    assert_int_equal(cell(r, "shelter", "declined"), 1);
    assert_int_equal(cell(r, "shelter", "provided"), 1);
    assert_int_equal(cell(r, "shelter", "ended"), 0);
    assert_int_equal(cell(r, "medical", "offered"), 1);
    assert_int_equal(cell(r, "medical", "provided"), 0);
    assert_int_equal(cell(r, "total", "offered"), 3);

    const ct_stats_table *a = table(&t, "assistance");
    assert_int_equal(cell(a, "victims", "total"), 9);
    assert_int_equal(cell(a, "referred", "women"), 1);
    assert_int_equal(cell(a, "referred", "girls"), 1);
    assert_int_equal(cell(a, "referred", "total"), 2);
    assert_int_equal(cell(a, "assisted", "women"), 1);
    assert_int_equal(cell(a, "assisted", "total"), 1);

    const ct_stats_table *g = table(&t, "nrm_stages");
    assert_int_equal(cell(g, "presumed_victim", "women"), 1);
    assert_int_equal(cell(g, "presumed_victim", "girls"), 1);
    assert_int_equal(cell(g, "presumed_victim", "total"), 2);
    assert_int_equal(cell(g, "total", "total"), 9);

    const ct_stats_table *q = table(&t, "data_quality");
    assert_int_equal(cell(q, "shared_person_key", "victims"), 2);
    assert_true(has_note(q, "awaiting review, all years: 0"));
    ct_stats_tables_release(&t);
    ct_stats_free(st);
    ct_store_close(s);
}

/* ---- GLOTIP layout ------------------------------------------------------- */

static char *glotip_csv(const ct_stats *st, int year, int publish)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ct_glotip_opts o = {year, publish, 5, "01/02/2024"};
    ct_err err = CT_ERR_INIT;
    int r = ct_stats_glotip_csv(st, &o, f, &err);
    fclose(f);
    if (r)
        fail_msg("glotip: %s", err.msg);
    return text;
}

static void test_glotip_layout(void **state)
{
    (void)state;
    char out[32];
    st_format_count(1757, 1, out);
    assert_string_equal(out, "1,757");
    st_format_count(1234567, 1, out);
    assert_string_equal(out, "1,234,567");
    st_format_count(999, 1, out);
    assert_string_equal(out, "999");
    st_format_count(0, 1, out);
    assert_string_equal(out, "0");

    ct_store *s = make_db("glotip.ctip", CT_STATS_FIXTURE);
    ct_stats *st;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_stats_collect(s, NULL, &st, &err), 0);
    char *csv = glotip_csv(st, 2023, 0);
    const char header[] = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,"
                          "Age,Year,Unit of measurement,txtVALUE,Source\n";
    assert_memory_equal(csv, header, strlen(header));
    assert_non_null(strstr(csv, "\nFRA,France,Europe,Western Europe,Detected trafficking "
                                "victims,Total,Total,Total,Total,2023,Counts,7,GLOTIP\n"));
    assert_non_null(strstr(csv, ",by form of exploitation,Other forms of exploitation,Total,"
                                "Total,2023,Counts,4,GLOTIP\n"));
    assert_non_null(strstr(csv, ",by citizenship,Nationals,Total,Total,2023,Counts,1,GLOTIP\n"));
    assert_non_null(strstr(csv, "Persons convicted,Total,Total,Male,Total,2023,Counts,1,GLOTIP"));
    free(csv);
    char *pub = glotip_csv(st, 2023, 1);
    /* every count of 1-4 is masked: no ",1," ... ",4," value is published */
    for (const char *v = pub; (v = strstr(v, ",Counts,")); v++) {
        const char *val = v + 8;
        assert_false(val[0] >= '1' && val[0] <= '4' && val[1] == ',');
    }
    free(pub);
    ct_stats_free(st);
    ct_store_close(s);
}

/* ---- the suppression proof ------------------------------------------------ */

typedef struct prow {
    char key[5][96]; /* indicator, dimension, category, sex, age */
    char value[16];
} prow;

static size_t parse_csv(const char *text, prow **out)
{
    size_t cap = 1024, n = 0;
    prow *v = malloc(cap * sizeof(*v));
    const char *p = strchr(text, '\n') + 1;
    while (*p) {
        char f[13][128];
        for (int i = 0; i < 13; i++) {
            size_t k = 0;
            if (*p == '"') {
                for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
                    if (*p == '"')
                        p++;
                    if (k < 127)
                        f[i][k++] = *p;
                }
                p++;
            } else
                while (*p && *p != ',' && *p != '\n')
                    if (k < 127)
                        f[i][k++] = *p++;
                    else
                        p++;
            f[i][k] = '\0';
            p++; /* , or \n */
        }
        if (n == cap)
            v = realloc(v, (cap *= 2) * sizeof(*v));
        for (int i = 0; i < 5; i++)
            snprintf(v[n].key[i], sizeof(v[n].key[i]), "%s", f[4 + i]);
        /* the value without thousands separators */
        size_t k = 0;
        for (const char *c = f[11]; *c && k < 15; c++)
            if (*c != ',')
                v[n].value[k++] = *c;
        v[n].value[k] = '\0';
        n++;
    }
    *out = v;
    return n;
}

static long find_row(const prow *v, size_t n, const char *i, const char *d, const char *c,
                     const char *s, const char *a)
{
    for (size_t j = 0; j < n; j++)
        if (!strcmp(v[j].key[0], i) && !strcmp(v[j].key[1], d) && !strcmp(v[j].key[2], c) &&
            !strcmp(v[j].key[3], s) && !strcmp(v[j].key[4], a))
            return (long)j;
    return -1;
}

/* adds sum(parts) - total (type) 0 as an LP row over the unknown cells */
static void lp_row(glp_prob *lp, const prow *v, const int *col, long total, const long *parts,
                   size_t np, int type)
{
    int ind[512];
    double val[512], known = 0;
    int n = 0;
    size_t present = 0;
    for (size_t i = 0; i < np; i++)
        present += parts[i] >= 0;
    if (total < 0 || !present)
        return;
    for (size_t i = 0; i <= np; i++) {
        long r = i < np ? parts[i] : total;
        double coef = i < np ? 1 : -1;
        if (r < 0)
            continue;
        if (col[r]) {
            ind[++n] = col[r];
            val[n] = coef;
        } else
            known += coef * atof(v[r].value);
    }
    if (!n)
        return;
    int row = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, row, type, -known, -known);
    glp_set_mat_row(lp, row, n, ind, val);
}

static const char *const SEX[] = {"Female", "Male", "Other", "Unknown", "Total"};
static const char *const AGE[] = {"0 to 17 years", "18 years or over", "Unknown", "Total"};

/* Builds the interval LP from the published rows as a reader would: the
 * grids add up, forms are at most the total, citizenships add up to it. */
static glp_prob *reader_lp(const prow *v, size_t n, int *col)
{
    glp_prob *lp = glp_create_prob();
    for (size_t j = 0; j < n; j++) {
        col[j] = 0;
        if (!strcmp(v[j].value, "<5")) {
            col[j] = glp_add_cols(lp, 1);
            glp_set_col_bnds(lp, col[j], GLP_DB, 1, 4);
        } else if (!strcmp(v[j].value, "x")) {
            col[j] = glp_add_cols(lp, 1);
            glp_set_col_bnds(lp, col[j], GLP_LO, 0, 0);
        }
    }
    for (size_t j = 0; j < n; j++) {
        const char *i = v[j].key[0], *d = v[j].key[1], *c = v[j].key[2];
        /* one pass per (indicator, dimension, category) at its Total/Total row */
        if (strcmp(v[j].key[3], "Total") || strcmp(v[j].key[4], "Total"))
            continue;
        long parts[256];
        for (int s = 0; s < 5; s++) { /* each sex: ages add up */
            for (int a = 0; a < 3; a++)
                parts[a] = find_row(v, n, i, d, c, SEX[s], AGE[a]);
            lp_row(lp, v, col, find_row(v, n, i, d, c, SEX[s], "Total"), parts, 3, GLP_FX);
        }
        for (int a = 0; a < 4; a++) { /* each age: sexes add up */
            for (int s = 0; s < 4; s++)
                parts[s] = find_row(v, n, i, d, c, SEX[s], AGE[a]);
            lp_row(lp, v, col, find_row(v, n, i, d, c, "Total", AGE[a]), parts, 4, GLP_FX);
        }
        if (strcmp(d, "Total"))
            continue;
        for (int s = 0; s < 5; s++) /* forms: at most the total */
            for (int a = 0; a < 4; a++) {
                const char *forms[] = {"Sexual exploitation", "Forced labour",
                                       "Other forms of exploitation"};
                for (int k = 0; k < 3; k++)
                    parts[k] =
                        find_row(v, n, i, "by form of exploitation", forms[k], SEX[s], AGE[a]);
                lp_row(lp, v, col, find_row(v, n, i, "Total", "Total", SEX[s], AGE[a]), parts, 3,
                       GLP_UP);
            }
        size_t np = 0; /* citizenships add up */
        for (size_t k = 0; k < n && np < 256; k++)
            if (!strcmp(v[k].key[0], i) && !strcmp(v[k].key[1], "by citizenship"))
                parts[np++] = (long)k;
        lp_row(lp, v, col, (long)j, parts, np, GLP_FX);
    }
    return lp;
}

static double solve(glp_prob *lp, int c, int dir)
{
    for (int k = 1; k <= glp_get_num_cols(lp); k++)
        glp_set_obj_coef(lp, k, k == c);
    glp_set_obj_dir(lp, dir);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    assert_int_equal(glp_simplex(lp, &parm), 0);
    if (glp_get_status(lp) == GLP_UNBND)
        return dir == GLP_MAX ? INFINITY : -INFINITY;
    assert_int_equal(glp_get_status(lp), GLP_OPT);
    return glp_get_obj_val(lp);
}

static void test_suppression_proof(void **state)
{
    (void)state;
    ct_store *s = make_db("gen.ctip", generated(4000));
    ct_stats *st;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_stats_collect(s, NULL, &st, &err), 0);
    glp_term_out(GLP_OFF);
    for (int year = 2019; year <= 2024; year += 5) {
        char *exact = glotip_csv(st, year, 0), *pub = glotip_csv(st, year, 1);
        prow *e, *p;
        size_t ne = parse_csv(exact, &e), np = parse_csv(pub, &p);
        assert_int_equal(ne, np);
        int *col = calloc(np, sizeof(int));
        glp_prob *lp = reader_lp(p, np, col);
        size_t small = 0, checked = 0;
        for (size_t j = 0; j < np; j++) {
            long v = atol(e[j].value);
            assert_memory_equal(e[j].key, p[j].key, sizeof(e[j].key));
            if (v < 1 || v > 4)
                continue;
            small++;
            if (!col[j])
                fail_msg("a count of %ld is published: %s/%s/%s/%s/%s", v, p[j].key[0], p[j].key[1],
                         p[j].key[2], p[j].key[3], p[j].key[4]);
            double lo = solve(lp, col[j], GLP_MIN), hi = solve(lp, col[j], GLP_MAX);
            if (hi - lo < 1 - 1e-6)
                fail_msg("derivable: %s/%s/%s/%s/%s in [%g, %g]", p[j].key[0], p[j].key[1],
                         p[j].key[2], p[j].key[3], p[j].key[4], lo, hi);
            assert_true(lo <= v + 1e-6 && hi >= v - 1e-6); /* the truth is feasible */
            checked++;
        }
        assert_true(small > 0); /* the proof checked something */
        assert_int_equal(checked, small);
        glp_delete_prob(lp);
        free(col);
        free(e);
        free(p);
        free(exact);
        free(pub);
    }
    /* the standard tables, protected together, pass sdc.c's own audit */
    ct_stats_tables t = {0};
    assert_int_equal(ct_stats_tables_standard(st, "en", &t, &err), 0);
    assert_int_equal(ct_stats_tables_protect(&t, 5, &err), 0);
    for (size_t i = 0; i < t.n; i++) {
        const ct_stats_table *x = t.v[i];
        if (!strcmp(x->id, "data_quality"))
            continue;
        for (size_t c = 0; c < x->nrows * x->ncols; c++)
            if (x->cells[c] >= 1 && x->cells[c] <= 4)
                assert_int_not_equal(x->state[c], CT_CELL_EXACT);
    }
    ct_stats_tables_release(&t);
    ct_stats_free(st);
    ct_store_close(s);
}

/* A classic case: a total of 10 = 9 + 1 needs a complement. */
static void test_sdc_small(void **state)
{
    (void)state;
    st_sdc *s = st_sdc_new();
    int a = st_sdc_cell(s, 9), b = st_sdc_cell(s, 1), t = st_sdc_cell(s, 10);
    int parts[] = {a, b};
    assert_int_equal(st_sdc_constraint(s, t, parts, 2, 1), 0);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(st_sdc_protect(s, 5, &err), 0);
    assert_int_equal(st_sdc_state(s, b), CT_CELL_PRIMARY);
    assert_int_equal(st_sdc_state(s, a), CT_CELL_SECONDARY); /* a part, not the total */
    assert_int_equal(st_sdc_state(s, t), CT_CELL_EXACT);
    double lo[3], hi[3];
    assert_int_equal(st_sdc_audit(s, 5, lo, hi, &err), 0);
    assert_true(hi[b] - lo[b] >= 1);
    st_sdc_free(s);
    /* four parts "<5" under a total "<5" of 4: each would be 1; the
     * total must lose its bounds */
    s = st_sdc_new();
    int p4[4];
    for (int i = 0; i < 4; i++)
        p4[i] = st_sdc_cell(s, 1);
    t = st_sdc_cell(s, 4);
    assert_int_equal(st_sdc_constraint(s, t, p4, 4, 1), 0);
    assert_int_equal(st_sdc_protect(s, 5, &err), 0);
    assert_int_equal(st_sdc_audit(s, 5, NULL, NULL, &err), 0);
    assert_int_equal(st_sdc_state(s, t), CT_CELL_SECONDARY);
    st_sdc_free(s);
}

/* ---- k-anonymity ----------------------------------------------------------- */

static void check_k(ct_store *s, int k)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ct_ctdc_opts o = {k, NULL, 0, 0, NULL, NULL};
    ct_ctdc_report rep;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_stats_ctdc_export(s, &o, f, &rep, &err), 0);
    fclose(f);
    const char header[] =
        "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,"
        "meansDebtBondageEarnings,meansThreats,meansAbusePsyPhySex,meansFalsePromises,"
        "meansDrugsAlcohol,meansDenyBasicNeeds,meansExcessiveWorkHours,meansWithholdDocs,"
        "isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourAgriculture,"
        "typeOfLabourConstruction,typeOfLabourDomesticWork,typeOfLabourHospitality,"
        "typeOfSexProstitution,typeOfSexPornography,recruiterRelationIntimatePartner,"
        "recruiterRelationFriend,recruiterRelationFamily,recruiterRelationOther\n";
    assert_memory_equal(text, header, strlen(header));
    /* group the rows by their quasi-identifiers */
    size_t cap = 1024, n = 0;
    char(*keys)[160] = malloc(cap * sizeof(*keys));
    long *counts = malloc(cap * sizeof(long));
    long rows = 0;
    for (const char *p = strchr(text, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
        char f27[27][64];
        const char *q = p;
        for (int i = 0; i < 27; i++) {
            size_t m = 0;
            int quoted = *q == '"';
            if (quoted)
                q++;
            while (*q && (quoted ? *q != '"' : (*q != ',' && *q != '\n')))
                f27[i][m < 63 ? m++ : m] = *q++;
            f27[i][m] = '\0';
            if (quoted)
                q++;
            q++;
        }
        char key[160];
        snprintf(key, sizeof(key), "%s|%s|%s|%s|%s|%s%s%s", f27[0], f27[1], f27[2], f27[3], f27[4],
                 f27[14], f27[15], f27[16]);
        size_t j = 0;
        while (j < n && strcmp(keys[j], key))
            j++;
        if (j == n) {
            if (n == cap) {
                keys = realloc(keys, (cap *= 2) * sizeof(*keys));
                counts = realloc(counts, cap * sizeof(long));
            }
            snprintf(keys[n], sizeof(keys[n]), "%s", key);
            counts[n++] = 0;
        }
        counts[j]++;
        rows++;
    }
    for (size_t j = 0; j < n; j++)
        if (counts[j] < k)
            fail_msg("class %s has %ld < k = %d records", keys[j], counts[j], k);
    assert_int_equal(rows, rep.written);
    assert_int_equal(rep.written + rep.suppressed, rep.records);
    assert_int_equal(rep.exact + rep.generalised[0] + rep.generalised[1] + rep.generalised[2] +
                         rep.generalised[3],
                     rep.written);
    if (k <= 2)
        assert_true(rep.exact > 0);
    free(keys);
    free(counts);
    free(text);
}

static void test_k_anonymity(void **state)
{
    (void)state;
    ct_store *s = make_db("kanon.ctip", generated(3000));
    check_k(s, 11);
    check_k(s, 30);
    check_k(s, 2);
    ct_store_close(s);
}

/* ---- the report ------------------------------------------------------------- */

static void test_report_sections(void **state)
{
    (void)state;
    ct_store *s = make_db("report.ctip", generated(1500));
    ct_stats *st;
    ct_err err = CT_ERR_INIT;
    ct_stats_opts so = {NULL, 2020, 2024, "FRA", 0, NULL, NULL};
    assert_int_equal(ct_stats_collect(s, &so, &st, &err), 0);
    const char *langs[] = {"en", "fr"};
    const char *words[2][3] = {{"Trends", "Data quality", "Forms of exploitation"},
                               {"Tendances", "Qualité des données", "Formes d\u2019exploitation"}};
    for (int l = 0; l < 2; l++) {
        char *html = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&html, &len);
        ct_report_opts o = {2024, langs[l], "FRA", 5};
        int r = ct_stats_report_html(st, &o, f, &err);
        fclose(f);
        if (r)
            fail_msg("report: %s", err.msg);
        const char *ids[] = {"summary",     "profile",  "forms",   "trends", "flows",
                             "proceedings", "referral", "quality", "method"};
        for (size_t i = 0; i < 9; i++) {
            char id[64];
            snprintf(id, sizeof(id), "<section id=\"%s\">", ids[i]);
            if (!strstr(html, id))
                fail_msg("%s report lacks %s", langs[l], id);
        }
        for (int w = 0; w < 3; w++)
            if (!strstr(html, words[l][w]))
                fail_msg("%s report lacks '%s'", langs[l], words[l][w]);
        assert_non_null(
            strstr(html, langs[l][0] == 'e' ? "<html lang=\"en\">" : "<html lang=\"fr\">"));
        assert_non_null(strstr(html, "<svg"));
        assert_null(strstr(html, "<script"));
        free(html);
    }
    ct_stats_free(st);
    ct_store_close(s);
}

static int setup(void **state)
{
    (void)state;
    ct_i18n_init(CT_TEST_LOCALEDIR);
    tmp = ct_test_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ct_test_rmdir(tmp);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_tables), cmocka_unit_test(test_glotip_layout),
        cmocka_unit_test(test_sdc_small),      cmocka_unit_test(test_suppression_proof),
        cmocka_unit_test(test_k_anonymity),    cmocka_unit_test(test_report_sections),
        cmocka_unit_test(test_nrm_tables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
