/*
 * dice.c - Dice coefficients of CLK encodings, fast: the popcount kernel,
 * the pruning that skips pairs whose popcounts already rule the threshold
 * out, and the overlaps of several lists.
 *
 * Pruning (anonlink's calculate_max_difference): Dice(a,b) >= t needs
 * 2 min(|a|,|b|) >= t (|a|+|b|), i.e. |b| in [t|a|/(2-t), (2-t)|a|/t].
 * B is sorted by popcount once, so each a scans only that window.
 *
 * The scan loop is compiled three times: with AVX-512 VPOPCNTQ, with the
 * POPCNT instruction, and portable; the fastest the processor runs is
 * picked at run time (CTIP_NO_AVX512=1 in the environment skips AVX-512,
 * for comparisons).
 */
#include "pprl.h"

#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const uint32_t *ct_clk_set_pops(const ct_clk_set *s);

#define OOM(err) ct_err_set((err), CT_ENOMEM, "%s", _("out of memory"))

typedef uint32_t (*and_pop_fn)(const uint64_t *a, const uint64_t *b, size_t words);

static uint32_t and_pop_generic(const uint64_t *a, const uint64_t *b, size_t words)
{
    uint32_t c = 0;
    for (size_t w = 0; w < words; w++)
        c += (uint32_t)__builtin_popcountll(a[w] & b[w]);
    return c;
}

double ct_pprl_dice(const uint64_t *a, const uint64_t *b, size_t words)
{
    uint32_t pa = and_pop_generic(a, a, words), pb = and_pop_generic(b, b, words);
    if (pa + pb == 0)
        return 0.0;
    return 2.0 * and_pop_generic(a, b, words) / (double)(pa + pb);
}

/*
 * One scan: a against the B encodings bclk[k0..k1) (contiguous, sorted by
 * popcount bpop), calling keep() for those at or above the threshold. The
 * body is the same for each instruction set; SCAN_BODY is expanded in a
 * function compiled for that set, so the compiler inlines its popcount.
 */
typedef struct scan {
    const uint64_t *a, *bclk;
    const uint32_t *bpop;
    uint32_t pa;
    size_t words, k0, k1;
    double t;
    int (*keep)(void *ctx, size_t k, uint32_t inter);
    void *ctx;
} scan;

#define SCAN_BODY(AND_POP)                                                                         \
    for (size_t k = sc->k0; k < sc->k1; k++) {                                                     \
        const uint64_t *b = sc->bclk + k * sc->words;                                              \
        uint32_t inter = AND_POP;                                                                  \
        if (2.0 * inter >= sc->t * (double)(sc->pa + sc->bpop[k]) && sc->keep(sc->ctx, k, inter))  \
            return 1;                                                                              \
    }                                                                                              \
    return 0;

static int scan_generic(const scan *sc)
{
    const uint64_t *a = sc->a;
    SCAN_BODY(and_pop_generic(a, b, sc->words))
}

#if defined(__x86_64__)
__attribute__((target("popcnt"))) static int scan_popcnt(const scan *sc)
{
    size_t words = sc->words;
    if (words == 16) { /* a in registers: the loop body only loads b */
        uint64_t a[16];
        memcpy(a, sc->a, sizeof(a));
        SCAN_BODY(({
            uint64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            for (size_t w = 0; w < 16; w += 4) {
                c0 += (uint64_t)__builtin_popcountll(a[w] & b[w]);
                c1 += (uint64_t)__builtin_popcountll(a[w + 1] & b[w + 1]);
                c2 += (uint64_t)__builtin_popcountll(a[w + 2] & b[w + 2]);
                c3 += (uint64_t)__builtin_popcountll(a[w + 3] & b[w + 3]);
            }
            (uint32_t)(c0 + c1 + c2 + c3);
        }))
    }
    const uint64_t *a = sc->a;
    SCAN_BODY(({
        uint64_t c0 = 0, c1 = 0;
        for (size_t w = 0; w + 1 < words; w += 2) { /* two chains keep popcnt busy */
            c0 += (uint64_t)__builtin_popcountll(a[w] & b[w]);
            c1 += (uint64_t)__builtin_popcountll(a[w + 1] & b[w + 1]);
        }
        (uint32_t)(c0 + c1);
    }))
}

