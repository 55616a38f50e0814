/*
 * dedupe.c - `ctip link dedupe DB`: the victims of the database linked by
 * the engine in incremental mode, stable clusters kept, suspected
 * duplicates queued for review (linkdb.h).
 *
 *   1. read every victim (store_link.h) into a ct_link_data: names (any
 *      script), birth date (partial; an age at identification becomes an
 *      approximate birth year), sex, citizenship and, when any record has
 *      one, identity documents; a record whose values hash as at the last
 *      run is old (source 0), the others new (source 1);
 *   2. the engine scores new-old and new-new pairs;
 *   3. pairs at or above the threshold merge the stable clusters; pairs at
 *      or above the review threshold whose person keys differ are queued
 *      as duplicate_person;
 *   4. the new records are marked linked, the run is audited.
 * Steps 3 and 4 are one transaction: a record is marked linked only with
 * the candidates it produced, and a killed run changes nothing. Step 1 reads
 * a snapshot and step 2 runs outside any transaction, so the write lock is
 * held only while the results are written (run_all).
 */
#include "linkdb.h"

#include "core/alloc.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "store/store_link.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { C_GIVEN, C_FAMILY, C_DOB, C_SEX, C_CITIZENSHIP, C_IDS, NCOLS };

static const ct_link_column columns[NCOLS] = {
    {"given_name", CT_LINK_NAME, CT_LINK_R_GIVEN},
    {"family_name", CT_LINK_NAME, CT_LINK_R_FAMILY},
    {"date_of_birth", CT_LINK_DATE, CT_LINK_R_DOB},
    {"sex", CT_LINK_EXACT, CT_LINK_R_OTHER},
    {"citizenship", CT_LINK_CODES, CT_LINK_R_OTHER},
    {"identifiers", CT_LINK_CODES, CT_LINK_R_OTHER},
};

typedef struct drec {
    const char *id, *agency, *key; /* in the arena; key NULL when none */
    const char *v[NCOLS];
    unsigned char hash[CT_LINK_HASH_BYTES];
    unsigned char pending;
    long long cluster; /* stored cluster, 0 for a record never linked */
} drec;

typedef struct run {
    ct_store *s;
    const ct_linkdb_opts *o;
    ct_linkdb_stats *st;
    drec *rec;
    size_t n, cap;
    size_t with_ids; /* records with identity documents */
    ct_arena arena;
    ct_link_data *d;
    uint32_t *parent;   /* union-find over records */
    long long *cid;     /* cluster id of each root */
    ct_buf explanation; /* scratch */
    ct_err *err;
} run;

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

/* ---- reading ------------------------------------------------------------------ */

/* "2010-03-14" -> "20100314", "2010-03" -> "201003", "2010"; with only an
 * age at the identification date, "~YYYY" (the engine's approximate birth
 * year); "" when unknown. */
static void link_dob(const ct_link_person_row *row, char out[12])
{
    out[0] = '\0';
    ct_date d;
    if (row->date_of_birth &&
        ct_date_parse(row->date_of_birth, strlen(row->date_of_birth), &d) == 0) {
        if (d.day)
            snprintf(out, 12, "%04d%02d%02d", d.year, d.month, d.day);
        else if (d.month)
            snprintf(out, 12, "%04d%02d", d.year, d.month);
        else
            snprintf(out, 12, "%04d", d.year);
        return;
    }
    if (row->age >= 0 && row->identified && strlen(row->identified) >= 4) {
        int year = atoi(row->identified);
        if (year > row->age)
            snprintf(out, 12, "~%04d", year - row->age);
    }
}

/* Identity documents as codes "TYPE:COUNTRY:VALUE" (letters and digits of
 * the value only, upper case), ';'-joined, so that one document in common
 * is a code in common. "" when none. */
