/*
 * fs.c - the Fellegi-Sunter model: u from random pairs, m and lambda by EM
 * on agreement-pattern counts, match weights with term-frequency
 * adjustments (docs/linkage.md "Model"; Splink's expectation_maximisation.py
 * and fastLink's emlinkMARmov, on counts of patterns so one iteration costs
 * O(#patterns), not O(#pairs)).
 *
 * EM here estimates m, u and lambda on the blocked candidate pairs (as
 * fastLink does), starting from u measured on random pairs; when it
 * degenerates (lambda at 0 or 1) it runs again with u fixed at the random
 * values (Splink's default). Term frequencies use the random-pair chance of
 * exact agreement, so a name rarer than average weighs more and a common one
 * less, whatever u the EM settled on.
 */
#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS         1e-2 /* pseudo-count per level: no probability is ever 0 */
#define M_FLOOR     1e-3 /* smallest m of a level in a fitted model */
#define MIN_SESSION 30   /* pairs a training session needs */

static double clampp(double p)
{
    return p < 1e-9 ? 1e-9 : p > 1 - 1e-9 ? 1 - 1e-9 : p;
}

static int skipped(const ct_link_em *em, size_t f)
{
    return em->skip && em->skip[f];
}

/* u of field g in this pattern: conditional on an earlier (or blocked-on)
 * field at its top level when the two are dependent (depend.c). */
static double u_of(const ct_link_em *em, const signed char *pat, size_t g)
{
    size_t n = em->nfields;
    for (size_t f = 0; em->cond && f < n; f++) {
        if (f == g || !em->cond[f * n + g] || pat[f] != em->nlevels[f] - 1)
            continue;
        if (f < g || skipped(em, f))
            return em->ucond[(f * n + g) * CT_LINK_MAX_LEVELS + pat[g]];
    }
    return em->u[g * CT_LINK_MAX_LEVELS + pat[g]];
}

/* Posterior match probability of pattern i. */
static double posterior(const ct_link_em *em, const signed char *pat)
{
    double lm = log(clampp(em->lambda)), lu = log(clampp(1 - em->lambda));
    for (size_t f = 0; f < em->nfields; f++) {
        int l = pat[f];
        if (l < 0 || skipped(em, f))
            continue;
        lm += log(clampp(em->m[f * CT_LINK_MAX_LEVELS + l]));
        lu += log(clampp(u_of(em, pat, f)));
    }
    double d = lu - lm;
    return d > 700 ? 0.0 : 1.0 / (1.0 + exp(d));
}

static void normalise_rows(const ct_link_em *em, double *sum_m, double *sum_u, double *delta)
{
    for (size_t f = 0; f < em->nfields; f++) {
        double tm = 0, tu = 0;
        int L = em->nlevels[f];
        if (skipped(em, f))
            continue;
        double *sm = sum_m + f * CT_LINK_MAX_LEVELS, *su = sum_u + f * CT_LINK_MAX_LEVELS;
        for (int l = 0; l < L; l++) {
            tm += sm[l] + EPS;
            tu += su[l] + EPS;
        }
        for (int l = 0; l < L; l++) {
            double m = (sm[l] + EPS) / tm, u = (su[l] + EPS) / tu;
            double *pm = &em->m[f * CT_LINK_MAX_LEVELS + l],
                   *pu = &em->u[f * CT_LINK_MAX_LEVELS + l];
            *delta = fmax(*delta, fabs(m - *pm));
            *pm = m;
            if (!em->fix_u && !(em->fixed_u && em->fixed_u[f])) {
                *delta = fmax(*delta, fabs(u - *pu));
                *pu = u;
            }
        }
    }
}

