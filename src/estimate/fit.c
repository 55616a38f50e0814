/*
 * fit.c - Poisson log-linear fits by IRLS, and the existence and
 * identifiability checks of Chan, Silverman & Vincent (2021).
 *
 * The IRLS follows R's glm.fit (start at y + 0.1, working response
 * z = η + (y − μ)/μ, weights μ, convergence on the relative change of the
 * deviance) with a tighter tolerance, so that fits agree with glm to many
 * digits; each weighted least-squares step is solved by QR (LAPACK dgeqrf)
 * rather than normal equations, because with counts up to 10^7 beside cells
 * of expected size 10^-3 the condition number of XᵀWX would square.
 */
#include "estimate_int.h"

#include "core/alloc.h"

#include <glpk.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <lapacke.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

enum {
    IRLS_MAXIT = 100,
    IRLS_MAXHALF = 30,
};
#define IRLS_EPS 1e-11 /* glm's 1e-8, tightened: see the file comment */
/* The LP optimum, scaled by n_obs, below which GLPK's floating-point answer
 * is confirmed in exact rational arithmetic (glp_exact). */
#define LP_CONFIRM 1e-7

struct est_work {
    size_t cap; /* doubles in X and A */
    double *X;  /* design, column-major nkept × ncols */
    double *A;  /* weighted copy, overwritten by QR */
    double *b, *z, *eta, *mu, *tau, *beta, *beta_old, *cov_diag, *rinv;
    est_fit *scratch;             /* for est_check's design */
    unsigned cell[EST_MAX_CELLS]; /* kept cells */
    int *ia, *ja;                 /* GLPK triplets, 1-based */
    double *ar;
    size_t lp_cap;
};

static pthread_once_t gsl_once = PTHREAD_ONCE_INIT;

static void gsl_off(void)
{
    gsl_set_error_handler_off();
}

void est_gsl_quiet(void)
{
    pthread_once(&gsl_once, gsl_off);
}

est_work *est_work_new(void)
{
    est_work *w = ct_calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    size_t v = EST_MAX_CELLS;
    w->b = ct_calloc(v, sizeof(double));
    w->z = ct_calloc(v, sizeof(double));
    w->eta = ct_calloc(v, sizeof(double));
    w->mu = ct_calloc(v, sizeof(double));
    w->scratch = ct_malloc(sizeof(est_fit));
    w->tau = ct_calloc(EST_MAX_COLS, sizeof(double));
    w->beta = ct_calloc(EST_MAX_COLS, sizeof(double));
    w->beta_old = ct_calloc(EST_MAX_COLS, sizeof(double));
    w->cov_diag = ct_calloc(EST_MAX_COLS, sizeof(double));
    if (!w->b || !w->z || !w->eta || !w->mu || !w->scratch || !w->tau || !w->beta || !w->beta_old ||
        !w->cov_diag) {
        est_work_free(w);
        return NULL;
    }
    return w;
}

void est_work_free(est_work *w)
{
    if (!w)
        return;
    ct_free(w->X);
    ct_free(w->A);
    ct_free(w->rinv);
    ct_free(w->b);
    ct_free(w->z);
    ct_free(w->eta);
    ct_free(w->mu);
    ct_free(w->scratch);
    ct_free(w->tau);
    ct_free(w->beta);
    ct_free(w->beta_old);
    ct_free(w->cov_diag);
    ct_free(w->ia);
    ct_free(w->ja);
    ct_free(w->ar);
    ct_free(w);
}

static int work_reserve(est_work *w, size_t n, size_t p)
{
    if (n * p <= w->cap && w->rinv)
        return 0;
    ct_free(w->X);
    ct_free(w->A);
    ct_free(w->rinv);
    w->X = ct_malloc(n * p * sizeof(double));
    w->A = ct_malloc(n * p * sizeof(double));
    w->rinv = ct_malloc(EST_MAX_COLS * EST_MAX_COLS * sizeof(double));
    w->cap = w->X && w->A && w->rinv ? n * p : 0;
    return w->cap ? 0 : CT_ENOMEM;
}

double est_overlap(const est_table *tab, unsigned T)
{
    double s = 0;
    unsigned ncell = 1u << tab->t;
    for (unsigned c = 1; c < ncell; c++)
        if ((c & T) == T)
            s += tab->y[c];
    return s;
}

