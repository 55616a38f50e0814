/*
 * sqlite_nrm.c - the NRM records of store_nrm.h in SQLite (tables of
 * migrations/008_nrm.sql).
 *
 * Each record kind is one row of `kinds` below: its table, the SQL of its
 * four statements (spelled out at compile time from the CT_NRM_*_COLS
 * lists, never from input) and the offsets of its columns in its struct.
 * The generic add/update/get/list code walks that row, so a new kind is a
 * new COLS list, a new table and a new row here.
 */
#include "sqlite_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define SQL_COL(col)   ", " #col
#define SQL_RCOL(col)  ", r." #col
#define SQL_PARAM(col) ", ?"
#define SQL_SET(col)   ", " #col " = ?"
#define COUNT(col)     +1

#define META_COLS "r.uuid, p.uuid, r.at, r.actor, r.agency, r.updated_at, r.version"
enum { META_NCOLS = 7 };

enum kind_stmt { K_INSERT, K_UPDATE, K_GET, K_LIST, K__N };

typedef struct kind_desc {
    const char *sql[K__N];
    const size_t *offs; /* of each column's const char * in the struct */
    size_t ncols;
    size_t size; /* of the struct */
    const char *what;
} kind_desc;

#define KIND_SQL(table, COLS)                                                                      \
    {                                                                                              \
        "INSERT INTO " table "(uuid, person_id, at, actor, agency, updated_at" COLS(               \
            SQL_COL) ") VALUES (?, (SELECT id "                                                    \
                     "FROM person WHERE uuid "                                                     \
                     "= ?), ?, ?, ?, ?" COLS(SQL_PARAM) ")",                                       \
            "UPDATE " table " SET version = version + 1, updated_at = ?" COLS(                     \
                SQL_SET) " WHERE uuid = ? AND version = ?",                                        \
            "SELECT " META_COLS COLS(                                                              \
                SQL_RCOL) " FROM " table                                                           \
                          " r JOIN person p ON p.id = r.person_id WHERE r.uuid = ?",               \
            "SELECT " META_COLS COLS(                                                              \
                SQL_RCOL) " FROM " table " r JOIN person p ON p.id = r.person_id WHERE p.uuid = "  \
                          "?1 AND (?2 IS NULL OR r.agency = ?2) ORDER BY r.id"                     \
    }

#define OFF_TRANSITION(col)    offsetof(ct_nrm_transition, col),
#define OFF_SCREENING(col)     offsetof(ct_nrm_screening, col),
#define OFF_REFERRAL(col)      offsetof(ct_nrm_referral, col),
#define OFF_CONSENT(col)       offsetof(ct_nrm_consent, col),
#define OFF_CHILD_MEASURE(col) offsetof(ct_nrm_child_measure, col),
#define OFF_NOTE(col)          offsetof(ct_nrm_note, col),

static const size_t transition_offs[] = {CT_NRM_TRANSITION_COLS(OFF_TRANSITION)};
static const size_t screening_offs[] = {CT_NRM_SCREENING_COLS(OFF_SCREENING)};
static const size_t referral_offs[] = {CT_NRM_REFERRAL_COLS(OFF_REFERRAL)};
static const size_t consent_offs[] = {CT_NRM_CONSENT_COLS(OFF_CONSENT)};
static const size_t child_measure_offs[] = {CT_NRM_CHILD_MEASURE_COLS(OFF_CHILD_MEASURE)};
static const size_t note_offs[] = {CT_NRM_NOTE_COLS(OFF_NOTE)};