int ct_link_em_run(ct_link_em *em, const signed char *patterns, const double *counts,
                   size_t npatterns, ct_err *err)
{
    if (em->nfields == 0 || em->nfields > 16)
        return ct_err_set(err, CT_EINVAL, "%s", _("between 1 and 16 fields are needed"));
    for (size_t f = 0; f < em->nfields; f++)
        if (em->nlevels[f] < 2 || em->nlevels[f] > CT_LINK_MAX_LEVELS)
            return ct_err_set(err, CT_EINVAL, "%s", _("each field needs 2 to 8 levels"));
    size_t cells = em->nfields * CT_LINK_MAX_LEVELS;
    double *sum_m = ct_calloc(cells * 2, sizeof(double));
    if (!sum_m)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    double *sum_u = sum_m + cells;
    int max_iter = em->max_iter > 0 ? em->max_iter : 100, it = 0;
    double tol = em->tol > 0 ? em->tol : 1e-6;
    for (it = 1; it <= max_iter; it++) {
        memset(sum_m, 0, cells * 2 * sizeof(double));
        double total = 0, matched = 0;
        for (size_t i = 0; i < npatterns; i++) {
            const signed char *pat = patterns + i * em->nfields;
            double g = posterior(em, pat), c = counts[i];
            total += c;
            matched += g * c;
            for (size_t f = 0; f < em->nfields; f++) {
                if (pat[f] < 0 || pat[f] >= em->nlevels[f] || skipped(em, f))
                    continue;
                sum_m[f * CT_LINK_MAX_LEVELS + pat[f]] += g * c;
                sum_u[f * CT_LINK_MAX_LEVELS + pat[f]] += (1 - g) * c;
            }
        }
        double delta = total > 0 ? fabs(matched / total - em->lambda) : 0;
        em->lambda = total > 0 ? matched / total : em->lambda;
        normalise_rows(em, sum_m, sum_u, &delta);
        if (delta < tol)
            break;
    }
    ct_free(sum_m);
    return it > max_iter ? max_iter : it;
}

/* ------------------------------------------------------- model of a run */

typedef struct sampler {
    const ct_link_data *d;
    enum ct_link_mode mode;
    uint64_t rng;
    uint32_t *side[2]; /* link mode: the records of each source */
    size_t nside[2];
} sampler;

/* A random pair the mode wants; 0 when none was found in a few tries.
 * Link mode draws one record from each source, however unequal their
 * sizes. */
static int random_pair(sampler *s, uint32_t *a, uint32_t *b)
{
    size_t n = s->d->n;
    for (int tries = 0; tries < 64; tries++) {
        uint32_t x, y;
        if (s->side[0]) {
            if (!s->nside[0] || !s->nside[1])
                return 0;
            x = s->side[0][ct_link_rand(&s->rng) % s->nside[0]];
            y = s->side[1][ct_link_rand(&s->rng) % s->nside[1]];
        } else {
            x = (uint32_t)(ct_link_rand(&s->rng) % n);
            y = (uint32_t)(ct_link_rand(&s->rng) % n);
        }
        if (x == y || !ct_link_pair_wanted(s->d, s->mode, x < y ? x : y, x < y ? y : x))
            continue;
        *a = x < y ? x : y;
        *b = x < y ? y : x;
        return 1;
    }
    return 0;
}

static int sampler_sides(sampler *s)
{
    const ct_link_data *d = s->d;
    for (int k = 0; k < 2; k++)
        if (!(s->side[k] = ct_malloc((d->n ? d->n : 1) * sizeof(uint32_t))))
            return CT_ENOMEM;
    for (uint32_t i = 0; i < d->n; i++) {
        int k = d->source[i] != 0;
        s->side[k][s->nside[k]++] = i;
    }
    return 0;
}

static void start_m(ct_link_model *mo, size_t c)
{
    int L = mo->nlev[c];
    /* most matches agree exactly; the rest spread, fewer the worse the level */
    double rest = 0.15, tot = 0;
    for (int l = 0; l < L - 1; l++)
        tot += l + 1;
    for (int l = 0; l < L - 1; l++)
        mo->m[c][l] = rest * (l + 1) / tot;
    mo->m[c][L - 1] = 1 - rest;
}

static void count_pair(const ct_link_data *d, uint32_t a, uint32_t b,
                       double cnt[16][CT_LINK_MAX_LEVELS])
{
    signed char lev[16];
    ct_link_compare_all(d, a, b, lev);
    for (size_t c = 0; c < d->ncols; c++)
        if (lev[c] >= 0)
            cnt[c][lev[c]]++;
}

