/*
 * bic.c - BIC selection over hierarchical log-linear models with two- and
 * three-list terms (Silverman, Chan & Vincent 2024): an exhaustive search
 * up to 6 lists, forward selection on BIC beyond (issue 5).
 *
 * BIC = −2 log L + k log n_obs, k counting −∞ terms too (as AIC does,
 * mse.md). Hierarchy: a term A:B:C only with A:B, A:C and B:C; a three-list
 * term containing an empty pair is never a candidate (its cells are already
 * dropped, it would have no column).
 *
 * The exhaustive search is a branch and bound ("leaps and bounds"): terms
 * are decided in or out one by one; every model below a node contains the
 * terms already in and lies inside the node's largest model, so its
 * deviance is at least that model's and its k at least the terms already in.
 * Six lists have 3.7 million hierarchical models; the bound visits a tiny
 * share of them. Models are fitted without the existence checks while
 * searching (an extended MLE still bounds the deviance); a model replaces
 * the best so far only once it passes est_check.
 */
#include "estimate_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <math.h>
#include <string.h>

enum { EXHAUSTIVE_MAX_LISTS = 6 };
#define MAX_FITS 400000L /* a safety net for the search on pathological tables */

typedef struct bic_search {
    const est_table *tab;
    est_work *w;
    est_fit *f;
    double logn;
    int nt;
    unsigned term[EST_MAX_TERMS];  /* candidates: pairs first, then triples */
    signed char in[EST_MAX_TERMS]; /* 1 in, 0 out, -1 undecided */
    double best;
    est_model best_model;
    long fits;
    int err;
} bic_search;

static double bic_of(const bic_search *s, const est_fit *f, int nterms)
{
    /* −2 log L differs from the deviance by a constant that is the same for
     * every model (dropped cells have y = 0), so the deviance serves */
    return f->deviance + (1 + s->tab->t + nterms) * s->logn;
}

static int pair_in(const bic_search *s, unsigned P, int allow_undecided)
{
    for (int k = 0; k < s->nt; k++)
        if (s->term[k] == P)
            return s->in[k] == 1 || (allow_undecided && s->in[k] < 0);
    return 0;
}

/* Whether all three pairs of triple T are in (or may still be). */
static int pairs_of_triple_in(const bic_search *s, unsigned T, int allow_undecided)
{
    for (int i = 0; i < CT_ESTIMATE_MAX_LISTS; i++)
        if ((T >> i) & 1u)
            if (!pair_in(s, T & ~(1u << i), allow_undecided))
                return 0;
    return 1;
}

static void candidates(bic_search *s)
{
    int t = s->tab->t;
    s->nt = 0;
    for (int i = 0; i < t; i++)
        for (int j = i + 1; j < t; j++)
            s->term[s->nt++] = (1u << i) | (1u << j);
    for (int i = 0; i < t; i++)
        for (int j = i + 1; j < t; j++)
            for (int k = j + 1; k < t; k++) {
                unsigned T = (1u << i) | (1u << j) | (1u << k);
                if (est_overlap(s->tab, (1u << i) | (1u << j)) > 0 &&
                    est_overlap(s->tab, (1u << i) | (1u << k)) > 0 &&
                    est_overlap(s->tab, (1u << j) | (1u << k)) > 0)
                    s->term[s->nt++] = T;
            }
}

/* The terms in (upper = 0) or in-or-possible (upper = 1), hierarchical. */
static void model_of(const bic_search *s, int upper, est_model *m)
{
    m->nterms = 0;
    for (int k = 0; k < s->nt; k++) {
        int ok = s->in[k] == 1 || (upper && s->in[k] < 0);
        if (ok && __builtin_popcount(s->term[k]) == 3)
            ok = pairs_of_triple_in(s, s->term[k], upper);
        if (ok)
            m->term[m->nterms++] = s->term[k];
    }
}

/* Deviance of m, or -1 when the fit fails (then nothing can be pruned). */
static double deviance(bic_search *s, const est_model *m)
{
    s->fits++;
    if (est_fit_model(s->tab, m, s->w, s->f) < 0) {
        s->err = CT_ENOMEM;
        return -1;
    }
    return s->f->status == EST_FIT_OK ? s->f->deviance : -1;
}

/* A complete model: keep it when it beats the best and passes the checks. */
static void leaf(bic_search *s)
{
    est_model m;
    model_of(s, 0, &m);
    double dev = deviance(s, &m);
    if (dev < 0)
        return;
    double b = dev + (1 + s->tab->t + m.nterms) * s->logn;
    if (b >= s->best)
        return;
    int r = est_check(s->tab, &m, s->w);
    if (r < 0)
        s->err = r;
    else if (r == EST_FIT_OK)
        s->best = b, s->best_model = m;
}

