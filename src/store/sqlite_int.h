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
    /* server (migration 002): sqlite_server.c */
    SQ_USER_INSERT,
    SQ_USER_BY_NAME,
    SQ_USER_BY_UUID,
    SQ_USER_UPDATE,
    SQ_USER_ALL,
    SQ_TOKEN_INSERT,
    SQ_TOKEN_USER,
    SQ_SESSION_INSERT,
    SQ_SESSION_GET,
    SQ_SESSION_TOUCH,
    SQ_SESSION_DELETE,
    SQ_SESSION_PURGE,
    SQ_SHARE_INSERT,
    SQ_SHARE_DELETE,
    SQ_SHARE_OF_CASE,
    SQ_CASE_RELATION,
    SQ_PERSON_CASE,
    SQ_PROCEEDING_CASE,
    SQ_PERSON_LIST,
    SQ_NOTIFY_INSERT,
    SQ_NOTIFY_LIST,
    SQ_NOTIFY_READ,
    SQ_AUDIT_LIST,
    SQ__N
};

#define SQ_AGENCY_CACHE 32

typedef struct sq_store {
    ct_store super;
    sqlite3 *db;
    sqlite3_stmt *stmt[SQ__N];
    int schema_version;
    int readonly;
    /* agencies by name: imports and the demo name a few agencies over and
     * over; emptied on rollback (a cached agency may have been rolled back) */
    struct sq_agency_cache {
        char name[201];
        sqlite3_int64 id;
    } agency_cache[SQ_AGENCY_CACHE];
    int nagency_cache, next_agency_cache;
    struct sq_nrm_cache *nrm;      /* sqlite_nrm.c's statements, made on first use */
    struct sq_cache *reg_cache;    /* sqlite_registry.c's statements, made on first use */
    struct sq_cache *review_cache; /* sqlite_review.c's */
    struct sq_cache *link_cache;   /* sqlite_link.c's */
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
/* server (migration 002): sqlite_server.c */
int sq_begin_read(ct_store *s, ct_err *err);
int sq_case_query(ct_store *s, const ct_case_query *q, int (*cb)(ct_case *, void *), void *arg,
                  ct_err *err);
int sq_user_add(ct_store *s, ct_user *u, const char *password_hash, ct_err *err);
int sq_user_get(ct_store *s, const char *name_or_id, ct_user *out, ct_err *err);
int sq_user_password(ct_store *s, const char *name, ct_user *out, char *hash, size_t n,
                     ct_err *err);
int sq_user_update(ct_store *s, ct_user *u, int if_version, ct_err *err);
int sq_user_each(ct_store *s, const char *agency, int (*cb)(const ct_user *, void *), void *arg,
                 ct_err *err);
int sq_token_add(ct_store *s, const char *user_id, const unsigned char *hash, const char *label,
                 char *id_out, ct_err *err);
int sq_token_user(ct_store *s, const unsigned char *hash, ct_user *out, ct_err *err);
int sq_session_add(ct_store *s, const char *user_id, const ct_session *sess, ct_err *err);
int sq_session_get(ct_store *s, const unsigned char *hash, ct_session *out, ct_user *user,
                   ct_err *err);
int sq_session_touch(ct_store *s, const unsigned char *hash, long long last_seen, ct_err *err);
int sq_session_delete(ct_store *s, const unsigned char *hash, ct_err *err);
int sq_session_purge(ct_store *s, long long now, long long idle, ct_err *err);
int sq_share_add(ct_store *s, const char *case_id, const char *agency, const char *by,
                 const char *reason, ct_err *err);
int sq_share_delete(ct_store *s, const char *case_id, const char *agency, ct_err *err);
int sq_share_each(ct_store *s, const char *case_id, int (*cb)(const ct_share *, void *), void *arg,
                  ct_err *err);
int sq_case_relation(ct_store *s, const char *case_id, const char *agency,
                     enum ct_case_relation *out, ct_err *err);
int sq_person_case(ct_store *s, const char *person_id, char *case_id, ct_err *err);
int sq_proceeding_case(ct_store *s, const char *proceeding_id, char *case_id, char *person_id,
                       ct_err *err);
int sq_person_each(ct_store *s, const ct_person_filter *f,
                   int (*cb)(const char *, const char *, void *), void *arg, ct_err *err);
int sq_notification_add(ct_store *s, const char *user_id, ct_notification *n, ct_err *err);
int sq_notification_each(ct_store *s, const char *user_id, int unread_only, const char *before_id,
                         long limit, int (*cb)(const ct_notification *, void *), void *arg,
                         ct_err *err);
int sq_notification_read(ct_store *s, const char *user_id, const char *id, ct_err *err);
int sq_audit_each(ct_store *s, const ct_audit_filter *f, int (*cb)(const ct_audit_row *, void *),
                  void *arg, ct_err *err);
int sq_victims_each(ct_store *s, const ct_case_filter *f, int (*cb)(const ct_stat_victim *, void *),
                    void *arg, ct_err *err);
int sq_suspects_each(ct_store *s, const ct_case_filter *f,
                     int (*cb)(const ct_stat_suspect *, void *), void *arg, ct_err *err);
int sq_captures_each(ct_store *s, const ct_case_filter *f,
                     int (*cb)(const ct_capture_row *, void *), void *arg, ct_err *err);
int sq_cases_count_each(ct_store *s, const ct_case_filter *f,
                        int (*cb)(const char *, int, long, void *), void *arg, ct_err *err);
/* Statements of an area's own file, prepared on first use and kept in
 * *cache (n of them, SQL text in sql[]); reset and unbound when returned. */
sqlite3_stmt *sq_cached(sq_store *s, struct sq_cache **cache, const char *const *sql, size_t n,
                        size_t which, ct_err *err);
void sq_cache_free(struct sq_cache *c);
/* A field of a model table to a parameter, and a column to a field
 * (sqlite_field.c): codes and code lists as text (lists ';'-joined),
 * free-text lists as JSON, dates in their partial ISO form. */
void sq_bind_field(sqlite3_stmt *st, int i, const void *item, const ct_field *f);
int sq_read_field(ct_arena *a, void *item, const ct_field *f, sqlite3_stmt *st, int i);

extern const ct_store_reg_ops sq_reg_ops;       /* sqlite_registry.c */
extern const ct_store_review_ops sq_review_ops; /* sqlite_review.c */
extern const ct_store_link_ops sq_link_ops;     /* sqlite_link.c */

/* The SQL text of each statement (sqlite_sql.c). */
extern const char *const sq_sql[SQ__N];

#endif
