/*
 * engine.c - one linkage run: block, sample patterns, fit, score.
 *
 *   pass 1  every candidate pair whose hash falls in the sample (all pairs
 *           when there are few) is compared and its agreement pattern
 *           counted; EM then runs on the counts (fs.c);
 *   pass 2  every candidate pair is compared and scored; pairs at or above
 *           the threshold are kept.
 *
 * Both passes run on worker threads that take blocking units from a shared
 * counter; each worker has its own pattern table and pair list, merged at
 * the end, so the hot path takes no lock. Memory: the blocking keys (8 bytes
 * per record and rule) and the kept pairs; candidate pairs are never
 * stored.
 */
#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ct_link_result {
    ct_link_model model;
    ct_link_stats stats;
    ct_link_pair *pairs;
    size_t npairs;
};

/* Pattern counts: open addressing on the packed key (never 0: see
 * ct_link_pattern_key, a non-null level is >= 1, and all-null keys are 0 so
 * they are stored at slot "zero_count"). */
typedef struct patmap {
    uint64_t *key;
    double *count;
    size_t cap, n;
    double zero_count;
} patmap;

static int patmap_add(patmap *p, uint64_t k, double c)
{
    if (!k) {
        p->zero_count += c;
        return 0;
    }
    if ((p->n + 1) * 2 > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        patmap q = {ct_calloc(cap, sizeof(uint64_t)), ct_calloc(cap, sizeof(double)), cap, 0,
                    p->zero_count};
        if (!q.key || !q.count) {
            ct_free(q.key);
            ct_free(q.count);
            return CT_ENOMEM;
        }
        for (size_t i = 0; i < p->cap; i++)
            if (p->key[i])
                patmap_add(&q, p->key[i], p->count[i]);
        ct_free(p->key);
        ct_free(p->count);
        *p = q;
    }
    size_t i = (k * 0x9e3779b97f4a7c15ULL >> 20) & (p->cap - 1);
    while (p->key[i] && p->key[i] != k)
        i = (i + 1) & (p->cap - 1);
    if (!p->key[i]) {
        p->key[i] = k;
        p->n++;
    }
    p->count[i] += c;
    return 0;
}

static void patmap_release(patmap *p)
{
    ct_free(p->key);
    ct_free(p->count);
}

typedef struct job job;
typedef struct worker {
    job *j;
    patmap pat[CT_LINK_MAX_RULES]; /* pass 1: patterns of each rule's session */
    double pairs[CT_LINK_MAX_RULES];
    size_t rule; /* pass 1: the rule being run */
    ct_link_pair *pairs_kept;
    size_t npairs, cap;
    uint64_t candidates;
    int oom;
} worker;

struct job {
    const ct_link_data *d;
    const ct_link_blocking *b;
    const ct_link_model *mo;
    int pass;                               /* 1: sample patterns, 2: score */
    uint64_t sample_cut[CT_LINK_MAX_RULES]; /* pass 1: keep pairs whose hash is below */
    double min_weight;                      /* pass 2: keep pairs at or above */
    size_t next, units;                     /* next unit to take, under lock */
    pthread_mutex_t lock;
};

/* Pass 1: every pair of the rule's blocks is counted, a sample compared. */
static int on_pair_sample(void *ctx, uint32_t a, uint32_t b)
{
    worker *w = ctx;
    w->pairs[w->rule]++;
    uint64_t key = ((uint64_t)a << 32) | b;
    if (ct_link_hash(&key, sizeof(key), 7) > w->j->sample_cut[w->rule])
        return 0;
    signed char lev[16];
    ct_link_compare_all(w->j->d, a, b, lev);
    if (patmap_add(&w->pat[w->rule], ct_link_pattern_key(lev, w->j->d->ncols), 1.0)) {
        w->oom = 1;
        return 1;
    }
    return 0;
}

static int on_pair_score(void *ctx, uint32_t a, uint32_t b)
{
    worker *w = ctx;
    signed char lev[16];
    w->candidates++;
    ct_link_compare_all(w->j->d, a, b, lev);
    double wt = ct_link_model_weight(w->j->mo, w->j->d, a, b, lev);
    if (wt < w->j->min_weight)
        return 0;
    ct_link_pair *p = ct_grow(w->pairs_kept, sizeof(*p), w->npairs + 1, &w->cap);
    if (!p) {
        w->oom = 1;
        return 1;
    }
    w->pairs_kept = p;
    p[w->npairs++] = (ct_link_pair){a, b, (float)wt, (float)(1.0 / (1.0 + exp2(-wt)))};
    return 0;
}