static const kind_desc kinds[CT_NRM_REC__N] = {
    [CT_NRM_REC_TRANSITION] = {KIND_SQL("nrm_transition", CT_NRM_TRANSITION_COLS), transition_offs,
                               0 CT_NRM_TRANSITION_COLS(COUNT), sizeof(ct_nrm_transition),
                               N_("saving a workflow action")},
    [CT_NRM_REC_SCREENING] = {KIND_SQL("nrm_screening", CT_NRM_SCREENING_COLS), screening_offs,
                              0 CT_NRM_SCREENING_COLS(COUNT), sizeof(ct_nrm_screening),
                              N_("saving a screening")},
    [CT_NRM_REC_REFERRAL] = {KIND_SQL("nrm_referral", CT_NRM_REFERRAL_COLS), referral_offs,
                             0 CT_NRM_REFERRAL_COLS(COUNT), sizeof(ct_nrm_referral),
                             N_("saving a referral")},
    [CT_NRM_REC_CONSENT] = {KIND_SQL("nrm_consent", CT_NRM_CONSENT_COLS), consent_offs,
                            0 CT_NRM_CONSENT_COLS(COUNT), sizeof(ct_nrm_consent),
                            N_("saving a consent record")},
    [CT_NRM_REC_CHILD_MEASURE] = {KIND_SQL("nrm_child_measure", CT_NRM_CHILD_MEASURE_COLS),
                                  child_measure_offs, 0 CT_NRM_CHILD_MEASURE_COLS(COUNT),
                                  sizeof(ct_nrm_child_measure),
                                  N_("saving a child protection step")},
    [CT_NRM_REC_NOTE] = {KIND_SQL("nrm_note", CT_NRM_NOTE_COLS), note_offs,
                         0 CT_NRM_NOTE_COLS(COUNT), sizeof(ct_nrm_note), N_("saving a note")},
};

enum subject_stmt { S_SUBJECT, S_SUBJECT_PUT, S_STAGE_PERSON, S_STAGE_CASE, S__N };

static const char *const subject_sql[S__N] = {
    [S_SUBJECT] = "SELECT p.uuid, c.uuid, a.name, a.country, p.role, p.nrm_stage, n.cooperation, "
                  "n.rrp_start, n.rrp_end, n.rrp_days, n.non_punishment, n.np_offence, "
                  "n.np_reason, n.np_at, n.np_actor, n.np_agency FROM person p "
                  "JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id "
                  "LEFT JOIN nrm_person n ON n.person_id = p.id WHERE p.uuid = ?",
    [S_SUBJECT_PUT] =
        "INSERT INTO nrm_person(person_id, cooperation, rrp_start, rrp_end, rrp_days, "
        "non_punishment, np_offence, np_reason, np_at, np_actor, np_agency, updated_at) "
        "VALUES ((SELECT id FROM person WHERE uuid = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12) ON CONFLICT(person_id) DO UPDATE SET cooperation = excluded.cooperation, "
        "rrp_start = excluded.rrp_start, rrp_end = excluded.rrp_end, rrp_days = "
        "excluded.rrp_days, non_punishment = excluded.non_punishment, np_offence = "
        "excluded.np_offence, np_reason = excluded.np_reason, np_at = excluded.np_at, "
        "np_actor = excluded.np_actor, np_agency = excluded.np_agency, updated_at = "
        "excluded.updated_at",
    [S_STAGE_PERSON] = "UPDATE person SET nrm_stage = ?2, version = version + 1, updated_at = ?3 "
                       "WHERE uuid = ?1",
    [S_STAGE_CASE] = "UPDATE case_ SET version = version + 1, updated_at = ?2 "
                     "WHERE id = (SELECT case_id FROM person WHERE uuid = ?1)",
};

struct sq_nrm_cache {
    sqlite3_stmt *kind[CT_NRM_REC__N][K__N];
    sqlite3_stmt *subject[S__N];
};

void sq_nrm_close(sq_store *s)
{
    if (!s->nrm)
        return;
    for (int k = 0; k < CT_NRM_REC__N; k++)
        for (int i = 0; i < K__N; i++)
            sqlite3_finalize(s->nrm->kind[k][i]);
    for (int i = 0; i < S__N; i++)
        sqlite3_finalize(s->nrm->subject[i]);
    ct_free(s->nrm);
    s->nrm = NULL;
}

