/*
 * standard.c - the standard tables of `ctip stats` and of the report, and
 * the --by cross-tabulation. Each is a walk over a cube (stats_int.h).
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

typedef struct span {
    int from, to; /* statistics years, inclusive */
} span;

#define EACH(cube, i)                                                                              \
    for (size_t i = 0; i < (cube)->cap; i++)                                                       \
        if ((cube)->keys[i])

static int in_span(const span *y, uint64_t k)
{
    int year = VK_YEAR(k);
    return year >= y->from && year <= y->to;
}

static int push(ct_stats_tables *o, ct_stats_table *t)
{
    if (!t)
        return CT_ENOMEM;
    ct_stats_table **v = ct_realloc(o->v, (o->n + 1) * sizeof(*v));
    if (!v) {
        ct_stats_table_free(t);
        return CT_ENOMEM;
    }
    o->v = v;
    o->v[o->n++] = t;
    return 0;
}

static const char *year_note(const span *y, char buf[96])
{
    if (y->from == y->to)
        snprintf(buf, 96, _("Year %d (of identification, else of registration)."), y->from);
    else
        snprintf(buf, 96, _("Years %d to %d (of identification, else of registration)."), y->from,
                 y->to);
    return buf;
}

static int common_notes(ct_stats_table *t, const span *y)
{
    char buf[96];
    int r = st_table_note(t, "%s", year_note(y, buf));
    if (!r)
        r = st_table_note(t, "%s",
                          _("Unknown values are counted as unknown; no record is left out."));
    return r;
}

static long uncertain_ages(const ct_stats *st, const span *y)
{
    long n = 0;
    EACH(&st->victims, i)
    if (in_span(y, st->victims.keys[i]) && VK_UNCERTAIN(st->victims.keys[i]))
        n += st->victims.counts[i];
    return n;
}

static int age_note(ct_stats_table *t, const ct_stats *st, const span *y)
{
    return st_table_note(
        t,
        _("Age at identification, from the birth date else the recorded age; %ld victim(s) had an "
          "uncertain age (flagged by a caseworker, or a range spanning 18, counted as a child)."),
        uncertain_ages(st, y));
}

static ct_stats_table *profile_table(const char *id, const char *title, size_t body_rows,
                                     const char *lang)
{
    ct_stats_table *t = st_table_new(id, title, body_rows + 1, ST_NPROFILE);
    if (t && st_profile_cols(t, lang)) {
        ct_stats_table_free(t);
        return NULL;
    }
    return t;
}

static int total_row(ct_stats_table *t)
{
    return st_table_row(t, t->nrows - 1, "total", _("Total"));
}

