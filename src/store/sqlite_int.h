/*
 * sqlite_int.h - the SQLite backend's private state, shared by its files:
 * sqlite_open.c (connection, migrations, transactions, statements),
 * sqlite_agency.c, sqlite_case.c, sqlite_audit.c.
 */
#ifndef CT_STORE_SQLITE_INT_H
#define CT_STORE_SQLITE_INT_H

#include "store_int.h"

#include <sqlite3.h>

/* Every statement the backend runs, prepared once per connection. */
enum sq_stmt {
    SQ_META_GET,
    SQ_META_SET,
    SQ_AGENCY_INSERT,
    SQ_AGENCY_BY_NAME,
    SQ_AGENCY_BY_ID,
    SQ_AGENCY_ALL,
    SQ_CASE_INSERT,
    SQ_CASE_UPDATE,
    SQ_CASE_FIND_UUID,
    SQ_CASE_FIND_SOURCE,
    SQ_CASE_FIND_KEY,
    SQ_CASE_SELECT_UUID,
    SQ_CASE_DELETE,
    SQ_PERSON_INSERT,
    SQ_PERSON_UPDATE,
    SQ_PERSON_OF_CASE,
    SQ_PERSON_IDS_OF_CASE,
    SQ_PERSON_DELETE,
    SQ_PROCEEDING_INSERT,
    SQ_PROCEEDING_DELETE_OF_PERSON,
    SQ_PROCEEDING_OF_CASE,
    SQ_AUDIT_LAST,
    SQ_AUDIT_INSERT,
    SQ_AUDIT_ALL,
    SQ_COUNT,
    SQ__N
};

typedef struct sq_store {
    ct_store super;
    sqlite3 *db;
    sqlite3_stmt *stmt[SQ__N];
    int schema_version;
    int readonly;
    /* one-entry cache: imports name the same agency row after row */
    char agency_name[201];
    sqlite3_int64 agency_id;
    struct sq_nrm_cache *nrm; /* sqlite_nrm.c's statements, made on first use */
} sq_store;

/* The prepared statement, reset and with bindings cleared; NULL on error. */
sqlite3_stmt *sq_stmt(sq_store *s, enum sq_stmt which, ct_err *err);
/* Fills err from the connection's last error; returns CT_EDB or CT_ECONFLICT. */
int sq_error(sq_store *s, const char *what, ct_err *err);
/* Runs fn inside a transaction unless one is open. */
int sq_in_tx(sq_store *s, int (*fn)(sq_store *, void *, ct_err *), void *arg, ct_err *err);

int sq_agency_id(sq_store *s, const char *name, sqlite3_int64 *id, ct_err *err);

void sq_bind_text(sqlite3_stmt *st, int i, const char *v);

int sq_agency_add(ct_store *s, ct_agency *a, ct_err *err);
int sq_agency_get(ct_store *s, const char *name_or_id, ct_agency *out, ct_err *err);
int sq_agency_each(ct_store *s, int (*cb)(const ct_agency *, void *), void *arg, ct_err *err);
int sq_case_put(ct_store *s, ct_case *c, const ct_case_put_opts *opts, enum ct_put_outcome *outcome,
                ct_err *err);
int sq_case_get(ct_store *s, const char *id, ct_case *out, ct_err *err);
int sq_case_delete(ct_store *s, const char *id, ct_err *err);
int sq_case_each(ct_store *s, const ct_case_filter *f, int (*cb)(ct_case *, void *), void *arg,
                 ct_err *err);
int sq_count(ct_store *s, long *cases, long *victims, long *suspects, ct_err *err);
int sq_audit(ct_store *s, const ct_audit_entry *e, ct_err *err);
int sq_audit_verify(ct_store *s, long *n, long *bad, ct_err *err);

extern const ct_store_nrm_ops sq_nrm_ops; /* sqlite_nrm.c */
void sq_nrm_close(sq_store *s);

/* The SQL text of each statement (sqlite_sql.c). */
extern const char *const sq_sql[SQ__N];

#endif
