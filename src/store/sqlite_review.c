/*
 * sqlite_review.c - the review queue (store_review.h) in SQLite: tables
 * review_item and review_decision (migration 006).
 */
#include "sqlite_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

enum {
    V_INSERT,
    V_FIND_PAIR,
    V_GET,
    V_EACH,
    V_ROW,
    V_DECISION_INSERT,
    V_DECISIONS,
    V_UPDATE,
    V__N
};

#define ITEM_COLS                                                                                  \
    "SELECT i.uuid, i.kind, i.a_type, i.a_uuid, aa.name, i.b_type, i.b_uuid, ba.name, "            \
    "i.probability, i.weight, i.evidence, i.status, i.confirms, i.rejects, i.decided_by, "         \
    "i.decided_at, i.created_by, i.created_at, i.updated_at, i.version FROM review_item i "        \
    "LEFT JOIN agency aa ON aa.id = i.a_agency_id LEFT JOIN agency ba ON ba.id = i.b_agency_id "

static const char *const sql[V__N] = {
    [V_INSERT] = "INSERT INTO review_item(uuid, kind, a_type, a_uuid, a_agency_id, b_type, b_uuid, "
                 "b_agency_id, probability, weight, evidence, created_by, created_at, updated_at) "
                 "VALUES (?1, ?2, ?3, ?4, (SELECT id FROM agency WHERE name = ?5), ?6, ?7, "
                 "(SELECT id FROM agency WHERE name = ?8), ?9, ?10, ?11, ?12, ?13, ?13)",
    [V_FIND_PAIR] = ITEM_COLS "WHERE i.kind = ? AND i.a_type = ? AND i.a_uuid = ? AND "
                              "i.b_type = ? AND i.b_uuid = ?",
    [V_GET] = ITEM_COLS "WHERE i.uuid = ?",
    [V_EACH] = ITEM_COLS
    "WHERE (?1 IS NULL OR i.kind = ?1) AND (?2 IS NULL OR i.status = ?2) AND "
    "(?3 IS NULL OR aa.name = ?3 OR ba.name = ?3) AND (?4 IS NULL OR (i.a_type = ?4 AND "
    "i.a_uuid = ?5) OR (i.b_type = ?4 AND i.b_uuid = ?5)) AND (?6 IS NULL OR i.uuid > ?6) "
    "ORDER BY i.uuid LIMIT ?7",
    [V_ROW] = "SELECT id FROM review_item WHERE uuid = ?",
    [V_DECISION_INSERT] = "INSERT INTO review_decision(item_id, action, reviewer, agency, at, "
                          "reason, status_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [V_DECISIONS] = "SELECT d.id, d.action, d.reviewer, d.agency, d.at, d.reason, d.status_after "
                    "FROM review_decision d JOIN review_item i ON i.id = d.item_id "
                    "WHERE i.uuid = ? ORDER BY d.id",
    [V_UPDATE] = "UPDATE review_item SET status = ?2, confirms = ?3, rejects = ?4, "
                 "decided_by = ?5, decided_at = ?6, updated_at = ?7, version = version + 1 "
                 "WHERE uuid = ?1 AND version = ?8",
};

static sqlite3_stmt *stmt(sq_store *s, int which, ct_err *err)
{
    return sq_cached(s, &s->review_cache, sql, V__N, (size_t)which, err);
}

static void copy_text(char *out, size_t n, sqlite3_stmt *st, int i)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    snprintf(out, n, "%s", v ? v : "");
}

static void row_to_item(sqlite3_stmt *st, ct_review_item *it)
{
    copy_text(it->id, sizeof(it->id), st, 0);
    copy_text(it->kind, sizeof(it->kind), st, 1);
    copy_text(it->a.type, sizeof(it->a.type), st, 2);
    copy_text(it->a.id, sizeof(it->a.id), st, 3);
    copy_text(it->a.agency, sizeof(it->a.agency), st, 4);
    copy_text(it->b.type, sizeof(it->b.type), st, 5);
    copy_text(it->b.id, sizeof(it->b.id), st, 6);
    copy_text(it->b.agency, sizeof(it->b.agency), st, 7);
    it->probability = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 8);
    it->weight = sqlite3_column_double(st, 9);
    copy_text(it->evidence, sizeof(it->evidence), st, 10);
    copy_text(it->status, sizeof(it->status), st, 11);
    it->confirms = sqlite3_column_int(st, 12);
    it->rejects = sqlite3_column_int(st, 13);
    copy_text(it->decided_by, sizeof(it->decided_by), st, 14);
    copy_text(it->decided_at, sizeof(it->decided_at), st, 15);
    copy_text(it->created_by, sizeof(it->created_by), st, 16);
    copy_text(it->created_at, sizeof(it->created_at), st, 17);
    copy_text(it->updated_at, sizeof(it->updated_at), st, 18);
    it->version = sqlite3_column_int(st, 19);
}

