/*
 * blocking.c - candidate pairs: a union of equi-join rules on derived keys,
 * plus sorted-neighbourhood passes, each pair produced once.
 *
 * Rules are data (rule_table, then rules generated for the extra compared
 * columns). A rule's key for a record is a 64-bit hash of its parts, 0 when
 * a part is missing. Each pair is produced by the first rule (in order)
 * that puts both records in one block (Splink's "AND NOT (earlier rules)"):
 * a later rule skips a pair whose keys agree under an earlier one. Keys of
 * records in a skipped block are set to 0, so a pair that an oversized
 * block dropped can still come from a later rule.
 *
 * Guards, reported in ct_link_stats: a block of more than max_block records
 * is skipped (blank or very common values must not stall a run), and a rule
 * whose blocks would give more than RULE_BUDGET pairs per record is dropped.
 *
 * Sorted neighbourhood (window w): records sorted by "family given" and by
 * "given family"; each record is paired with the w-1 that follow it. This
 * catches typos that change every phonetic key but not the sort order.
 */
#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_RULES = CT_LINK_MAX_RULES,
    MAX_PARTS = CT_LINK_MAX_PARTS,
    RULE_BUDGET = 40,
    SNM_PASSES = 2,
    SLICES = 16
};

typedef struct part {
    enum ct_link_part kind;
    int col; /* column index, resolved from the role */
} part;
typedef struct rule {
    part p[MAX_PARTS];
} rule;

/* Rules on the roles every linkage file has (contracts.md); the why of each
 * is in docs/linkage.md "Blocking". */
static const struct {
    enum ct_link_part k[MAX_PARTS];
    enum ct_link_role r[MAX_PARTS];
} rule_table[] = {
    {{P_SORTED_NAMES}, {CT_LINK_R_GIVEN}},                      /* names in any order */
    {{P_DM, P_DM}, {CT_LINK_R_GIVEN, CT_LINK_R_FAMILY}},        /* sound-alike names */
    {{P_FULLDATE}, {CT_LINK_R_DOB}},                            /* both names corrupted */
    {{P_DM, P_YEAR}, {CT_LINK_R_FAMILY, CT_LINK_R_DOB}},        /* given name differs */
    {{P_DM, P_YEAR}, {CT_LINK_R_GIVEN, CT_LINK_R_DOB}},         /* family name differs */
    {{P_VALUE, P_FULLDATE}, {CT_LINK_R_FAMILY, CT_LINK_R_DOB}}, /* swaps across names */
};

typedef struct entry {
    uint64_t key;
    uint32_t rec;
} entry;

struct ct_link_blocking {
    const ct_link_data *d;
    enum ct_link_mode mode;
    size_t n, max_block;
    unsigned window;
    size_t nrules;
    rule rules[MAX_RULES];
    uint64_t rule_pairs[MAX_RULES]; /* pairs in the rule's blocks (all, no filter) */
    uint64_t *keys[MAX_RULES];      /* keys[r][rec], 0 = not in a block of r */
    entry *sorted[MAX_RULES];       /* entries with key != 0, by key */
    size_t nsorted[MAX_RULES];
    uint32_t *order[SNM_PASSES]; /* records by sort key */
    uint32_t *rank[SNM_PASSES];  /* rank[p][rec] */
    size_t nsnm;
};

static int col_of(const ct_link_data *d, enum ct_link_role r)
{
    return r == CT_LINK_R_GIVEN ? d->given : r == CT_LINK_R_FAMILY ? d->family : d->dob;
}

static void add_rule(ct_link_blocking *b, const rule *r)
{
    if (b->nrules < MAX_RULES)
        b->rules[b->nrules++] = *r;
}

/* The table's rules whose columns exist, then for each extra column worth
 * blocking on: with each phonetic name, and with each other extra column. */
