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
#include <string.h>

#define EPS 1e-2 /* pseudo-count per level: no probability is ever 0 */

static double clampp(double p)
{
    return p < 1e-9 ? 1e-9 : p > 1 - 1e-9 ? 1 - 1e-9 : p;
}

/* Posterior match probability of pattern i. */
static double posterior(const ct_link_em *em, const signed char *pat)
{
    double lm = log(clampp(em->lambda)), lu = log(clampp(1 - em->lambda));
    for (size_t f = 0; f < em->nfields; f++) {
        int l = pat[f];
        if (l < 0)
            continue;
        lm += log(clampp(em->m[f * CT_LINK_MAX_LEVELS + l]));
        lu += log(clampp(em->u[f * CT_LINK_MAX_LEVELS + l]));
    }
    double d = lu - lm;
    return d > 700 ? 0.0 : 1.0 / (1.0 + exp(d));
}

static void normalise_rows(const ct_link_em *em, double *sum_m, double *sum_u, double *delta)
{
    for (size_t f = 0; f < em->nfields; f++) {
        double tm = 0, tu = 0;
        int L = em->nlevels[f];
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
                if (pat[f] < 0 || pat[f] >= em->nlevels[f])
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
} sampler;

/* A random pair the mode wants; 0 when none was found in a few tries. */
static int random_pair(sampler *s, uint32_t *a, uint32_t *b)
{
    size_t n = s->d->n;
    for (int tries = 0; tries < 64; tries++) {
        uint32_t x = (uint32_t)(ct_link_rand(&s->rng) % n),
                 y = (uint32_t)(ct_link_rand(&s->rng) % n);
        if (x == y || !ct_link_pair_wanted(s->d, s->mode, x < y ? x : y, x < y ? y : x))
            continue;
        *a = x < y ? x : y;
        *b = x < y ? y : x;
        return 1;
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

/*
 * Dependence between columns: Fellegi-Sunter multiplies the evidence of
 * each column, which counts one fact twice when two columns say the same
 * thing (suburb and postcode: on the NC voter lists this alone linked
 * neighbours). Among random pairs whose names disagree (non-matches, even in
 * a random sample that holds a few matches) the lift
 *   P(both exact) / (P(a exact) P(b exact))
 * measures it; when both agree exactly the weight loses log2(lift). Name
 * columns are left out: names are what identifies, and their dependence is
 * the matching itself. Only lifts resting on enough agreements count.
 */
typedef struct dep_count {
    double n, one[16], both[16][16];
} dep_count;

static int is_name_col(const ct_link_data *d, size_t c)
{
    return (int)c == d->given || (int)c == d->family;
}

static void count_dependence(dep_count *dc, const ct_link_data *d, const signed char *lev)
{
    if (d->given < 0 && d->family < 0)
        return;
    if ((d->given >= 0 && lev[d->given] > 0) || (d->family >= 0 && lev[d->family] > 0))
        return; /* maybe a match */
    dc->n++;
    for (size_t c = 0; c < d->ncols; c++) {
        if (is_name_col(d, c) || lev[c] != ct_link_method_levels(d->col[c].c.method) - 1)
            continue;
        dc->one[c]++;
        for (size_t c2 = c + 1; c2 < d->ncols; c2++)
            dc->both[c][c2] +=
                !is_name_col(d, c2) && lev[c2] == ct_link_method_levels(d->col[c2].c.method) - 1;
    }
}

static void set_dependence(ct_link_model *mo, const dep_count *dc)
{
    for (size_t a = 0; a < mo->ncols; a++)
        for (size_t b = a + 1; b < mo->ncols; b++) {
            if (dc->both[a][b] < 20)
                continue;
            double lift = dc->both[a][b] * dc->n / (dc->one[a] * dc->one[b]);
            mo->dep[a][b] = lift > 2 ? log2(lift) : 0;
        }
}

int ct_link_model_init(ct_link_model *mo, const ct_link_data *d, const ct_link_opts *o, ct_err *err)
{
    memset(mo, 0, sizeof(*mo));
    mo->ncols = d->ncols;
    double cnt[16][CT_LINK_MAX_LEVELS] = {{0}};
    dep_count *dc = ct_calloc(1, sizeof(*dc));
    if (!dc)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    sampler s = {d, o->mode, o->seed ? o->seed : 0x6c696e6b};
    size_t want = o->u_pairs ? o->u_pairs : 200000;
    if (d->n >= 2) {
        for (size_t i = 0; i < want; i++) {
            uint32_t a, b;
            signed char lev[16];
            if (!random_pair(&s, &a, &b))
                break;
            ct_link_compare_all(d, a, b, lev);
            count_dependence(dc, d, lev);
            for (size_t c = 0; c < d->ncols; c++)
                if (lev[c] >= 0)
                    cnt[c][lev[c]]++;
        }
    }
    for (size_t c = 0; c < d->ncols; c++) {
        mo->method[c] = d->col[c].c.method;
        mo->nlev[c] = ct_link_method_levels(mo->method[c]);
        mo->u_tf[c] = d->col[c].u_tf;
        double tot = 0;
        for (int l = 0; l < mo->nlev[c]; l++)
            tot += cnt[c][l] + 0.5;
        for (int l = 0; l < mo->nlev[c]; l++)
            mo->u_rand[c][l] = mo->u[c][l] = (cnt[c][l] + 0.5) / tot;
        start_m(mo, c);
    }
    set_dependence(mo, dc);
    ct_free(dc);
    mo->lambda = 0.1;
    return 0;
}

static void set_weights(ct_link_model *mo)
{
    for (size_t c = 0; c < mo->ncols; c++)
        for (int l = 0; l < mo->nlev[c]; l++)
            mo->w[c][l] = log2(clampp(mo->m[c][l]) / clampp(mo->u[c][l]));
    mo->prior = log2(clampp(mo->lambda) / clampp(1 - mo->lambda));
}

static int em_once(ct_link_model *mo, const signed char *pat, const double *counts, size_t n,
                   const ct_link_opts *o, int fix_u, ct_err *err)
{
    double m[16 * CT_LINK_MAX_LEVELS], u[16 * CT_LINK_MAX_LEVELS];
    memcpy(m, mo->m, sizeof(m));
    memcpy(u, mo->u, sizeof(u));
    /* u of the columns no training rule blocks on is measured well on random
     * pairs; letting EM move it lets correlated columns (suburb, postcode)
     * pass for a latent "match" class */
    unsigned char fixed[16];
    for (size_t c = 0; c < mo->ncols; c++)
        fixed[c] = !mo->blocked[c];
    ct_link_em em = {mo->ncols, mo->nlev,       m,         u,    mo->lambda,
                     fix_u,     o->em_max_iter, o->em_tol, fixed};
    int it = ct_link_em_run(&em, pat, counts, n, err);
    if (it < 0)
        return it;
    if (!(em.lambda > 1e-7 && em.lambda < 0.999))
        return 0; /* degenerate: keep the starting values */
    memcpy(mo->m, m, sizeof(m));
    memcpy(mo->u, u, sizeof(u));
    mo->lambda = em.lambda;
    mo->iterations = it;
    return it;
}

int ct_link_model_fit(ct_link_model *mo, const uint64_t *keys, const double *counts, size_t n,
                      const ct_link_opts *o, ct_err *err)
{
    signed char *pat = ct_malloc((n ? n : 1) * mo->ncols);
    if (!pat)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < mo->ncols; c++)
            pat[i * mo->ncols + c] = (signed char)((keys[i] >> (4 * c) & 15) - 1);
    int r = em_once(mo, pat, counts, n, o, 0, err);
    if (r == 0) /* fall back on Splink's default: u fixed from random pairs */
        r = em_once(mo, pat, counts, n, o, 1, err);
    ct_free(pat);
    if (r < 0)
        return r;
    set_weights(mo);
    return 0;
}

double ct_link_model_col_weight(const ct_link_model *mo, const ct_link_data *d, size_t c,
                                uint32_t a, uint32_t b, int level)
{
    if (level < 0)
        return 0;
    double w = mo->w[c][level];
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
    for (size_t c = 0; c < mo->ncols; c++) {
        w += ct_link_model_col_weight(mo, d, c, a, b, lev[c]);
        if (lev[c] != mo->nlev[c] - 1)
            continue;
        for (size_t c2 = c + 1; c2 < mo->ncols; c2++)
            if (lev[c2] == mo->nlev[c2] - 1)
                w -= mo->dep[c][c2];
    }
    return w;
}