/* Runs a one-row query; 1 with *out filled, 0 when no row, or an error. */
static int one_item(sq_store *s, sqlite3_stmt *st, ct_review_item *out, ct_err *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_item(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("reading the review queue"), err);
}

static int side_cmp(const ct_review_side *x, const ct_review_side *y)
{
    int c = strcmp(x->type, y->type);
    return c ? c : strcmp(x->id, y->id);
}

static int agency_known(sq_store *s, const char *name, ct_err *err)
{
    sqlite3_int64 id;
    return name[0] ? sq_agency_id(s, name, &id, err) : 0;
}

typedef struct add_ctx {
    ct_review_item *it;
    int *added;
} add_ctx;

static int add_tx(sq_store *s, void *arg, ct_err *err)
{
    add_ctx *x = arg;
    ct_review_item *it = x->it;
    int r = agency_known(s, it->a.agency, err);
    if (!r)
        r = agency_known(s, it->b.agency, err);
    if (r)
        return r;
    sqlite3_stmt *st = stmt(s, V_FIND_PAIR, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, it->kind);
    sq_bind_text(st, 2, it->a.type);
    sq_bind_text(st, 3, it->a.id);
    sq_bind_text(st, 4, it->b.type);
    sq_bind_text(st, 5, it->b.id);
    int found = one_item(s, st, it, err);
    if (found)
        return found < 0 ? found : 0;
    ct_uuid_new(it->id);
    ct_store_now(it->created_at);
    snprintf(it->updated_at, sizeof(it->updated_at), "%s", it->created_at);
    snprintf(it->created_by, sizeof(it->created_by), "%s",
             s->super.actor.user ? s->super.actor.user : "");
    if (!(st = stmt(s, V_INSERT, err)))
        return CT_EDB;
    sq_bind_text(st, 1, it->id);
    sq_bind_text(st, 2, it->kind);
    sq_bind_text(st, 3, it->a.type);
    sq_bind_text(st, 4, it->a.id);
    sq_bind_text(st, 5, it->a.agency);
    sq_bind_text(st, 6, it->b.type);
    sq_bind_text(st, 7, it->b.id);
    sq_bind_text(st, 8, it->b.agency);
    if (it->probability >= 0)
        sqlite3_bind_double(st, 9, it->probability);
    sqlite3_bind_double(st, 10, it->weight);
    sq_bind_text(st, 11, it->evidence[0] ? it->evidence : NULL);
    sq_bind_text(st, 12, it->created_by);
    sq_bind_text(st, 13, it->created_at);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_error(s, _("adding to the review queue"), err);
    snprintf(it->status, sizeof(it->status), "pending");
    it->confirms = it->rejects = 0;
    it->decided_by[0] = it->decided_at[0] = '\0';
    it->version = 1;
    *x->added = 1;
    return 0;
}

static int review_add(ct_store *base, ct_review_item *it, int *added, ct_err *err)
{
    if (!it->kind[0] || !it->a.type[0] || !it->b.type[0] || !it->a.id[0] || !it->b.id[0])
        return ct_err_set(err, CT_EINVAL, "%s", _("a review item needs a kind and two records"));
    if (side_cmp(&it->a, &it->b) == 0)
        return ct_err_set(err, CT_EINVAL, "%s", _("a record cannot be matched with itself"));
    if (side_cmp(&it->a, &it->b) > 0) {
        ct_review_side t = it->a;
        it->a = it->b;
        it->b = t;
    }
    *added = 0;
    add_ctx x = {it, added};
    return sq_in_tx((sq_store *)base, add_tx, &x, err);
}

