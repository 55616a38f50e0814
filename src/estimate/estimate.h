/*
 * estimate.h - multiple systems estimation (MSE): how many victims are on no
 * list at all, from the overlaps between agencies' lists.
 *
 * The method is ../shared/docs/mse.md (Poisson log-linear models, the sparse
 * treatment of Chan, Silverman & Vincent 2021, stepwise selection, BCa
 * bootstrap; AIC forward selection with a profile-likelihood interval; BIC
 * over hierarchical models). The user documentation is docs/estimate.md.
 *
 * Two objects:
 *  - ct_estimate_data: capture histories, one table per stratum, read from
 *    the CSV of contracts.md (ct_estimate_read_csv) or built from person keys
 *    (ct_estimate_histories_build, for `ctip estimate DB` and the API);
 *  - ct_estimate_result: one stratum's estimate, or the reason why none
 *    exists, rendered as the JSON of issue 5 (ct_estimate_result_json).
 *
 * Thread safety: every function may be called from several threads on
 * different objects; ct_estimate_run itself starts worker threads for the
 * bootstrap. A data object may be shared read-only between threads.
 */
#ifndef CT_ESTIMATE_ESTIMATE_H
#define CT_ESTIMATE_ESTIMATE_H

#include "core/err.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Limits: 12 lists give 4,095 observable histories (issue 5). The total of
 * the counts must fit the multinomial sampler of the bootstrap. */
#define CT_ESTIMATE_MAX_LISTS  12
#define CT_ESTIMATE_MIN_LISTS  3
#define CT_ESTIMATE_MAX_COUNT  1e9
#define CT_ESTIMATE_MAX_TOTAL  2147483647.0
#define CT_ESTIMATE_MAX_STRATA 3 /* year, sex, agegroup (contracts.md) */

typedef struct ct_estimate_data ct_estimate_data;

/* ---- capture histories ------------------------------------------------ */

/*
 * Reads the capture-history CSV of contracts.md from f (borrowed): optional
 * stratum columns first (year, sex, agegroup, in that order), then one 0/1
 * column per list (its name is the header), then `count`. Histories not
 * listed count 0. name is the file's name, used in messages.
 *
 * Every problem is reported as "NAME:LINE: column: reason" (non-0/1 cells,
 * negative, non-integer or too large counts, duplicated histories, a list
 * with no cases, fewer than 3 or more than 12 lists, bad stratum values); the
 * first one goes in err and all of them, one per line, in *problems when
 * problems is not NULL (caller frees with ct_free). Returns 0 and *out
 * (caller frees with ct_estimate_data_free), CT_EINVAL, CT_EIO or CT_ENOMEM.
 */
int ct_estimate_read_csv(FILE *f, const char *name, ct_estimate_data **out, char **problems,
                         ct_err *err);
/* The same from memory (data borrowed for the call only). */
int ct_estimate_read_mem(const char *data, size_t len, const char *name, ct_estimate_data **out,
                         char **problems, ct_err *err);
/*
 * The same from a JSON object (the body of POST /api/v1/estimate):
 *   {"lists": ["Police", "NGO", "Health"],          3 to 12 names
 *    "strata": ["year"],                            optional: year, sex, agegroup
 *    "histories": [["2021", 1, 0, 0, 54], ...]}    strata values, 0/1 per list, count
 * Cells and counts are JSON integers; every rule of the CSV applies. A
 * problem names its place as "lists", "strata" or "histories[i]" (from 0),
 * which is also err->field. body is borrowed.
 */
int ct_estimate_read_json(const json_t *body, ct_estimate_data **out, char **problems, ct_err *err);
void ct_estimate_data_free(ct_estimate_data *d);

int ct_estimate_data_nlists(const ct_estimate_data *d);
/* Borrowed; valid while d lives. */
const char *ct_estimate_data_list(const ct_estimate_data *d, int i);
size_t ct_estimate_data_nstrata(const ct_estimate_data *d);
/* Stratum columns in use (0: one table, no strata). */
int ct_estimate_data_nstrata_columns(const ct_estimate_data *d);
/* Total observed cases of stratum s. */
double ct_estimate_data_total(const ct_estimate_data *d, size_t s);

/*
 * Writes d as the capture-history CSV of contracts.md (strata columns first,
 * histories with a positive count only, in a stable order). Returns 0 or
 * CT_EIO.
 */
int ct_estimate_data_write_csv(const ct_estimate_data *d, FILE *f, ct_err *err);

/* One record for ct_estimate_histories_build: a person (by person_key) was
 * recorded on list `list` (e.g. the agency's name). */
typedef struct ct_estimate_record {
    const char *person_key; /* same key = same real person (contracts.md) */
    const char *list;
    /* year ("2021"), sex (female|male|other|unknown), agegroup
     * (0-17|18+|unknown); NULL means unknown. Only those named in
     * ct_estimate_build_opts.by are used. */
    const char *year, *sex, *agegroup;
} ct_estimate_record;

enum ct_estimate_by_flags {
    CT_ESTIMATE_BY_YEAR = 1 << 0,
    CT_ESTIMATE_BY_SEX = 1 << 1,
    CT_ESTIMATE_BY_AGEGROUP = 1 << 2,
};

