/*
 * sqlite_open.c - the SQLite connection: pragmas, migrations, transactions
 * and the statement cache.
 *
 * Durability: WAL with synchronous=NORMAL loses at most the last commits on
 * a power cut but never corrupts; a killed process loses nothing committed.
 * Migrations are embedded SQL files applied in order, each in one
 * transaction with the new user_version, so a crash mid-migration leaves the
 * previous schema intact.
 */
#include "sqlite_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

extern const char ct_migration_001_init_sql[];
extern const char ct_migration_002_server_sql[];
extern const char ct_migration_005_registries_sql[];
extern const char ct_migration_006_review_sql[];
extern const char ct_migration_007_age_band_sql[];
extern const char ct_migration_008_nrm_sql[];
extern const char ct_migration_009_link_sql[];

static const struct {
    int version;
    const char *sql;
} migrations[] = {
    {1, ct_migration_001_init_sql},       {2, ct_migration_002_server_sql},
    {5, ct_migration_005_registries_sql}, {6, ct_migration_006_review_sql},
    {7, ct_migration_007_age_band_sql},   {8, ct_migration_008_nrm_sql},
    {9, ct_migration_009_link_sql},
};

int sq_error(sq_store *s, const char *what, ct_err *err)
{
    int code = sqlite3_extended_errcode(s->db);
    int primary = code & 0xFF;
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        return ct_err_set(err, CT_ECONFLICT, _("%s: a record with the same key exists"), what);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return ct_err_set(err, CT_EBUSY, _("%s: the database is busy, try again"), what);
    if (primary == SQLITE_FULL)
        return ct_err_set(err, CT_EIO, _("%s: the disk is full"), what);
    if (primary == SQLITE_READONLY)
        return ct_err_set(err, CT_EIO, _("%s: the database is read-only"), what);
    if (primary == SQLITE_NOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    /* SQLite's message names tables and constraints, never values */
    return ct_err_set(err, CT_EDB, _("%s: database error: %s"), what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *sq_stmt(sq_store *s, enum sq_stmt which, ct_err *err)
{
    sqlite3_stmt *st = s->stmt[which];
    if (!st) {
        if (sqlite3_prepare_v3(s->db, sq_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL)) {
            sq_error(s, _("preparing a statement"), err);
            return NULL;
        }
        s->stmt[which] = st;
        return st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static int exec(sq_store *s, const char *sql, ct_err *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_error(s, _("running SQL"), err);
    return 0;
}

static int user_version(sq_store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* Whether migration v was applied: the migration table lists each one, so
 * migrations landed out of number order are still applied exactly once. */
static int applied(sq_store *s, int v)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM migration WHERE version = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int(st, 1, v);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    return found;
}

static int apply(sq_store *s, int version, const char *sql, int latest, ct_err *err)
{
    char record[160];
    snprintf(record, sizeof(record),
             "INSERT INTO migration(version, applied_at) VALUES (%d, "
             "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now')); PRAGMA user_version = %d",
             version, latest);
    int r = exec(s, "BEGIN IMMEDIATE", err);
    if (!r)
        r = exec(s,
                 "CREATE TABLE IF NOT EXISTS migration (version INTEGER PRIMARY KEY, "
                 "applied_at TEXT NOT NULL)",
                 err);
    if (!r && !applied(s, version)) {
        r = exec(s, sql, err);
        if (!r)
            r = exec(s, record, err);
    }
    if (!r)
        r = exec(s, "COMMIT", err);
    if (r)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return r;
}

static int migrate(sq_store *s, ct_err *err)
{
    int current = user_version(s);
    if (current < 0)
        return sq_error(s, _("reading the schema version"), err);
    int latest = 0;
    for (size_t i = 0; i < sizeof(migrations) / sizeof(migrations[0]); i++)
        latest = migrations[i].version > latest ? migrations[i].version : latest;
    if (current > latest)
        return ct_err_set(err, CT_EDB,
                          _("the database was written by a newer ctip (schema %d, this ctip "
                            "knows %d); upgrade ctip"),
                          current, latest);
    for (size_t i = 0; i < sizeof(migrations) / sizeof(migrations[0]); i++) {
        if (current > 0 && applied(s, migrations[i].version))
            continue;
        if (s->readonly)
            return ct_err_set(err, CT_EDB, "%s",
                              _("the database needs a schema upgrade; open it once for writing"));
        int r = apply(s, migrations[i].version, migrations[i].sql, latest, err);
        if (r)
            return r;
    }
    s->schema_version = latest;
    return 0;
}

static int configure(sq_store *s, ct_err *err)
{
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_extended_result_codes(s->db, 1);
    int r = exec(s, "PRAGMA foreign_keys = ON", err);
    if (!r && !s->readonly)
        r = exec(s, "PRAGMA journal_mode = WAL", err);
    if (!r)
        r = exec(s, "PRAGMA synchronous = NORMAL", err);
    if (!r)
        r = exec(s, "PRAGMA temp_store = MEMORY", err);
    if (!r)
        r = exec(s, "PRAGMA cache_size = -65536", err); /* 64 MiB */
    return r;
}

static void sq_close(ct_store *base)
{
    sq_store *s = (sq_store *)base;
    for (int i = 0; i < SQ__N; i++)
        sqlite3_finalize(s->stmt[i]);
    sq_nrm_close(s);
    sq_cache_free(s->reg_cache);
    sq_cache_free(s->review_cache);
    sq_cache_free(s->link_cache);
    sqlite3_close(s->db);
    ct_free(s);
}

static int sq_schema_version(ct_store *base)
{
    return ((sq_store *)base)->schema_version;
}

static int sq_begin(ct_store *base, ct_err *err)
{
    return exec((sq_store *)base, "BEGIN IMMEDIATE", err);
}

static int sq_commit(ct_store *base, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    int r = exec(s, "COMMIT", err);
    if (r)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return r;
}

static void sq_rollback(ct_store *base)
{
    sq_store *s = (sq_store *)base;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->nagency_cache = 0; /* a cached agency may have been rolled back */
}

static int sq_savepoint(ct_store *base, ct_err *err)
{
    return exec((sq_store *)base, "SAVEPOINT ct_record", err);
}

static int sq_savepoint_release(ct_store *base, ct_err *err)
{
    return exec((sq_store *)base, "RELEASE ct_record", err);
}

static void sq_savepoint_rollback(ct_store *base)
{
    sq_store *s = (sq_store *)base;
    sqlite3_exec(s->db, "ROLLBACK TO ct_record; RELEASE ct_record", NULL, NULL, NULL);
    s->nagency_cache = 0;
}

int sq_in_tx(sq_store *s, int (*fn)(sq_store *, void *, ct_err *), void *arg, ct_err *err)
{
    if (!sqlite3_get_autocommit(s->db))
        return fn(s, arg, err);
    int r = sq_begin(&s->super, err);
    if (r)
        return r;
    r = fn(s, arg, err);
    if (r) {
        sq_rollback(&s->super);
        return r;
    }
    return sq_commit(&s->super, err);
}

static int sq_meta_get(ct_store *base, const char *key, char *out, size_t n, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_META_GET, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return ct_err_set(err, CT_ENOTFOUND, _("no setting '%s'"), key);
    return sq_error(s, _("reading a setting"), err);
}

static int sq_meta_set(ct_store *base, const char *key, const char *value, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_META_SET, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, key);
    sq_bind_text(st, 2, value);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("writing a setting"), err);
}

static const ct_store_ops sqlite_ops = {
    sq_close,
    sq_schema_version,
    sq_begin,
    sq_commit,
    sq_rollback,
    sq_savepoint,
    sq_savepoint_release,
    sq_savepoint_rollback,
    sq_meta_get,
    sq_meta_set,
    sq_agency_add,
    sq_agency_get,
    sq_agency_each,
    sq_case_put,
    sq_case_get,
    sq_case_delete,
    sq_case_each,
    sq_count,
    sq_audit,
    sq_audit_verify,
    &sq_nrm_ops,
    .begin_read = sq_begin_read,
    .case_query = sq_case_query,
    .user_add = sq_user_add,
    .user_get = sq_user_get,
    .user_password = sq_user_password,
    .user_update = sq_user_update,
    .user_each = sq_user_each,
    .token_add = sq_token_add,
    .token_user = sq_token_user,
    .session_add = sq_session_add,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_delete = sq_session_delete,
    .session_purge = sq_session_purge,
    .share_add = sq_share_add,
    .share_delete = sq_share_delete,
    .share_each = sq_share_each,
    .case_relation = sq_case_relation,
    .person_case = sq_person_case,
    .proceeding_case = sq_proceeding_case,
    .person_each = sq_person_each,
    .notification_add = sq_notification_add,
    .notification_each = sq_notification_each,
    .notification_read = sq_notification_read,
    .audit_each = sq_audit_each,
    .victims_each = sq_victims_each,
    .suspects_each = sq_suspects_each,
    .cases_count_each = sq_cases_count_each,
    .captures_each = sq_captures_each,
    .reg = &sq_reg_ops,
    .review = &sq_review_ops,
    .link = &sq_link_ops,
};

int ct_store_sqlite_open(const char *path, unsigned flags, ct_store **out, ct_err *err)
{
    sq_store *s = ct_calloc(1, sizeof(*s));
    if (!s)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    s->super.ops = &sqlite_ops;
    s->readonly = (flags & CT_STORE_READONLY) != 0;
    int oflags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & CT_STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    oflags |= SQLITE_OPEN_NOMUTEX; /* one thread per connection (store.h) */
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        int r =
            s->db && sqlite3_errcode(s->db) == SQLITE_CANTOPEN
                ? ct_err_set(err, CT_EIO,
                             _("cannot open the database '%s' (create it with 'ctip init')"), path)
                : sq_error(s, _("opening the database"), err);
        sq_close(&s->super);
        return r;
    }
    int r = configure(s, err);
    if (!r)
        r = migrate(s, err);
    if (r) {
        ct_err_prefix(err, "%s: ", path);
        sq_close(&s->super);
        return r;
    }
    *out = &s->super;
    return 0;
}
