/*
 * stats_int.h - the statistics engine's private state.
 *
 * One pass over the flat rows fills two cubes: hash maps from a packed key
 * (the coded dimensions of one victim or one suspect's proceeding) to a
 * count. Every table is then a walk over a cube, so a table costs the
 * number of distinct keys, not the number of records.
 *
 * Victim key (bits):  year-1990 0-6 | detection country 7-14 | sex 15-16 |
 *   age group 17-18 | age uncertain 19 | citizenship 20-27 | purposes mask
 *   28-41 | GLOTIP category 42-43
 * Suspect key: year 0-6 | detection 7-14 | sex 15-16 | age group 17-18 |
 *   citizenship 20-27 | proceeding kind 28-30 | GLOTIP category 31-32
 * Countries are indexes into the code list "countries" (255: unknown).
 */
#ifndef CT_STATS_STATS_INT_H
#define CT_STATS_STATS_INT_H

#include "stats.h"

#include "core/codes.h"

#include <jansson.h>
#include <stdint.h>

#define ST_YEAR0      1990
#define ST_NYEARS     128
#define ST_NO_COUNTRY 255
#define ST_NPURPOSES  14

enum st_sex { ST_FEMALE, ST_MALE, ST_OTHER_SEX, ST_UNKNOWN_SEX, ST_NSEX };
enum st_age { ST_CHILD, ST_ADULT, ST_UNKNOWN_AGE, ST_NAGE };
/* GLOTIP categories of the data file's "by form of exploitation" */
enum st_gcat { ST_G_SEXUAL, ST_G_LABOUR, ST_G_OTHER, ST_G_NONE, ST_NGCAT };
/* proceeding kinds counted (GLOTIP indicators), then all suspects */
enum st_kind {
    ST_K_INVESTIGATION,
    ST_K_PROSECUTION,
    ST_K_CONVICTION,
    ST_K_ACQUITTAL,
    ST_K_SUSPECT,
    ST_NKIND
};

static inline unsigned st_bits(uint64_t k, int lo, int n)
{
    return (unsigned)((k >> lo) & ((1ULL << n) - 1));
}
#define VK_YEAR(k)      ((int)st_bits(k, 0, 7) + ST_YEAR0)
#define VK_DETECT(k)    st_bits(k, 7, 8)
#define VK_SEX(k)       st_bits(k, 15, 2)
#define VK_AGE(k)       st_bits(k, 17, 2)
#define VK_UNCERTAIN(k) st_bits(k, 19, 1)
#define VK_CITIZEN(k)   st_bits(k, 20, 8)
#define VK_PURPOSES(k)  st_bits(k, 28, 14)
#define VK_GCAT(k)      st_bits(k, 42, 2)
#define SK_KIND(k)      st_bits(k, 28, 3)
#define SK_GCAT(k)      st_bits(k, 31, 2)

typedef struct st_cube {
    uint64_t *keys; /* key | ST_USED; 0: empty slot */
    long *counts;
    size_t cap, n;
} st_cube;
#define ST_USED (1ULL << 63)

int st_cube_add(st_cube *c, uint64_t key, long n);
void st_cube_release(st_cube *c);

/* data quality, per statistics year */
typedef struct st_quality {
    long victims, no_sex, no_age, uncertain, age_flag, no_citizenship, no_purpose, no_ident_date,
        late, no_detection, shared_key;
} st_quality;

typedef struct st_cases {
    unsigned country;
    int year;
    long n;
} st_cases;

struct ct_stats {
    st_cube victims;  /* victim key -> victims */
    st_cube suspects; /* suspect key -> persons with that proceeding kind */
    st_quality quality[ST_NYEARS];
    struct st_nrm *nrm;      /* ST_NYEARS of them */
    long duplicates_pending; /* duplicate_person review items pending (all years) */
    st_cases *cases;         /* cases per (country of detection, year) */
    size_t ncases;
    long nvictims, nsuspects;
    int first_year, last_year;
    int from_year, to_year; /* the years asked for (ct_stats_opts), 0: open */
    int late_days;
    unsigned only_country; /* ST_NO_COUNTRY + 1: every country */
    const ct_code_list *countries, *purposes, *regions, *services, *stages;
};

/* Country helpers: index -> code, M49 region and subregion codes ("150"). */
const char *st_country_code(const ct_stats *st, unsigned idx);
const char *st_country_attr(const ct_stats *st, unsigned idx, const char *attr);
/* The country's name as in the GLOTIP data file (UN M49 names). */
const char *st_country_glotip_name(const ct_stats *st, unsigned idx);
/* The country's label in lang ("Unknown" for the unknown index). */
const char *st_country_label(const ct_stats *st, unsigned idx, const char *lang);
/* The label of an M49 area code ("150" -> "Europe") in lang. */
const char *st_region_label(const ct_stats *st, const char *m49, const char *lang);

/* Flow of a victim (domain.md §2), from citizenship and detection. */
enum st_flow { ST_DOMESTIC, ST_INTRA_SUB, ST_INTRA_REG, ST_TRANS_REG, ST_FLOW_UNKNOWN, ST_NFLOW };
enum st_flow st_flow_of(const ct_stats *st, unsigned citizen, unsigned detect);