#include <immintrin.h>
/* 512 bits at a time with VPOPCNTQ (Ice Lake and later); words % 8 == 0.
 * 1024-bit encodings (the usual size) keep a in two registers. */
__attribute__((target("avx512f,avx512vpopcntdq"))) static int scan_avx512(const scan *sc)
{
    size_t words = sc->words;
    const uint64_t *a = sc->a;
    if (words == 16) {
        const __m512i a0 = _mm512_loadu_si512(a), a1 = _mm512_loadu_si512(a + 8);
        SCAN_BODY(({
            __m512i x = _mm512_popcnt_epi64(_mm512_and_si512(a0, _mm512_loadu_si512(b)));
            __m512i y = _mm512_popcnt_epi64(_mm512_and_si512(a1, _mm512_loadu_si512(b + 8)));
            (uint32_t) _mm512_reduce_add_epi64(_mm512_add_epi64(x, y));
        }))
    }
    SCAN_BODY(({
        __m512i acc = _mm512_setzero_si512();
        for (size_t w = 0; w < words; w += 8)
            acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(_mm512_and_si512(
                                            _mm512_loadu_si512(a + w), _mm512_loadu_si512(b + w))));
        (uint32_t) _mm512_reduce_add_epi64(acc);
    }))
}
#endif

typedef int (*scan_fn)(const scan *sc);

/* The fastest scan this processor runs for encodings of `words` words. */
static scan_fn pick_scan(size_t words)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (words % 8 == 0 && __builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("avx512vpopcntdq") && !getenv("CTIP_NO_AVX512"))
        return scan_avx512;
    if (words % 2 == 0 && __builtin_cpu_supports("popcnt"))
        return scan_popcnt;
#endif
    (void)words;
    return scan_generic;
}

/* ------------------------------------------------------------- matching */

typedef struct bsorted {
    uint32_t *idx; /* b records by popcount */
    uint32_t *pop; /* their popcounts, ascending */
    uint64_t *clk; /* their encodings in that order, contiguous: the scan reads
                    * memory in order instead of jumping through idx */
} bsorted;

typedef struct mjob {
    const ct_clk_set *a, *b;
    bsorted bs;
    double t;
    scan_fn scan;
    size_t next;
    pthread_mutex_t lock;
} mjob;

typedef struct mworker {
    mjob *j;
    ct_link_pair *pairs;
    size_t n, cap;
    uint64_t compared;
    uint32_t cur_a, cur_pa;
    int oom;
} mworker;

