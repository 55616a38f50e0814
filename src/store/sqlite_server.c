/*
 * sqlite_server.c - what `ctip serve` stores (migration 002): users, API
 * tokens, sessions, case sharing, notifications, and the reading side of
 * the audit trail.
 *
 * Secrets never reach this file: callers pass BLAKE2b hashes of session
 * ids and tokens, and Argon2id strings of passwords.
 */
#include "sqlite_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

static void copy_col(char *out, size_t n, sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(out, n, "%s", v ? (const char *)v : "");
}

static void copy_blob(unsigned char *out, size_t n, sqlite3_stmt *st, int i)
{
    memset(out, 0, n);
    if ((size_t)sqlite3_column_bytes(st, i) == n)
        memcpy(out, sqlite3_column_blob(st, i), n);
}

/* USER_COLS of sqlite_sql.c, from column `at` on. */
static void row_to_user(sqlite3_stmt *st, int at, ct_user *u)
{
    copy_col(u->id, sizeof(u->id), st, at);
    copy_col(u->name, sizeof(u->name), st, at + 1);
    copy_col(u->role, sizeof(u->role), st, at + 2);
    copy_col(u->agency, sizeof(u->agency), st, at + 3);
    u->disabled = sqlite3_column_int(st, at + 4);
    copy_col(u->created_at, sizeof(u->created_at), st, at + 5);
    u->version = sqlite3_column_int(st, at + 6);
}

static int step_done(sq_store *s, sqlite3_stmt *st, const char *what, ct_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, what, err);
}

int sq_begin_read(ct_store *base, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return sq_error(s, _("reading the database"), err);
    return 0;
}

/* ---- users --------------------------------------------------------------- */

int sq_user_add(ct_store *base, ct_user *u, const char *password_hash, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    if (!u->name[0])
        return ct_err_set_field(err, CT_EINVAL, "name", "%s", _("a user needs a name"));
    sqlite3_int64 agency;
    int r = sq_agency_id(s, u->agency, &agency, err);
    if (r)
        return r;
    sqlite3_stmt *st = sq_stmt(s, SQ_USER_INSERT, err);
    if (!st)
        return CT_EDB;
    ct_uuid_new(u->id);
    ct_store_now(u->created_at);
    sq_bind_text(st, 1, u->id);
    sq_bind_text(st, 2, u->name);
    sq_bind_text(st, 3, u->role);
    sqlite3_bind_int64(st, 4, agency);
    sq_bind_text(st, 5, password_hash);
    sq_bind_text(st, 6, u->created_at);
    r = step_done(s, st, _("adding a user"), err);
    if (r == CT_ECONFLICT) {
        ct_err_clear(err);
        return ct_err_set_field(err, CT_ECONFLICT, "name", _("a user named '%.100s' exists"),
                                u->name);
    }
    u->version = 1;
    u->disabled = 0;
    return r;
}

/* By id when key is a UUID (user names never are: ctip refuses them), else by name. */
static int find_user(sq_store *s, const char *key, ct_user *out, char *hash, size_t n, ct_err *err)
{
    int by_id = ct_uuid_valid(key, strlen(key));
    sqlite3_stmt *st = sq_stmt(s, by_id ? SQ_USER_BY_UUID : SQ_USER_BY_NAME, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such user"))
                                 : sq_error(s, _("reading a user"), err);
    }
    row_to_user(st, 0, out);
    int has_hash = sqlite3_column_type(st, 7) != SQLITE_NULL;
    if (hash)
        copy_col(hash, n, st, 7);
    sqlite3_reset(st);
    if (hash && !has_hash)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("the user has no password"));
    return 0;
}

int sq_user_get(ct_store *base, const char *name_or_id, ct_user *out, ct_err *err)
{
    return find_user((sq_store *)base, name_or_id, out, NULL, 0, err);
}

int sq_user_password(ct_store *base, const char *name, ct_user *out, char *hash, size_t n,
                     ct_err *err)
{
    return find_user((sq_store *)base, name, out, hash, n, err);
}