/* The statement *slot for sql, prepared on first use, else reset. */
static sqlite3_stmt *cached(sq_store *s, sqlite3_stmt **slot, const char *sql, ct_err *err)
{
    if (*slot) {
        sqlite3_reset(*slot);
        sqlite3_clear_bindings(*slot);
        return *slot;
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL)) {
        sq_error(s, _("preparing a statement"), err);
        return NULL;
    }
    return *slot;
}

static int cache(sq_store *s, ct_err *err)
{
    if (!s->nrm && !(s->nrm = ct_calloc(1, sizeof(*s->nrm))))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return 0;
}

static sqlite3_stmt *kind_stmt(sq_store *s, enum ct_nrm_rec k, enum kind_stmt w, ct_err *err)
{
    if (k < 0 || k >= CT_NRM_REC__N)
        CT_BUG("unknown NRM record kind");
    if (cache(s, err))
        return NULL;
    return cached(s, &s->nrm->kind[k][w], kinds[k].sql[w], err);
}

static sqlite3_stmt *subject_stmt(sq_store *s, enum subject_stmt w, ct_err *err)
{
    if (cache(s, err))
        return NULL;
    return cached(s, &s->nrm->subject[w], subject_sql[w], err);
}

static const char *col_text(ct_arena *a, sqlite3_stmt *st, int i, int *oom)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    if (!v)
        return NULL;
    char *copy = ct_arena_strdup(a, (const char *)v);
    if (!copy)
        *oom = 1;
    return copy;
}

static int step_done(sq_store *s, sqlite3_stmt *st, const char *what, ct_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_NOTNULL)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"));
    return sq_error(s, what, err);
}

/* ---- subject ------------------------------------------------------------- */

static int sq_nrm_subject(ct_store *base, const char *person_id, ct_arena *a, ct_nrm_subject *out,
                          ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = subject_stmt(s, S_SUBJECT, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, person_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"))
                                 : sq_error(s, _("reading a person"), err);
    }
    int oom = 0;
    memset(out, 0, sizeof(*out));
    out->person_id = col_text(a, st, 0, &oom);
    out->case_id = col_text(a, st, 1, &oom);
    out->agency = col_text(a, st, 2, &oom);
    out->country = col_text(a, st, 3, &oom);
    out->role = col_text(a, st, 4, &oom);
    out->stage = col_text(a, st, 5, &oom);
    out->cooperation = col_text(a, st, 6, &oom);
    if (!out->cooperation)
        out->cooperation = "unknown";
    out->rrp_start = col_text(a, st, 7, &oom);
    out->rrp_end = col_text(a, st, 8, &oom);
    out->rrp_days = sqlite3_column_int(st, 9);
    out->non_punishment = sqlite3_column_int(st, 10);
    out->np_offence = col_text(a, st, 11, &oom);
    out->np_reason = col_text(a, st, 12, &oom);
    out->np_at = col_text(a, st, 13, &oom);
    out->np_actor = col_text(a, st, 14, &oom);
    out->np_agency = col_text(a, st, 15, &oom);
    sqlite3_reset(st);
    return oom ? ct_err_set(err, CT_ENOMEM, "%s", _("out of memory")) : 0;
}

typedef struct subject_put_arg {
    const ct_nrm_subject *in;
} subject_put_arg;