double est_total(const est_table *tab)
{
    return est_overlap(tab, 0);
}

void est_term_name(unsigned T, const char *const *lists, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < CT_ESTIMATE_MAX_LISTS && used < n; i++) {
        if (!(T & (1u << i)))
            continue;
        int k = snprintf(buf + used, n - used, "%s%s", used ? ":" : "", lists[i]);
        if (k < 0)
            return;
        used += (size_t)k;
    }
}

/*
 * Splits m's terms into −∞ ones (f->empty) and finite ones, keeps the cells
 * containing no −∞ term and writes the design. Returns the number of
 * columns, or CT_ENOMEM.
 */
static int build_design(const est_table *tab, const est_model *m, est_work *w, est_fit *f)
{
    unsigned finite[EST_MAX_TERMS];
    int nfinite = 0;
    f->nempty = 0;
    for (int k = 0; k < m->nterms; k++) {
        if (est_overlap(tab, m->term[k]) > 0)
            finite[nfinite++] = m->term[k];
        else
            f->empty[f->nempty++] = m->term[k];
    }
    unsigned ncell = 1u << tab->t;
    int n = 0;
    for (unsigned c = tab->zero_cell ? 0 : 1; c < ncell; c++) {
        int drop = 0;
        for (int k = 0; k < f->nempty && !drop; k++)
            drop = (c & f->empty[k]) == f->empty[k];
        if (!drop)
            w->cell[n++] = c;
    }
    int p = 1 + tab->t + nfinite;
    if (work_reserve(w, (size_t)n, (size_t)p))
        return CT_ENOMEM;
    for (int r = 0; r < n; r++) {
        unsigned c = w->cell[r];
        w->X[r] = 1;
        for (int i = 0; i < tab->t; i++)
            w->X[(size_t)(1 + i) * n + r] = (c >> i) & 1u;
        for (int k = 0; k < nfinite; k++)
            w->X[(size_t)(1 + tab->t + k) * n + r] = (c & finite[k]) == finite[k];
    }
    f->nkept = n;
    f->ncols = p;
    return p;
}

static double deviance_of(const est_table *tab, const est_work *w, int n, const double *mu)
{
    double d = 0;
    for (int r = 0; r < n; r++) {
        double y = tab->y[w->cell[r]];
        d += 2 * ((y > 0 ? y * log(y / mu[r]) : 0) - (y - mu[r]));
    }
    return d;
}

/* Weighted least squares by QR: minimises ‖√w (X β − z)‖. Returns 0, or
 * 1 when R has a (numerically) zero diagonal: the design is rank deficient. */
static int wls(est_work *w, int n, int p, const double *wt)
{
    for (int j = 0; j < p; j++)
        for (int r = 0; r < n; r++)
            w->A[(size_t)j * n + r] = w->X[(size_t)j * n + r] * sqrt(wt[r]);
    for (int r = 0; r < n; r++)
        w->b[r] = w->z[r] * sqrt(wt[r]);
    if (LAPACKE_dgeqrf(LAPACK_COL_MAJOR, n, p, w->A, n, w->tau))
        return 1;
    if (LAPACKE_dormqr(LAPACK_COL_MAJOR, 'L', 'T', n, 1, p, w->A, n, w->tau, w->b, n))
        return 1;
    double rmax = 0;
    for (int j = 0; j < p; j++)
        rmax = fmax(rmax, fabs(w->A[(size_t)j * n + j]));
    for (int j = 0; j < p; j++)
        if (!(fabs(w->A[(size_t)j * n + j]) > 1e-10 * rmax))
            return 1;
    if (LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'U', 'N', 'N', p, 1, w->A, n, w->b, n))
        return 1;
    memcpy(w->beta, w->b, (size_t)p * sizeof(double));
    return 0;
}

/* μ = exp(Xβ) for the kept cells; returns the deviance (inf on overflow). */
static double predict(const est_table *tab, est_work *w, int n, int p, double *mu)
{
    for (int r = 0; r < n; r++) {
        double e = 0;
        for (int j = 0; j < p; j++)
            e += w->X[(size_t)j * n + r] * w->beta[j];
        w->eta[r] = e;
        mu[r] = e < 700 ? exp(e) : INFINITY;
    }
    return deviance_of(tab, w, n, mu);
}

