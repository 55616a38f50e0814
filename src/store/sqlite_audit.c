/*
 * sqlite_audit.c - the append-only, hash-chained audit trail.
 *
 * Each entry's hash covers the previous entry's hash and all its own
 * columns, so changing, removing or reordering any entry breaks every hash
 * after it (ct_store_audit_verify). Entries are written inside the writer's
 * transaction (BEGIN IMMEDIATE), so two writers never chain to the same
 * predecessor.
 */
#include "sqlite_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

enum { AUDIT_TEXT_COLS = 10 };

static int last_hash(sq_store *s, unsigned char prev[CT_AUDIT_HASH_BYTES], ct_err *err)
{
    memset(prev, 0, CT_AUDIT_HASH_BYTES);
    sqlite3_stmt *st = sq_stmt(s, SQ_AUDIT_LAST, err);
    if (!st)
        return CT_EDB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == CT_AUDIT_HASH_BYTES)
        memcpy(prev, sqlite3_column_blob(st, 0), CT_AUDIT_HASH_BYTES);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                 : sq_error(s, _("reading the audit trail"), err);
}

static int append(sq_store *s, void *arg, ct_err *err)
{
    const ct_audit_entry *e = arg;
    char now[32];
    ct_store_now(now);
    const ct_actor *a = &s->super.actor;
    const char *cols[AUDIT_TEXT_COLS] = {now,
                                         a->user ? a->user : "unknown",
                                         a->agency,
                                         e->action,
                                         e->record_type,
                                         e->record_id,
                                         e->fields,
                                         e->reason,
                                         a->request_id,
                                         e->detail};
    unsigned char prev[CT_AUDIT_HASH_BYTES], hash[CT_AUDIT_HASH_BYTES];
    int r = last_hash(s, prev, err);
    if (r)
        return r;
    ct_audit_hash(prev, cols, AUDIT_TEXT_COLS, hash);
    sqlite3_stmt *st = sq_stmt(s, SQ_AUDIT_INSERT, err);
    if (!st)
        return CT_EDB;
    for (int i = 0; i < AUDIT_TEXT_COLS; i++)
        sq_bind_text(st, i + 1, cols[i]);
    sqlite3_bind_blob(st, AUDIT_TEXT_COLS + 1, hash, sizeof(hash), SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("writing the audit trail"), err);
}

int sq_audit(ct_store *base, const ct_audit_entry *e, ct_err *err)
{
    return sq_in_tx((sq_store *)base, append, (void *)e, err);
}

int sq_audit_verify(ct_store *base, long *n, long *bad, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_AUDIT_ALL, err);
    if (!st)
        return CT_EDB;
    unsigned char prev[CT_AUDIT_HASH_BYTES] = {0}, hash[CT_AUDIT_HASH_BYTES];
    *n = 0;
    *bad = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cols[AUDIT_TEXT_COLS];
        for (int i = 0; i < AUDIT_TEXT_COLS; i++)
            cols[i] = (const char *)sqlite3_column_text(st, i + 1);
        ct_audit_hash(prev, cols, AUDIT_TEXT_COLS, hash);
        (*n)++;
        if (sqlite3_column_bytes(st, 11) != CT_AUDIT_HASH_BYTES ||
            memcmp(hash, sqlite3_column_blob(st, 11), CT_AUDIT_HASH_BYTES) != 0) {
            *bad = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
            return ct_err_set(err, CT_EINVAL,
                              _("the audit trail was altered: entry %ld does not match its hash"),
                              *bad);
        }
        memcpy(prev, hash, sizeof(prev));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("reading the audit trail"), err);
}
