/*
 * demo_int.h - the demo generator's private parts, shared by its files:
 *   rng.c    the random number generator and weighted choices
 *   data.c   the embedded data files (the files of data/demo/) as tables
 *   names.c  names as one agency records them (scripts, variants, typos)
 *   gen.c    situations, persons, records and the duplicate queue
 *   fill.c   cases into the store, the truth file
 *   summary.c the summary report
 *
 * Invariants:
 *  1. All randomness comes from the two streams of ct_demo (content, ids),
 *     consumed in a fixed order, so a seed gives the same output on every
 *     run; options that only add output (--truth, --with-keys) draw nothing.
 *  2. No generated date lies after opts.today or before 1990 (case dates)
 *     or 1900 (birth dates): contracts.md.
 */
#ifndef CT_DEMO_DEMO_INT_H
#define CT_DEMO_DEMO_INT_H

#include "demo.h"

#include "core/arena.h"
#include "core/codes.h"

#include <stdint.h>

/* ---- rng.c --------------------------------------------------------------- */

/* xoshiro256** (Blackman and Vigna, 2018), seeded through splitmix64. */
typedef struct dm_rng {
    uint64_t s[4];
} dm_rng;

void dm_rng_seed(dm_rng *r, uint64_t seed);
uint64_t dm_rng_next(dm_rng *r);
/* Uniform in [0, 1). */
double dm_rng_unit(dm_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t dm_rng_below(dm_rng *r, uint32_t n);
/* Uniform in [lo, hi]. */
int dm_rng_range(dm_rng *r, int lo, int hi);
/* 1 with probability p. */
int dm_rng_chance(dm_rng *r, double p);

/* ---- data.c -------------------------------------------------------------- */

/* One table of shares.tsv: keys with weights (or probabilities). */
typedef struct dm_table {
    const char *name;
    size_t n;
    const char **key;
    double *w;
    double *cum; /* running sums, for weighted choice */
} dm_table;

/* Index of a weighted choice. */
size_t dm_pick(dm_rng *r, const dm_table *t);
/* The value of key; CT_BUG when absent (the data files are compiled in and
 * checked by tests). */
double dm_value(const dm_table *t, const char *key);

/* A weighted choice over n items with running sums cum[0..n). */
size_t dm_pick_cum(dm_rng *r, const double *cum, size_t n);

typedef struct dm_name {
    const char *name;
    const char **var; /* spelling variants; for another script, romanisations */
    size_t nvar;
    const char *fem; /* the feminine form of a family name, or NULL */
    const char **fvar;
    size_t nfvar;
    int only; /* family names: 0 any sex, 1 women only, 2 men only */
} dm_name;

enum { DM_FEMALE = 0, DM_MALE = 1 };

typedef struct dm_pool {
    const char *name;
    const char *script; /* ISO 15924: Latn, Cyrl, Arab, ... */
    int family_first;   /* the native order writes the family name first */
    int double_family;  /* people carry two family names */
    dm_name *given[2];  /* DM_FEMALE, DM_MALE */
    size_t ngiven[2];
    double *given_cum[2];
    dm_name *family;
    size_t nfamily;
    double *family_cum[2]; /* per sex: names used only by the other sex weigh 0 */
} dm_pool;

typedef struct dm_origin {
    const char *country;
    const ct_code *code;
    size_t pool;
    const char *lang[4];
    size_t nlang;
    double weight;
} dm_origin;

enum dm_flow { DM_DOMESTIC, DM_SUBREGIONAL, DM_REGIONAL, DM_TRANSREGIONAL, DM_NFLOW };

typedef struct dm_detection {
    const char *country;
    const ct_code *code;
    double weight;
    const char *script;
    double flow[DM_NFLOW];
    double flow_cum[DM_NFLOW];
    size_t by_flow[DM_NFLOW][24]; /* candidate origins by flow class, indexes into origins */
    double origin_cum[DM_NFLOW][24];
    size_t norigin[DM_NFLOW];
    const char *prosecutor;
    const char *court;
    size_t agency[8];
    size_t nagency;
} dm_detection;

enum dm_focus { DM_FOCUS_ANY, DM_FOCUS_LABOUR, DM_FOCUS_CHILD };

typedef struct dm_agency {
    const char *name;
    const char *type;
    const char *country;
    size_t detection;
    double weight;
    enum dm_focus focus;
    const char *ref;
    int knows_proceedings; /* law enforcement or prosecution: records them */
} dm_agency;

typedef struct dm_data {
    ct_arena arena;
    dm_pool *pool;
    size_t npool;
    dm_origin *origin;
    size_t norigin;
    dm_detection *detection;
    size_t ndetection;
    double *detection_cum;
    dm_agency *agency;
    size_t nagency;
    dm_table *table;
    size_t ntable;
} dm_data;

/* Loads the embedded files; CT_EINTERNAL with a message naming the file and
 * line when they are inconsistent, or CT_ENOMEM. */
int dm_data_load(dm_data *d, ct_err *err);
void dm_data_release(dm_data *d);
/* The table named name; CT_BUG when absent. */
const dm_table *dm_table_get(const dm_data *d, const char *name);
/* Flow class of citizens of `origin` detected in `detection` (UN M49). */
enum dm_flow dm_flow_of(const ct_code *origin, const ct_code *detection);

/* ---- names.c ------------------------------------------------------------- */

/* Applies one random typing error to s (UTF-8) into out (capacity n):
 * deletion, duplication, transposition or, for ASCII letters, a key next
 * to the intended one. Never touches the first character. */
void dm_typo(dm_rng *r, const char *s, char *out, size_t n);

/* ---- gen.c --------------------------------------------------------------- */

/* The tables the generator uses, looked up once. */
typedef struct dm_tables {
    const dm_table *profile, *form, *form_seed, *other_form, *year, *child_age, *adult_age;
    const dm_table *victims_per_case, *suspects_per_case, *suspect_sex, *suspect_role;
    const dm_table *p_proceeding, *days, *extra_records, *p_act, *p_means;
    const dm_table *p_control[3], *relation_adult, *relation_child;
    const dm_table *p_technology_2015, *p_technology_per_year, *p_crime, *sector;
    const dm_table *p_vulnerability, *nrm_recent, *nrm_older, *status_recent, *status_older;
    const dm_table *p_flow, *p_record, *dob, *dob_suspect, *date_precision;
    const dm_table *p_referral, *p_referral_child, *referral_status;
} dm_tables;

/* The scalar parameters, looked up once (the lookups by key showed in
 * profiles): p_record, p_flow, p_proceeding, days and p_act of shares.tsv. */
typedef struct dm_params {
    double typo, swap_names, swap_names_family_first, missing_given_name, missing_family_name;
    double sex_unknown, citizenship_missing, native_script_home, native_script_abroad;
    double latin_variant, other_names, second_family_name, age_uncertain, age_off_by_one;
    double day_month_swap, suspect_in_duplicate, recall;
    double second_language, exploited_abroad, transit;
    double act[5], transportation_cross_border, none_adult;
    double investigation_police, investigation_other, prosecution, conviction, acquittal;
    int investigation_days, prosecution_min, prosecution_max, verdict_min, verdict_max;
    int duplicate_max, exploitation_max;
} dm_params;

/* Forms of the "form" table, in its order. */
enum dm_form { DM_SEXUAL, DM_LABOUR, DM_CRIMINALITY, DM_BEGGING, DM_OTHER, DM_NFORM };
enum { DM_NPROFILE = 4 }; /* women, men, girls, boys: the "profile" table's order */

#define DM_MAXV 10 /* victims per case: the largest key of victims_per_case */
#define DM_MAXS 5  /* suspects per case */
#define DM_NONE 0xFFFF

/* One real person (the truth), victim or suspect. */
typedef struct dm_person {
    uint32_t tid; /* true person number */
    uint8_t sex;  /* DM_FEMALE or DM_MALE */
    uint8_t suspect;
    uint8_t role; /* suspects: row of suspect_role */
    uint8_t nlang;
    uint16_t origin;                 /* citizenship: row of origins */
    uint16_t given, family, family2; /* rows of the pool; family2 DM_NONE when absent */
    uint8_t lang[2];                 /* indexes into the origin's languages */
    uint8_t nproc;
    uint8_t proc_kind[3]; /* 0 investigation, 1 prosecution, 2 conviction, 3 acquittal */
    ct_date proc_date[3];
    uint32_t vuln; /* bit k: row k of p_vulnerability */
    ct_date dob;   /* full */
} dm_person;

/* One trafficking situation: what every record of it describes. */
typedef struct dm_situation {
    int refs; /* records still to emit, the one being emitted included */
    uint16_t detection, origin;
    int16_t transit;          /* row of origins, or -1 */
    const char *exploitation; /* country of exploitation */
    uint8_t form, subform;    /* subform: row of other_form when form is DM_OTHER */
    uint8_t any_child, any_adult, cross_border, control;
    uint8_t nvictims, nsuspects;
    uint16_t emitted; /* victims already in an emitted record */
    const char *purposes[2];
    uint8_t npurposes;
    const char *main_purpose;
    const char *sector;
    const char *relation;
    ct_date recruitment, exploitation_start, ident;
    uint32_t acts, means, means_of_control, technology, crimes; /* bit k: row k of its table */
    dm_person v[DM_MAXV], s[DM_MAXS];
} dm_situation;

/* A record still to emit: one agency's case on a situation. */
typedef struct dm_record {
    long due, seq; /* emitted once `due` cases are out; seq breaks ties */
    size_t agency;
    uint16_t victims; /* bit k: victim k of the situation is in the record */
    uint8_t with_suspects, original;
    ct_date ident;
    dm_situation *sit;
} dm_record;

/* Conditions under which a vulnerability or another crime may apply. */
enum dm_cond {
    C_ANY,
    C_CHILD,
    C_CHILD_FOREIGN,
    C_CHILD_DOMESTIC,
    C_ADULT_FOREIGN,
    C_WOMAN,
    C_SEXUAL_ADULT,
    C_SEXUAL,
    C_SEXUAL_CHILD,
    C_LABOUR,
    C_CRIMINALITY,
    C_CROSS_BORDER
};

struct ct_demo {
    ct_demo_opts o;
    dm_data data;
    dm_tables t;
    dm_params p;
    dm_rng rng;  /* content */
    dm_rng idr;  /* ids and registration times */
    dm_rng nrmr; /* NRM records (nrm.c) */
    double form_cum[DM_NFORM];
    double profile_cum[DM_NFORM][DM_NPROFILE];
    int year_lo;
    size_t nyears;
    double year_cum[64];
    long today_days;
    uint64_t id_ms, id_seq;
    uint32_t next_tid;
    size_t home_origin[32]; /* per country of detection: its row of origins */
    enum dm_cond vuln_cond[32], crime_cond[32];
    long agency_seq[64];
    dm_record *heap;
    size_t nheap, heap_cap;
    long seq;
    long pending_cases, pending_victims;
    size_t planned[2]; /* agencies of the later records of the last situation */
    size_t nplanned;
    size_t shared[2]; /* agencies the last case is shared with */
    size_t nshared;
    uint32_t truth[DM_MAXV + DM_MAXS];
    size_t ntruth;
    char truth_text[24];
    char registered[32];
    ct_demo_stats st;
};

/* render.c: one record of a situation as the agency's case. */
int dm_render(ct_demo *d, const dm_record *rec, uint16_t victims, ct_case *c);

/* ---- nrm.c ---------------------------------------------------------------- */

/* Adds the NRM records of the victims of c, just stored: the actions that
 * led to their stage, a child's safeguards, referrals to services. */
int dm_nrm_records(ct_store *s, ct_demo *d, const ct_case *c, ct_err *err);

#endif