static size_t lower_bound(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int keep_pair(void *ctx, size_t k, uint32_t inter)
{
    mworker *w = ctx;
    ct_link_pair *p = ct_grow(w->pairs, sizeof(*p), w->n + 1, &w->cap);
    if (!p)
        return 1;
    w->pairs = p;
    double dice = 2.0 * inter / (double)(w->cur_pa + w->j->bs.pop[k]);
    p[w->n++] = (ct_link_pair){w->cur_a, w->j->bs.idx[k], (float)dice, (float)dice};
    return 0;
}

/* Compares record a of A with the popcount window of B. */
static int match_one(mworker *w, uint32_t a)
{
    const mjob *j = w->j;
    size_t nb = ct_clk_set_count(j->b);
    uint32_t pa = ct_clk_set_pops(j->a)[a];
    if (pa == 0)
        return 0;
    double lo = j->t * pa / (2 - j->t), hi = pa * (2 - j->t) / j->t;
    scan sc = {ct_clk_set_clk(j->a, a),
               j->bs.clk,
               j->bs.pop,
               pa,
               ct_clk_set_bits(j->a) / 64,
               0,
               0,
               j->t,
               keep_pair,
               w};
    sc.k0 = lower_bound(j->bs.pop, nb, (uint32_t)(lo > 0 ? lo : 0));
    sc.k1 = hi >= UINT32_MAX ? nb : lower_bound(j->bs.pop, nb, (uint32_t)hi + 1);
    w->cur_a = a;
    w->cur_pa = pa;
    w->compared += sc.k1 > sc.k0 ? sc.k1 - sc.k0 : 0;
    return sc.k1 > sc.k0 && j->scan(&sc) ? CT_ENOMEM : 0;
}

static void *match_work(void *arg)
{
    mworker *w = arg;
    mjob *j = w->j;
    size_t na = ct_clk_set_count(j->a);
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t from = j->next;
        j->next += 256;
        pthread_mutex_unlock(&j->lock);
        for (size_t a = from; a < from + 256 && a < na && !w->oom; a++)
            w->oom = match_one(w, (uint32_t)a) != 0;
        if (from >= na || w->oom)
            return NULL;
    }
}

