/*
 * select.c - choosing the model: main effects, the stepwise selection of
 * Chan, Silverman & Vincent (2021) on Poisson p-values, and AIC forward
 * selection (Bales, Hesketh & Silverman 2015). BIC is in bic.c.
 *
 * Every model that selection keeps has passed est_check (existence and
 * identifiability), so a number is only ever printed for a model whose
 * maximum-likelihood estimate exists and is unique.
 */
#include "estimate_int.h"

#include "core/alloc.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int est_select_bic(const est_table *tab, const est_select_opts *o, est_work *w, est_selection *sel,
                   est_fit *f);

static int has_term(const est_model *m, unsigned T)
{
    for (int k = 0; k < m->nterms; k++)
        if (m->term[k] == T)
            return 1;
    return 0;
}

static int all_pairs(int t, unsigned *pairs)
{
    int n = 0;
    for (int i = 0; i < t; i++)
        for (int j = i + 1; j < t; j++) /* the order (1,2),(1,3)…(2,3)… of mse.md */
            pairs[n++] = (1u << i) | (1u << j);
    return n;
}

static void add_step(est_selection *sel, unsigned T, double p, double crit)
{
    sel->model.term[sel->model.nterms++] = T;
    sel->step[sel->nsteps++] = (est_step){T, p, crit};
}

/* Candidate pairs ordered by p-value, ties by their order in the list. */
typedef struct cand {
    unsigned term;
    int order;
    double p;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->order - y->order;
}

/* μ*_T: the fitted mean of the kept cells containing every list of T. */
static double fitted_overlap(const est_table *tab, const est_fit *f, unsigned T)
{
    double s = 0;
    unsigned ncell = 1u << tab->t;
    for (unsigned c = 1; c < ncell; c++)
        if ((c & T) == T)
            s += f->mu[c];
    return s;
}

/*
 * One cycle of mse.md step 3: the admissible pair with the smallest p-value
 * below the threshold. Only the best candidates are checked (in order of p)
 * instead of all of them: the choice is the same, for a fraction of the
 * linear programmes. Returns 1 when a pair was added, 0 when none, or a
 * negative CT_E* code.
 */
static int stepwise_cycle(const est_table *tab, double thr, est_work *w, est_selection *sel,
                          const est_fit *f)
{
    unsigned pairs[EST_MAX_TERMS];
    cand c[EST_MAX_TERMS];
    int np = all_pairs(tab->t, pairs), nc = 0;
    for (int k = 0; k < np; k++) {
        if (has_term(&sel->model, pairs[k]))
            continue;
        double p = est_poisson_p(est_overlap(tab, pairs[k]), fitted_overlap(tab, f, pairs[k]));
        c[nc++] = (cand){pairs[k], k, p};
    }
    qsort(c, (size_t)nc, sizeof(*c), cand_cmp);
    for (int k = 0; k < nc && c[k].p < thr; k++) {
        est_model trial = sel->model;
        trial.term[trial.nterms++] = c[k].term;
        int r = est_check(tab, &trial, w);
        if (r < 0)
            return r;
        if (r == EST_FIT_OK) {
            add_step(sel, c[k].term, c[k].p, NAN);
            return 1;
        }
    }
    return 0;
}

/* Threshold 1 asks for every pair: the full model when it passes the
 * checks (as SparseMSE does), else stepwise until none is admissible. */
static int try_full_model(const est_table *tab, est_work *w, est_selection *sel)
{
    est_model full = {0};
    full.nterms = all_pairs(tab->t, full.term);
    int r = est_check(tab, &full, w);
    if (r != EST_FIT_OK)
        return r < 0 ? r : 0;
    for (int k = 0; k < full.nterms; k++)
        add_step(sel, full.term[k], NAN, NAN);
    return 1;
}

static int select_stepwise(const est_table *tab, double thr, est_work *w, est_selection *sel,
                           est_fit *f)
{
    int r;
    if (thr >= 1 && (r = try_full_model(tab, w, sel)) != 0)
        return r < 0 ? r : est_fit_model(tab, &sel->model, w, f);
    if ((r = est_fit_model(tab, &sel->model, w, f)) < 0)
        return r;
    while (f->status == EST_FIT_OK && (r = stepwise_cycle(tab, thr, w, sel, f)) == 1)
        if ((r = est_fit_model(tab, &sel->model, w, f)) < 0)
            return r;
    return r < 0 ? r : 0;
}

/* ---- AIC forward selection ---------------------------------------------- */

/* Wald p-value of the last term of m in fit f; 1 for a −∞ term, whose
 * coefficient has no finite estimate and so cannot pass a Wald test. */
static double wald_p_last(const est_fit *f, const est_model *m, const est_table *tab)
{
    unsigned T = m->term[m->nterms - 1];
    for (int k = 0; k < f->nempty; k++)
        if (f->empty[k] == T)
            return 1;
    int col = f->ncols - 1;
    double z = f->beta[col] / sqrt(f->cov_diag[col]);
    (void)tab;
    return 2 * gsl_cdf_ugaussian_Q(fabs(z));
}

typedef struct aic_cand {
    unsigned term;
    int order;
    double aic;
} aic_cand;