int sq_user_update(ct_store *base, ct_user *u, int if_version, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_USER_UPDATE, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    sq_bind_text(st, 1, u->role);
    sqlite3_bind_int(st, 2, u->disabled != 0);
    sq_bind_text(st, 3, now);
    sq_bind_text(st, 4, u->id);
    sqlite3_bind_int(st, 5, if_version > 0 ? if_version : 0);
    int r = step_done(s, st, _("changing a user"), err);
    if (r)
        return r;
    if (sqlite3_changes(s->db) == 0) {
        ct_user cur;
        ct_err ignored = CT_ERR_INIT;
        if (find_user(s, u->id, &cur, NULL, 0, &ignored))
            return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such user"));
        return ct_err_set(err, CT_ESTALE,
                          _("the user changed since it was read (version %d, now %d)"), if_version,
                          cur.version);
    }
    ct_user cur;
    r = find_user(s, u->id, &cur, NULL, 0, err);
    if (!r)
        *u = cur;
    return r;
}

int sq_user_each(ct_store *base, const char *agency, int (*cb)(const ct_user *, void *), void *arg,
                 ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_USER_ALL, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, agency);
    int rc, r = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_user u;
        row_to_user(st, 0, &u);
        r = cb(&u, arg);
    }
    sqlite3_reset(st);
    if (r)
        return r;
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("listing users"), err);
}

/* ---- API tokens -------------------------------------------------------- */

int sq_token_add(ct_store *base, const char *user_id, const unsigned char *hash, const char *label,
                 char *id_out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_TOKEN_INSERT, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    ct_uuid_new(id_out);
    sq_bind_text(st, 1, id_out);
    sq_bind_text(st, 2, user_id);
    sqlite3_bind_blob(st, 3, hash, CT_SECRET_HASH_BYTES, SQLITE_STATIC);
    sq_bind_text(st, 4, label);
    sq_bind_text(st, 5, now);
    return step_done(s, st, _("adding an API token"), err);
}