static int count_in(const bic_search *s)
{
    int n = 0;
    for (int k = 0; k < s->nt; k++)
        n += s->in[k] == 1;
    return n;
}

/* devup: the deviance of the node's largest model (-1: unknown). */
static void branch(bic_search *s, int k, double devup)
{
    if (s->err || s->fits > MAX_FITS)
        return;
    if (devup >= 0 && devup + (1 + s->tab->t + count_in(s)) * s->logn >= s->best - 1e-9)
        return;
    if (k == s->nt) {
        leaf(s);
        return;
    }
    int is_triple = __builtin_popcount(s->term[k]) == 3;
    if (!is_triple || pairs_of_triple_in(s, s->term[k], 0)) {
        s->in[k] = 1; /* the largest model is unchanged */
        branch(s, k + 1, devup);
    }
    s->in[k] = 0;
    est_model up;
    model_of(s, 1, &up);
    branch(s, k + 1, deviance(s, &up));
    s->in[k] = -1;
}

/* ---- forward selection on BIC: the start of the search, and the method
 * beyond 6 lists ---- */

static int forward_candidate(const bic_search *s, const est_model *m, unsigned T)
{
    for (int k = 0; k < m->nterms; k++)
        if (m->term[k] == T)
            return 0;
    if (__builtin_popcount(T) == 2)
        return 1;
    for (int i = 0; i < CT_ESTIMATE_MAX_LISTS; i++) /* hierarchy */
        if ((T >> i) & 1u) {
            unsigned P = T & ~(1u << i);
            int found = 0;
            for (int k = 0; k < m->nterms && !found; k++)
                found = m->term[k] == P;
            if (!found)
                return 0;
        }
    return 1;
}

/* Adds the admissible term that lowers BIC most; returns 1, 0 or CT_E*. */
static int forward_step(bic_search *s, est_selection *sel, double *cur)
{
    double bestb = *cur;
    unsigned bestT = 0;
    for (int k = 0; k < s->nt; k++) {
        if (!forward_candidate(s, &sel->model, s->term[k]))
            continue;
        est_model trial = sel->model;
        trial.term[trial.nterms++] = s->term[k];
        double dev = deviance(s, &trial);
        if (s->err)
            return s->err;
        double b = dev + (1 + s->tab->t + trial.nterms) * s->logn;
        if (dev < 0 || b >= bestb)
            continue;
        int r = est_check(s->tab, &trial, s->w);
        if (r < 0)
            return r;
        if (r == EST_FIT_OK)
            bestb = b, bestT = s->term[k];
    }
    if (!bestT)
        return 0;
    sel->model.term[sel->model.nterms++] = bestT;
    sel->step[sel->nsteps++] = (est_step){bestT, NAN, bestb};
    *cur = bestb;
    return 1;
}

static int forward(bic_search *s, est_selection *sel)
{
    double dev = deviance(s, &sel->model);
    if (s->err || dev < 0)
        return s->err;
    double cur = bic_of(s, s->f, 0);
    int r;
    while ((r = forward_step(s, sel, &cur)) == 1)
        ;
    s->best = cur;
    s->best_model = sel->model;
    return r;
}

int est_select_bic(const est_table *tab, const est_select_opts *o, est_work *w, est_selection *sel,
                   est_fit *f)
{
    (void)o;
    bic_search *s = ct_calloc(1, sizeof(*s));
    if (!s)
        return CT_ENOMEM;
    s->tab = tab, s->w = w, s->f = f;
    s->logn = log(est_total(tab));
    candidates(s);
    int r = forward(s, sel);
    if (!r && tab->t <= EXHAUSTIVE_MAX_LISTS) {
        memset(s->in, -1, sizeof(s->in));
        est_model up;
        model_of(s, 1, &up);
        branch(s, 0, deviance(s, &up));
        sel->truncated = s->fits > MAX_FITS;
        r = s->err;
        if (!r) { /* the exhaustive winner, listed as terms without steps */
            sel->model = s->best_model;
            sel->nsteps = 0;
            for (int k = 0; k < s->best_model.nterms; k++)
                sel->step[sel->nsteps++] = (est_step){s->best_model.term[k], NAN, NAN};
        }
    }
    ct_free(s);
    if (r)
        return r;
    return est_fit_model(tab, &sel->model, w, f);
}