static int review_get(ct_store *base, const char *id, ct_review_item *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, V_GET, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, id);
    int r = one_item(s, st, out, err);
    if (r == 0)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such review item"));
    return r < 0 ? r : 0;
}

static int review_each(ct_store *base, const ct_review_filter *f,
                       int (*cb)(const ct_review_item *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, V_EACH, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, f ? f->kind : NULL);
    sq_bind_text(st, 2, f ? f->status : NULL);
    sq_bind_text(st, 3, f ? f->agency : NULL);
    sq_bind_text(st, 4, f && f->record_id ? f->record_type : NULL);
    sq_bind_text(st, 5, f ? f->record_id : NULL);
    sq_bind_text(st, 6, f ? f->after_id : NULL);
    sqlite3_bind_int64(st, 7, f && f->limit > 0 ? f->limit : -1);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_review_item it;
        row_to_item(st, &it);
        if ((ret = cb(&it, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("reading the review queue"), err);
    sqlite3_reset(st);
    return ret;
}

static int item_row(sq_store *s, const char *id, sqlite3_int64 *row, ct_err *err)
{
    sqlite3_stmt *st = stmt(s, V_ROW, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *row = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such review item"))
                             : sq_error(s, _("reading the review queue"), err);
}

static int review_decision_add(ct_store *base, const char *item_id, ct_review_decision *d,
                               ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_int64 row = 0;
    int r = item_row(s, item_id, &row, err);
    if (r)
        return r;
    sqlite3_stmt *st = stmt(s, V_DECISION_INSERT, err);
    if (!st)
        return CT_EDB;
    ct_store_now(d->at);
    sqlite3_bind_int64(st, 1, row);
    sq_bind_text(st, 2, d->action);
    sq_bind_text(st, 3, d->reviewer);
    sq_bind_text(st, 4, d->agency[0] ? d->agency : NULL);
    sq_bind_text(st, 5, d->at);
    sq_bind_text(st, 6, d->reason[0] ? d->reason : NULL);
    sq_bind_text(st, 7, d->status_after);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_error(s, _("recording a review decision"), err);
    d->seq = (long)sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int review_decisions(ct_store *base, const char *item_id,
                            int (*cb)(const ct_review_decision *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, V_DECISIONS, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, item_id);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_review_decision d;
        d.seq = (long)sqlite3_column_int64(st, 0);
        copy_text(d.action, sizeof(d.action), st, 1);
        copy_text(d.reviewer, sizeof(d.reviewer), st, 2);
        copy_text(d.agency, sizeof(d.agency), st, 3);
        copy_text(d.at, sizeof(d.at), st, 4);
        copy_text(d.reason, sizeof(d.reason), st, 5);
        copy_text(d.status_after, sizeof(d.status_after), st, 6);
        if ((ret = cb(&d, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("reading review decisions"), err);
    sqlite3_reset(st);
    return ret;
}

static int review_update(ct_store *base, ct_review_item *it, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, V_UPDATE, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    sq_bind_text(st, 1, it->id);
    sq_bind_text(st, 2, it->status);
    sqlite3_bind_int(st, 3, it->confirms);
    sqlite3_bind_int(st, 4, it->rejects);
    sq_bind_text(st, 5, it->decided_by[0] ? it->decided_by : NULL);
    sq_bind_text(st, 6, it->decided_at[0] ? it->decided_at : NULL);
    sq_bind_text(st, 7, now);
    sqlite3_bind_int(st, 8, it->version);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(s->db);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_error(s, _("updating a review item"), err);
    if (!changed) {
        ct_review_item now_item;
        ct_err ignored = CT_ERR_INIT;
        if (review_get(base, it->id, &now_item, &ignored))
            return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such review item"));
        return ct_err_set(err, CT_ESTALE, _("the review item changed (now version %d)"),
                          now_item.version);
    }
    it->version++;
    snprintf(it->updated_at, sizeof(it->updated_at), "%s", now);
    return 0;
}

const ct_store_review_ops sq_review_ops = {
    review_add, review_get, review_each, review_decision_add, review_decisions, review_update,
};