static void make_rules(ct_link_blocking *b)
{
    const ct_link_data *d = b->d;
    for (size_t i = 0; i < sizeof(rule_table) / sizeof(rule_table[0]); i++) {
        rule r = {0};
        int ok = 1;
        for (int k = 0; k < MAX_PARTS && rule_table[i].k[k]; k++) {
            r.p[k].kind = rule_table[i].k[k];
            r.p[k].col = col_of(d, rule_table[i].r[k]);
            ok &= r.p[k].col >= 0;
        }
        if (r.p[0].kind == P_SORTED_NAMES)
            ok = d->given >= 0 || d->family >= 0;
        if (ok)
            add_rule(b, &r);
    }
    int extra[16], nextra = 0;
    for (size_t c = 0; c < d->ncols; c++) {
        enum ct_link_method m = d->col[c].c.method;
        if ((int)c != d->given && (int)c != d->family && (int)c != d->dob &&
            (m == CT_LINK_TEXT || m == CT_LINK_LEV || m == CT_LINK_NAME))
            extra[nextra++] = (int)c;
    }
    for (int i = 0; i < nextra; i++) {
        int names[2] = {d->family, d->given};
        for (int k = 0; k < 2; k++)
            if (names[k] >= 0)
                add_rule(b, &(rule){{{P_VALUE, extra[i]}, {P_DM, names[k]}}});
        for (int j = i + 1; j < nextra; j++)
            add_rule(b, &(rule){{{P_VALUE, extra[i]}, {P_VALUE, extra[j]}}});
    }
}

/* Hashes one part of a record into h; 0 when the value is missing. */
static uint64_t part_hash(const ct_link_data *d, const part *p, uint32_t rec, uint64_t h,
                          ct_buf *tmp)
{
    const ct_link_val *v = &d->col[p->col].v[rec];
    if (p->kind == P_SORTED_NAMES)
        return 0; /* handled by names_key */
    if (!v->s)
        return 0;
    switch (p->kind) {
    case P_VALUE:
        return ct_link_hash(v->s, v->len, h + 1);
    case P_DM:
        return v->dm[0] ? ct_link_hash(v->dm, strlen(v->dm), h + 2) : 0;
    case P_YEAR: {
        const ct_link_date *dt = &d->col[p->col].date[rec];
        return dt->approx ? 0 : ct_link_hash(&dt->y, sizeof(dt->y), h + 3);
    }
    case P_FULLDATE:
        return v->len == 8 ? ct_link_hash(v->s, 8, h + 4) : 0;
    default:
        (void)tmp;
        return 0;
    }
}

/* Given and family name tokens, sorted, as one key. */
static uint64_t names_key(const ct_link_data *d, uint32_t rec, ct_buf *tmp)
{
    ct_buf_reset(tmp);
    if (d->given >= 0 && d->col[d->given].v[rec].s)
        ct_buf_adds(tmp, d->col[d->given].v[rec].s);
    if (d->family >= 0 && d->col[d->family].v[rec].s) {
        ct_buf_addc(tmp, ' ');
        ct_buf_adds(tmp, d->col[d->family].v[rec].s);
    }
    ct_buf sorted = CT_BUF_INIT;
    ct_err err = CT_ERR_INIT;
    uint64_t h = 0;
    if (ct_link_normalise_sorted(tmp->buf, tmp->len, &sorted, &err) == 0 && sorted.len)
        h = ct_link_hash(sorted.buf, sorted.len, 5);
    ct_buf_release(&sorted);
    return h;
}

static uint64_t rule_key(const ct_link_blocking *b, const rule *r, uint32_t rec, ct_buf *tmp)
{
    if (r->p[0].kind == P_SORTED_NAMES)
        return names_key(b->d, rec, tmp);
    uint64_t h = 0x5eed;
    for (int k = 0; k < MAX_PARTS && r->p[k].kind; k++)
        if (!(h = part_hash(b->d, &r->p[k], rec, h, tmp)))
            return 0;
    return h;
}

