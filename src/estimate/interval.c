/*
 * interval.c - intervals for N: the BCa bootstrap with jackknife
 * acceleration (Chan, Silverman & Vincent 2021, sect. 3.3; mse.md), and the
 * multinomial profile likelihood of Rcapture's closedpCI.t with Cormack's
 * correction (Baillargeon & Rivest 2007; Cormack 1992). The Wald interval is
 * one line in result.c.
 *
 * The bootstrap's replicates and jackknife samples are independent jobs
 * shared by worker threads through one atomic counter. Each replicate seeds
 * its own generator from (seed, replicate number), so an interval depends on
 * the seed only, never on the number of threads or their timing.
 */
#include "estimate_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <glpk.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_THREADS = 64 };

/* ---- BCa ---------------------------------------------------------------- */

double est_quantile8(const double *x, size_t n, double p)
{
    /* Hyndman & Fan type 8: m = (p + 1)/3, position n p + m (1-based) */
    double h = (double)n * p + (p + 1) / 3;
    double j = floor(h + 4 * 2.2e-16);
    double g = h - j;
    if (fabs(g) < 4 * 2.2e-16)
        g = 0;
    size_t lo = j < 1 ? 0 : j > (double)n ? n - 1 : (size_t)j - 1;
    size_t hi = j + 1 > (double)n ? n - 1 : j < 0 ? 0 : (size_t)j;
    return (1 - g) * x[lo] + g * x[hi];
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int est_bca_limits(const double *reps, size_t n, double est, double a, double level, double *lo,
                   double *hi)
{
    double *x = ct_malloc(n * sizeof(double));
    if (!x)
        return -1;
    memcpy(x, reps, n * sizeof(double));
    qsort(x, n, sizeof(double), dbl_cmp);
    size_t below = 0;
    while (below < n && x[below] < est)
        below++;
    double z0 = gsl_cdf_ugaussian_Pinv((double)below / (double)n);
    int r = -1;
    if (isfinite(z0)) {
        double alpha[2] = {(1 - level) / 2, (1 + level) / 2}, out[2];
        for (int k = 0; k < 2; k++) {
            double za0 = z0 + gsl_cdf_ugaussian_Pinv(alpha[k]);
            out[k] = est_quantile8(x, n, gsl_cdf_ugaussian_P(z0 + za0 / (1 - a * za0)));
        }
        *lo = out[0], *hi = out[1];
        r = 0;
    }
    ct_free(x);
    return r;
}

double est_jackknife_accel(const double *J, const double *n, size_t m)
{
    double sn = 0, sj = 0;
    for (size_t k = 0; k < m; k++)
        if (isfinite(J[k]))
            sn += n[k], sj += n[k] * J[k];
    if (sn == 0)
        return 0;
    double mean = sj / sn, s2 = 0, s3 = 0;
    for (size_t k = 0; k < m; k++) {
        if (!isfinite(J[k]))
            continue;
        double jr = mean - J[k];
        s2 += n[k] * jr * jr;
        s3 += n[k] * jr * jr * jr;
    }
    return s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : 0;
}

/* ---- the bootstrap ------------------------------------------------------ */

typedef struct boot_ctx {
    const est_table *tab;
    const est_select_opts *o;
    long nreps;
    unsigned long seed;
    size_t nh;      /* observed histories */
    unsigned *cell; /* their cells */
    double *count;  /* and counts */
    double *reps, *jack;
    atomic_long next;
    atomic_int failed; /* out of memory in a worker */
} boot_ctx;

/* splitmix64: independent-looking seeds from consecutive numbers. */
static unsigned long mix_seed(unsigned long seed, long job)
{
    unsigned long long z = seed + 0x9E3779B97F4A7C15ull * (unsigned long long)(job + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (unsigned long)(z ^ (z >> 31));
}

/* A multinomial sample of n_obs cases over the observed histories, by
 * conditional binomials. */
static void resample(const boot_ctx *c, gsl_rng *rng, est_table *t)
{
    memset(t->y, 0, sizeof(double) << t->t);
    double left = est_total(c->tab), mass = left;
    for (size_t k = 0; k < c->nh && left > 0; k++) {
        double p = mass > 0 ? c->count[k] / mass : 1;
        unsigned draw =
            k + 1 == c->nh ? (unsigned)left : gsl_ran_binomial(rng, p > 1 ? 1 : p, (unsigned)left);
        t->y[c->cell[k]] = draw;
        left -= draw;
        mass -= c->count[k];
    }
}

static void run_job(boot_ctx *c, long job, gsl_rng *rng, est_table *t, est_work *w, est_fit *f)
{
    if (job < c->nreps) {
        gsl_rng_set(rng, mix_seed(c->seed, job));
        resample(c, rng, t);
        c->reps[job] = est_point(t, c->o, w, f);
        return;
    }
    size_t k = (size_t)(job - c->nreps); /* jackknife: one case of history k less */
    memcpy(t->y, c->tab->y, sizeof(double) << t->t);
    t->y[c->cell[k]] -= 1;
    c->jack[k] = est_point(t, c->o, w, f);
}

static void *worker(void *arg)
{
    boot_ctx *c = arg;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    est_table *t = ct_malloc(sizeof(*t));
    est_work *w = est_work_new();
    est_fit *f = ct_malloc(sizeof(*f));
    if (!rng || !t || !w || !f) {
        atomic_store(&c->failed, 1);
        goto out;
    }
    t->t = c->tab->t;
    t->zero_cell = 0;
    long total = c->nreps + (long)c->nh;
    for (long job; (job = atomic_fetch_add(&c->next, 1)) < total && !atomic_load(&c->failed);)
        run_job(c, job, rng, t, w, f);
out:
    ct_free(f);
    est_work_free(w);
    ct_free(t);
    if (rng)
        gsl_rng_free(rng);
    glp_free_env(); /* GLPK keeps one environment per thread (TLS) */
    return NULL;
}

static int nthreads(int asked, long jobs)
{
    long n = asked > 0 ? asked : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    return (int)(n < jobs ? n : jobs);
}

static int run_workers(boot_ctx *c, int n, ct_err *err)
{
    pthread_t th[MAX_THREADS];
    int started = 0;
    for (; started < n; started++)
        if (pthread_create(&th[started], NULL, worker, c))
            break;
    if (started == 0)
        return ct_err_set(err, CT_EINTERNAL, "%s", _("cannot start the bootstrap threads"));
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (atomic_load(&c->failed))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return 0;
}

static int observed_histories(boot_ctx *c)
{
    unsigned ncell = 1u << c->tab->t;
    c->cell = ct_malloc(ncell * sizeof(unsigned));
    c->count = ct_malloc(ncell * sizeof(double));
    if (!c->cell || !c->count)
        return CT_ENOMEM;
    for (unsigned x = 1; x < ncell; x++)
        if (c->tab->y[x] > 0)
            c->cell[c->nh] = x, c->count[c->nh++] = c->tab->y[x];
    return 0;
}

int est_bootstrap(const est_table *tab, const est_select_opts *o, const est_boot_opts *b,
                  est_boot *out, ct_err *err)
{
    memset(out, 0, sizeof(*out));
    est_gsl_quiet();
    boot_ctx c = {tab, o, b->replicates, b->seed, 0, NULL, NULL, NULL, NULL, 0, 0};
    int r = observed_histories(&c);
    c.reps = ct_malloc((size_t)(b->replicates ? b->replicates : 1) * sizeof(double));
    c.jack = ct_malloc((c.nh ? c.nh : 1) * sizeof(double));
    if (r || !c.reps || !c.jack)
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    else
        r = run_workers(&c, nthreads(b->threads, b->replicates + (long)c.nh), err);
    if (!r) {
        out->reps = c.reps, c.reps = NULL;
        out->nreps = b->replicates;
        for (long i = 0; i < out->nreps; i++)
            out->nfailed += !isfinite(out->reps[i]);
        for (size_t k = 0; k < c.nh; k++)
            out->jack_failed += !isfinite(c.jack[k]);
        out->accel = est_jackknife_accel(c.jack, c.count, c.nh);
    }
    ct_free(c.reps);
    ct_free(c.jack);
    ct_free(c.cell);
    ct_free(c.count);
    return r;
}

void est_boot_release(est_boot *b)
{
    ct_free(b->reps);
    memset(b, 0, sizeof(*b));
}

/* ---- profile likelihood ------------------------------------------------- */

typedef struct profile {
    est_table *aug; /* the observed table plus the unobserved cell */
    const est_model *m;
    est_work *w;
    est_fit *f;
    double n, target;
    int failed;
} profile;

/* Cormack's (1992) correction, exactly as Rcapture's closedpCI.t. */
static double cormack(double N, double n0)
{
    if (N > 100) {
        if (n0 == 0 || n0 == 1)
            return -N + 0.5 * log(2 * M_PI * N);
        return n0 - N - 0.5 * log(n0 / N);
    }
    double a = n0 > 0 ? n0 * log(n0) : 0;
    return a + lgamma(N + 1) - N * log(N) - lgamma(n0 + 1);
}

/* Profile multinomial log-likelihood at N, less p->target. */
static double loglik(double N, void *arg)
{
    profile *p = arg;
    double n0 = N - p->n;
    p->aug->y[0] = n0;
    int r = est_fit_model(p->aug, p->m, p->w, p->f);
    if (r < 0 || p->f->status != EST_FIT_OK) {
        p->failed = r < 0 ? r : -1;
        return NAN;
    }
    return -p->f->deviance / 2 + cormack(N, n0) - p->target;
}

static double neg_loglik(double N, void *arg)
{
    return -loglik(N, arg);
}

/* The maximum of the profile over (n, 3 N̂), by Brent's method from N̂. */
static int profile_max(profile *p, double est, double *Nmax, double *lmax)
{
    double a = p->n, b = 3 * est, x = est; /* a: n0 = 0, as Rcapture evaluates it */
    double fa = neg_loglik(a, p), fb = neg_loglik(b, p), fx = neg_loglik(x, p);
    for (int k = 0; k < 60 && !(fx < fa && fx < fb); k++) { /* move x into a bracket */
        x = fa < fb ? (a + x) / 2 : (x + b) / 2;
        fx = neg_loglik(x, p);
    }
    if (p->failed || !(fx < fa && fx < fb)) {
        *Nmax = fa < fb ? a : b;
        *lmax = -fmin(fa, fb);
        return p->failed ? -1 : 0;
    }
    gsl_function F = {neg_loglik, p};
    gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!s || gsl_min_fminimizer_set_with_values(s, &F, x, fx, a, fa, b, fb)) {
        if (s)
            gsl_min_fminimizer_free(s);
        return -1;
    }
    for (int it = 0; it < 200; it++) {
        if (gsl_min_fminimizer_iterate(s))
            break;
        double lo = gsl_min_fminimizer_x_lower(s), hi = gsl_min_fminimizer_x_upper(s);
        if (gsl_min_test_interval(lo, hi, 1e-6, 1e-10) == GSL_SUCCESS)
            break;
    }
    *Nmax = gsl_min_fminimizer_x_minimum(s);
    *lmax = -gsl_min_fminimizer_f_minimum(s);
    gsl_min_fminimizer_free(s);
    return p->failed ? -1 : 0;
}

/* The root of the profile at p->target in (a, b); NAN when there is no
 * sign change (the limit lies beyond the search range). */
static double profile_root(profile *p, double a, double b)
{
    gsl_function F = {loglik, p};
    double fa = loglik(a, p), fb = loglik(b, p);
    if (p->failed || !(fa * fb < 0))
        return NAN;
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s || gsl_root_fsolver_set(s, &F, a, b)) {
        if (s)
            gsl_root_fsolver_free(s);
        return NAN;
    }
    double r = NAN;
    for (int it = 0; it < 200; it++) {
        if (gsl_root_fsolver_iterate(s))
            break;
        r = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 1e-6,
                                   1e-10) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return p->failed ? NAN : r;
}

