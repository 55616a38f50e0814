/*
 * cluster.c - from scored pairs to persons: connected components (dedupe),
 * greedy one-to-one assignment (two lists), and stable clusters for
 * incremental linking.
 *
 * Stable clusters, invariants:
 *  1. every record r < nrec has exactly one live cluster id[r];
 *  2. cluster k's member list holds exactly the records with id k;
 *  3. two records share an id iff a path of links joins them;
 *  4. ids are never reused; a merge keeps the smaller (older) id, a split
 *     leaves the id with the part holding the smallest (oldest) record.
 * Every change is appended to the history and passed to the callback; a
 * callback error is returned to the caller after the in-memory change (the
 * store then rolls back its transaction and reloads).
 */
#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

#define OOM(err) ct_err_set((err), CT_ENOMEM, "%s", _("out of memory"))

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

int ct_link_components(size_t nrec, const ct_link_pair *pairs, size_t npairs, double threshold,
                       uint32_t *cluster, ct_err *err)
{
    uint32_t *parent = ct_malloc((nrec ? nrec : 1) * sizeof(*parent));
    if (!parent)
        return OOM(err);
    for (size_t i = 0; i < nrec; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < npairs; i++) {
        if (pairs[i].prob < threshold)
            continue;
        uint32_t x = find(parent, pairs[i].a), y = find(parent, pairs[i].b);
        if (x != y) /* the smaller record becomes the root: cluster = min */
            parent[x > y ? x : y] = x < y ? x : y;
    }
    for (size_t i = 0; i < nrec; i++)
        cluster[i] = find(parent, (uint32_t)i);
    ct_free(parent);
    return 0;
}

long ct_link_one_to_one(size_t nrec, const ct_link_pair *pairs, size_t npairs, double threshold,
                        unsigned char *keep, ct_err *err)
{
    unsigned char *used = ct_calloc(nrec ? nrec : 1, 1);
    if (!used)
        return OOM(err);
    long kept = 0;
    for (size_t i = 0; i < npairs; i++) {
        const ct_link_pair *p = &pairs[i];
        keep[i] = p->prob >= threshold && !used[p->a] && !used[p->b];
        if (keep[i]) {
            used[p->a] = used[p->b] = 1;
            kept++;
        }
    }
    ct_free(used);
    return kept;
}

/* ------------------------------------------------------ stable clusters */

typedef struct vec32 {
    uint32_t *v;
    size_t n, cap;
} vec32;

static int vec_push(vec32 *x, uint32_t v)
{
    uint32_t *p = ct_grow(x->v, sizeof(*p), x->n + 1, &x->cap);
    if (!p)
        return CT_ENOMEM;
    x->v = p;
    x->v[x->n++] = v;
    return 0;
}

static int vec_remove(vec32 *x, uint32_t v)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->v[i] == v) {
            x->v[i] = x->v[--x->n];
            return 1;
        }
    return 0;
}

struct ct_link_clusters {
    size_t nrec;
    uint64_t *id;   /* id[rec] */
    vec32 *adj;     /* links of each record */
    vec32 *members; /* members[id - 1] */
    size_t nids, cap_rec, cap_ids;
    ct_link_event *hist;
    size_t nhist, cap_hist;
    ct_link_event_cb cb;
    void *ctx;
};

ct_link_clusters *ct_link_clusters_new(ct_link_event_cb cb, void *ctx, ct_err *err)
{
    ct_link_clusters *c = ct_calloc(1, sizeof(*c));
    if (!c) {
        OOM(err);
        return NULL;
    }
    c->cb = cb;
    c->ctx = ctx;
    return c;
}

void ct_link_clusters_free(ct_link_clusters *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nrec; i++)
        ct_free(c->adj[i].v);
    for (size_t i = 0; i < c->nids; i++)
        ct_free(c->members[i].v);
    ct_free(c->adj);
    ct_free(c->members);
    ct_free(c->id);
    ct_free(c->hist);
    ct_free(c);
}

static int record_event(ct_link_clusters *c, enum ct_link_event_kind k, uint64_t cl, uint64_t other,
                        uint32_t rec, ct_err *err)
{
    ct_link_event *h = ct_grow(c->hist, sizeof(*h), c->nhist + 1, &c->cap_hist);
    if (!h)
        return OOM(err);
    c->hist = h;
    ct_link_event ev = {k, cl, other, rec};
    c->hist[c->nhist++] = ev;
    if (c->cb && c->cb(c->ctx, &ev))
        return ct_err_set(err, CT_EIO, "%s", _("the cluster history could not be saved"));
    return 0;
}

/* A new cluster holding only rec; returns its id or 0. */
static uint64_t new_cluster(ct_link_clusters *c, uint32_t rec)
{
    vec32 *m = ct_grow(c->members, sizeof(*m), c->nids + 1, &c->cap_ids);
    if (!m)
        return 0;
    c->members = m;
    memset(&c->members[c->nids], 0, sizeof(vec32));
    if (vec_push(&c->members[c->nids], rec))
        return 0;
    return ++c->nids;
}