static int cmp_entry(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/* Pairs a block of s records yields (all pairs; the mode filter comes later). */
static uint64_t block_pairs(size_t s)
{
    return (uint64_t)s * (s - 1) / 2;
}

/* Skips oversized blocks (their keys become 0) and returns the pairs left. */
static uint64_t cap_blocks(ct_link_blocking *b, size_t r, ct_link_stats *st)
{
    entry *e = b->sorted[r];
    size_t n = b->nsorted[r], w = 0;
    uint64_t pairs = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && e[j].key == e[i].key)
            j++;
        if (j - i > b->max_block) {
            st->capped_blocks++;
            st->capped_records += j - i;
            for (size_t k = i; k < j; k++)
                b->keys[r][e[k].rec] = 0;
        } else if (j - i > 1) {
            pairs += block_pairs(j - i);
            memmove(e + w, e + i, (j - i) * sizeof(*e));
            w += j - i;
        }
        i = j;
    }
    b->nsorted[r] = w;
    return pairs;
}

static int build_rule(ct_link_blocking *b, size_t r, ct_link_stats *st, ct_buf *tmp)
{
    if (!(b->keys[r] = ct_calloc(b->n ? b->n : 1, sizeof(uint64_t))) ||
        !(b->sorted[r] = ct_malloc((b->n ? b->n : 1) * sizeof(entry))))
        return CT_ENOMEM;
    size_t k = 0;
    for (uint32_t i = 0; i < b->n; i++) {
        uint64_t h = rule_key(b, &b->rules[r], i, tmp);
        b->keys[r][i] = h;
        if (h)
            b->sorted[r][k++] = (entry){h, i};
    }
    qsort(b->sorted[r], k, sizeof(entry), cmp_entry);
    b->nsorted[r] = k;
    uint64_t pairs = cap_blocks(b, r, st);
    b->rule_pairs[r] = pairs;
    if (pairs > (uint64_t)RULE_BUDGET * b->n + 10000) {
        /* too coarse to be useful: a low-information column */
        st->rules_dropped++;
        memset(b->keys[r], 0, b->n * sizeof(uint64_t));
        b->nsorted[r] = 0;
        return 0;
    }
    st->rules_used++;
    st->bound_pairs += pairs;
    return 0;
}

/* ------------------------------------------------- sorted neighbourhood */

typedef struct snm_key {
    const char *s;
    uint32_t rec;
} snm_key;

static int cmp_snm(const void *x, const void *y)
{
    const snm_key *a = x, *b = y;
    int c = strcmp(a->s, b->s);
    return c ? c : (a->rec < b->rec ? -1 : a->rec > b->rec);
}

static int build_snm(ct_link_blocking *b, size_t pass, int first, int second)
{
    const ct_link_data *d = b->d;
    snm_key *k = ct_malloc((b->n ? b->n : 1) * sizeof(*k));
    ct_buf keys = CT_BUF_INIT;
    size_t *off = ct_malloc((b->n ? b->n : 1) * sizeof(*off));
    b->order[pass] = ct_malloc((b->n ? b->n : 1) * sizeof(uint32_t));
    b->rank[pass] = ct_malloc((b->n ? b->n : 1) * sizeof(uint32_t));
    int r = 0;
    if (!k || !off || !b->order[pass] || !b->rank[pass]) {
        r = CT_ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < b->n; i++) {
        off[i] = keys.len;
        const char *x = d->col[first].v[i].s, *y = d->col[second].v[i].s;
        ct_buf_adds(&keys, x ? x : "");
        ct_buf_addc(&keys, '\x01'); /* sorts before every letter */
        ct_buf_adds(&keys, y ? y : "");
        ct_buf_addc(&keys, '\0');
    }
    if (keys.oom) {
        r = CT_ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < b->n; i++)
        k[i] = (snm_key){keys.buf + off[i], i};
    qsort(k, b->n, sizeof(*k), cmp_snm);
    for (uint32_t i = 0; i < b->n; i++) {
        b->order[pass][i] = k[i].rec;
        b->rank[pass][k[i].rec] = i;
    }
out:
    ct_free(k);
    ct_free(off);
    ct_buf_release(&keys);
    return r;
}