static int profile_limits(profile *p, double est, double level, double *lo, double *hi)
{
    double Nmax, lmax;
    if (profile_max(p, est, &Nmax, &lmax))
        return p->failed == CT_ENOMEM ? CT_ENOMEM : -1;
    p->target = lmax - gsl_cdf_chisq_Pinv(level, 1) / 2;
    double l = profile_root(p, p->n, Nmax);
    double u = profile_root(p, Nmax, 3 * est);
    if (p->failed)
        return p->failed == CT_ENOMEM ? CT_ENOMEM : -1;
    *lo = isnan(l) ? p->n : l; /* as Rcapture: the lower limit is then n */
    *hi = isnan(u) ? INFINITY : u;
    return 0;
}

int est_profile_interval(const est_table *tab, const est_model *m, double est, double level,
                         est_work *w, double *lo, double *hi)
{
    est_gsl_quiet();
    profile p = {
        ct_malloc(sizeof(est_table)), m, w, ct_malloc(sizeof(est_fit)), est_total(tab), 0, 0};
    int r = CT_ENOMEM;
    if (p.aug && p.f) {
        memcpy(p.aug, tab, sizeof(*tab));
        p.aug->zero_cell = 1;
        r = profile_limits(&p, est, level, lo, hi);
    }
    ct_free(p.aug);
    ct_free(p.f);
    return r;
}