static int aic_cmp(const void *a, const void *b)
{
    const aic_cand *x = a, *y = b;
    if (x->aic != y->aic)
        return x->aic < y->aic ? -1 : 1;
    return x->order - y->order;
}

/* AIC of every admissible one-pair extension, sorted. Returns how many. */
static int aic_candidates(const est_table *tab, est_work *w, const est_selection *sel, est_fit *f,
                          aic_cand *c)
{
    unsigned pairs[EST_MAX_TERMS];
    int np = all_pairs(tab->t, pairs), nc = 0;
    for (int k = 0; k < np; k++) {
        if (has_term(&sel->model, pairs[k]))
            continue;
        est_model trial = sel->model;
        trial.term[trial.nterms++] = pairs[k];
        int r = est_fit_model(tab, &trial, w, f);
        if (r < 0)
            return r;
        if (f->status == EST_FIT_OK)
            c[nc++] = (aic_cand){pairs[k], k, f->aic};
    }
    qsort(c, (size_t)nc, sizeof(*c), aic_cmp);
    return nc;
}

/*
 * One cycle: the pair that lowers AIC most among those whose model passes
 * the checks; it enters only if its Wald p-value is at most the threshold
 * (modslavmse's MSEfit). Returns 1 when added, 0 to stop, or CT_E*.
 */
static int aic_cycle(const est_table *tab, double thr, double aic0, est_work *w, est_selection *sel,
                     est_fit *f)
{
    aic_cand c[EST_MAX_TERMS];
    int nc = aic_candidates(tab, w, sel, f, c);
    if (nc < 0)
        return nc;
    for (int k = 0; k < nc && c[k].aic < aic0; k++) {
        est_model trial = sel->model;
        trial.term[trial.nterms++] = c[k].term;
        int r = est_check(tab, &trial, w);
        if (r < 0)
            return r;
        if (r != EST_FIT_OK)
            continue;
        if ((r = est_fit_model(tab, &trial, w, f)) < 0)
            return r;
        double p = wald_p_last(f, &trial, tab);
        if (!(p <= thr))
            return 0;
        add_step(sel, c[k].term, p, c[k].aic);
        return 1;
    }
    return 0;
}

static int select_aic(const est_table *tab, double thr, est_work *w, est_selection *sel, est_fit *f)
{
    int r = est_fit_model(tab, &sel->model, w, f);
    if (r < 0 || f->status != EST_FIT_OK)
        return r;
    double aic0 = f->aic;
    while ((r = aic_cycle(tab, thr, aic0, w, sel, f)) == 1)
        aic0 = sel->step[sel->nsteps - 1].aic;
    if (r < 0)
        return r;
    return est_fit_model(tab, &sel->model, w, f);
}

int est_select(const est_table *tab, const est_select_opts *o, est_work *w, est_selection *sel,
               est_fit *f)
{
    memset(&sel->model, 0, sizeof(sel->model));
    sel->nsteps = 0;
    sel->truncated = 0;
    /* even main effects need the check: with no overlap at all, or a list
     * holding every case, the MLE does not exist */
    int r = est_check(tab, &sel->model, w);
    if (r < 0)
        return r;
    if (r != EST_FIT_OK) {
        f->status = r;
        return 0;
    }
    switch (o->method) {
    case CT_ESTIMATE_MAIN:
        return est_fit_model(tab, &sel->model, w, f);
    case CT_ESTIMATE_STEPWISE:
        return select_stepwise(tab, o->threshold, w, sel, f);
    case CT_ESTIMATE_AIC:
        return select_aic(tab, o->threshold, w, sel, f);
    case CT_ESTIMATE_BIC:
        return est_select_bic(tab, o, w, sel, f);
    }
    return CT_EINTERNAL;
}

/* The table without the lists that have no case (their main effect is −∞,
 * so the estimate is that of the other lists). Returns the lists kept. */
static int drop_empty_lists(const est_table *tab, est_table *out)
{
    int map[CT_ESTIMATE_MAX_LISTS], t = 0;
    for (int i = 0; i < tab->t; i++)
        map[i] = est_overlap(tab, 1u << i) > 0 ? t++ : -1;
    out->t = t;
    out->zero_cell = 0;
    memset(out->y, 0, sizeof(double) << t);
    unsigned ncell = 1u << tab->t;
    for (unsigned c = 1; c < ncell; c++) {
        if (tab->y[c] == 0)
            continue;
        unsigned nc = 0;
        for (int i = 0; i < tab->t; i++)
            if (c & (1u << i))
                nc |= 1u << map[i];
        out->y[nc] += tab->y[c];
    }
    return t;
}

double est_point(const est_table *tab, const est_select_opts *o, est_work *w, est_fit *f)
{
    est_table *t2 = ct_malloc(sizeof(*t2));
    est_selection *sel = ct_malloc(sizeof(*sel));
    double est = NAN;
    if (t2 && sel && drop_empty_lists(tab, t2) >= 2 && est_select(t2, o, w, sel, f) == 0 &&
        f->status == EST_FIT_OK)
        est = est_total(t2) + exp(f->beta0);
    ct_free(t2);
    ct_free(sel);
    return isfinite(est) ? est : NAN;
}
