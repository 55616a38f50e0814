/*
 * tables.c - the standard tables and the --by cross-tabulation, built by
 * walking the cubes of collect.c. Every table has its totals and its notes
 * (the counting rules of stats.h that apply to it).
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const st_glotip_sex[ST_NSEX] = {"Female", "Male", "Other", "Unknown"};
const char *const st_glotip_age[ST_NAGE] = {"0 to 17 years", "18 years or over", "Unknown"};
const char *const st_glotip_category[3] = {"Sexual exploitation", "Forced labour",
                                           "Other forms of exploitation"};

/* UN M49 country names where they differ from the ISO 3166 names of the
 * code list; source: the Country column of UNODC's GLOTIP data file
 * (../shared/datasets/glotip/data_glotip.xlsx) and the M49 list. */
static const struct {
    const char *iso3, *name;
} m49_names[] = {
    {"BOL", "Bolivia (Plurinational State of)"},
    {"CIV", "C\u00f4te d\u2019Ivoire"},
    {"COD", "Democratic Republic of the Congo"},
    {"FSM", "Micronesia (Federated States of)"},
    {"GBR", "United Kingdom of Great Britain and Northern Ireland"},
    {"HKG", "China, Hong Kong Special Administrative Region"},
    {"IRN", "Iran (Islamic Republic of)"},
    {"KOR", "Republic of Korea"},
    {"MAC", "China, Macao Special Administrative Region"},
    {"MDA", "Republic of Moldova"},
    {"NLD", "Netherlands (Kingdom of the)"},
    {"PRK", "Democratic People's Republic of Korea"},
    {"PSE", "State of Palestine"},
    {"SHN", "Saint Helena"},
    {"TWN", "China, Taiwan Province of China"},
    {"TZA", "United Republic of Tanzania"},
    {"USA", "United States of America"},
    {"VAT", "Holy See"},
    {"VEN", "Venezuela (Bolivarian Republic of)"},
    {"VGB", "British Virgin Islands"},
    {"VIR", "United States Virgin Islands"},
    {"VNM", "Viet Nam"},
};

const char *st_country_code(const ct_stats *st, unsigned idx)
{
    return idx == ST_NO_COUNTRY ? NULL : ct_code_id(ct_code_list_at(st->countries, idx));
}

const char *st_country_attr(const ct_stats *st, unsigned idx, const char *attr)
{
    return idx == ST_NO_COUNTRY ? NULL : ct_code_attr(ct_code_list_at(st->countries, idx), attr);
}

const char *st_country_glotip_name(const ct_stats *st, unsigned idx)
{
    const char *code = st_country_code(st, idx);
    if (!code)
        return "Unknown";
    for (size_t i = 0; i < sizeof(m49_names) / sizeof(m49_names[0]); i++)
        if (strcmp(m49_names[i].iso3, code) == 0)
            return m49_names[i].name;
    return ct_code_label(ct_code_list_at(st->countries, idx), "en");
}

const char *st_country_label(const ct_stats *st, unsigned idx, const char *lang)
{
    if (idx == ST_NO_COUNTRY)
        return _("Unknown");
    return ct_code_label(ct_code_list_at(st->countries, idx), lang);
}

const char *st_region_label(const ct_stats *st, const char *m49, const char *lang)
{
    const ct_code *c = ct_codes_find(st->regions, m49);
    return c ? ct_code_label(c, lang) : _("Unknown");
}

enum st_flow st_flow_of(const ct_stats *st, unsigned citizen, unsigned detect)
{
    if (citizen == ST_NO_COUNTRY || detect == ST_NO_COUNTRY)
        return ST_FLOW_UNKNOWN;
    if (citizen == detect)
        return ST_DOMESTIC;
    const char *cs = st_country_attr(st, citizen, "subregion");
    const char *ds = st_country_attr(st, detect, "subregion");
    const char *cr = st_country_attr(st, citizen, "region");
    const char *dr = st_country_attr(st, detect, "region");
    if (!cr || !dr)
        return ST_FLOW_UNKNOWN;
    if (cs && ds && strcmp(cs, ds) == 0)
        return ST_INTRA_SUB;
    return strcmp(cr, dr) == 0 ? ST_INTRA_REG : ST_TRANS_REG;
}

/* ---- table construction ----------------------------------------------- */

ct_stats_table *st_table_new(const char *id, const char *title, size_t nrows, size_t ncols)
{
    ct_stats_table *t = ct_calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->nrows = nrows;
    t->ncols = ncols;
    t->id = ct_strdup(id);
    t->title = ct_strdup(title);
    t->row_codes = ct_calloc(nrows ? nrows : 1, sizeof(char *));
    t->row_labels = ct_calloc(nrows ? nrows : 1, sizeof(char *));
    t->col_codes = ct_calloc(ncols, sizeof(char *));
    t->col_labels = ct_calloc(ncols, sizeof(char *));
    size_t ncells = nrows * ncols > 0 ? nrows * ncols : 1;
    t->cells = ct_calloc(ncells, sizeof(long));
    t->state = ct_calloc(ncells, 1);
    t->has_total_row = t->has_total_col = t->rows_additive = 1;
    if (!t->id || !t->title || !t->row_codes || !t->row_labels || !t->col_codes || !t->col_labels ||
        !t->cells || !t->state) {
        ct_stats_table_free(t);
        return NULL;
    }
    return t;
}