/* Level counts over random pairs; a small list has all its pairs counted
 * once instead (sampling 200,000 times from 21 pairs says nothing more). */
static int count_random(const ct_link_data *d, const ct_link_opts *o,
                        double cnt[16][CT_LINK_MAX_LEVELS])
{
    size_t want = o->u_pairs ? o->u_pairs : 200000;
    /* incremental: u describes non-matches of the whole population, old
     * pairs included (a few new records would give too few pairs) */
    enum ct_link_mode mode = o->mode == CT_LINK_INCREMENTAL ? CT_LINK_DEDUPE : o->mode;
    if (d->n < 2)
        return 0;
    if ((double)d->n * (double)(d->n - 1) / 2 <= (double)want) {
        for (uint32_t a = 0; a < d->n; a++)
            for (uint32_t b = a + 1; b < d->n; b++)
                if (ct_link_pair_wanted(d, mode, a, b))
                    count_pair(d, a, b, cnt);
        return 0;
    }
    sampler s = {d, mode, o->seed ? o->seed : 0x6c696e6b, {NULL, NULL}, {0, 0}};
    if (mode == CT_LINK_LINK && sampler_sides(&s)) {
        ct_free(s.side[0]);
        ct_free(s.side[1]);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < want; i++) {
        uint32_t a, b;
        if (!random_pair(&s, &a, &b))
            break;
        count_pair(d, a, b, cnt);
    }
    ct_free(s.side[0]);
    ct_free(s.side[1]);
    return 0;
}

/* u = counts smoothed towards a generic prior worth PRIOR_PAIRS pairs (most
 * random pairs disagree; 1 % agree exactly): a large list is unaffected,
 * and in a small one a few duplicates among the random pairs do not make
 * agreement look common. */
static void set_u(ct_link_model *mo, size_t c, const double *cnt)
{
    enum { PRIOR_PAIRS = 50 };
    int L = mo->nlev[c];
    double tot = PRIOR_PAIRS;
    for (int l = 0; l < L; l++)
        tot += cnt[l];
    for (int l = 0; l < L; l++) {
        double prior = l == L - 1 ? 0.01 : l == 0 ? 0.97 : 0.02 / (L > 2 ? L - 2 : 1);
        if (L == 2)
            prior = l ? 0.03 : 0.97;
        mo->u_rand[c][l] = mo->u[c][l] = (cnt[l] + PRIOR_PAIRS * prior) / tot;
    }
}

int ct_link_model_init(ct_link_model *mo, const ct_link_data *d, const ct_link_opts *o, ct_err *err)
{
    memset(mo, 0, sizeof(*mo));
    mo->data = d;
    mo->ncols = d->ncols;
    double cnt[16][CT_LINK_MAX_LEVELS] = {{0}};
    if (count_random(d, o, cnt))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t c = 0; c < d->ncols; c++) {
        mo->method[c] = d->col[c].c.method;
        mo->nlev[c] = ct_link_method_levels(mo->method[c]);
        mo->u_tf[c] = d->col[c].u_tf;
        set_u(mo, c, cnt[c]);
        start_m(mo, c);
    }
    mo->lambda = 0.1;
    return ct_link_model_dependence(mo, d, o, err);
}

static void set_weights(ct_link_model *mo)
{
    for (size_t c = 0; c < mo->ncols; c++)
        for (int l = 0; l < mo->nlev[c]; l++) {
            mo->w[c][l] = log2(clampp(mo->m[c][l]) / clampp(mo->u[c][l]));
            for (size_t a = 0; a < c; a++)
                mo->wc[a][c][l] = log2(clampp(mo->m[c][l]) / clampp(mo->u_cond[a][c][l]));
        }
    mo->prior = log2(clampp(mo->lambda) / clampp(1 - mo->lambda));
}