int sq_token_user(ct_store *base, const unsigned char *hash, ct_user *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_TOKEN_USER, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_blob(st, 1, hash, CT_SECRET_HASH_BYTES, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_user(st, 0, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("unknown API token"))
                             : sq_error(s, _("checking an API token"), err);
}

/* ---- sessions -------------------------------------------------------------- */

int sq_session_add(ct_store *base, const char *user_id, const ct_session *sess, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_SESSION_INSERT, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_blob(st, 1, sess->token_hash, CT_SECRET_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, sess->csrf_hash, CT_SECRET_HASH_BYTES, SQLITE_STATIC);
    sq_bind_text(st, 3, user_id);
    sqlite3_bind_int64(st, 4, sess->created);
    sqlite3_bind_int64(st, 5, sess->last_seen);
    sqlite3_bind_int64(st, 6, sess->expires);
    return step_done(s, st, _("opening a session"), err);
}

int sq_session_get(ct_store *base, const unsigned char *hash, ct_session *out, ct_user *user,
                   ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_SESSION_GET, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_blob(st, 1, hash, CT_SECRET_HASH_BYTES, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row_to_user(st, 0, user);
        memcpy(out->token_hash, hash, CT_SECRET_HASH_BYTES);
        copy_blob(out->csrf_hash, CT_SECRET_HASH_BYTES, st, 7);
        out->created = sqlite3_column_int64(st, 8);
        out->last_seen = sqlite3_column_int64(st, 9);
        out->expires = sqlite3_column_int64(st, 10);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such session"))
                             : sq_error(s, _("checking a session"), err);
}

int sq_session_touch(ct_store *base, const unsigned char *hash, long long last_seen, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_SESSION_TOUCH, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_blob(st, 1, hash, CT_SECRET_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, last_seen);
    return step_done(s, st, _("updating a session"), err);
}

int sq_session_delete(ct_store *base, const unsigned char *hash, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_SESSION_DELETE, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_blob(st, 1, hash, CT_SECRET_HASH_BYTES, SQLITE_STATIC);
    return step_done(s, st, _("closing a session"), err);
}

int sq_session_purge(ct_store *base, long long now, long long idle, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_SESSION_PURGE, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, idle);
    return step_done(s, st, _("removing expired sessions"), err);
}

/* ---- sharing ---------------------------------------------------------------- */

static int case_exists(sq_store *s, const char *case_id, ct_err *err)
{
    enum ct_case_relation rel;
    return sq_case_relation(&s->super, case_id, "", &rel, err);
}

int sq_share_add(ct_store *base, const char *case_id, const char *agency, const char *by,
                 const char *reason, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_int64 agency_row;
    int r = case_exists(s, case_id, err);
    if (!r)
        r = sq_agency_id(s, agency, &agency_row, err);
    if (r)
        return r;
    sqlite3_stmt *st = sq_stmt(s, SQ_SHARE_INSERT, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    sq_bind_text(st, 1, case_id);
    sq_bind_text(st, 2, agency);
    sq_bind_text(st, 3, by);
    sq_bind_text(st, 4, now);
    sq_bind_text(st, 5, reason);
    r = step_done(s, st, _("sharing a case"), err);
    if (r == CT_ECONFLICT) {
        ct_err_clear(err);
        return ct_err_set_field(err, CT_ECONFLICT, "agency", "%s",
                                _("the case is already shared with this agency"));
    }
    return r;
}

int sq_share_delete(ct_store *base, const char *case_id, const char *agency, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_SHARE_DELETE, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, case_id);
    sq_bind_text(st, 2, agency);
    int r = step_done(s, st, _("unsharing a case"), err);
    if (!r && sqlite3_changes(s->db) == 0)
        return ct_err_set_field(err, CT_ENOTFOUND, "agency", "%s",
                                _("the case is not shared with this agency"));
    return r;
}

int sq_share_each(ct_store *base, const char *case_id, int (*cb)(const ct_share *, void *),
                  void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_SHARE_OF_CASE, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, case_id);
    int rc, r = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_share sh;
        copy_col(sh.agency, sizeof(sh.agency), st, 0);
        copy_col(sh.shared_by, sizeof(sh.shared_by), st, 1);
        copy_col(sh.shared_at, sizeof(sh.shared_at), st, 2);
        copy_col(sh.reason, sizeof(sh.reason), st, 3);
        r = cb(&sh, arg);
    }
    sqlite3_reset(st);
    if (r)
        return r;
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("listing shares"), err);
}

int sq_case_relation(ct_store *base, const char *case_id, const char *agency,
                     enum ct_case_relation *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_CASE_RELATION, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, case_id);
    sq_bind_text(st, 2, agency);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0)   ? CT_CASE_OWN
               : sqlite3_column_int(st, 1) ? CT_CASE_SHARED
                                           : CT_CASE_OTHER;
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such case"))
                             : sq_error(s, _("reading a case"), err);
}

/* ---- persons and proceedings --------------------------------------------- */

int sq_person_case(ct_store *base, const char *person_id, char *case_id, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_PERSON_CASE, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, person_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        copy_col(case_id, CT_UUID_TEXT, st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"))
                             : sq_error(s, _("reading a person"), err);
}

int sq_proceeding_case(ct_store *base, const char *proceeding_id, char *case_id, char *person_id,
                       ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_PROCEEDING_CASE, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, proceeding_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_col(case_id, CT_UUID_TEXT, st, 0);
        copy_col(person_id, CT_UUID_TEXT, st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such proceeding"))
                             : sq_error(s, _("reading a proceeding"), err);
}

int sq_person_each(ct_store *base, const ct_person_filter *f,
                   int (*cb)(const char *, const char *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    /* a statement of its own: the callback loads cases with the cached ones */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sq_sql[SQ_PERSON_LIST], -1, &st, NULL) != SQLITE_OK)
        return sq_error(s, _("listing persons"), err);
    sq_bind_text(st, 1, f->role);
    sq_bind_text(st, 2, f->nrm_stage);
    sq_bind_text(st, 3, f->case_id);
    sq_bind_text(st, 4, f->visible_to);
    sqlite3_bind_int(st, 5, f->with_proceedings != 0);
    sq_bind_text(st, 6, f->after_id);
    sqlite3_bind_int64(st, 7, f->limit > 0 ? f->limit : -1);
    int rc, r = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char case_id[CT_UUID_TEXT], person_id[CT_UUID_TEXT];
        copy_col(case_id, sizeof(case_id), st, 0);
        copy_col(person_id, sizeof(person_id), st, 1);
        r = cb(case_id, person_id, arg);
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_error(s, _("listing persons"), err);
    sqlite3_finalize(st);
    return r;
}

/* ---- notifications --------------------------------------------------------- */

int sq_notification_add(ct_store *base, const char *user_id, ct_notification *n, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_NOTIFY_INSERT, err);
    if (!st)
        return CT_EDB;
    ct_uuid_new(n->id);
    ct_store_now(n->created_at);
    n->read_at[0] = '\0';
    sq_bind_text(st, 1, n->id);
    sq_bind_text(st, 2, user_id);
    sq_bind_text(st, 3, n->kind);
    sq_bind_text(st, 4, n->record_type[0] ? n->record_type : NULL);
    sq_bind_text(st, 5, n->record_id[0] ? n->record_id : NULL);
    sq_bind_text(st, 6, n->params[0] ? n->params : NULL);
    sq_bind_text(st, 7, n->created_at);
    return step_done(s, st, _("adding a notification"), err);
}