void ct_stats_table_free(ct_stats_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows && t->row_codes; i++) {
        ct_free(t->row_codes[i]);
        ct_free(t->row_labels[i]);
    }
    for (size_t i = 0; i < t->ncols && t->col_codes; i++) {
        ct_free(t->col_codes[i]);
        ct_free(t->col_labels[i]);
    }
    for (size_t i = 0; i < t->nnotes; i++)
        ct_free(t->notes[i]);
    ct_free(t->notes);
    ct_free(t->row_codes);
    ct_free(t->row_labels);
    ct_free(t->col_codes);
    ct_free(t->col_labels);
    ct_free(t->cells);
    ct_free(t->state);
    ct_free(t->id);
    ct_free(t->title);
    ct_free(t);
}

int st_table_row(ct_stats_table *t, size_t r, const char *code, const char *label)
{
    ct_free(t->row_codes[r]);
    ct_free(t->row_labels[r]);
    t->row_codes[r] = ct_strdup(code);
    t->row_labels[r] = ct_strdup(label);
    return t->row_codes[r] && t->row_labels[r] ? 0 : CT_ENOMEM;
}

int st_table_col(ct_stats_table *t, size_t c, const char *code, const char *label)
{
    ct_free(t->col_codes[c]);
    ct_free(t->col_labels[c]);
    t->col_codes[c] = ct_strdup(code);
    t->col_labels[c] = ct_strdup(label);
    return t->col_codes[c] && t->col_labels[c] ? 0 : CT_ENOMEM;
}

int st_table_note(ct_stats_table *t, const char *fmt, ...)
{
    ct_buf b = CT_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    ct_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    char **v = ct_realloc(t->notes, (t->nnotes + 1) * sizeof(*v));
    char *s = ct_buf_detach(&b);
    if (!v || !s) {
        ct_free(s);
        if (v)
            t->notes = v;
        return CT_ENOMEM;
    }
    t->notes = v;
    t->notes[t->nnotes++] = s;
    return 0;
}

void st_table_totals(ct_stats_table *t)
{
    size_t body_r = t->has_total_row ? t->nrows - 1 : t->nrows;
    size_t body_c = t->has_total_col ? t->ncols - 1 : t->ncols;
    if (t->has_total_col)
        for (size_t r = 0; r < body_r; r++) {
            long s = 0;
            for (size_t c = 0; c < body_c; c++)
                s += *st_cell(t, r, c);
            *st_cell(t, r, body_c) = s;
        }
    if (t->has_total_row && t->rows_additive)
        for (size_t c = 0; c < t->ncols; c++) {
            long s = 0;
            for (size_t r = 0; r < body_r; r++)
                s += *st_cell(t, r, c);
            *st_cell(t, body_r, c) = s;
        }
    else if (t->has_total_row && t->has_total_col) {
        long s = 0;
        for (size_t c = 0; c < body_c; c++)
            s += *st_cell(t, body_r, c);
        *st_cell(t, body_r, body_c) = s;
    }
}

unsigned st_profile_of(unsigned sex, unsigned age)
{
    switch (sex) {
    case ST_FEMALE:
        return age == ST_ADULT   ? ST_P_WOMEN
               : age == ST_CHILD ? ST_P_GIRLS
                                 : ST_P_FEMALE_AGE_UNKNOWN;
    case ST_MALE:
        return age == ST_ADULT ? ST_P_MEN : age == ST_CHILD ? ST_P_BOYS : ST_P_MALE_AGE_UNKNOWN;
    case ST_OTHER_SEX:
        return ST_P_OTHER;
    default:
        return ST_P_SEX_UNKNOWN;
    }
}

int st_profile_cols(ct_stats_table *t, const char *lang)
{
    (void)lang;
    static const char *const codes[ST_NPROFILE] = {
        "women",     "men",         "girls", "boys", "female_age_unknown", "male_age_unknown",
        "other_sex", "sex_unknown", "total"};
    const char *labels[ST_NPROFILE] = {_("Women"),
                                       _("Men"),
                                       _("Girls"),
                                       _("Boys"),
                                       _("Female, age unknown"),
                                       _("Male, age unknown"),
                                       _("Other sex"),
                                       _("Sex unknown"),
                                       _("Total")};
    int r = 0;
    for (size_t c = 0; c < ST_NPROFILE && !r; c++)
        r = st_table_col(t, c, codes[c], labels[c]);
    return r;
}

void st_format_count(long v, int thousands, char out[32])
{
    char digits[24];
    snprintf(digits, sizeof(digits), "%ld", v < 0 ? -v : v);
    size_t n = strlen(digits), o = 0;
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (thousands && i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

void ct_stats_tables_release(ct_stats_tables *t)
{
    for (size_t i = 0; i < t->n; i++)
        ct_stats_table_free(t->v[i]);
    ct_free(t->v);
    t->v = NULL;
    t->n = 0;
}