static int subject_put_tx(sq_store *s, void *arg, ct_err *err)
{
    const ct_nrm_subject *in = ((subject_put_arg *)arg)->in;
    sqlite3_stmt *st = subject_stmt(s, S_SUBJECT_PUT, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    const char *text[] = {in->person_id, in->cooperation ? in->cooperation : "unknown",
                          in->rrp_start, in->rrp_end};
    for (int i = 0; i < 4; i++)
        sq_bind_text(st, i + 1, text[i]);
    if (in->rrp_days > 0)
        sqlite3_bind_int(st, 5, in->rrp_days);
    sqlite3_bind_int(st, 6, in->non_punishment != 0);
    const char *np[] = {in->np_offence, in->np_reason, in->np_at, in->np_actor, in->np_agency, now};
    for (int i = 0; i < 6; i++)
        sq_bind_text(st, 7 + i, np[i]);
    return step_done(s, st, _("saving a person's NRM record"), err);
}

static int sq_nrm_subject_put(ct_store *base, const ct_nrm_subject *in, ct_err *err)
{
    subject_put_arg arg = {in};
    return sq_in_tx((sq_store *)base, subject_put_tx, &arg, err);
}

typedef struct stage_arg {
    const char *person_id, *stage;
} stage_arg;

static int stage_tx(sq_store *s, void *arg, ct_err *err)
{
    stage_arg *x = arg;
    char now[32];
    ct_store_now(now);
    sqlite3_stmt *st = subject_stmt(s, S_STAGE_PERSON, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, x->person_id);
    sq_bind_text(st, 2, x->stage);
    sq_bind_text(st, 3, now);
    int r = step_done(s, st, _("saving a person's NRM stage"), err);
    if (r)
        return r;
    if (sqlite3_changes(s->db) == 0)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"));
    if (!(st = subject_stmt(s, S_STAGE_CASE, err)))
        return CT_EDB;
    sq_bind_text(st, 1, x->person_id);
    sq_bind_text(st, 2, now);
    return step_done(s, st, _("saving a person's NRM stage"), err);
}

static int sq_nrm_stage_set(ct_store *base, const char *person_id, const char *stage, ct_err *err)
{
    stage_arg x = {person_id, stage};
    return sq_in_tx((sq_store *)base, stage_tx, &x, err);
}

/* ---- records ------------------------------------------------------------- */

static const char *column_of(const ct_nrm_meta *rec, const kind_desc *d, size_t i)
{
    return *(const char *const *)((const char *)rec + d->offs[i]);
}

typedef struct rec_arg {
    enum ct_nrm_rec k;
    ct_nrm_meta *rec;
} rec_arg;

static int add_tx(sq_store *s, void *arg, ct_err *err)
{
    rec_arg *x = arg;
    const kind_desc *d = &kinds[x->k];
    ct_nrm_meta *m = x->rec;
    sqlite3_stmt *st = kind_stmt(s, x->k, K_INSERT, err);
    if (!st)
        return CT_EDB;
    ct_uuid_new(m->id);
    ct_store_now(m->at);
    memcpy(m->updated_at, m->at, sizeof(m->at));
    m->actor = s->super.actor.user ? s->super.actor.user : "unknown";
    m->agency = s->super.actor.agency;
    m->version = 1;
    sq_bind_text(st, 1, m->id);
    sq_bind_text(st, 2, m->person_id);
    sq_bind_text(st, 3, m->at);
    sq_bind_text(st, 4, m->actor);
    sq_bind_text(st, 5, m->agency);
    sq_bind_text(st, 6, m->updated_at);
    for (size_t i = 0; i < d->ncols; i++)
        sq_bind_text(st, 7 + (int)i, column_of(m, d, i));
    return step_done(s, st, _(d->what), err);
}

static int sq_nrm_add(ct_store *base, enum ct_nrm_rec k, ct_nrm_meta *rec, ct_err *err)
{
    rec_arg x = {k, rec};
    return sq_in_tx((sq_store *)base, add_tx, &x, err);
}

/* Reads the row at st's cursor into out (a struct of kind d). */
static int read_rec(ct_arena *a, sqlite3_stmt *st, const kind_desc *d, ct_nrm_meta *out)
{
    int oom = 0;
    memset(out, 0, d->size);
    snprintf(out->id, sizeof(out->id), "%s", (const char *)sqlite3_column_text(st, 0));
    snprintf(out->person_id, sizeof(out->person_id), "%s",
             (const char *)sqlite3_column_text(st, 1));
    snprintf(out->at, sizeof(out->at), "%s", (const char *)sqlite3_column_text(st, 2));
    out->actor = col_text(a, st, 3, &oom);
    out->agency = col_text(a, st, 4, &oom);
    snprintf(out->updated_at, sizeof(out->updated_at), "%s",
             (const char *)sqlite3_column_text(st, 5));
    out->version = sqlite3_column_int(st, 6);
    for (size_t i = 0; i < d->ncols; i++)
        *(const char **)((char *)out + d->offs[i]) = col_text(a, st, META_NCOLS + (int)i, &oom);
    return oom ? CT_ENOMEM : 0;
}

static int sq_nrm_get(ct_store *base, enum ct_nrm_rec k, const char *id, ct_arena *a,
                      ct_nrm_meta *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = kind_stmt(s, k, K_GET, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such record"))
                                 : sq_error(s, _("reading an NRM record"), err);
    }
    int r = read_rec(a, st, &kinds[k], out);
    sqlite3_reset(st);
    return r ? ct_err_set(err, CT_ENOMEM, "%s", _("out of memory")) : 0;
}

static int update_tx(sq_store *s, void *arg, ct_err *err)
{
    rec_arg *x = arg;
    const kind_desc *d = &kinds[x->k];
    ct_nrm_meta *m = x->rec;
    sqlite3_stmt *st = kind_stmt(s, x->k, K_UPDATE, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    sq_bind_text(st, 1, now);
    for (size_t i = 0; i < d->ncols; i++)
        sq_bind_text(st, 2 + (int)i, column_of(m, d, i));
    sq_bind_text(st, 2 + (int)d->ncols, m->id);
    sqlite3_bind_int(st, 3 + (int)d->ncols, m->version);
    int r = step_done(s, st, _(d->what), err);
    if (r)
        return r;
    if (sqlite3_changes(s->db) == 0) {
        /* absent, or changed since it was read */
        ct_arena a;
        ct_arena_init(&a, 0);
        void *cur = ct_arena_alloc(&a, d->size);
        r = cur ? sq_nrm_get(&s->super, x->k, m->id, &a, cur, err)
                : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        if (!r)
            r = ct_err_set(err, CT_ESTALE,
                           _("the record changed since it was read (version %d, now %d)"),
                           m->version, ((ct_nrm_meta *)cur)->version);
        ct_arena_release(&a);
        return r;
    }
    m->version++;
    memcpy(m->updated_at, now, sizeof(now));
    return 0;
}

static int sq_nrm_update(ct_store *base, enum ct_nrm_rec k, ct_nrm_meta *rec, ct_err *err)
{
    rec_arg x = {k, rec};
    return sq_in_tx((sq_store *)base, update_tx, &x, err);
}

static int sq_nrm_list(ct_store *base, enum ct_nrm_rec k, const char *person_id, const char *agency,
                       ct_arena *a, ct_nrm_list *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    const kind_desc *d = &kinds[k];
    sqlite3_stmt *st = kind_stmt(s, k, K_LIST, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, person_id);
    sq_bind_text(st, 2, agency);
    out->items = NULL;
    out->n = 0;
    size_t cap = 0;
    int rc, r = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            void *v = ct_arena_alloc(a, ncap * d->size);
            if (!v) {
                r = CT_ENOMEM;
                break;
            }
            if (out->n)
                memcpy(v, out->items, out->n * d->size);
            out->items = v;
            cap = ncap;
        }
        r = read_rec(a, st, d, (ct_nrm_meta *)((char *)out->items + out->n * d->size));
        if (!r)
            out->n++;
    }
    sqlite3_reset(st);
    if (r)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("reading NRM records"), err);
}

const ct_store_nrm_ops sq_nrm_ops = {
    sq_nrm_subject, sq_nrm_subject_put, sq_nrm_stage_set, sq_nrm_add,
    sq_nrm_update,  sq_nrm_get,         sq_nrm_list,
};