/* Variances of β̂ from the QR of √W X left in w->A: diag(R⁻¹ R⁻ᵀ). */
static int covariance(est_work *w, int n, int p)
{
    double *ri = w->rinv;
    for (int j = 0; j < p; j++)
        for (int i = 0; i < p; i++)
            ri[(size_t)j * p + i] = i <= j ? w->A[(size_t)j * n + i] : 0;
    if (LAPACKE_dtrtri(LAPACK_COL_MAJOR, 'U', 'N', p, ri, p))
        return -1;
    for (int i = 0; i < p; i++) {
        double s = 0;
        for (int j = i; j < p; j++)
            s += ri[(size_t)j * p + i] * ri[(size_t)j * p + i];
        w->cov_diag[i] = s;
    }
    return 0;
}

/* One IRLS run on the design in w; mu (length n) holds the result. */
static int irls(const est_table *tab, est_work *w, est_fit *f, double *mu)
{
    int n = f->nkept, p = f->ncols;
    for (int r = 0; r < n; r++) {
        mu[r] = tab->y[w->cell[r]] + 0.1;
        w->eta[r] = log(mu[r]);
    }
    double dev_old = deviance_of(tab, w, n, mu);
    for (f->iter = 1; f->iter <= IRLS_MAXIT; f->iter++) {
        for (int r = 0; r < n; r++)
            w->z[r] = w->eta[r] + (tab->y[w->cell[r]] - mu[r]) / mu[r];
        memcpy(w->beta_old, w->beta, (size_t)p * sizeof(double));
        if (wls(w, n, p, mu))
            return EST_FIT_NOIDENT;
        double dev = predict(tab, w, n, p, mu);
        /* step halving, as glm.fit does for a non-finite deviance; also
         * for an increase, which only happens far from the optimum */
        for (int h = 0; f->iter > 1 && h < IRLS_MAXHALF && !(dev <= dev_old * (1 + 1e-12)); h++) {
            for (int j = 0; j < p; j++)
                w->beta[j] = (w->beta[j] + w->beta_old[j]) / 2;
            dev = predict(tab, w, n, p, mu);
        }
        if (!isfinite(dev))
            return EST_FIT_NOCONV;
        if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < IRLS_EPS)
            return EST_FIT_OK;
        dev_old = dev;
    }
    return EST_FIT_NOCONV;
}

static void summarise(const est_table *tab, est_work *w, est_fit *f, const double *mu)
{
    int n = f->nkept, p = f->ncols;
    memset(f->mu, 0, sizeof(f->mu));
    double ll = 0;
    for (int r = 0; r < n; r++) {
        double y = tab->y[w->cell[r]];
        f->mu[w->cell[r]] = mu[r];
        ll += (y > 0 ? y * log(mu[r]) : 0) - mu[r] - lgamma(y + 1);
    }
    f->loglik = ll;
    f->deviance = deviance_of(tab, w, n, mu);
    f->df = n - p;
    /* a −∞ term is a parameter too: it counts 2 in AIC (mse.md) */
    f->aic = -2 * ll + 2 * (p + f->nempty);
    f->beta0 = w->beta[0];
    f->beta = w->beta;
    f->cov_diag = w->cov_diag;
}

int est_fit_model(const est_table *tab, const est_model *m, est_work *w, est_fit *f)
{
    int p = build_design(tab, m, w, f);
    if (p < 0)
        return p;
    f->beta = f->cov_diag = NULL;
    f->se0 = NAN;
    if (f->nkept < p) {
        f->status = EST_FIT_NOIDENT;
        return 0;
    }
    double *mu = w->mu;
    f->status = irls(tab, w, f, mu);
    if (f->status != EST_FIT_OK)
        return 0;
    /* the covariance at the final weights */
    for (int r = 0; r < f->nkept; r++)
        w->z[r] = w->eta[r];
    double keep[EST_MAX_COLS];
    memcpy(keep, w->beta, (size_t)p * sizeof(double));
    if (wls(w, f->nkept, p, mu) || covariance(w, f->nkept, p)) {
        f->status = EST_FIT_NOIDENT;
        return 0;
    }
    memcpy(w->beta, keep, (size_t)p * sizeof(double));
    summarise(tab, w, f, mu);
    f->se0 = sqrt(w->cov_diag[0]);
    return 0;
}

