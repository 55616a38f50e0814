/*
 * sqlite_link.c - record linkage in SQLite (store_link.h): tables
 * link_state, link_event and person_key_change (migration 009), and the
 * person_key column of person.
 */
#include "sqlite_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

enum {
    L_ROWS,
    L_STATE_SET,
    L_CLUSTER_MAX,
    L_CLUSTER_MOVE,
    L_EVENT_INSERT,
    L_KEY_GET,
    L_KEY_MEMBERS,
    L_KEY_PERSON,
    L_KEY_CASE,
    L_CHANGE_INSERT,
    L_CHANGES,
    L__N
};

static const char *const sql[L__N] = {
    [L_ROWS] = "SELECT p.uuid, a.name, p.person_key, p.given_name, p.family_name, p.sex, "
               "p.date_of_birth, p.age, c.date_identification, p.citizenship, p.identifiers, "
               "l.hash, l.cluster FROM person p JOIN case_ c ON c.id = p.case_id "
               "JOIN agency a ON a.id = p.agency_id "
               "LEFT JOIN link_state l ON l.person_uuid = p.uuid "
               "WHERE p.role = 'victim' ORDER BY p.id",
    [L_STATE_SET] = "INSERT INTO link_state(person_uuid, hash, cluster, linked_at) "
                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(person_uuid) DO UPDATE SET "
                    "hash = excluded.hash, cluster = excluded.cluster, "
                    "linked_at = excluded.linked_at",
    [L_CLUSTER_MAX] = "SELECT coalesce(max(m), 0) FROM (SELECT max(cluster) AS m FROM link_state "
                      "UNION ALL SELECT max(other) FROM link_event)",
    [L_CLUSTER_MOVE] = "UPDATE link_state SET cluster = ?1 WHERE cluster = ?2",
    [L_EVENT_INSERT] = "INSERT INTO link_event(at, kind, cluster, other, person_uuid) "
                       "VALUES (?1, 'merge', ?2, ?3, ?4)",
    [L_KEY_GET] = "SELECT person_key FROM person WHERE uuid = ?",
    [L_KEY_MEMBERS] = "SELECT uuid FROM person WHERE person_key = ? ORDER BY id",
    [L_KEY_PERSON] = "UPDATE person SET person_key = ?2, version = version + 1, updated_at = ?3 "
                     "WHERE uuid = ?1",
    [L_KEY_CASE] = "UPDATE case_ SET version = version + 1, updated_at = ?2 "
                   "WHERE id = (SELECT case_id FROM person WHERE uuid = ?1)",
    [L_CHANGE_INSERT] = "INSERT INTO person_key_change(person_uuid, review_item, action, "
                        "key_before, key_after, by_user, agency, at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [L_CHANGES] = "SELECT id, person_uuid, review_item, action, key_before, key_after, by_user, "
                  "agency, at FROM person_key_change WHERE review_item = ? ORDER BY id",
};

static sqlite3_stmt *stmt(sq_store *s, int which, ct_err *err)
{
    return sq_cached(s, &s->link_cache, sql, L__N, (size_t)which, err);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Runs a statement that returns no row. */
static int step_done(sq_store *s, sqlite3_stmt *st, const char *what, ct_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, what, err);
}

static int link_rows(ct_store *base, int (*cb)(const ct_link_person_row *, void *), void *arg,
                     ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, L_ROWS, err);
    if (!st)
        return CT_EDB;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int hashed = sqlite3_column_bytes(st, 11) == CT_LINK_HASH_BYTES;
        ct_link_person_row row = {
            col_text(st, 0),
            col_text(st, 1),
            col_text(st, 2),
            col_text(st, 3),
            col_text(st, 4),
            col_text(st, 5),
            col_text(st, 6),
            sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 7),
            col_text(st, 8),
            col_text(st, 9),
            col_text(st, 10),
            hashed ? sqlite3_column_blob(st, 11) : NULL,
            sqlite3_column_int64(st, 12),
        };
        if ((ret = cb(&row, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("reading the persons to link"), err);
    sqlite3_reset(st);
    return ret;
}

static int link_state_set(ct_store *base, const char *person_id, const unsigned char *hash,
                          long long cluster, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, L_STATE_SET, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    sq_bind_text(st, 1, person_id);
    sqlite3_bind_blob(st, 2, hash, CT_LINK_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, cluster);
    sq_bind_text(st, 4, now);
    return step_done(s, st, _("recording the linkage state"), err);
}

static int link_cluster_max(ct_store *base, long long *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, L_CLUSTER_MAX, err);
    if (!st)
        return CT_EDB;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : sq_error(s, _("reading the linkage state"), err);
}

typedef struct merge_args {
    long long keep, gone;
    const char *person_id;
} merge_args;

