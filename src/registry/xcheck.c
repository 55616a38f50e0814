/*
 * xcheck.c - the cross-checks: registry children and victims linked with
 * the record-linkage engine (src/link, docs/linkage.md), candidates queued
 * for review.
 *
 *   1. read every missing-child report, placement and victim (the store's
 *      linkage rows) into a ct_link_data: names (any script: the engine
 *      transliterates), date of birth (partial dates, day-month swaps,
 *      one- and two-digit slips; an age becomes an approximate birth year),
 *      sex, citizenship;
 *   2. a record whose linkage fields (and, for a placement, its exit) hash
 *      differently from the last check is new (source 1), the others old
 *      (source 0); the engine scores new-old and new-new pairs only;
 *   3. pairs of records of different kinds (report-victim, placement-
 *      victim, report-placement) at or above the threshold go to the review
 *      queue as registry_hit with the engine's explanation as evidence;
 *      pairs of one kind are other questions (duplicates: src/link);
 *   4. the records are marked checked; the institution flags are updated.
 *
 * Invariant: a record is marked checked only in the transaction that queued
 * its candidates, so a failed check leaves it pending for the next one.
 */
#include "registry.h"

#include "core/alloc.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "link/link.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { T_MISSING, T_PLACEMENT, T_PERSON, T__N };
static const char *const type_names[T__N] = {"missing", "placement", "person"};

static const ct_link_column columns[] = {
    {"given_name", CT_LINK_NAME, CT_LINK_R_GIVEN},
    {"family_name", CT_LINK_NAME, CT_LINK_R_FAMILY},
    {"date_of_birth", CT_LINK_DATE, CT_LINK_R_DOB},
    {"sex", CT_LINK_EXACT, CT_LINK_R_OTHER},
    {"citizenship", CT_LINK_CODES, CT_LINK_R_OTHER},
};
enum { NCOLS = sizeof(columns) / sizeof(columns[0]) };

typedef struct xrec {
    unsigned char type;
    unsigned char pending;
    const char *agency; /* in the arena */
    unsigned char hash[CT_REG_HASH_BYTES];
} xrec;

typedef struct xcheck {
    ct_store *s;
    size_t registry;         /* registry children read */
    size_t registry_pending; /* of them, new or changed */
    const ct_reg_check_opts *o;
    ct_reg_check_stats *st;
    ct_link_data *d;
    xrec *rec;
    size_t n, cap;
    ct_arena arena;
    ct_err *err;
} xcheck;

static int type_of(const char *name)
{
    for (int t = 0; t < T__N; t++)
        if (name && strcmp(name, type_names[t]) == 0)
            return t;
    return -1;
}

/* "2010-03-14" -> "20100314"; "2010-03" -> "201003"; with only an age at a
 * date, "~YYYY" (the engine's approximate birth year). "" when unknown. */
static void link_dob(const ct_reg_link_row *row, char out[12])
{
    out[0] = '\0';
    if (row->date_of_birth) {
        ct_date d;
        if (ct_date_parse(row->date_of_birth, strlen(row->date_of_birth), &d) == 0) {
            if (d.day)
                snprintf(out, 12, "%04d%02d%02d", d.year, d.month, d.day);
            else if (d.month)
                snprintf(out, 12, "%04d%02d", d.year, d.month);
            else
                snprintf(out, 12, "%04d", d.year);
        }
        return;
    }
    if (row->age >= 0 && row->at && strlen(row->at) >= 4) {
        int year = atoi(row->at);
        if (year > row->age)
            snprintf(out, 12, "~%04d", year - row->age);
    }
}

static void hash_add(crypto_generichash_state *h, const char *s)
{
    static const unsigned char none = 0xff; /* NULL differs from "" */
    if (s)
        crypto_generichash_update(h, (const unsigned char *)s, strlen(s) + 1);
    else
        crypto_generichash_update(h, &none, 1);
}

/* What a check depends on: the compared values and, for a placement, its
 * exit (a placement exit is checked again, issue 7). */
static void row_hash(const ct_reg_link_row *row, const char *dob, int type,
                     unsigned char out[CT_REG_HASH_BYTES])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, CT_REG_HASH_BYTES);
    hash_add(&h, type_names[type]);
    hash_add(&h, row->given_name);
    hash_add(&h, row->family_name);
    hash_add(&h, dob);
    hash_add(&h, row->sex);
    hash_add(&h, row->citizenship);
    if (type == T_PLACEMENT) {
        hash_add(&h, row->exit_reason);
        hash_add(&h, row->exit_date);
    }
    crypto_generichash_final(&h, out, CT_REG_HASH_BYTES);
}