static void link_ids(const char *json, ct_buf *out)
{
    if (!json || !*json)
        return;
    json_t *a = json_loads(json, 0, NULL);
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
    {
        const char *type = json_string_value(json_object_get(x, "type"));
        const char *value = json_string_value(json_object_get(x, "value"));
        const char *country = json_string_value(json_object_get(x, "country"));
        if (!value)
            continue;
        size_t start = out->len;
        if (start)
            ct_buf_addc(out, ';');
        for (const char *p = type ? type : ""; *p; p++)
            if (isalnum((unsigned char)*p))
                ct_buf_addc(out, (char)tolower((unsigned char)*p));
        ct_buf_addc(out, ':');
        ct_buf_adds(out, country ? country : "");
        ct_buf_addc(out, ':');
        size_t before = out->len;
        for (const char *p = value; *p; p++)
            if (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
                ct_buf_addc(out, (char)toupper((unsigned char)*p));
        if (out->len == before)
            ct_buf_truncate(out, start);
    }
    json_decref(a);
}

static void hash_add(crypto_generichash_state *h, const char *s)
{
    static const unsigned char none = 0xff; /* NULL differs from "" */
    if (s)
        crypto_generichash_update(h, (const unsigned char *)s, strlen(s) + 1);
    else
        crypto_generichash_update(h, &none, 1);
}

static const char *dup_or_null(run *r, const char *s, int *bad)
{
    if (!s || !*s)
        return NULL;
    char *c = ct_arena_strdup(&r->arena, s);
    *bad |= c == NULL;
    return c;
}

static int add_row(const ct_link_person_row *row, void *arg)
{
    run *r = arg;
    r->st->records++;
    if ((!row->given_name || !*row->given_name) && (!row->family_name || !*row->family_name)) {
        r->st->nameless++;
        return 0; /* nothing to compare a nameless record on */
    }
    drec *v = ct_grow(r->rec, sizeof(*v), r->n + 1, &r->cap);
    if (!v)
        return oom(r->err);
    r->rec = v;
    drec *x = &v[r->n];
    memset(x, 0, sizeof(*x));
    char dob[12];
    link_dob(row, dob);
    ct_buf ids = CT_BUF_INIT;
    link_ids(row->identifiers, &ids);
    int bad = ids.oom;
    const char *sex = row->sex && strcmp(row->sex, "unknown") ? row->sex : NULL;
    x->id = dup_or_null(r, row->id, &bad);
    x->agency = dup_or_null(r, row->agency ? row->agency : "", &bad);
    x->key = dup_or_null(r, row->person_key, &bad);
    x->v[C_GIVEN] = dup_or_null(r, row->given_name, &bad);
    x->v[C_FAMILY] = dup_or_null(r, row->family_name, &bad);
    x->v[C_DOB] = dup_or_null(r, dob, &bad);
    x->v[C_SEX] = dup_or_null(r, sex, &bad);
    x->v[C_CITIZENSHIP] = dup_or_null(r, row->citizenship, &bad);
    x->v[C_IDS] = dup_or_null(r, ids.buf, &bad);
    ct_buf_release(&ids);
    if (bad || !x->id)
        return oom(r->err);
    if (!x->agency)
        x->agency = "";
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, CT_LINK_HASH_BYTES);
    for (int c = 0; c < NCOLS; c++)
        hash_add(&h, x->v[c]);
    crypto_generichash_final(&h, x->hash, CT_LINK_HASH_BYTES);
    x->pending = !row->hash || memcmp(row->hash, x->hash, CT_LINK_HASH_BYTES) != 0;
    x->cluster = row->hash ? row->cluster : 0;
    r->with_ids += x->v[C_IDS] != NULL;
    r->st->new_records += x->pending;
    r->n++;
    return 0;
}