double est_poisson_p(double n, double mu)
{
    est_gsl_quiet();
    gsl_sf_result r;
    double le = 1, ge = 1; /* P(X ≤ n), P(X ≥ n) */
    if (mu <= 0)
        return n > 0 ? 0 : 1;
    if (gsl_sf_gamma_inc_Q_e(n + 1, mu, &r) == GSL_SUCCESS)
        le = r.val;
    if (n > 0 && gsl_sf_gamma_inc_P_e(n, mu, &r) == GSL_SUCCESS)
        ge = r.val;
    return fmin(le, ge);
}

/* ---- the checks -------------------------------------------------------- */

/* rank(M) < p, by the singular values of the unweighted 0/1 design. */
static int rank_deficient(est_work *w, int n, int p)
{
    if (n < p)
        return 1;
    memcpy(w->A, w->X, (size_t)n * p * sizeof(double));
    double *s = w->rinv; /* p singular values */
    if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', n, p, w->A, n, s, NULL, 1, NULL, 1))
        return 1;
    double tol = (n > p ? n : p) * 2.2e-16 * s[0] * 10;
    return !(s[p - 1] > tol);
}

static int lp_reserve(est_work *w, size_t nz)
{
    if (nz <= w->lp_cap)
        return 0;
    ct_free(w->ia);
    ct_free(w->ja);
    ct_free(w->ar);
    w->ia = ct_malloc((nz + 1) * sizeof(int));
    w->ja = ct_malloc((nz + 1) * sizeof(int));
    w->ar = ct_malloc((nz + 1) * sizeof(double));
    w->lp_cap = w->ia && w->ja && w->ar ? nz : 0;
    return w->lp_cap ? 0 : CT_ENOMEM;
}

/*
 * The linear programme of mse.md: max s subject to Mᵀx = t, x_c ≥ s, x ≥ 0,
 * written with x_c = s + u_c (u ≥ 0) so that it has one row per column of
 * M and no inequality rows. t is scaled by 1/n_obs. Returns s* (≥ 0), or a
 * negative value when GLPK fails.
 */
static double lp_optimum(const est_table *tab, est_work *w, int n, int p)
{
    if (lp_reserve(w, (size_t)(n + 1) * p))
        return -2; /* out of memory */
    double tot = est_total(tab);
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    glp_add_rows(lp, p);
    glp_add_cols(lp, n + 1);
    int nz = 0;
    for (int j = 0; j < p; j++) {
        double t = 0, colsum = 0;
        for (int r = 0; r < n; r++) {
            double x = w->X[(size_t)j * n + r];
            if (x == 0)
                continue;
            t += x * tab->y[w->cell[r]];
            colsum += x;
            nz++;
            w->ia[nz] = j + 1, w->ja[nz] = r + 2, w->ar[nz] = x;
        }
        glp_set_row_bnds(lp, j + 1, GLP_FX, t / tot, t / tot);
        nz++;
        w->ia[nz] = j + 1, w->ja[nz] = 1, w->ar[nz] = colsum;
    }
    for (int c = 1; c <= n + 1; c++)
        glp_set_col_bnds(lp, c, GLP_LO, 0, 0);
    glp_set_obj_coef(lp, 1, 1);
    glp_load_matrix(lp, nz, w->ia, w->ja, w->ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    double s = -1;
    if (glp_simplex(lp, &parm) == 0 && glp_get_status(lp) == GLP_OPT) {
        s = glp_get_obj_val(lp);
        /* near zero, floating point cannot tell 0 from tiny: ask exactly */
        if (s < LP_CONFIRM) {
            if (glp_exact(lp, &parm) == 0 && glp_get_status(lp) == GLP_OPT)
                s = glp_get_obj_val(lp);
            else if (s < 1e-12)
                s = 0;
        }
    }
    glp_delete_prob(lp);
    return s;
}

int est_check(const est_table *tab, const est_model *m, est_work *w)
{
    int p = build_design(tab, m, w, w->scratch);
    int n = w->scratch->nkept;
    if (p < 0)
        return p;
    double s = lp_optimum(tab, w, n, p);
    if (s < 0)
        return s == -2 ? CT_ENOMEM : CT_EINTERNAL;
    if (s == 0)
        return EST_FIT_NOEXIST;
    return rank_deficient(w, n, p) ? EST_FIT_NOIDENT : EST_FIT_OK;
}

void ct_estimate_thread_release(void)
{
    glp_free_env();
}