/* Unpacks a session's patterns. */
static signed char *unpack(const ct_link_model *mo, const ct_link_session *s)
{
    signed char *pat = ct_malloc((s->n ? s->n : 1) * mo->ncols);
    if (!pat)
        return NULL;
    for (size_t i = 0; i < s->n; i++)
        for (size_t c = 0; c < mo->ncols; c++)
            pat[i * mo->ncols + c] = (signed char)((s->keys[i] >> (4 * c) & 15) - 1);
    return pat;
}

static void rule_columns(const ct_link_data *d, const ct_link_session *s, unsigned char *blocked)
{
    memset(blocked, 0, 16);
    for (int k = 0; k < s->nparts; k++) {
        if (s->kind[k] != P_SORTED_NAMES) {
            blocked[s->col[k]] = 1;
            continue;
        }
        if (d->given >= 0)
            blocked[d->given] = 1;
        if (d->family >= 0)
            blocked[d->family] = 1;
    }
}

typedef struct session_fit {
    double m[16 * CT_LINK_MAX_LEVELS], lambda, weight;
    unsigned char blocked[16];
    int ok;
} session_fit;

/* EM on one session, u fixed at the random-pair values: within a rule's
 * blocks the columns it does not block on are as independent of the rule
 * for non-matches as in random pairs, so u is known and only m and the
 * session's lambda are estimated. */
static int fit_session(const ct_link_model *mo, const ct_link_data *d, const ct_link_session *s,
                       const ct_link_opts *o, session_fit *f, ct_err *err)
{
    rule_columns(d, s, f->blocked); /* not estimated where blocked on (Splink) */
    signed char *pat = unpack(mo, s);
    if (!pat)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    double u[16 * CT_LINK_MAX_LEVELS];
    memcpy(f->m, mo->m, sizeof(f->m));
    memcpy(u, mo->u_rand, sizeof(u));
    unsigned char cond[16 * 16];
    double *ucond = ct_malloc(16 * 16 * CT_LINK_MAX_LEVELS * sizeof(double));
    if (!ucond) {
        ct_free(pat);
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    size_t n = mo->ncols;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            cond[a * n + b] = mo->cond[a][b];
            memcpy(ucond + (a * n + b) * CT_LINK_MAX_LEVELS, mo->u_cond[a][b],
                   CT_LINK_MAX_LEVELS * sizeof(double));
        }
    ct_link_em em = {n,         mo->nlev, f->m,       u,    0.1,  1, o->em_max_iter,
                     o->em_tol, NULL,     f->blocked, cond, ucond};
    int it = ct_link_em_run(&em, pat, s->counts, s->n, err);
    ct_free(pat);
    ct_free(ucond);
    if (it < 0)
        return it;
    f->lambda = em.lambda;
    /* too few pairs teach nothing: the defaults stay (small lists) */
    f->ok = s->sampled >= MIN_SESSION && em.lambda > 1e-7 && em.lambda < 0.999;
    f->weight = em.lambda * s->sampled; /* about the matches it saw */
    return 0;
}

/* m of each column: the sessions where it was free, weighted by the
 * matches each saw; the starting values where none was. */
static void combine_m(ct_link_model *mo, const session_fit *f, size_t ns)
{
    for (size_t c = 0; c < mo->ncols; c++) {
        double wsum = 0, acc[CT_LINK_MAX_LEVELS] = {0};
        for (size_t r = 0; r < ns; r++) {
            if (!f[r].ok || f[r].blocked[c])
                continue;
            for (int l = 0; l < mo->nlev[c]; l++)
                acc[l] += f[r].weight * f[r].m[c * CT_LINK_MAX_LEVELS + l];
            wsum += f[r].weight;
        }
        if (wsum <= 0)
            continue;
        /* no level is impossible for a match (a typo in the sex column must
         * not veto a link): m is floored, then normalised again */
        double tot = 0;
        for (int l = 0; l < mo->nlev[c]; l++)
            tot += (acc[l] = acc[l] / wsum < M_FLOOR ? M_FLOOR : acc[l] / wsum);
        for (int l = 0; l < mo->nlev[c]; l++)
            mo->m[c][l] = acc[l] / tot;
    }
}