static int add_row(const ct_reg_link_row *row, void *arg)
{
    xcheck *x = arg;
    int type = type_of(row->type);
    if (type < 0)
        return ct_err_set(x->err, CT_EINTERNAL, "%s", _("unknown record type in the cross-check"));
    if (!row->given_name && !row->family_name)
        return 0; /* nothing to compare a nameless record on */
    char dob[12];
    link_dob(row, dob);
    unsigned char hash[CT_REG_HASH_BYTES];
    row_hash(row, dob, type, hash);
    int pending = x->o->all || !row->checked || memcmp(row->checked, hash, sizeof(hash)) != 0;
    /* a victim checked before can match only a new registry record: when
     * none is new, old victims need not be compared at all (registry
     * rows come first) */
    if (type == T_PERSON && !pending && !x->registry_pending)
        return 0;
    xrec *v = ct_grow(x->rec, sizeof(*v), x->n + 1, &x->cap);
    if (!v)
        return ct_err_set(x->err, CT_ENOMEM, "%s", _("out of memory"));
    x->rec = v;
    xrec *r = &v[x->n];
    memset(r, 0, sizeof(*r));
    r->type = (unsigned char)type;
    r->agency = ct_arena_strdup(&x->arena, row->agency ? row->agency : "");
    if (!r->agency)
        return ct_err_set(x->err, CT_ENOMEM, "%s", _("out of memory"));
    memcpy(r->hash, hash, sizeof(hash));
    r->pending = (unsigned char)pending;
    const char *sex = row->sex && strcmp(row->sex, "unknown") ? row->sex : NULL;
    const char *values[NCOLS] = {row->given_name, row->family_name, dob[0] ? dob : NULL, sex,
                                 row->citizenship};
    int rc = ct_link_data_add(x->d, r->pending, row->id, values, x->err);
    if (rc)
        return rc;
    x->n++;
    x->registry += type != T_PERSON;
    x->registry_pending += type != T_PERSON && pending;
    return 0;
}

/*
 * Corroboration. A registry hit is queued only when it rests on two
 * identifiers, whatever the model's probability: a child's given name
 * alone, however rare, is no reason to put a family's report beside a
 * victim's record (and an EM fitted on few records can weigh it so).
 * Rules as data; any one suffices. Levels are the engine's
 * (src/link/compare.c), best last; "at least" follows that order.
 */
static const char *const name_order[] = {"else", "jw70",  "phonetic", "jw88",
                                         "jw92", "alias", "exact",    NULL};
static const char *const date_order[] = {"else",    "year", "lev2",  "lev1",
                                         "partial", "swap", "exact", NULL};
static const struct corroboration {
    const char *field_a, *min_a;
    const char *field_b, *min_b;
} corroborations[] = {
    {"given_name", "jw88", "family_name", "jw88"},   /* both names (either order) */
    {"given_name", "jw88", "date_of_birth", "lev1"}, /* a name and the birth date */
    {"family_name", "jw88", "date_of_birth", "lev1"},
};

static int rank_of(const char *const *order, const char *level, size_t n)
{
    for (int i = 0; order[i]; i++)
        if (strlen(order[i]) == n && strncmp(order[i], level, n) == 0)
            return i;
    return -1;
}

/* Whether field's level in the explanation ("field:level:weight;...") is
 * at least min. */
static int at_least(const char *explanation, const char *field, const char *min)
{
    const char *const *order = strcmp(field, "date_of_birth") == 0 ? date_order : name_order;
    size_t fl = strlen(field);
    for (const char *p = explanation; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL) {
        if (strncmp(p, field, fl) != 0 || p[fl] != ':')
            continue;
        const char *level = p + fl + 1;
        size_t n = strcspn(level, ":;");
        return rank_of(order, level, n) >= rank_of(order, min, strlen(min));
    }
    return 0;
}

static int corroborated(const char *explanation)
{
    for (size_t i = 0; i < sizeof(corroborations) / sizeof(corroborations[0]); i++) {
        const struct corroboration *c = &corroborations[i];
        if (at_least(explanation, c->field_a, c->min_a) &&
            at_least(explanation, c->field_b, c->min_b))
            return 1;
    }
    return 0;
}