/* victims by sex (rows) and age group (columns) */
static int t_sex_age(const ct_stats *st, const span *y, const char *lang, ct_stats_tables *o)
{
    static const char *const sex_codes[] = {"female", "male", "other", "unknown"};
    static const char *const age_codes[] = {"0-17", "18+", "unknown", "total"};
    ct_stats_table *t = st_table_new("victims_sex_age", _("Victims detected by sex and age"),
                                     ST_NSEX + 1, ST_NAGE + 1);
    if (!t)
        return CT_ENOMEM;
    const char *age_labels[] = {_("0 to 17 years"), _("18 years or over"), _("Unknown"),
                                _("Total")};
    int r = 0;
    const ct_code_list *sexes = ct_codes_list("sexes");
    for (size_t i = 0; i < ST_NSEX && !r; i++)
        r = st_table_row(t, i, sex_codes[i],
                         ct_code_label(ct_codes_find(sexes, sex_codes[i]), lang));
    for (size_t i = 0; i < ST_NAGE + 1 && !r; i++)
        r = st_table_col(t, i, age_codes[i], age_labels[i]);
    if (!r)
        r = total_row(t);
    EACH(&st->victims, i)
    if (in_span(y, st->victims.keys[i]))
        *st_cell(t, VK_SEX(st->victims.keys[i]), VK_AGE(st->victims.keys[i])) +=
            st->victims.counts[i];
    st_table_totals(t);
    if (!r)
        r = common_notes(t, y);
    if (!r)
        r = age_note(t, st, y);
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

static void add_profile(ct_stats_table *t, size_t row, uint64_t k, long n)
{
    *st_cell(t, row, st_profile_of(VK_SEX(k), VK_AGE(k))) += n;
}

static int t_years(const ct_stats *st, const span *y, const char *lang, ct_stats_tables *o)
{
    size_t n = (size_t)(y->to - y->from + 1);
    ct_stats_table *t = profile_table("victims_year", _("Victims detected by year"), n, lang);
    if (!t)
        return CT_ENOMEM;
    int r = total_row(t);
    for (size_t i = 0; i < n && !r; i++) {
        char code[16];
        snprintf(code, sizeof(code), "%d", y->from + (int)i);
        r = st_table_row(t, i, code, code);
    }
    EACH(&st->victims, i)
    if (in_span(y, st->victims.keys[i]))
        add_profile(t, (size_t)(VK_YEAR(st->victims.keys[i]) - y->from), st->victims.keys[i],
                    st->victims.counts[i]);
    st_table_totals(t);
    if (!r)
        r = common_notes(t, y);
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

/* each form counted; a "not recorded" row, then the victims once */
static int t_forms_full(const ct_stats *st, const span *y, const char *lang, ct_stats_tables *o)
{
    ct_stats_table *t = st_table_new(
        "victims_forms", _("Victims detected by form of exploitation (each form counted)"),
        ST_NPURPOSES + 2, ST_NPROFILE);
    if (!t || st_profile_cols(t, lang))
        return ct_stats_table_free(t), CT_ENOMEM;
    t->rows_additive = 0;
    int r = total_row(t);
    for (size_t i = 0; i < ST_NPURPOSES && !r; i++) {
        const ct_code *c = ct_code_list_at(st->purposes, i);
        r = st_table_row(t, i, ct_code_id(c), ct_code_label(c, lang));
    }
    if (!r)
        r = st_table_row(t, ST_NPURPOSES, "not_recorded", _("Not recorded"));
    EACH(&st->victims, i)
    {
        uint64_t k = st->victims.keys[i];
        if (!in_span(y, k))
            continue;
        unsigned mask = VK_PURPOSES(k);
        for (unsigned p = 0; p < ST_NPURPOSES; p++)
            if (mask & (1u << p))
                add_profile(t, p, k, st->victims.counts[i]);
        if (!mask)
            add_profile(t, ST_NPURPOSES, k, st->victims.counts[i]);
        add_profile(t, t->nrows - 1, k, st->victims.counts[i]);
    }
    st_table_totals(t);
    if (!r)
        r = common_notes(t, y);
    if (!r)
        r = st_table_note(t, "%s",
                          _("A victim of several forms is counted under each, so the rows add up "
                            "to more than the victims; the Total row counts each victim once."));
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

static int t_glotip_forms(const ct_stats *st, const span *y, const char *lang, ct_stats_tables *o)
{
    static const char *const codes[] = {"sexual_exploitation", "forced_labour", "other_forms",
                                        "not_recorded"};
    const char *labels[] = {_("Sexual exploitation"), _("Forced labour"),
                            _("Other forms of exploitation"), _("Not recorded")};
    ct_stats_table *t = profile_table(
        "victims_glotip_forms", _("Victims detected by form of exploitation (GLOTIP categories)"),
        ST_NGCAT, lang);
    if (!t)
        return CT_ENOMEM;
    int r = total_row(t);
    for (size_t i = 0; i < ST_NGCAT && !r; i++)
        r = st_table_row(t, i, codes[i], labels[i]);
    EACH(&st->victims, i)
    if (in_span(y, st->victims.keys[i]))
        add_profile(t, VK_GCAT(st->victims.keys[i]), st->victims.keys[i], st->victims.counts[i]);
    st_table_totals(t);
    if (!r)
        r = common_notes(t, y);
    if (!r)
        r = st_table_note(t, "%s",
                          _("Each victim is counted once: under the only GLOTIP category of "
                            "their forms, else under the main purpose marked by the caseworker, "
                            "else under Other forms of exploitation."));
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

/* rows: one per country index, ordered by descending total */
typedef struct country_rows {
    long per[256][ST_NPROFILE];
    unsigned order[256];
    size_t n;
} country_rows;

static int by_total_desc(const void *a, const void *b, void *arg)
{
    const country_rows *c = arg;
    long ta = c->per[*(const unsigned *)a][ST_P_TOTAL],
         tb = c->per[*(const unsigned *)b][ST_P_TOTAL];
    if (ta != tb)
        return ta < tb ? 1 : -1;
    return (int)*(const unsigned *)a - (int)*(const unsigned *)b;
}

static void order_rows(country_rows *c, int skip_national)
{
    c->n = 0;
    for (unsigned i = 0; i < ST_NO_COUNTRY; i++)
        if (c->per[i][ST_P_TOTAL] && i != (unsigned)skip_national)
            c->order[c->n++] = i;
    qsort_r(c->order, c->n, sizeof(unsigned), by_total_desc, c);
}

static int t_citizenship(const ct_stats *st, const span *y, const char *lang, ct_stats_tables *o)
{
    country_rows *c = ct_calloc(1, sizeof(*c));
    if (!c)
        return CT_ENOMEM;
    long nationals[ST_NPROFILE] = {0};
    EACH(&st->victims, i)
    {
        uint64_t k = st->victims.keys[i];
        if (!in_span(y, k))
            continue;
        unsigned p = st_profile_of(VK_SEX(k), VK_AGE(k));
        unsigned cz = VK_CITIZEN(k);
        long n = st->victims.counts[i];
        if (cz != ST_NO_COUNTRY && cz == VK_DETECT(k)) {
            nationals[p] += n;
            nationals[ST_P_TOTAL] += n;
        } else {
            c->per[cz][p] += n;
            c->per[cz][ST_P_TOTAL] += n;
        }
    }
    order_rows(c, -1);
    ct_stats_table *t =
        profile_table("victims_citizenship", _("Victims detected by citizenship"), c->n + 2, lang);
    int r = t ? total_row(t) : CT_ENOMEM;
    if (!r)
        r = st_table_row(t, 0, "nationals", _("Nationals"));
    for (size_t i = 0; i < c->n && !r; i++)
        r = st_table_row(t, i + 1, st_country_code(st, c->order[i]),
                         st_country_label(st, c->order[i], lang));
    if (!r)
        r = st_table_row(t, c->n + 1, "unknown", _("Unknown"));
    if (!r) {
        memcpy(st_cell(t, 0, 0), nationals, sizeof(nationals));
        for (size_t i = 0; i < c->n; i++)
            memcpy(st_cell(t, i + 1, 0), c->per[c->order[i]], sizeof(nationals));
        memcpy(st_cell(t, c->n + 1, 0), c->per[ST_NO_COUNTRY], sizeof(nationals));
        st_table_totals(t);
        r = common_notes(t, y);
    }
    if (!r)
        r = st_table_note(t, "%s",
                          _("Nationals hold the citizenship of the country of detection (the "
                            "owning agency's country); other victims are counted under their "
                            "first recorded citizenship."));
    ct_free(c);
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

static int t_detection(const ct_stats *st, const span *y, const char *lang, ct_stats_tables *o)
{
    country_rows *c = ct_calloc(1, sizeof(*c));
    if (!c)
        return CT_ENOMEM;
    EACH(&st->victims, i)
    {
        uint64_t k = st->victims.keys[i];
        if (!in_span(y, k))
            continue;
        c->per[VK_DETECT(k)][st_profile_of(VK_SEX(k), VK_AGE(k))] += st->victims.counts[i];
        c->per[VK_DETECT(k)][ST_P_TOTAL] += st->victims.counts[i];
    }
    order_rows(c, -1);
    ct_stats_table *t = profile_table(
        "victims_detection", _("Victims detected by country of detection"), c->n + 1, lang);
    int r = t ? total_row(t) : CT_ENOMEM;
    for (size_t i = 0; i < c->n && !r; i++) {
        char label[256];
        snprintf(label, sizeof(label), "%s (%s)", st_country_label(st, c->order[i], lang),
                 st_region_label(st, st_country_attr(st, c->order[i], "subregion"), lang));
        r = st_table_row(t, i, st_country_code(st, c->order[i]), label);
    }
    if (!r)
        r = st_table_row(t, c->n, "unknown", _("Unknown"));
    if (!r) {
        for (size_t i = 0; i < c->n; i++)
            memcpy(st_cell(t, i, 0), c->per[c->order[i]], sizeof(c->per[0]));
        memcpy(st_cell(t, c->n, 0), c->per[ST_NO_COUNTRY], sizeof(c->per[0]));
        st_table_totals(t);
        r = common_notes(t, y);
    }
    if (!r)
        r = st_table_note(t, "%s",
                          _("The country of detection is the country of the agency that owns "
                            "the record; its UN M49 subregion is in brackets."));
    ct_free(c);
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

static int t_flows(const ct_stats *st, const span *y, const char *lang, ct_stats_tables *o)
{
    static const char *const codes[ST_NFLOW] = {"domestic", "intra_subregional", "intra_regional",
                                                "trans_regional", "unknown"};
    const char *labels[ST_NFLOW] = {_("Domestic"), _("Intra-subregional"), _("Intra-regional"),
                                    _("Trans-regional"), _("Unknown")};
    ct_stats_table *t =
        profile_table("flows", _("Victims detected by trafficking flow"), ST_NFLOW, lang);
    int r = t ? total_row(t) : CT_ENOMEM;
    for (size_t i = 0; i < ST_NFLOW && !r; i++)
        r = st_table_row(t, i, codes[i], labels[i]);
    if (r)
        return ct_stats_table_free(t), r;
    EACH(&st->victims, i)
    {
        uint64_t k = st->victims.keys[i];
        if (in_span(y, k))
            add_profile(t, st_flow_of(st, VK_CITIZEN(k), VK_DETECT(k)), k, st->victims.counts[i]);
    }
    st_table_totals(t);
    r = common_notes(t, y);
    if (!r)
        r = st_table_note(t, "%s",
                          _("Flows compare citizenship with the country of detection using UN "
                            "M49: domestic (same country), intra-subregional (same subregion), "
                            "intra-regional (same region, other subregion), trans-regional; "
                            "unknown when either is not recorded."));
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

/* origin (citizenship) subregion -> detection subregion */
static int sub_index(const char **codes, size_t *n, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if ((!codes[i] && !code) || (codes[i] && code && strcmp(codes[i], code) == 0))
            return (int)i;
    codes[*n] = code;
    return (int)(*n)++;
}

static int t_matrix(const ct_stats *st, const span *y, const char *lang, ct_stats_tables *o)
{
    const char *rows[64], *cols[64];
    size_t nr = 0, nc = 0;
    EACH(&st->victims, i)
    {
        uint64_t k = st->victims.keys[i];
        if (!in_span(y, k))
            continue;
        if (nr < 63)
            sub_index(rows, &nr, st_country_attr(st, VK_CITIZEN(k), "subregion"));
        if (nc < 63)
            sub_index(cols, &nc, st_country_attr(st, VK_DETECT(k), "subregion"));
    }
    ct_stats_table *t = st_table_new(
        "flows_matrix", _("Victims detected by subregion of origin (rows) and of detection"),
        nr + 1, nc + 1);
    int r = t ? total_row(t) : CT_ENOMEM;
    for (size_t i = 0; i < nr && !r; i++)
        r = st_table_row(t, i, rows[i] ? rows[i] : "unknown", st_region_label(st, rows[i], lang));
    for (size_t i = 0; i < nc && !r; i++)
        r = st_table_col(t, i, cols[i] ? cols[i] : "unknown", st_region_label(st, cols[i], lang));
    if (!r)
        r = st_table_col(t, nc, "total", _("Total"));
    if (r)
        return ct_stats_table_free(t), r;
    EACH(&st->victims, i)
    {
        uint64_t k = st->victims.keys[i];
        if (!in_span(y, k))
            continue;
        int ri = sub_index(rows, &nr, st_country_attr(st, VK_CITIZEN(k), "subregion"));
        int ci = sub_index(cols, &nc, st_country_attr(st, VK_DETECT(k), "subregion"));
        if ((size_t)ri < t->nrows - 1 && (size_t)ci < t->ncols - 1)
            *st_cell(t, (size_t)ri, (size_t)ci) += st->victims.counts[i];
    }
    st_table_totals(t);
    r = common_notes(t, y);
    if (!r)
        r = st_table_note(t, "%s",
                          _("Origin is the victim's citizenship; subregions are those of UN "
                            "M49."));
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

static int t_persons(const ct_stats *st, const span *y, const char *lang, int by_citizenship,
                     ct_stats_tables *o)
{
    static const char *const kind_codes[ST_NKIND] = {"investigated", "prosecuted", "convicted",
                                                     "acquitted", "suspects"};
    const char *kind_labels[ST_NKIND] = {_("Brought into formal contact (investigated)"),
                                         _("Prosecuted"), _("Convicted"), _("Acquitted"),
                                         _("Suspects recorded")};
    static const char *const sex_codes[] = {"female", "male", "other", "unknown", "total"};
    static const char *const cit_codes[] = {"nationals", "foreigners", "unknown", "total"};
    const char *cit_labels[] = {_("Nationals"), _("Foreigners"), _("Unknown"), _("Total")};
    size_t ncols = by_citizenship ? 4 : ST_NSEX + 1;
    ct_stats_table *t =
        by_citizenship
            ? st_table_new("persons_citizenship",
                           _("Persons investigated, prosecuted and convicted by citizenship"),
                           ST_NKIND, ncols)
            : st_table_new("persons_sex",
                           _("Persons investigated, prosecuted and convicted by sex"), ST_NKIND,
                           ncols);
    if (!t)
        return CT_ENOMEM;
    t->has_total_row = 0;
    t->rows_additive = 0;
    const ct_code_list *sexes = ct_codes_list("sexes");
    int r = 0;
    for (size_t i = 0; i < ST_NKIND && !r; i++)
        r = st_table_row(t, i, kind_codes[i], kind_labels[i]);
    for (size_t i = 0; i < ncols && !r; i++)
        r = by_citizenship
                ? st_table_col(t, i, cit_codes[i], cit_labels[i])
                : st_table_col(t, i, sex_codes[i],
                               i == ST_NSEX
                                   ? _("Total")
                                   : ct_code_label(ct_codes_find(sexes, sex_codes[i]), lang));
    if (r)
        return ct_stats_table_free(t), r;
    EACH(&st->suspects, i)
    {
        uint64_t k = st->suspects.keys[i];
        if (!in_span(y, k))
            continue;
        unsigned col = VK_SEX(k);
        if (by_citizenship)
            col = VK_CITIZEN(k) == ST_NO_COUNTRY ? 2 : VK_CITIZEN(k) == VK_DETECT(k) ? 0 : 1;
        *st_cell(t, SK_KIND(k), col) += st->suspects.counts[i];
    }
    st_table_totals(t);
    r = common_notes(t, y);
    if (!r)
        r = st_table_note(t, "%s",
                          _("A person is counted once per stage, in the year of the earliest "
                            "proceeding of that kind (else the case's year); a person convicted "
                            "was usually also investigated and prosecuted, so rows overlap."));
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

static int t_quality(const ct_stats *st, const span *y, ct_stats_tables *o)
{
    st_quality q = {0};
    for (int yr = y->from; yr <= y->to; yr++) {
        if (yr < ST_YEAR0 || yr >= ST_YEAR0 + ST_NYEARS)
            continue;
        const st_quality *a = &st->quality[yr - ST_YEAR0];
        q.victims += a->victims;
        q.no_sex += a->no_sex;
        q.no_age += a->no_age;
        q.uncertain += a->uncertain;
        q.age_flag += a->age_flag;
        q.no_citizenship += a->no_citizenship;
        q.no_purpose += a->no_purpose;
        q.no_ident_date += a->no_ident_date;
        q.late += a->late;
        q.no_detection += a->no_detection;
        q.shared_key += a->shared_key;
    }
    const struct {
        const char *code, *label;
        long n;
    } rows[] = {
        {"victims", _("Victims"), q.victims},
        {"sex_unknown", _("Sex not recorded or unknown"), q.no_sex},
        {"age_unknown", _("Age unknown"), q.no_age},
        {"age_uncertain", _("Age uncertain (flag or range spanning 18)"), q.uncertain},
        {"age_flagged", _("Age flagged uncertain by a caseworker"), q.age_flag},
        {"citizenship_unknown", _("Citizenship not recorded"), q.no_citizenship},
        {"form_unknown", _("Form of exploitation not recorded"), q.no_purpose},
        {"no_identification_date", _("No identification date (year of registration used)"),
         q.no_ident_date},
        {"late_registration", _("Registered late"), q.late},
        {"detection_unknown", _("Agency without a country (country of detection unknown)"),
         q.no_detection},
        {"shared_person_key", _("Records of a person also recorded elsewhere"), q.shared_key},
    };
    size_t n = sizeof(rows) / sizeof(rows[0]);
    ct_stats_table *t = st_table_new("data_quality", _("Data quality"), n, 2);
    if (!t)
        return CT_ENOMEM;
    t->has_total_row = t->has_total_col = t->rows_additive = 0;
    int r = st_table_col(t, 0, "victims", _("Victims"));
    if (!r)
        r = st_table_col(t, 1, "per_mille", _("Per 1,000 victims"));
    for (size_t i = 0; i < n && !r; i++) {
        r = st_table_row(t, i, rows[i].code, rows[i].label);
        *st_cell(t, i, 0) = rows[i].n;
        *st_cell(t, i, 1) = q.victims ? (rows[i].n * 1000 + q.victims / 2) / q.victims : 0;
    }
    char buf[96];
    if (!r)
        r = st_table_note(t, "%s", year_note(y, buf));
    if (!r)
        r = st_table_note(t,
                          _("A registration is late when the record was created in ctip more "
                            "than %d days after the identification date."),
                          st->late_days);
    if (!r)
        r = st_table_note(t,
                          _("Records of a person also recorded elsewhere: victim records sharing "
                            "a person key (set by imports or by confirmed record linkage). "
                            "Suspected duplicate pairs awaiting review, all years: %ld."),
                          st->duplicates_pending);
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

static int t_offences(const ct_stats *st, const span *y, ct_stats_tables *o)
{
    ct_stats_table *t = st_table_new("cases", _("Cases (trafficking situations) recorded"), 1, 1);
    if (!t)
        return CT_ENOMEM;
    t->has_total_row = t->has_total_col = t->rows_additive = 0;
    int r = st_table_row(t, 0, "cases", _("Cases"));
    if (!r)
        r = st_table_col(t, 0, "count", _("Count"));
    for (size_t i = 0; i < st->ncases; i++)
        if (st->cases[i].year >= y->from && st->cases[i].year <= y->to)
            *st_cell(t, 0, 0) += st->cases[i].n;
    if (!r)
        r = common_notes(t, y);
    return r ? (ct_stats_table_free(t), r) : push(o, t);
}

int st_tables_standard_span(const ct_stats *st, int from, int to, const char *lang,
                            ct_stats_tables *out, ct_err *err)
{
    const char *prev = ct_i18n_lang();
    char keep[16];
    snprintf(keep, sizeof(keep), "%s", prev ? prev : "en");
    if (lang)
        ct_i18n_use(lang);
    lang = ct_i18n_lang();
    span y = {from, to};
    if (!y.from || !y.to) {
        y.from = y.to = st->first_year ? st->first_year : 2000;
        if (st->last_year)
            y.to = st->last_year;
    }
    int r = t_sex_age(st, &y, lang, out);
    if (!r && y.from != y.to)
        r = t_years(st, &y, lang, out);
    if (!r)
        r = t_forms_full(st, &y, lang, out);
    if (!r)
        r = t_glotip_forms(st, &y, lang, out);
    if (!r)
        r = t_citizenship(st, &y, lang, out);
    if (!r)
        r = t_detection(st, &y, lang, out);
    if (!r)
        r = t_flows(st, &y, lang, out);
    if (!r)
        r = t_matrix(st, &y, lang, out);
    if (!r)
        r = t_persons(st, &y, lang, 0, out);
    if (!r)
        r = t_persons(st, &y, lang, 1, out);
    if (!r)
        r = st_nrm_tables(st, y.from, y.to, lang, out);
    if (!r)
        r = t_offences(st, &y, out);
    if (!r)
        r = t_quality(st, &y, out);
    ct_i18n_use(keep);
    if (r) {
        ct_stats_tables_release(out);
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    return 0;
}

int ct_stats_tables_standard(const ct_stats *st, const char *lang, ct_stats_tables *out,
                             ct_err *err)
{
    /* the years asked for, not those a proceeding's date reaches */
    int from = st->from_year ? st->from_year : st->first_year;
    int to = st->to_year ? st->to_year : st->last_year;
    if (to < from)
        to = from;
    return st_tables_standard_span(st, from, to, lang, out, err);
}