/* Share of matches that a rule's key keeps together, from m. */
static double recall(const ct_link_model *mo, const ct_link_data *d, const ct_link_session *s)
{
    double rec = 1;
    for (int k = 0; k < s->nparts; k++) {
        int cols[2] = {s->col[k], -1}, n = 1;
        if (s->kind[k] == P_SORTED_NAMES) {
            cols[0] = d->given >= 0 ? d->given : d->family;
            cols[1] = d->given >= 0 ? d->family : -1;
            n = cols[1] >= 0 ? 2 : 1;
        }
        for (int i = 0; i < n; i++) {
            double p = 0;
            for (int l = 0; l < mo->nlev[cols[i]]; l++)
                p += ct_link_level_shares_key(mo->method[cols[i]], s->kind[k], l) *
                     mo->m[cols[i]][l];
            rec *= p;
        }
    }
    return rec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* lambda over all pairs: each session estimates the number of matches as
 * (its lambda x its pairs) / (the share of matches its rule keeps); the
 * median of those, over all pairs (Splink estimates it from deterministic
 * rules and their recall in the same way). */
static double all_pairs_lambda(const ct_link_model *mo, const ct_link_data *d,
                               const ct_link_session *s, const session_fit *f, size_t ns,
                               double npairs_all)
{
    double est[CT_LINK_MAX_RULES];
    size_t k = 0;
    for (size_t r = 0; r < ns && k < CT_LINK_MAX_RULES; r++) {
        double rec = recall(mo, d, &s[r]);
        if (f[r].ok && rec > 0.05)
            est[k++] = f[r].lambda * s[r].pairs / rec;
    }
    if (!k || npairs_all <= 0) /* no estimate: about one match per record */
        return d->n > 1 ? 1.0 / (double)d->n : 0.5;
    qsort(est, k, sizeof(double), cmp_double);
    double matches = k % 2 ? est[k / 2] : (est[k / 2 - 1] + est[k / 2]) / 2;
    double lambda = matches / npairs_all;
    return lambda < 1e-12 ? 1e-12 : lambda > 0.5 ? 0.5 : lambda;
}

int ct_link_model_fit(ct_link_model *mo, const ct_link_session *s, size_t ns, double npairs_all,
                      const ct_link_opts *o, ct_err *err)
{
    session_fit *f = ct_calloc(ns ? ns : 1, sizeof(*f));
    if (!f)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    int r = 0;
    for (size_t i = 0; i < ns && !r; i++)
        r = fit_session(mo, mo->data, &s[i], o, &f[i], err);
    if (!r) {
        for (size_t i = 0; i < ns; i++)
            mo->sessions += f[i].ok;
        combine_m(mo, f, ns);
        memcpy(mo->u, mo->u_rand, sizeof(mo->u));
        mo->lambda = all_pairs_lambda(mo, mo->data, s, f, ns, npairs_all);
        set_weights(mo);
    }
    ct_free(f);
    return r;
}

double ct_link_model_col_weight(const ct_link_model *mo, const ct_link_data *d, size_t c,
                                uint32_t a, uint32_t b, const signed char *lev)
{
    int level = lev[c];
    if (level < 0)
        return 0;
    double w = mo->w[c][level];
    for (size_t k = 0; k < c; k++) /* given an earlier dependent column's agreement */
        if (mo->cond[k][c] && lev[k] == mo->nlev[k] - 1) {
            w = mo->wc[k][c][level];
            break;
        }
    if (ct_link_level_is_exact(mo->method[c], level) && mo->u_tf[c] > 0) {
        float ta = d->col[c].v[a].tf, tb = d->col[c].v[b].tf;
        double tf = ta > tb ? ta : tb;
        if (tf > 0)
            w += log2(mo->u_tf[c] / tf);
    }
    return w;
}

double ct_link_model_weight(const ct_link_model *mo, const ct_link_data *d, uint32_t a, uint32_t b,
                            const signed char *lev)
{
    double w = mo->prior;
    for (size_t c = 0; c < mo->ncols; c++)
        w += ct_link_model_col_weight(mo, d, c, a, b, lev);
    return w;
}