/* Building is one task per rule and per sorted-neighbourhood pass; the
 * tasks write disjoint slots, so threads share only the task counter. */
typedef struct builder {
    ct_link_blocking *b;
    size_t next, ntasks;
    pthread_mutex_t lock;
    ct_link_stats st[MAX_RULES + SNM_PASSES]; /* per task, summed after */
    int failed;
} builder;

static int build_task(builder *bl, size_t t, ct_buf *tmp)
{
    ct_link_blocking *b = bl->b;
    const ct_link_data *d = b->d;
    if (t < b->nrules)
        return build_rule(b, t, &bl->st[t], tmp);
    return t == b->nrules ? build_snm(b, 0, d->family, d->given)
                          : build_snm(b, 1, d->given, d->family);
}

static void *build_work(void *arg)
{
    builder *bl = arg;
    ct_buf tmp = CT_BUF_INIT;
    for (;;) {
        pthread_mutex_lock(&bl->lock);
        size_t t = bl->next++;
        pthread_mutex_unlock(&bl->lock);
        if (t >= bl->ntasks)
            break;
        if (build_task(bl, t, &tmp)) {
            pthread_mutex_lock(&bl->lock);
            bl->failed = 1;
            pthread_mutex_unlock(&bl->lock);
        }
    }
    ct_buf_release(&tmp);
    return NULL;
}

static int build_all(ct_link_blocking *b, int threads, ct_link_stats *st)
{
    builder *bl = ct_calloc(1, sizeof(*bl));
    if (!bl)
        return CT_ENOMEM;
    const ct_link_data *d = b->d;
    b->nsnm = d->given >= 0 && d->family >= 0 ? SNM_PASSES : 0;
    *bl = (builder){.b = b, .ntasks = b->nrules + b->nsnm, .lock = PTHREAD_MUTEX_INITIALIZER};
    pthread_t tid[8];
    int started = 0, nt = threads < 1 ? 1 : threads > 8 ? 8 : threads;
    for (int t = 1; t < nt && !pthread_create(&tid[t], NULL, build_work, bl); t++)
        started = t;
    build_work(bl);
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    for (size_t t = 0; t < b->nrules; t++) {
        st->capped_blocks += bl->st[t].capped_blocks;
        st->capped_records += bl->st[t].capped_records;
        st->rules_used += bl->st[t].rules_used;
        st->rules_dropped += bl->st[t].rules_dropped;
        st->bound_pairs += bl->st[t].bound_pairs;
    }
    if (b->nsnm)
        st->bound_pairs += (uint64_t)b->n * (b->window - 1) * SNM_PASSES;
    int r = bl->failed ? CT_ENOMEM : 0;
    pthread_mutex_destroy(&bl->lock);
    ct_free(bl);
    return r;
}

ct_link_blocking *ct_link_blocking_new(const ct_link_data *d, const ct_link_opts *o,
                                       ct_link_stats *st, ct_err *err)
{
    ct_link_blocking *b = ct_calloc(1, sizeof(*b));
    if (!b)
        goto oom;
    b->d = d;
    b->n = d->n;
    b->mode = o->mode;
    b->max_block = o->max_block ? o->max_block : 500;
    b->window = o->window ? o->window : 6;
    make_rules(b);
    if (build_all(b, o->threads > 0 ? o->threads : 2, st))
        goto oom;
    return b;
oom:
    ct_link_blocking_free(b);
    ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return NULL;
}

void ct_link_blocking_free(ct_link_blocking *b)
{
    if (!b)
        return;
    for (size_t r = 0; r < MAX_RULES; r++) {
        ct_free(b->keys[r]);
        ct_free(b->sorted[r]);
    }
    for (size_t p = 0; p < SNM_PASSES; p++) {
        ct_free(b->order[p]);
        ct_free(b->rank[p]);
    }
    ct_free(b);
}

size_t ct_link_blocking_units(const ct_link_blocking *b)
{
    return (b->nrules + b->nsnm) * SLICES;
}

size_t ct_link_blocking_slices(void)
{
    return SLICES;
}