static const uint32_t *sort_pops;
static int cmp_by_pop(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    if (sort_pops[a] != sort_pops[b])
        return sort_pops[a] < sort_pops[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int sort_b(const ct_clk_set *b, bsorted *bs)
{
    size_t n = ct_clk_set_count(b), words = ct_clk_set_bits(b) / 64;
    bs->idx = ct_malloc((n ? n : 1) * sizeof(uint32_t));
    bs->pop = ct_malloc((n ? n : 1) * sizeof(uint32_t));
    bs->clk = ct_malloc((n ? n : 1) * words * sizeof(uint64_t));
    if (!bs->idx || !bs->pop || !bs->clk)
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        bs->idx[i] = (uint32_t)i;
    static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER; /* qsort has no context */
    pthread_mutex_lock(&sort_lock);
    sort_pops = ct_clk_set_pops(b);
    qsort(bs->idx, n, sizeof(uint32_t), cmp_by_pop);
    pthread_mutex_unlock(&sort_lock);
    for (size_t i = 0; i < n; i++) {
        bs->pop[i] = ct_clk_set_pops(b)[bs->idx[i]];
        memcpy(bs->clk + i * words, ct_clk_set_clk(b, bs->idx[i]), words * sizeof(uint64_t));
    }
    return 0;
}

static int cmp_pair(const void *x, const void *y)
{
    const ct_link_pair *a = x, *b = y;
    if (a->prob != b->prob)
        return a->prob > b->prob ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static int gather(mworker *w, int nt, ct_link_pair **out, size_t *n, uint64_t *compared)
{
    size_t total = 0;
    for (int t = 0; t < nt; t++)
        total += w[t].n;
    ct_link_pair *p = ct_malloc((total ? total : 1) * sizeof(*p));
    if (!p)
        return CT_ENOMEM;
    size_t k = 0;
    for (int t = 0; t < nt; t++) {
        if (w[t].n)
            memcpy(p + k, w[t].pairs, w[t].n * sizeof(*p));
        k += w[t].n;
        if (compared)
            *compared += w[t].compared;
    }
    qsort(p, total, sizeof(*p), cmp_pair);
    *out = p;
    *n = total;
    return 0;
}

static int run_match(mjob *j, int nt, ct_link_pair **out, size_t *n, uint64_t *compared)
{
    mworker *w = ct_calloc((size_t)nt, sizeof(*w));
    if (!w)
        return CT_ENOMEM;
    pthread_t tid[64];
    int started = 0;
    for (int t = 0; t < nt; t++)
        w[t].j = j;
    for (int t = 1; t < nt && !pthread_create(&tid[t], NULL, match_work, &w[t]); t++)
        started = t;
    match_work(&w[0]);
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    int r = 0;
    for (int t = 0; t < nt; t++)
        r |= w[t].oom;
    r = r ? CT_ENOMEM : gather(w, nt, out, n, compared);
    for (int t = 0; t < nt; t++)
        ct_free(w[t].pairs);
    ct_free(w);
    return r;
}

int ct_pprl_match(const ct_clk_set *a, const ct_clk_set *b, double threshold, int threads,
                  ct_link_pair **out, size_t *n, uint64_t *compared, ct_err *err)
{
    *out = NULL;
    *n = 0;
    if (ct_clk_set_bits(a) != ct_clk_set_bits(b) ||
        strcmp(ct_clk_set_schema(a), ct_clk_set_schema(b)) != 0)
        return ct_err_set(err, CT_EINVAL, "%s",
                          _("the encodings were made with different schemas or lengths"));
    if (!(threshold > 0 && threshold <= 1))
        return ct_err_set(err, CT_EUSAGE, "%s", _("the Dice threshold must lie in (0, 1]"));
    mjob j = {a,
              b,
              {NULL, NULL, NULL},
              threshold,
              pick_scan(ct_clk_set_bits(a) / 64),
              0,
              PTHREAD_MUTEX_INITIALIZER};
    int nt = threads > 0 ? (threads > 64 ? 64 : threads) : 2;
    int r = sort_b(b, &j.bs);
    if (!r)
        r = run_match(&j, nt, out, n, compared);
    ct_free(j.bs.idx);
    ct_free(j.bs.pop);
    ct_free(j.bs.clk);
    pthread_mutex_destroy(&j.lock);
    return r ? OOM(err) : 0;
}

/* ------------------------------------------------------------- overlaps */

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

/* Links lists i and j one-to-one and joins the linked records. */
static int link_lists(ct_clk_set *const *lists, size_t i, size_t j, const size_t *off, double t,
                      int threads, uint32_t *parent, ct_err *err)
{
    ct_link_pair *p = NULL;
    size_t n = 0;
    int r = ct_pprl_match(lists[i], lists[j], t, threads, &p, &n, NULL, err);
    unsigned char *keep = r ? NULL : ct_malloc(n ? n : 1);
    size_t na = ct_clk_set_count(lists[i]), nb = ct_clk_set_count(lists[j]);
    if (!r && !keep)
        r = OOM(err);
    for (size_t k = 0; !r && k < n; k++)
        p[k].b += (uint32_t)na; /* one numbering for the assignment */
    if (!r && ct_link_one_to_one(na + nb, p, n, t, keep, err) < 0)
        r = CT_ENOMEM;
    for (size_t k = 0; !r && k < n; k++) {
        if (!keep[k])
            continue;
        uint32_t x = find(parent, (uint32_t)(off[i] + p[k].a));
        uint32_t y = find(parent, (uint32_t)(off[j] + p[k].b - na));
        parent[x > y ? x : y] = x < y ? x : y;
    }
    ct_free(keep);
    ct_free(p);
    return r;
}

int ct_pprl_overlaps(ct_clk_set *const *lists, size_t k, double threshold, int threads,
                     uint32_t *person, ct_err *err)
{
    if (k < 2 || k > 16)
        return ct_err_set(err, CT_EUSAGE, "%s", _("between 2 and 16 lists"));
    size_t off[17] = {0};
    for (size_t i = 0; i < k; i++)
        off[i + 1] = off[i] + ct_clk_set_count(lists[i]);
    for (size_t x = 0; x < off[k]; x++)
        person[x] = (uint32_t)x;
    int r = 0;
    for (size_t i = 0; i < k && !r; i++)
        for (size_t j = i + 1; j < k && !r; j++)
            r = link_lists(lists, i, j, off, threshold, threads, person, err);
    for (size_t x = 0; x < off[k] && !r; x++)
        person[x] = find(person, (uint32_t)x);
    return r;
}