static void *work(void *arg)
{
    worker *w = arg;
    job *j = w->j;
    ct_link_pair_fn fn = j->pass == 1 ? on_pair_sample : on_pair_score;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t unit = j->next++;
        pthread_mutex_unlock(&j->lock);
        if (unit >= j->units || w->oom)
            break;
        w->rule = unit / ct_link_blocking_slices();
        if (j->pass == 1 ? ct_link_blocking_run_raw(j->b, unit, fn, w)
                         : ct_link_blocking_run(j->b, unit, fn, w))
            break;
    }
    return NULL;
}

/* Runs one pass over all blocking units on nthreads workers. */
static int run_pass(job *j, worker *w, int nthreads)
{
    pthread_t tid[64];
    int started = 0;
    j->next = 0;
    for (int t = 1; t < nthreads; t++) {
        if (pthread_create(&tid[t], NULL, work, &w[t]))
            break; /* fewer threads: the others do the work */
        started = t;
    }
    work(&w[0]);
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    for (int t = 0; t < nthreads; t++)
        if (w[t].oom)
            return CT_ENOMEM;
    return 0;
}

static int cmp_pair(const void *x, const void *y)
{
    const ct_link_pair *a = x, *b = y;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* One session: rule r's patterns merged over the workers. */
static int merge_session(worker *w, int nthreads, size_t r, patmap *all, ct_link_session *s)
{
    int e = 0;
    s->pairs = 0;
    for (int t = 0; t < nthreads && !e; t++) {
        s->pairs += w[t].pairs[r];
        for (size_t i = 0; i < w[t].pat[r].cap && !e; i++)
            if (w[t].pat[r].key[i])
                e = patmap_add(all, w[t].pat[r].key[i], w[t].pat[r].count[i]);
    }
    uint64_t *keys = ct_malloc((all->n + 1) * sizeof(*keys));
    double *counts = ct_malloc((all->n + 1) * sizeof(*counts));
    if (e || !keys || !counts) {
        ct_free(keys);
        ct_free(counts);
        return CT_ENOMEM;
    }
    s->n = s->sampled = 0;
    for (size_t i = 0; i < all->cap; i++)
        if (all->key[i]) {
            keys[s->n] = all->key[i];
            counts[s->n++] = all->count[i];
            s->sampled += all->count[i];
        }
    s->keys = keys;
    s->counts = counts;
    return 0;
}

/* All the pairs the mode could link: the denominator of lambda. */
static double all_pairs(const ct_link_data *d, enum ct_link_mode mode)
{
    double n1 = 0, n = (double)d->n;
    for (size_t i = 0; i < d->n; i++)
        n1 += d->source[i] != 0;
    if (mode == CT_LINK_LINK)
        return (n - n1) * n1;
    if (mode == CT_LINK_INCREMENTAL)
        return (n - n1) * n1 + n1 * (n1 - 1) / 2;
    return n * (n - 1) / 2;
}

/* Merges the workers' sessions and fits the model. */
static int fit(ct_link_result *res, worker *w, int nthreads, const ct_link_opts *o,
               const ct_link_blocking *b, ct_err *err)
{
    size_t ns = ct_link_blocking_nrules(b);
    ct_link_session *s = ct_calloc(ns ? ns : 1, sizeof(*s));
    int r = s ? 0 : CT_ENOMEM;
    for (size_t i = 0; i < ns && !r; i++) {
        patmap all = {0};
        r = merge_session(w, nthreads, i, &all, &s[i]);
        s[i].nparts = (int)ct_link_blocking_rule_parts(b, i, s[i].kind, s[i].col);
        res->stats.patterns += s[i].n;
        patmap_release(&all);
    }
    if (r)
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    else
        r = ct_link_model_fit(&res->model, s, ns, all_pairs(res->model.data, o->mode), o, err);
    res->stats.lambda = res->model.lambda;
    res->stats.em_iterations = res->model.sessions;
    for (size_t i = 0; s && i < ns; i++) {
        ct_free((void *)s[i].keys);
        ct_free((void *)s[i].counts);
    }
    ct_free(s);
    return r;
}

static int gather(ct_link_result *res, worker *w, int nthreads, ct_err *err)
{
    size_t n = 0;
    for (int t = 0; t < nthreads; t++) {
        n += w[t].npairs;
        res->stats.candidates += w[t].candidates;
    }
    if (!(res->pairs = ct_malloc((n ? n : 1) * sizeof(ct_link_pair))))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (int t = 0; t < nthreads; t++) {
        if (!w[t].npairs)
            continue;
        memcpy(res->pairs + res->npairs, w[t].pairs_kept, w[t].npairs * sizeof(ct_link_pair));
        res->npairs += w[t].npairs;
    }
    qsort(res->pairs, res->npairs, sizeof(ct_link_pair), cmp_pair);
    return 0;
}

/* Pass 1 compares about em_pairs pairs, shared among the sessions. */
static void sample_cuts(const ct_link_blocking *b, const ct_link_opts *o, uint64_t *cut)
{
    size_t ns = ct_link_blocking_nrules(b);
    double want = (o->em_pairs ? (double)o->em_pairs : 2e6) / (ns ? (double)ns : 1);
    for (size_t r = 0; r < ns; r++) {
        double pairs = (double)ct_link_blocking_rule_pairs(b, r);
        double frac = pairs > 0 ? want / pairs : 1;
        cut[r] = frac >= 1 ? UINT64_MAX : (uint64_t)(frac * 18446744073709551615.0);
    }
}

static double weight_of(double p)
{
    p = p <= 0 ? 0.5 : p >= 1 ? 1 - 1e-9 : p;
    return log2(p / (1 - p));
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int run(ct_link_result *res, const ct_link_data *d, const ct_link_opts *o,
               const ct_link_blocking *b, ct_err *err)
{
    int nthreads = o->threads > 0 ? (o->threads > 64 ? 64 : o->threads) : 2;
    worker *w = ct_calloc((size_t)nthreads, sizeof(*w));
    job j = {d,
             b,
             &res->model,
             1,
             {0},
             weight_of(o->threshold),
             0,
             ct_link_blocking_nrules(b) * ct_link_blocking_slices(),
             PTHREAD_MUTEX_INITIALIZER};
    sample_cuts(b, o, j.sample_cut);
    int r = w ? 0 : CT_ENOMEM;
    for (int t = 0; t < nthreads && w; t++)
        w[t].j = &j;
    double t0 = now();
    if (!r)
        r = run_pass(&j, w, nthreads);
    if (!r)
        r = fit(res, w, nthreads, o, b, err);
    double t1 = now();
    j.pass = 2;
    j.units = ct_link_blocking_units(b);
    if (!r)
        r = run_pass(&j, w, nthreads);
    if (!r)
        r = gather(res, w, nthreads, err);
    res->stats.seconds_model += t1 - t0;
    res->stats.seconds_scoring = now() - t1;
    for (int t = 0; w && t < nthreads; t++) {
        for (size_t k = 0; k < CT_LINK_MAX_RULES; k++)
            patmap_release(&w[t].pat[k]);
        ct_free(w[t].pairs_kept);
    }
    ct_free(w);
    pthread_mutex_destroy(&j.lock);
    if (r == CT_ENOMEM)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return r;
}

int ct_link_run(const ct_link_data *cd, const ct_link_opts *o, ct_link_result **out, ct_err *err)
{
    *out = NULL;
    ct_link_data *d = (ct_link_data *)cd; /* prepare only fills caches */
    ct_link_result *res = ct_calloc(1, sizeof(*res));
    if (!res)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    res->stats.records = d->n;
    double t0 = now();
    int r = ct_link_data_prepare(d, err);
    ct_link_blocking *b = r ? NULL : ct_link_blocking_new(d, o, &res->stats, err);
    if (!r && !b)
        r = err->code ? err->code : CT_ENOMEM;
    double t1 = now();
    res->stats.seconds_blocking = t1 - t0;
    if (!r)
        r = ct_link_model_init(&res->model, d, o, err);
    res->stats.seconds_model = now() - t1;
    if (!r)
        r = run(res, d, o, b, err);
    ct_link_blocking_free(b);
    if (!r && res->stats.candidates == 0)
        r = ct_err_set(err, CT_ENORESULT, "%s",
                       _("no candidate pairs: no two records share a blocking key"));
    if (r) {
        ct_link_result_free(res);
        return r;
    }
    *out = res;
    return 0;
}

void ct_link_result_free(ct_link_result *r)
{
    if (!r)
        return;
    ct_free(r->pairs);
    ct_free(r);
}

const ct_link_pair *ct_link_result_pairs(const ct_link_result *r, size_t *n)
{
    *n = r->npairs;
    return r->pairs;
}

const ct_link_stats *ct_link_result_stats(const ct_link_result *r)
{
    return &r->stats;
}

void ct_link_explain(const ct_link_result *r, const ct_link_data *d, uint32_t a, uint32_t b,
                     ct_buf *out)
{
    signed char lev[16];
    ct_link_compare_all(d, a, b, lev);
    for (size_t c = 0; c < d->ncols; c++) {
        double w = ct_link_model_col_weight(&r->model, d, c, a, b, lev);
        ct_buf_addf(out, "%s%s:%s:%.2f", c ? ";" : "", d->col[c].name,
                    ct_link_level_name(d->col[c].c.method, lev[c]), w);
    }
}