/* Table construction helpers (tables.c). */
ct_stats_table *st_table_new(const char *id, const char *title, size_t nrows, size_t ncols);
int st_table_row(ct_stats_table *t, size_t r, const char *code, const char *label);
int st_table_col(ct_stats_table *t, size_t c, const char *code, const char *label);
int st_table_note(ct_stats_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fills the total row and column from the other cells (the total row only
 * when rows_additive; otherwise it must be set by the caller). */
void st_table_totals(ct_stats_table *t);
static inline long *st_cell(ct_stats_table *t, size_t r, size_t c)
{
    return &t->cells[r * t->ncols + c];
}

/* Victim profile columns of every victim table (women, men, girls, boys, ...). */
enum st_profile {
    ST_P_WOMEN,
    ST_P_MEN,
    ST_P_GIRLS,
    ST_P_BOYS,
    ST_P_FEMALE_AGE_UNKNOWN,
    ST_P_MALE_AGE_UNKNOWN,
    ST_P_OTHER,
    ST_P_SEX_UNKNOWN,
    ST_P_TOTAL,
    ST_NPROFILE
};
unsigned st_profile_of(unsigned sex, unsigned age);
int st_profile_cols(ct_stats_table *t, const char *lang);

/* The National Referral Mechanism per statistics year (nrm.c): referrals by
 * service and status reached, victims referred and assisted, victims by
 * current stage, each by victim profile. The last service and stage rows
 * hold codes the lists do not know (older data), never dropped. */
#define ST_MAX_SERVICES 16
#define ST_MAX_STAGES   15
enum st_ref_status {
    ST_R_OFFERED,
    ST_R_ACCEPTED,
    ST_R_DECLINED,
    ST_R_PROVIDED,
    ST_R_ENDED,
    ST_NREF
};
typedef struct st_nrm {
    long referrals[ST_MAX_SERVICES + 1][ST_NREF];
    long referred[ST_NPROFILE], assisted[ST_NPROFILE];
    long stage[ST_MAX_STAGES + 2][ST_NPROFILE]; /* + unknown code, + not recorded */
} st_nrm;
/* Counts one victim row into st->nrm (profile: enum st_profile). */
void st_nrm_count(ct_stats *st, int year_index, const ct_stat_victim *v, unsigned profile);
/* The NRM tables (referrals, assistance, stages) over years from..to. */
int st_nrm_tables(const ct_stats *st, int from, int to, const char *lang, ct_stats_tables *o);

/* The GLOTIP spellings of sexes, ages, categories. */
extern const char *const st_glotip_sex[ST_NSEX];
extern const char *const st_glotip_age[ST_NAGE];
extern const char *const st_glotip_category[3];

/* Statistical disclosure control (sdc.c): cells and additivity constraints. */
typedef struct st_sdc st_sdc;
st_sdc *st_sdc_new(void);
void st_sdc_free(st_sdc *s);
/* Adds a cell with its true value; returns its index or -1 on ENOMEM. */
int st_sdc_cell(st_sdc *s, long value);
/* total = sum(parts) (exact) or total >= sum(parts) (!exact). */
int st_sdc_constraint(st_sdc *s, int total, const int *parts, size_t n, int exact);
/* Primary masking (1..threshold-1) and secondary suppression, verified. */
int st_sdc_protect(st_sdc *s, int threshold, ct_err *err);
/* The state of a cell after st_sdc_protect. */
unsigned char st_sdc_state(const st_sdc *s, int cell);
/* The interval an attacker can derive for every masked cell, given the
 * published cells, the constraints and what the symbols say ("<t": 1..t-1,
 * "x": >= 0). Returns the number of sensitive cells (true count 1..t-1)
 * whose interval is narrower than 1 (derivable); lo and hi (may be NULL)
 * receive the bounds of every masked cell. */
int st_sdc_audit(st_sdc *s, int threshold, double *lo, double *hi, ct_err *err);
size_t st_sdc_ncells(const st_sdc *s);

/* The standard tables over the statistics years from..to (standard.c). */
int st_tables_standard_span(const ct_stats *st, int from, int to, const char *lang,
                            ct_stats_tables *out, ct_err *err);

/* The tables as JSON ({"tables": [...]}, render.c); NULL on ENOMEM. */
json_t *st_tables_json(const ct_stats_tables *t, int threshold);

/* Protects tables published together as one problem; year: the code of
 * the trend table's row that repeats the year's totals, or NULL (sdc.c). */
int st_tables_protect(ct_stats_tables *set, int threshold, const char *year, ct_err *err);

/* HTML and SVG (svg.c). */
#include "core/buf.h"
void st_html_escape(ct_buf *b, const char *s);
void st_svg_hbars(ct_buf *b, const char *title, const char *const *labels, const long *values,
                  const char *const *text, size_t n, int color);
void st_svg_stacked(ct_buf *b, const char *title, const char *const *groups, size_t ngroups,
                    const char *const *series, size_t nseries, const long *values,
                    const char *const *totals);
void st_svg_funnel(ct_buf *b, const char *title, const char *const *labels, const long *values,
                   const char *const *text, size_t n);

/* Thousands separator formatting: 1757 -> "1,757". */
void st_format_count(long v, int thousands, char out[32]);

#endif