static int queue_pair(xcheck *x, const ct_link_result *res, const ct_link_pair *p)
{
    const xrec *ra = &x->rec[p->a], *rb = &x->rec[p->b];
    if (ra->type == rb->type)
        return 0;
    ct_review_item it;
    memset(&it, 0, sizeof(it));
    snprintf(it.kind, sizeof(it.kind), "registry_hit");
    snprintf(it.a.type, sizeof(it.a.type), "%s", type_names[ra->type]);
    snprintf(it.a.id, sizeof(it.a.id), "%s", ct_link_data_id(x->d, p->a));
    snprintf(it.a.agency, sizeof(it.a.agency), "%s", ra->agency);
    snprintf(it.b.type, sizeof(it.b.type), "%s", type_names[rb->type]);
    snprintf(it.b.id, sizeof(it.b.id), "%s", ct_link_data_id(x->d, p->b));
    snprintf(it.b.agency, sizeof(it.b.agency), "%s", rb->agency);
    it.probability = p->prob;
    it.weight = p->weight;
    ct_buf ev = CT_BUF_INIT;
    ct_link_explain(res, x->d, p->a, p->b, &ev);
    snprintf(it.evidence, sizeof(it.evidence), "%s", ev.buf);
    int oom = ev.oom;
    ct_buf_release(&ev);
    if (oom)
        return ct_err_set(x->err, CT_ENOMEM, "%s", _("out of memory"));
    if (!corroborated(it.evidence))
        return 0;
    x->st->candidates++;
    int added = 0;
    int rc = ct_store_review_add(x->s, &it, &added, x->err);
    if (rc)
        return rc;
    x->st->queued += added;
    x->st->known += !added;
    return 0;
}

static int link_and_queue(xcheck *x)
{
    if (!x->st->checked || x->n < 2)
        return 0;
    ct_link_opts lo = {0};
    lo.mode = CT_LINK_INCREMENTAL;
    lo.threshold = x->o->threshold > 0 ? x->o->threshold : 0.8;
    lo.threads = x->o->threads;
    /* u from random pairs: as many as the pairs there are, within the
     * engine's default (a registry of a few hundred children needs no
     * 200,000 samples) */
    double all_pairs = (double)x->n * (double)x->n;
    lo.u_pairs = all_pairs < 2000 ? 2000 : all_pairs > 200000 ? 200000 : (size_t)all_pairs;
    ct_link_result *res = NULL;
    ct_err e = CT_ERR_INIT;
    int rc = ct_link_run(x->d, &lo, &res, &e);
    if (rc == CT_ENORESULT)
        return 0; /* no two records share a blocking key: nothing to review */
    if (rc) {
        *x->err = e;
        return rc;
    }
    size_t np;
    const ct_link_pair *pairs = ct_link_result_pairs(res, &np);
    for (size_t i = 0; i < np && !rc; i++)
        rc = queue_pair(x, res, &pairs[i]);
    ct_link_result_free(res);
    return rc;
}

static int mark_checked(xcheck *x)
{
    for (size_t i = 0; i < x->n; i++) {
        if (!x->rec[i].pending)
            continue;
        int rc = ct_store_reg_check_set(x->s, type_names[x->rec[i].type], ct_link_data_id(x->d, i),
                                        x->rec[i].hash, x->err);
        if (rc)
            return rc;
    }
    return 0;
}

static int audit(xcheck *x)
{
    char detail[256];
    snprintf(detail, sizeof(detail),
             "{\"records\":%ld,\"checked\":%ld,\"candidates\":%ld,\"queued\":%ld,\"known\":%ld,"
             "\"flags_raised\":%ld}",
             x->st->records, x->st->checked, x->st->candidates, x->st->queued, x->st->known,
             x->st->flags_raised);
    ct_audit_entry e = {"registry.crosscheck", NULL, NULL, NULL, NULL, detail};
    return ct_store_audit(x->s, &e, x->err);
}

static int run(xcheck *x)
{
    int rc = ct_store_reg_link_rows(x->s, add_row, x, x->err);
    if (rc)
        return rc;
    x->st->records = (long)x->n;
    /* Victims alone have nothing to be checked against: they stay pending
     * until a registry holds a child, so a database without registries
     * never writes cross-check state for its victims. */
    for (size_t i = 0; x->registry && i < x->n; i++)
        x->st->checked += x->rec[i].pending;
    if (x->registry && ((rc = link_and_queue(x)) || (rc = mark_checked(x))))
        return rc;
    if ((rc = ct_reg_flags_update(x->s, &x->st->flags_raised, x->err)))
        return rc;
    return audit(x);
}

int ct_reg_crosscheck(ct_store *s, const ct_reg_check_opts *o, ct_reg_check_stats *st, ct_err *err)
{
    static const ct_reg_check_opts defaults = {0};
    memset(st, 0, sizeof(*st));
    xcheck x = {s, 0, 0, o ? o : &defaults, st, NULL, NULL, 0, 0, CT_ARENA_INIT, err};
    ct_arena_init(&x.arena, 65536);
    x.d = ct_link_data_new(columns, NCOLS, err);
    /* in the caller's transaction when one is open (the server holds its
     * writer lock around it) */
    int own = !ct_store_in_tx(s);
    int rc = !x.d ? CT_ENOMEM : own ? ct_store_begin(s, err) : 0;
    if (!rc) {
        rc = run(&x);
        if (own && !rc)
            rc = ct_store_commit(s, err);
        if (own && rc)
            ct_store_rollback(s);
    }
    ct_link_data_free(x.d);
    ct_free(x.rec);
    ct_arena_release(&x.arena);
    return rc;
}
