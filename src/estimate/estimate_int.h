/*
 * estimate_int.h - what the files of src/estimate share.
 *
 * Invariants:
 *  1. A capture history is a bit mask ω over the lists (bit i = list i);
 *     cells are ω = 1 .. 2^t - 1, y[0] (the unobserved cell) is unused.
 *  2. A model is the ordered set of its interaction terms (masks of 2 or 3
 *     bits); the intercept and the t main effects are always in it.
 *  3. A term T whose overlap N*_T = Σ_{ω ⊇ T} y_ω is 0 is −∞ (Chan, Silverman
 *     & Vincent 2021): every cell ω ⊇ T is dropped and T gets no column.
 *  4. Design columns: 0 intercept, 1..t main effects, then the finite terms
 *     in model order.
 */
#ifndef CT_ESTIMATE_INT_H
#define CT_ESTIMATE_INT_H

#include "estimate.h"

#include <stdint.h>

#define EST_MAX_CELLS (1 << CT_ESTIMATE_MAX_LISTS)
#define EST_MAX_TERMS 286 /* C(12,2) + C(12,3) */
#define EST_MAX_COLS  (1 + CT_ESTIMATE_MAX_LISTS + EST_MAX_TERMS)

/* One stratum's table. */
typedef struct est_table {
    int t;
    int zero_cell; /* fit cell 0 too, with count y[0] (profile likelihood) */
    double y[EST_MAX_CELLS];
} est_table;

typedef struct est_model {
    int nterms;
    unsigned term[EST_MAX_TERMS];
} est_model;

enum est_fit_status {
    EST_FIT_OK = 0,
    EST_FIT_NOCONV,  /* IRLS did not converge */
    EST_FIT_NOEXIST, /* the LP check: the MLE does not exist */
    EST_FIT_NOIDENT, /* rank(M) < columns: not identifiable */
};

/* A fitted model; arrays sized for the largest table. */
typedef struct est_fit {
    int status;
    int iter;
    int ncols, nkept, nempty;
    unsigned empty[EST_MAX_TERMS]; /* −∞ terms */
    double beta0, se0;
    double deviance, loglik, aic;
    int df;
    double mu[EST_MAX_CELLS]; /* fitted means by cell; 0 for dropped cells */
    double *beta;             /* ncols coefficients (in the work area) */
    double *cov_diag;         /* ncols variances (in the work area) */
} est_fit;

/* Scratch memory of one thread (IRLS, QR, LP); reused from fit to fit. */
typedef struct est_work est_work;
est_work *est_work_new(void);
void est_work_free(est_work *w);

/* Observed cases on every list of mask T (N*_T). */
double est_overlap(const est_table *tab, unsigned T);
double est_total(const est_table *tab);

/* Fits m to tab by IRLS (Poisson, log link); f->status says how it went.
 * Returns 0, or CT_ENOMEM. Does not run the existence checks. */
int est_fit_model(const est_table *tab, const est_model *m, est_work *w, est_fit *f);

/* Existence (linear programme) and identifiability (rank) of m on tab
 * (mse.md, sparse data, step 2). Returns EST_FIT_OK, EST_FIT_NOEXIST or
 * EST_FIT_NOIDENT (existence first), or CT_ENOMEM / CT_EINTERNAL. */
int est_check(const est_table *tab, const est_model *m, est_work *w);

/* Poisson tail p-value of mse.md step 3: min(P(X ≤ n), P(X ≥ n)). */
double est_poisson_p(double n, double mu);

/* Name of term T ("PF:NCA") into buf. */
void est_term_name(unsigned T, const char *const *lists, char *buf, size_t n);

/* ---- data (histories.c) ---- */

const est_table *est_data_table(const ct_estimate_data *d, size_t s);
int est_data_nby(const ct_estimate_data *d);
const char *est_data_by_name(const ct_estimate_data *d, int j);
const char *est_data_by_value(const ct_estimate_data *d, size_t s, int j);
const char *const *est_data_lists(const ct_estimate_data *d);

/* ---- selection (select.c) ---- */

typedef struct est_step {
    unsigned term;
    double p;   /* the Poisson p-value (stepwise) or Wald p-value (aic) */
    double aic; /* AIC after the step (aic), BIC (bic) */
} est_step;

typedef struct est_selection {
    est_model model;
    est_step step[EST_MAX_TERMS];
    int nsteps;
    int truncated; /* the exhaustive BIC search stopped at its limit */
} est_selection;

typedef struct est_select_opts {
    enum ct_estimate_method method;
    double threshold;
} est_select_opts;

/* Chooses a model by opts->method and fits it into f. Returns 0 (f->status
 * says whether an estimate exists) or a negative CT_E* code. */
int est_select(const est_table *tab, const est_select_opts *o, est_work *w, est_selection *sel,
               est_fit *f);

/* The estimate by the whole procedure (selection, fit) or NAN when none
 * exists: what a bootstrap replicate or a jackknife sample computes.
 * Lists without cases are dropped first (their main effect is −∞). */
double est_point(const est_table *tab, const est_select_opts *o, est_work *w, est_fit *f);

/* ---- intervals (interval.c) ---- */

/* R's quantile type 8 (Hyndman & Fan) of sorted x[0..n-1] at p. */
double est_quantile8(const double *sorted, size_t n, double p);

/* BCa limits at the lower and upper tail probabilities of a two-sided
 * interval of level `level`, from replicates (any order; n > 0), the point
 * estimate and the acceleration a. Returns 0, or -1 when z0 is infinite
 * (every replicate on one side of the estimate). */
int est_bca_limits(const double *reps, size_t n, double est, double a, double level, double *lo,
                   double *hi);

/* Jackknife acceleration from the leave-one-out estimates J[k] of the
 * histories with counts n[k] (k = 0..m-1). */
double est_jackknife_accel(const double *J, const double *n, size_t m);

typedef struct est_boot_opts {
    long replicates;
    unsigned long seed;
    int threads;
} est_boot_opts;

typedef struct est_boot {
    double *reps; /* replicates; NAN where no estimate exists */
    long nreps, nfailed;
    double accel;
    long jack_failed;
} est_boot;

/* Draws the replicates and the jackknife (in worker threads), each running
 * the whole procedure o. Returns 0 or a negative CT_E* code. */
int est_bootstrap(const est_table *tab, const est_select_opts *o, const est_boot_opts *b,
                  est_boot *out, ct_err *err);
void est_boot_release(est_boot *b);

/* Multinomial profile-likelihood interval (Rcapture's closedpCI.t, with
 * Cormack's correction) for model m. Returns 0 and sets lo/hi (hi may be
 * INFINITY when the likelihood does not drop enough below 3 N̂), -1 when a
 * fit on the way fails, or CT_ENOMEM. */
int est_profile_interval(const est_table *tab, const est_model *m, double est, double level,
                         est_work *w, double *lo, double *hi);

/* GSL's default error handler aborts; ctip's library never aborts on input. */
void est_gsl_quiet(void);

#endif