/* The engine's store: identity documents only when some record has them. */
static int build_data(run *r)
{
    size_t ncols = r->with_ids >= 2 ? NCOLS : NCOLS - 1;
    r->d = ct_link_data_new(columns, ncols, r->err);
    if (!r->d)
        return r->err->code ? r->err->code : oom(r->err);
    for (size_t i = 0; i < r->n; i++) {
        int rc = ct_link_data_add(r->d, r->rec[i].pending, r->rec[i].id, r->rec[i].v, r->err);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- stable clusters -------------------------------------------------------------- */

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Clusters as stored: records sharing a stored id start together; a new
 * record gets the next id. */
static int clusters_init(run *r)
{
    long long next = 0;
    int rc = ct_store_link_cluster_max(r->s, &next, r->err);
    if (rc)
        return rc;
    r->parent = ct_malloc((r->n ? r->n : 1) * sizeof(*r->parent));
    r->cid = ct_malloc((r->n ? r->n : 1) * sizeof(*r->cid));
    size_t cap = 16;
    while (cap < 2 * r->n)
        cap *= 2;
    long long *slot_id = ct_calloc(cap, sizeof(*slot_id));
    uint32_t *slot_rec = ct_malloc(cap * sizeof(*slot_rec));
    if (!r->parent || !r->cid || !slot_id || !slot_rec) {
        ct_free(slot_id);
        ct_free(slot_rec);
        return oom(r->err);
    }
    for (size_t i = 0; i < r->n; i++) {
        r->parent[i] = (uint32_t)i;
        long long c = r->rec[i].cluster;
        if (c <= 0) {
            r->cid[i] = ++next;
            continue;
        }
        r->cid[i] = c;
        size_t k = ((unsigned long long)c * 0x9e3779b97f4a7c15ULL >> 17) & (cap - 1);
        while (slot_id[k] && slot_id[k] != c)
            k = (k + 1) & (cap - 1);
        if (slot_id[k])
            r->parent[i] = slot_rec[k]; /* the first record of that cluster is its root */
        else {
            slot_id[k] = c;
            slot_rec[k] = (uint32_t)i;
        }
    }
    ct_free(slot_id);
    ct_free(slot_rec);
    return 0;
}

static int link_pair(run *r, const ct_link_pair *p)
{
    uint32_t a = find(r->parent, p->a), b = find(r->parent, p->b);
    if (a == b)
        return 0;
    long long keep = r->cid[a] < r->cid[b] ? r->cid[a] : r->cid[b];
    long long gone = r->cid[a] < r->cid[b] ? r->cid[b] : r->cid[a];
    r->parent[b] = a;
    r->cid[a] = keep;
    r->st->merges++;
    return ct_store_link_cluster_merge(r->s, keep, gone, r->rec[p->b].id, r->err);
}

/* ---- the review queue -------------------------------------------------------------- */

static int queue_pair(run *r, const ct_link_pair *p)
{
    const drec *ra = &r->rec[p->a], *rb = &r->rec[p->b];
    if (ra->key && rb->key && strcmp(ra->key, rb->key) == 0) {
        r->st->same_key++;
        return 0;
    }
    ct_review_item it;
    memset(&it, 0, sizeof(it));
    snprintf(it.kind, sizeof(it.kind), "duplicate_person");
    snprintf(it.a.type, sizeof(it.a.type), "person");
    snprintf(it.a.id, sizeof(it.a.id), "%s", ra->id);
    snprintf(it.a.agency, sizeof(it.a.agency), "%s", ra->agency);
    snprintf(it.b.type, sizeof(it.b.type), "person");
    snprintf(it.b.id, sizeof(it.b.id), "%s", rb->id);
    snprintf(it.b.agency, sizeof(it.b.agency), "%s", rb->agency);
    it.probability = p->prob;
    it.weight = p->weight;
    snprintf(it.evidence, sizeof(it.evidence), "%s", r->explanation.buf);
    r->st->candidates++;
    int added = 0;
    int rc = ct_store_review_add(r->s, &it, &added, r->err);
    if (rc)
        return rc;
    r->st->queued += added;
    r->st->known += !added;
    return 0;
}

static double threshold_of(const ct_linkdb_opts *o)
{
    return o->threshold > 0 ? o->threshold : 0.9;
}

static double review_threshold_of(const ct_linkdb_opts *o)
{
    return o->review_threshold > 0 ? o->review_threshold : threshold_of(o);
}

/* The engine, outside any transaction; *res NULL when no two records share
 * a blocking key. */
static int run_engine(run *r, ct_link_result **res)
{
    double t = threshold_of(r->o), q = review_threshold_of(r->o);
    ct_link_opts lo = {0};
    lo.mode = CT_LINK_INCREMENTAL;
    lo.threshold = t < q ? t : q;
    lo.threads = r->o->threads;
    lo.max_block = r->o->max_block;
    /* u from random pairs: as many as there are pairs, within the
     * engine's default */
    double all = (double)r->n * (double)r->n;
    lo.u_pairs = all < 2000 ? 2000 : all > 200000 ? 200000 : (size_t)all;
    ct_err e = CT_ERR_INIT;
    int rc = ct_link_run(r->d, &lo, res, &e);
    if (rc == CT_ENORESULT)
        return 0; /* no two records share a blocking key */
    if (rc) {
        *r->err = e;
        return rc;
    }
    r->st->engine_ran = 1;
    r->st->engine = *ct_link_result_stats(*res);
    return 0;
}

static int apply_pairs(run *r, const ct_link_result *res)
{
    double t = threshold_of(r->o), q = review_threshold_of(r->o);
    size_t np;
    const ct_link_pair *pairs = ct_link_result_pairs(res, &np);
    int rc = 0;
    for (size_t i = 0; i < np && !rc; i++) {
        const ct_link_pair *p = &pairs[i];
        r->st->pairs++;
        ct_buf_reset(&r->explanation);
        ct_link_explain(res, r->d, p->a, p->b, &r->explanation);
        if (r->explanation.oom)
            return oom(r->err);
        if (p->prob >= t) {
            r->st->linked++;
            rc = link_pair(r, p);
            if (!rc && r->o->on_pair)
                rc = r->o->on_pair(r->o->ctx, r->rec[p->a].id, r->rec[p->b].id, p->prob,
                                   r->explanation.buf);
        }
        if (!rc && p->prob >= q)
            rc = queue_pair(r, p);
    }
    return rc;
}

static int mark_linked(run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        if (!r->rec[i].pending)
            continue;
        int rc = ct_store_link_state_set(r->s, r->rec[i].id, r->rec[i].hash,
                                         r->cid[find(r->parent, (uint32_t)i)], r->err);
        if (rc)
            return rc;
    }
    return 0;
}

static int audit(run *r)
{
    const ct_linkdb_stats *st = r->st;
    char detail[512];
    snprintf(detail, sizeof(detail),
             "{\"records\":%ld,\"nameless\":%ld,\"new\":%ld,\"candidate_pairs\":%llu,"
             "\"pairs\":%ld,\"linked\":%ld,\"merges\":%ld,\"candidates\":%ld,\"same_key\":%ld,"
             "\"queued\":%ld,\"known\":%ld,\"threshold\":%.4g,\"review_threshold\":%.4g}",
             st->records, st->nameless, st->new_records, (unsigned long long)st->engine.candidates,
             st->pairs, st->linked, st->merges, st->candidates, st->same_key, st->queued, st->known,
             threshold_of(r->o), review_threshold_of(r->o));
    ct_audit_entry e = {"link.dedupe", NULL, NULL, NULL, NULL, detail};
    return ct_store_audit(r->s, &e, r->err);
}

/* The runs so far (setting "link.runs"): a run writes only when no other
 * run wrote since it read the records. */
static long runs_of(run *r)
{
    char v[32];
    ct_err ignored = CT_ERR_INIT;
    return ct_store_meta_get(r->s, "link.runs", v, sizeof(v), &ignored) ? 0 : atol(v);
}

/* Phase 1, in one read transaction (a snapshot): the records. */
static int read_records(run *r, long *runs)
{
    int rc = ct_store_begin_read(r->s, r->err);
    if (rc)
        return rc;
    *runs = runs_of(r);
    rc = ct_store_link_rows(r->s, add_row, r, r->err);
    if (!rc)
        rc = ct_store_commit(r->s, r->err);
    if (rc)
        ct_store_rollback(r->s);
    return rc;
}

/* Phase 3, in one write transaction: clusters, review items, states. */
static int write_results(run *r, const ct_link_result *res, long runs)
{
    if (runs_of(r) != runs)
        return ct_err_set(r->err, CT_EBUSY, "%s",
                          _("another linkage run changed the database meanwhile; run again"));
    int rc = 0;
    if (r->st->new_records) {
        char v[32];
        snprintf(v, sizeof(v), "%ld", runs + 1);
        if ((rc = clusters_init(r)) || (res && (rc = apply_pairs(r, res))) ||
            (rc = mark_linked(r)) || (rc = ct_store_meta_set(r->s, "link.runs", v, r->err)))
            return rc;
    }
    return audit(r);
}

/*
 * The write lock is held only while the results are written: the records
 * are read in a snapshot, the engine runs outside any transaction. A record
 * changed meanwhile keeps the hash of what was linked, so the next run
 * links it again; a record added meanwhile is new for the next run.
 */
static int run_all(run *r)
{
    long runs = 0;
    int rc = read_records(r, &runs);
    ct_link_result *res = NULL;
    if (!rc && r->st->new_records) {
        if (!(rc = build_data(r)) && r->n >= 2)
            rc = run_engine(r, &res);
    }
    if (!rc && !(rc = ct_store_begin(r->s, r->err))) {
        rc = write_results(r, res, runs);
        if (!rc)
            rc = ct_store_commit(r->s, r->err);
        if (rc)
            ct_store_rollback(r->s);
    }
    ct_link_result_free(res);
    return rc;
}

int ct_linkdb_dedupe(ct_store *s, const ct_linkdb_opts *opts, ct_linkdb_stats *st, ct_err *err)
{
    static const ct_linkdb_opts defaults = {0};
    const ct_linkdb_opts *o = opts ? opts : &defaults;
    memset(st, 0, sizeof(*st));
    double t = threshold_of(o), q = review_threshold_of(o);
    if (t <= 0 || t >= 1 || q <= 0 || q >= 1)
        return ct_err_set(err, CT_EUSAGE, "%s",
                          _("linkage thresholds must lie strictly between 0 and 1"));
    run r;
    memset(&r, 0, sizeof(r));
    r.s = s;
    r.o = o;
    r.st = st;
    r.err = err;
    ct_arena_init(&r.arena, 1 << 20);
    ct_buf_init(&r.explanation);
    int rc = run_all(&r);
    ct_link_data_free(r.d);
    ct_free(r.rec);
    ct_free(r.parent);
    ct_free(r.cid);
    ct_buf_release(&r.explanation);
    ct_arena_release(&r.arena);
    return rc;
}