int sq_notification_each(ct_store *base, const char *user_id, int unread_only,
                         const char *before_id, long limit,
                         int (*cb)(const ct_notification *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sq_sql[SQ_NOTIFY_LIST], -1, &st, NULL) != SQLITE_OK)
        return sq_error(s, _("listing notifications"), err);
    sq_bind_text(st, 1, user_id);
    sqlite3_bind_int(st, 2, unread_only != 0);
    sq_bind_text(st, 3, before_id);
    sqlite3_bind_int64(st, 4, limit > 0 ? limit : -1);
    int rc, r = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_notification n;
        copy_col(n.id, sizeof(n.id), st, 0);
        copy_col(n.kind, sizeof(n.kind), st, 1);
        copy_col(n.record_type, sizeof(n.record_type), st, 2);
        copy_col(n.record_id, sizeof(n.record_id), st, 3);
        copy_col(n.params, sizeof(n.params), st, 4);
        copy_col(n.created_at, sizeof(n.created_at), st, 5);
        copy_col(n.read_at, sizeof(n.read_at), st, 6);
        r = cb(&n, arg);
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_error(s, _("listing notifications"), err);
    sqlite3_finalize(st);
    return r;
}

int sq_notification_read(ct_store *base, const char *user_id, const char *id, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_NOTIFY_READ, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    sq_bind_text(st, 1, user_id);
    sq_bind_text(st, 2, id);
    sq_bind_text(st, 3, now);
    int r = step_done(s, st, _("marking a notification read"), err);
    if (!r && sqlite3_changes(s->db) == 0)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such notification"));
    return r;
}

/* ---- reading the audit trail -------------------------------------------- */

int sq_audit_each(ct_store *base, const ct_audit_filter *f, int (*cb)(const ct_audit_row *, void *),
                  void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sq_sql[SQ_AUDIT_LIST], -1, &st, NULL) != SQLITE_OK)
        return sq_error(s, _("reading the audit trail"), err);
    sq_bind_text(st, 1, f->record_id);
    sq_bind_text(st, 2, f->actor);
    sq_bind_text(st, 3, f->action);
    sqlite3_bind_int64(st, 4, f->before > 0 ? f->before : 0);
    sqlite3_bind_int64(st, 5, f->limit > 0 ? f->limit : -1);
    int rc, r = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_audit_row row;
        row.id = sqlite3_column_int64(st, 0);
        const char **cols[] = {&row.at,          &row.actor,     &row.agency, &row.action,
                               &row.record_type, &row.record_id, &row.fields, &row.reason,
                               &row.request_id,  &row.detail};
        for (int i = 0; i < 10; i++)
            *cols[i] = (const char *)sqlite3_column_text(st, i + 1);
        r = cb(&row, arg);
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_error(s, _("reading the audit trail"), err);
    sqlite3_finalize(st);
    return r;
}