/*
 * Builds capture histories from records: within each stratum (the values of
 * the `by` fields), each person_key is counted once, on every list that
 * recorded them in that stratum. Lists are sorted by name. A person whose
 * records fall in two strata (e.g. identified in 2020 and again in 2021)
 * counts once in each. Records without a person_key or list are refused
 * (CT_EINVAL naming the record's index), as are more than 12 lists or fewer
 * than 3. recs is borrowed; *out belongs to the caller. No personal data
 * (keys) is kept in the result.
 */
int ct_estimate_histories_build(const ct_estimate_record *recs, size_t n, unsigned by,
                                ct_estimate_data **out, ct_err *err);

/* ---- from the database ------------------------------------------------ */

struct ct_store;

/* What to build from the database (`ctip estimate DB`, `ctip link overlaps
 * DB`, GET /api/v1/estimate). */
typedef struct ct_estimate_db_opts {
    const char *lists;      /* what a list is: "agency" (the agency owning the record) */
    unsigned by;            /* enum ct_estimate_by_flags */
    int year_from, year_to; /* statistics years to include; 0: open */
    const char *country;    /* only records of agencies of this country (ISO alpha-3; MSE
                               estimates one country's population), or NULL */
} ct_estimate_db_opts;

/*
 * Builds capture histories from every victim record of the database
 * (ct_store_captures_each): a person is their person_key, or the record
 * itself when it has none (unlinked records count as distinct persons);
 * the year is the statistics year (identification, else registration),
 * the age group ct_age_group() of the age at identification. Returns 0 and
 * *out (caller frees); CT_EUSAGE for an unknown kind of list (field
 * "lists"); CT_ENORESULT when the database gives fewer than 3 or more than
 * 12 lists (the message says which); CT_EDB, CT_ENOMEM.
 */
int ct_estimate_histories_from_store(struct ct_store *s, const ct_estimate_db_opts *o,
                                     ct_estimate_data **out, ct_err *err);
/* The index of a kind of list ("agency"), or CT_EUSAGE naming field "lists". */
int ct_estimate_lists_parse(const char *s, ct_err *err);
/* "year,sex,agegroup" (any of them, each once; NULL or "" for none) into
 * enum ct_estimate_by_flags; CT_EUSAGE naming field "by". */
int ct_estimate_by_parse(const char *s, unsigned *out, ct_err *err);

/* ---- estimation ------------------------------------------------------- */

enum ct_estimate_method {
    CT_ESTIMATE_STEPWISE, /* Chan, Silverman & Vincent 2021 (default) */
    CT_ESTIMATE_MAIN,     /* main effects only */
    CT_ESTIMATE_AIC,      /* Bales, Hesketh & Silverman 2015 */
    CT_ESTIMATE_BIC,      /* hierarchical models up to order 3 */
};

enum ct_estimate_interval {
    CT_ESTIMATE_IV_DEFAULT, /* bca; profile for aic and bic */
    CT_ESTIMATE_IV_WALD,
    CT_ESTIMATE_IV_BCA,
    CT_ESTIMATE_IV_PROFILE,
};

typedef struct ct_estimate_opts {
    enum ct_estimate_method method;
    enum ct_estimate_interval interval;
    double threshold;    /* < 0: the method's default (0.02; 0.05 for aic) */
    double level;        /* 0: 0.95 */
    long bootstrap;      /* replicates for bca; 0: 1,000 */
    unsigned long seed;  /* bootstrap seed; same seed, same interval */
    int threads;         /* 0: the number of processors */
    int keep_replicates; /* keep the bootstrap estimates in the result */
} ct_estimate_opts;

#define CT_ESTIMATE_OPTS_INIT                                                                      \
    {                                                                                              \
        CT_ESTIMATE_STEPWISE, CT_ESTIMATE_IV_DEFAULT, -1, 0, 0, 1234, 0, 0                         \
    }

typedef struct ct_estimate_result ct_estimate_result;

/*
 * Estimates stratum s of d with opts (NULL: defaults). Returns 0 with *out
 * set, also when no estimate exists (ct_estimate_result_has_estimate() says
 * so and the result carries the reason); CT_EINVAL for bad options,
 * CT_ENOMEM. Caller frees *out with ct_estimate_result_free.
 */
int ct_estimate_run(const ct_estimate_data *d, size_t s, const ct_estimate_opts *opts,
                    ct_estimate_result **out, ct_err *err);
void ct_estimate_result_free(ct_estimate_result *r);

int ct_estimate_result_has_estimate(const ct_estimate_result *r);

/*
 * The JSON object of issue 5 (n_obs, estimate, hidden, interval, model,
 * overlaps, warnings, and stratum when d has strata; estimate null and
 * reason when none exists; replicates when kept). New reference; NULL on
 * out of memory.
 */
json_t *ct_estimate_result_json(const ct_estimate_result *r);

/* Frees what estimation keeps per thread (GLPK's environment, thread-local):
 * a long-lived thread that estimated (a server's worker) calls it when
 * done, or its end leaks that memory. Safe to call at any time. */
void ct_estimate_thread_release(void);

/* The bootstrap estimates (NULL, 0 when none were kept). Borrowed. */
const double *ct_estimate_result_replicates(const ct_estimate_result *r, size_t *n);

#endif