static int merge_tx(sq_store *s, void *arg, ct_err *err)
{
    merge_args *m = arg;
    sqlite3_stmt *st = stmt(s, L_CLUSTER_MOVE, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_int64(st, 1, m->keep);
    sqlite3_bind_int64(st, 2, m->gone);
    int r = step_done(s, st, _("recording the linkage state"), err);
    if (r || !(st = stmt(s, L_EVENT_INSERT, err)))
        return r ? r : CT_EDB;
    char now[32];
    ct_store_now(now);
    sq_bind_text(st, 1, now);
    sqlite3_bind_int64(st, 2, m->keep);
    sqlite3_bind_int64(st, 3, m->gone);
    sq_bind_text(st, 4, m->person_id);
    return step_done(s, st, _("recording the cluster history"), err);
}

static int link_cluster_merge(ct_store *base, long long keep, long long gone, const char *person_id,
                              ct_err *err)
{
    merge_args m = {keep, gone, person_id};
    return sq_in_tx((sq_store *)base, merge_tx, &m, err);
}

static int key_get(ct_store *base, const char *person_id, char *out, size_t n, int *has,
                   ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, L_KEY_GET, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, person_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *k = col_text(st, 0);
        *has = k != NULL;
        snprintf(out, n, "%s", k ? k : "");
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"))
                             : sq_error(s, _("reading a person key"), err);
}

static int key_members(ct_store *base, const char *key, int (*cb)(const char *, void *), void *arg,
                       ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, L_KEY_MEMBERS, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, key);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((ret = cb(col_text(st, 0), arg)))
            break;
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("reading a person key"), err);
    sqlite3_reset(st);
    return ret;
}

static int key_set_tx(sq_store *s, void *arg, ct_err *err)
{
    ct_person_key_change *ch = arg;
    ct_store_now(ch->at);
    const ct_actor *a = &s->super.actor;
    snprintf(ch->by, sizeof(ch->by), "%s", a->user ? a->user : "");
    snprintf(ch->agency, sizeof(ch->agency), "%s", a->agency ? a->agency : "");
    sqlite3_stmt *st = stmt(s, L_KEY_PERSON, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, ch->person_id);
    sq_bind_text(st, 2, ch->has_after ? ch->key_after : NULL);
    sq_bind_text(st, 3, ch->at);
    int r = step_done(s, st, _("setting a person key"), err);
    if (r)
        return r;
    if (!sqlite3_changes(s->db))
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"));
    if (!(st = stmt(s, L_KEY_CASE, err)))
        return CT_EDB;
    sq_bind_text(st, 1, ch->person_id);
    sq_bind_text(st, 2, ch->at);
    if ((r = step_done(s, st, _("setting a person key"), err)))
        return r;
    if (!(st = stmt(s, L_CHANGE_INSERT, err)))
        return CT_EDB;
    sq_bind_text(st, 1, ch->person_id);
    sq_bind_text(st, 2, ch->review_item);
    sq_bind_text(st, 3, ch->action);
    sq_bind_text(st, 4, ch->had_before ? ch->key_before : NULL);
    sq_bind_text(st, 5, ch->has_after ? ch->key_after : NULL);
    sq_bind_text(st, 6, ch->by);
    sq_bind_text(st, 7, ch->agency[0] ? ch->agency : NULL);
    sq_bind_text(st, 8, ch->at);
    if ((r = step_done(s, st, _("recording a person key change"), err)))
        return r;
    ch->seq = (long)sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int key_set(ct_store *base, ct_person_key_change *ch, ct_err *err)
{
    return sq_in_tx((sq_store *)base, key_set_tx, ch, err);
}

static void copy_col(char *out, size_t n, sqlite3_stmt *st, int i)
{
    const char *v = col_text(st, i);
    snprintf(out, n, "%s", v ? v : "");
}

static int key_changes(ct_store *base, const char *review_item,
                       int (*cb)(const ct_person_key_change *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, L_CHANGES, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, review_item);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_person_key_change ch;
        memset(&ch, 0, sizeof(ch));
        ch.seq = (long)sqlite3_column_int64(st, 0);
        copy_col(ch.person_id, sizeof(ch.person_id), st, 1);
        copy_col(ch.review_item, sizeof(ch.review_item), st, 2);
        copy_col(ch.action, sizeof(ch.action), st, 3);
        ch.had_before = sqlite3_column_type(st, 4) != SQLITE_NULL;
        copy_col(ch.key_before, sizeof(ch.key_before), st, 4);
        ch.has_after = sqlite3_column_type(st, 5) != SQLITE_NULL;
        copy_col(ch.key_after, sizeof(ch.key_after), st, 5);
        copy_col(ch.by, sizeof(ch.by), st, 6);
        copy_col(ch.agency, sizeof(ch.agency), st, 7);
        copy_col(ch.at, sizeof(ch.at), st, 8);
        if ((ret = cb(&ch, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("reading person key changes"), err);
    sqlite3_reset(st);
    return ret;
}

const ct_store_link_ops sq_link_ops = {
    link_rows, link_state_set, link_cluster_max, link_cluster_merge,
    key_get,   key_members,    key_set,          key_changes,
};