int ct_link_clusters_grow(ct_link_clusters *c, size_t nrec, ct_err *err)
{
    if (nrec <= c->nrec)
        return 0;
    uint64_t *id = ct_grow(c->id, sizeof(*id), nrec, &c->cap_rec);
    if (!id)
        return OOM(err);
    c->id = id;
    size_t cap = c->cap_rec;
    vec32 *adj = ct_realloc(c->adj, cap * sizeof(*adj));
    if (!adj)
        return OOM(err);
    c->adj = adj;
    while (c->nrec < nrec) {
        uint32_t r = (uint32_t)c->nrec;
        memset(&c->adj[r], 0, sizeof(vec32));
        uint64_t k = new_cluster(c, r);
        if (!k)
            return OOM(err);
        c->id[r] = k;
        c->nrec++;
        int e = record_event(c, CT_LINK_EV_NEW, k, 0, r, err);
        if (e)
            return e;
    }
    return 0;
}

int ct_link_clusters_link(ct_link_clusters *c, uint32_t a, uint32_t b, ct_err *err)
{
    if (a >= c->nrec || b >= c->nrec || a == b)
        return ct_err_set(err, CT_EUSAGE, "%s", _("no such record"));
    if (vec_push(&c->adj[a], b) || vec_push(&c->adj[b], a))
        return OOM(err);
    uint64_t x = c->id[a], y = c->id[b];
    if (x == y)
        return 0;
    uint64_t keep = x < y ? x : y, gone = x < y ? y : x;
    vec32 *from = &c->members[gone - 1], *to = &c->members[keep - 1];
    for (size_t i = 0; i < from->n; i++) {
        if (vec_push(to, from->v[i]))
            return OOM(err);
        c->id[from->v[i]] = keep;
    }
    uint32_t some = from->v[0];
    ct_free(from->v);
    memset(from, 0, sizeof(*from));
    return record_event(c, CT_LINK_EV_MERGE, keep, gone, some, err);
}

/* Marks the records reachable from start (within its cluster) in seen. */
static int reach(const ct_link_clusters *c, uint32_t start, unsigned char *seen, vec32 *stack)
{
    stack->n = 0;
    seen[start] = 1;
    if (vec_push(stack, start))
        return CT_ENOMEM;
    while (stack->n) {
        uint32_t x = stack->v[--stack->n];
        for (size_t i = 0; i < c->adj[x].n; i++) {
            uint32_t y = c->adj[x].v[i];
            if (!seen[y] && (seen[y] = 1, vec_push(stack, y)))
                return CT_ENOMEM;
        }
    }
    return 0;
}

/* The cluster of a lost its path to b: the part without the oldest record
 * moves to a new id. */
static int split(ct_link_clusters *c, uint32_t a, unsigned char *seen_a, ct_err *err)
{
    uint64_t old = c->id[a];
    vec32 *m = &c->members[old - 1];
    uint32_t oldest = UINT32_MAX;
    for (size_t i = 0; i < m->n; i++)
        oldest = m->v[i] < oldest ? m->v[i] : oldest;
    int moving_has_a = !seen_a[oldest]; /* a's part moves when it lacks the oldest */
    uint32_t first = UINT32_MAX;
    for (size_t i = 0; i < m->n; i++)
        if ((seen_a[m->v[i]] != 0) == moving_has_a && m->v[i] < first)
            first = m->v[i];
    uint64_t k = new_cluster(c, first);
    if (!k)
        return OOM(err);
    m = &c->members[old - 1]; /* new_cluster may have moved the array */
    vec32 *nm = &c->members[k - 1];
    size_t w = 0;
    for (size_t i = 0; i < m->n; i++) {
        uint32_t r = m->v[i];
        if ((seen_a[r] != 0) == moving_has_a) {
            c->id[r] = k;
            if (r != first && vec_push(nm, r))
                return OOM(err);
        } else {
            m->v[w++] = r;
        }
    }
    m->n = w;
    return record_event(c, CT_LINK_EV_SPLIT, old, k, first, err);
}

int ct_link_clusters_unlink(ct_link_clusters *c, uint32_t a, uint32_t b, ct_err *err)
{
    if (a >= c->nrec || b >= c->nrec || !vec_remove(&c->adj[a], b))
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such link"));
    vec_remove(&c->adj[b], a);
    unsigned char *seen = ct_calloc(c->nrec, 1);
    vec32 stack = {0};
    int r = seen ? reach(c, a, seen, &stack) : CT_ENOMEM;
    if (r)
        r = OOM(err);
    else if (!seen[b])
        r = split(c, a, seen, err);
    ct_free(stack.v);
    ct_free(seen);
    return r;
}

uint64_t ct_link_clusters_id(const ct_link_clusters *c, uint32_t rec)
{
    return rec < c->nrec ? c->id[rec] : 0;
}

const ct_link_event *ct_link_clusters_history(const ct_link_clusters *c, size_t *n)
{
    *n = c->nhist;
    return c->hist;
}
