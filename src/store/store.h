/*
 * store.h - the only way ctip reads and writes its database.
 *
 * Callers never see SQL. The embedded backend is SQLite (WAL, foreign keys,
 * versioned migrations applied on open, prepared statements only); a server
 * backend (PostgreSQL) implements the same operations (store_int.h).
 *
 * Threads: a ct_store is one connection, used by one thread at a time; a
 * server opens one per worker thread. Transactions: every write function
 * runs inside the caller's transaction when one is open (ct_store_begin),
 * else inside its own, so each logical write is all or nothing.
 *
 * Errors: 0 or a negative CT_E* code with err filled. CT_ENOTFOUND for a
 * missing record, CT_ECONFLICT for a uniqueness clash, CT_ESTALE for a
 * version mismatch, CT_EDB for anything the database refuses.
 */
#ifndef CT_STORE_STORE_H
#define CT_STORE_STORE_H

#include "core/err.h"
#include "core/model.h"

#include <stdint.h>

typedef struct ct_store ct_store;

enum ct_store_open_flags {
    CT_STORE_CREATE = 1 << 0,   /* create the database when missing */
    CT_STORE_READONLY = 1 << 1, /* open for reading only */
};

/* Opens (and migrates) the database at path. *out is set on success. */
int ct_store_open(const char *path, unsigned flags, ct_store **out, ct_err *err);
void ct_store_close(ct_store *s);
/* The schema version after migrations. */
int ct_store_schema_version(ct_store *s);

/* Who acts: stamped on new records and on every audit entry. Borrowed
 * strings must outlive their use by the store. */
typedef struct ct_actor {
    const char *user;       /* user name, or "os:<login>" for the CLI */
    const char *agency;     /* the user's agency name */
    const char *request_id; /* HTTP request id, or NULL */
} ct_actor;
void ct_store_set_actor(ct_store *s, const ct_actor *actor);
/* The actor set last (all members NULL before any). */
const ct_actor *ct_store_actor(const ct_store *s);

/* Explicit transactions (BEGIN IMMEDIATE: writers queue, never deadlock). */
int ct_store_begin(ct_store *s, ct_err *err);
int ct_store_commit(ct_store *s, ct_err *err);
/* Safe to call when no transaction is open. */
void ct_store_rollback(ct_store *s);

/* A nested undo point inside an open transaction (SQL savepoints): an
 * importer keeps the records before a bad one. */
int ct_store_savepoint(ct_store *s, ct_err *err);
int ct_store_savepoint_release(ct_store *s, ct_err *err);
void ct_store_savepoint_rollback(ct_store *s);

/* Settings (home agency, ...). ct_store_meta_get returns CT_ENOTFOUND. */
int ct_store_meta_get(ct_store *s, const char *key, char *out, size_t n, ct_err *err);
int ct_store_meta_set(ct_store *s, const char *key, const char *value, ct_err *err);

/* ---- agencies -------------------------------------------------------- */

typedef struct ct_agency {
    char id[CT_UUID_TEXT];
    char name[201];
    char type[64];   /* HTCDS org_Type, agency_types code list */
    char country[4]; /* ISO alpha-3: the country of detection of its records */
    char created_at[32];
} ct_agency;

/* Adds an agency; id and created_at are filled. CT_ECONFLICT on a name clash. */
int ct_store_agency_add(ct_store *s, ct_agency *a, ct_err *err);
/* By name (exact) or id. CT_ENOTFOUND when absent. */
int ct_store_agency_get(ct_store *s, const char *name_or_id, ct_agency *out, ct_err *err);
/* Calls cb for each agency by name; a non-zero return from cb stops and is returned. */
int ct_store_agency_each(ct_store *s, int (*cb)(const ct_agency *a, void *arg), void *arg,
                         ct_err *err);

/* ---- cases ----------------------------------------------------------- */

enum ct_put_outcome { CT_PUT_INSERTED, CT_PUT_UPDATED, CT_PUT_UNCHANGED };

typedef struct ct_case_put_opts {
    const char *import_key; /* key of a record without id or source_id, or NULL */
    int if_version;         /* > 0: refuse with CT_ESTALE unless the stored version matches */
} ct_case_put_opts;

/*
 * Inserts or updates a case with its persons and proceedings. The record is
 * found by id, else by (agency, source_id), else by (agency, import_key);
 * an identical record is left alone (CT_PUT_UNCHANGED, no new version).
 * Persons of an updated case are matched by id, else by position. On
 * success c->id, the persons' ids, version and timestamps are filled (in
 * c's arena). c->agency must name an existing agency (CT_ENOTFOUND).
 */
int ct_store_case_put(ct_store *s, ct_case *c, const ct_case_put_opts *opts,
                      enum ct_put_outcome *outcome, ct_err *err);
/* Loads a case by id into out (initialised or reset by the caller). */
int ct_store_case_get(ct_store *s, const char *id, ct_case *out, ct_err *err);
/* Deletes a case and its persons and proceedings. */
int ct_store_case_delete(ct_store *s, const char *id, ct_err *err);

typedef struct ct_case_filter {
    const char *agency;     /* owner name, or NULL for all */
    int year_from, year_to; /* statistics year (identification, else registration); 0: open */
    const char *after_id;   /* cursor: cases after this id in id order, or NULL */
    long limit;             /* 0: no limit */
} ct_case_filter;

/* Calls cb for each matching case in id order, fully loaded (persons and
 * proceedings). The case is reused between calls: copy what you keep. A
 * non-zero return from cb stops the walk and is returned. */
int ct_store_case_each(ct_store *s, const ct_case_filter *f, int (*cb)(ct_case *c, void *arg),
                       void *arg, ct_err *err);
/* Number of cases and of persons (victims and suspects). */
int ct_store_count(ct_store *s, long *cases, long *victims, long *suspects, ct_err *err);

/* ---- audit trail ----------------------------------------------------- */

typedef struct ct_audit_entry {
    const char *action;      /* "import", "export", "case.read", "case.update", ... */
    const char *record_type; /* "case", "person", ... or NULL */
    const char *record_id;   /* UUID or NULL */
    const char *fields;      /* fields read or changed, comma-separated, or NULL */
    const char *reason;      /* the reason given, or NULL */
    const char *detail;      /* JSON text (before/after for changes), no secrets */
} ct_audit_entry;

/* Appends an entry stamped with the actor and chained to the previous one. */
int ct_store_audit(ct_store *s, const ct_audit_entry *e, ct_err *err);
/* Recomputes the chain. Returns 0 when intact; CT_EINVAL with *bad set to
 * the first entry whose hash does not match. *n receives the entry count. */
int ct_store_audit_verify(ct_store *s, long *n, long *bad, ct_err *err);

#endif
