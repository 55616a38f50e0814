/*
 * depend.c - dependence between compared columns.
 *
 * Fellegi-Sunter multiplies the evidence of each column, which counts one
 * fact twice when two columns say much the same thing: on the NC voter lists
 * suburb and postcode did, and neighbours were linked. For each column a
 * whose exact agreement can be grouped on, pairs of records sharing a's value
 * are sampled (nearly all non-matches: a value is shared by many people) and
 * the levels of every other column b counted: that is u of b given a exact.
 * Where it differs from u on random pairs (the chance of agreeing exactly grows
 * by half or more), b is "dependent on a":
 *   - scoring: b's weight uses u(b | a exact) when a agrees exactly and a
 *     comes before b (a joint chance factorised once, never twice);
 *   - training: a session blocked on a's value uses u(b | a exact) for b.
 * Name columns are never conditioned (names are what identifies, and their
 * dependence is the matching itself). They condition only categorical
 * (exact) columns: sex follows the given name, and pairs sharing a given
 * name agree on sex whoever they are. Other columns would pick up the
 * matches among pairs sharing a name (in FEBRL, where one person has up to
 * five records, they are many) and read them as dependence.
 */
#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

enum { SAMPLES = 60000, MIN_SAMPLES = 1000 };

typedef struct hrec {
    uint64_t h;
    uint32_t rec;
} hrec;

static int cmp_hrec(const void *x, const void *y)
{
    const hrec *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

static int is_name(const ct_link_data *d, size_t c)
{
    return (int)c == d->given || (int)c == d->family;
}

/* Columns whose top level is equality of the normalised value. */
static int groupable(const ct_link_data *d, size_t c)
{
    enum ct_link_method m = d->col[c].c.method;
    return m == CT_LINK_TEXT || m == CT_LINK_LEV || m == CT_LINK_EXACT || m == CT_LINK_NAME;
}

/* Likely a match: both names agree well (and, grouping on a name, the other
 * name too). Such pairs are not counted. */
static int looks_matched(const ct_link_data *d, const signed char *lev)
{
    if (d->given < 0 || d->family < 0)
        return 0;
    return lev[d->given] >= 3 && lev[d->family] >= 3; /* JW >= 0.88 or better */
}

/* The records with a value in column a, sorted by its hash. */
static hrec *group(const ct_link_data *d, size_t a, size_t *n)
{
    hrec *v = ct_malloc((d->n ? d->n : 1) * sizeof(*v));
    if (!v)
        return NULL;
    size_t k = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        const ct_link_val *x = &d->col[a].v[i];
        if (x->s)
            v[k++] = (hrec){ct_link_hash(x->s, x->len, 11), i};
    }
    qsort(v, k, sizeof(*v), cmp_hrec);
    *n = k;
    return v;
}

/* span[2i], span[2i+1]: first and end index of i's group (equal hashes). */
static uint32_t *group_spans(const hrec *v, size_t n)
{
    uint32_t *span = ct_malloc((n ? n : 1) * 2 * sizeof(*span));
    for (size_t i = 0; span && i < n; i++)
        span[2 * i] = i && v[i].h == v[i - 1].h ? span[2 * (i - 1)] : (uint32_t)i;
    for (size_t i = n; span && i-- > 0;)
        span[2 * i + 1] =
            i + 1 < n && v[i].h == v[i + 1].h ? span[2 * (i + 1) + 1] : (uint32_t)i + 1;
    return span;
}

/* Counts the levels of every column over random pairs sharing a's value. */
static double sample(const ct_link_data *d, const hrec *v, const uint32_t *span, size_t n,
                     const ct_link_opts *o, uint64_t *rng, double cnt[16][CT_LINK_MAX_LEVELS])
{
    double got = 0, want = o->u_pairs && o->u_pairs < SAMPLES ? (double)o->u_pairs : SAMPLES;
    enum ct_link_mode mode = o->mode == CT_LINK_INCREMENTAL ? CT_LINK_DEDUPE : o->mode;
    for (size_t t = 0; t < 4 * (size_t)want && got < want && n > 1; t++) {
        size_t i = ct_link_rand(rng) % n, lo = span[2 * i], hi = span[2 * i + 1];
        if (hi - lo < 2)
            continue;
        size_t j = lo + ct_link_rand(rng) % (hi - lo);
        uint32_t x = v[i].rec < v[j].rec ? v[i].rec : v[j].rec;
        uint32_t y = v[i].rec < v[j].rec ? v[j].rec : v[i].rec;
        if (x == y || !ct_link_pair_wanted(d, mode, x, y))
            continue;
        signed char lev[16];
        ct_link_compare_all(d, x, y, lev);
        if (looks_matched(d, lev))
            continue;
        got++;
        for (size_t c = 0; c < d->ncols; c++)
            if (lev[c] >= 0)
                cnt[c][lev[c]]++;
    }
    return got;
}

static void set_column(ct_link_model *mo, const ct_link_data *d, size_t a,
                       double cnt[16][CT_LINK_MAX_LEVELS], double got)
{
    for (size_t b = 0; b < mo->ncols; b++) {
        if (b == a || is_name(d, b) || got < MIN_SAMPLES)
            continue;
        int L = mo->nlev[b];
        double tot = 0;
        for (int l = 0; l < L; l++)
            tot += cnt[b][l] + 0.5;
        for (int l = 0; l < L; l++)
            mo->u_cond[a][b][l] = (cnt[b][l] + 0.5) / tot;
        /* dependent when exact agreement is clearly more likely (sex given
         * the given name: 0.5 -> 1) */
        mo->cond[a][b] = mo->u_cond[a][b][L - 1] > 1.5 * mo->u_rand[b][L - 1] &&
                         (!is_name(d, a) || mo->method[b] == CT_LINK_EXACT);
    }
}

int ct_link_model_dependence(ct_link_model *mo, const ct_link_data *d, const ct_link_opts *o,
                             ct_err *err)
{
    uint64_t rng = (o->seed ? o->seed : 0x6c696e6b) ^ 0xdeadbeef;
    for (size_t a = 0; a < d->ncols; a++) {
        if (!groupable(d, a))
            continue;
        size_t n;
        hrec *v = group(d, a, &n);
        uint32_t *start = v ? group_spans(v, n) : NULL;
        if (!start) {
            ct_free(v);
            return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        }
        double cnt[16][CT_LINK_MAX_LEVELS] = {{0}};
        double got = sample(d, v, start, n, o, &rng, cnt);
        ct_free(start);
        ct_free(v);
        set_column(mo, d, a, cnt, got);
    }
    return 0;
}