size_t ct_link_blocking_nrules(const ct_link_blocking *b)
{
    return b->nrules;
}

uint64_t ct_link_blocking_rule_pairs(const ct_link_blocking *b, size_t r)
{
    return b->rule_pairs[r];
}

size_t ct_link_blocking_rule_parts(const ct_link_blocking *b, size_t r, int *kind, int *col)
{
    size_t n = 0;
    for (; n < MAX_PARTS && b->rules[r].p[n].kind; n++) {
        kind[n] = b->rules[r].p[n].kind;
        col[n] = b->rules[r].p[n].col;
    }
    return n;
}

int ct_link_pair_wanted(const ct_link_data *d, enum ct_link_mode mode, uint32_t a, uint32_t b)
{
    switch (mode) {
    case CT_LINK_LINK:
        return d->source[a] != d->source[b];
    case CT_LINK_INCREMENTAL:
        return d->source[a] || d->source[b];
    default:
        return 1;
    }
}

/* Whether rule r (or an earlier pass) already produced the pair. */
static int covered_by_rules(const ct_link_blocking *b, size_t r, uint32_t x, uint32_t y)
{
    for (size_t k = 0; k < r; k++)
        if (b->keys[k][x] && b->keys[k][x] == b->keys[k][y])
            return 1;
    return 0;
}

static int covered_by_snm(const ct_link_blocking *b, size_t pass, uint32_t x, uint32_t y)
{
    for (size_t p = 0; p < pass; p++) {
        uint32_t rx = b->rank[p][x], ry = b->rank[p][y];
        if ((rx > ry ? rx - ry : ry - rx) < b->window)
            return 1;
    }
    return 0;
}

static int emit(const ct_link_blocking *b, uint32_t x, uint32_t y, ct_link_pair_fn fn, void *ctx)
{
    if (x > y) {
        uint32_t t = x;
        x = y;
        y = t;
    }
    return ct_link_pair_wanted(b->d, b->mode, x, y) ? fn(ctx, x, y) : 0;
}

static int run_rule(const ct_link_blocking *b, size_t r, size_t slice, int raw, ct_link_pair_fn fn,
                    void *ctx)
{
    const entry *e = b->sorted[r];
    size_t n = b->nsorted[r], block = 0;
    for (size_t i = 0; i < n; block++) {
        size_t j = i;
        while (j < n && e[j].key == e[i].key)
            j++;
        for (size_t p = i; p < j && block % SLICES == slice; p++)
            for (size_t q = p + 1; q < j; q++) {
                uint32_t x = e[p].rec, y = e[q].rec;
                if ((raw || !covered_by_rules(b, r, x, y)) && emit(b, x, y, fn, ctx))
                    return 1;
            }
        i = j;
    }
    return 0;
}

static int run_snm(const ct_link_blocking *b, size_t pass, size_t slice, ct_link_pair_fn fn,
                   void *ctx)
{
    size_t lo = b->n * slice / SLICES, hi = b->n * (slice + 1) / SLICES;
    const uint32_t *ord = b->order[pass];
    for (size_t i = lo; i < hi; i++)
        for (size_t j = i + 1; j < i + b->window && j < b->n; j++) {
            uint32_t x = ord[i], y = ord[j];
            if (!covered_by_rules(b, b->nrules, x, y) && !covered_by_snm(b, pass, x, y) &&
                emit(b, x, y, fn, ctx))
                return 1;
        }
    return 0;
}

int ct_link_blocking_run(const ct_link_blocking *b, size_t unit, ct_link_pair_fn fn, void *ctx)
{
    size_t r = unit / SLICES, slice = unit % SLICES;
    if (r < b->nrules)
        return run_rule(b, r, slice, 0, fn, ctx);
    return run_snm(b, r - b->nrules, slice, fn, ctx);
}

int ct_link_blocking_run_raw(const ct_link_blocking *b, size_t unit, ct_link_pair_fn fn, void *ctx)
{
    return run_rule(b, unit / SLICES, unit % SLICES, 1, fn, ctx);
}
