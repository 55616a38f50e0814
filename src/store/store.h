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
/* A read transaction: every read until ct_store_commit (or rollback) sees
 * the same snapshot, and the reads pay the transaction's cost once. End it
 * before writing. */
int ct_store_begin_read(ct_store *s, ct_err *err);
/* Whether an explicit transaction (ct_store_begin) is open: a library
 * that groups its writes joins it (with a savepoint) instead of beginning
 * its own, so a caller can make several operations one. */
int ct_store_in_tx(const ct_store *s);

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
    const char *now;        /* created_at/updated_at stamp instead of the clock, RFC 3339 UTC as
                               "2021-03-14T09:12:00.000Z" (records registered earlier elsewhere,
                               reproducible demo data), or NULL; the caller vouches for it */
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
/* More conditions for the API's case lists (migration 002); NULL / unset:
 * no condition. */
typedef struct ct_case_query {
    ct_case_filter base;
    const char *status;     /* case_statuses code */
    const char *purpose;    /* one purposes code among the case's purposes */
    const char *visible_to; /* agency name: its own cases and those shared with it */
    ct_date ident_from;     /* dates.identification overlaps [from, to] (partial dates) */
    ct_date ident_to;
} ct_case_query;
/* As ct_store_case_each, with the conditions of q. */
int ct_store_case_query(ct_store *s, const ct_case_query *q, int (*cb)(ct_case *c, void *arg),
                        void *arg, ct_err *err);

/* Number of cases and of persons (victims and suspects). */
int ct_store_count(ct_store *s, long *cases, long *victims, long *suspects, ct_err *err);

/* ---- users, API tokens, sessions (migration 002, `ctip serve`) -------- */

typedef struct ct_user {
    char id[CT_UUID_TEXT];
    char name[101];
    char role[32];    /* user_roles code */
    char agency[201]; /* the agency's name */
    int disabled;     /* a disabled user cannot log in or use tokens */
    char created_at[32];
    int version;
} ct_user;

/* Adds a user of an existing agency (CT_ENOTFOUND otherwise, CT_ECONFLICT
 * on a name clash); id, created_at and version are filled. password_hash
 * is an Argon2id string (crypto_pwhash_str) or NULL for token-only users. */
int ct_store_user_add(ct_store *s, ct_user *u, const char *password_hash, ct_err *err);
/* By name or id; CT_ENOTFOUND when absent. */
int ct_store_user_get(ct_store *s, const char *name_or_id, ct_user *out, ct_err *err);
/* The stored password hash of a user (by name) into hash[n]; CT_ENOTFOUND
 * when the user or the password is absent. */
int ct_store_user_password(ct_store *s, const char *name, ct_user *out, char *hash, size_t n,
                           ct_err *err);
/* Sets role and disabled from u (matched by id); CT_ESTALE unless
 * if_version (> 0) matches. u->version is updated. */
int ct_store_user_update(ct_store *s, ct_user *u, int if_version, ct_err *err);
/* Users by name; agency NULL for all. cb's non-zero return stops the walk. */
int ct_store_user_each(ct_store *s, const char *agency, int (*cb)(const ct_user *u, void *arg),
                       void *arg, ct_err *err);

#define CT_SECRET_HASH_BYTES 32 /* BLAKE2b-256 of session ids and tokens */

/* Stores an API token (its hash only) for a user; id_out receives its id. */
int ct_store_token_add(ct_store *s, const char *user_id,
                       const unsigned char hash[CT_SECRET_HASH_BYTES], const char *label,
                       char id_out[CT_UUID_TEXT], ct_err *err);
/* The enabled user owning an unrevoked token; CT_ENOTFOUND otherwise. */
int ct_store_token_user(ct_store *s, const unsigned char hash[CT_SECRET_HASH_BYTES], ct_user *out,
                        ct_err *err);

typedef struct ct_session {
    unsigned char token_hash[CT_SECRET_HASH_BYTES];
    unsigned char csrf_hash[CT_SECRET_HASH_BYTES];
    long long created, last_seen, expires; /* seconds since the epoch */
} ct_session;

int ct_store_session_add(ct_store *s, const char *user_id, const ct_session *sess, ct_err *err);
/* The session and its (enabled) user; CT_ENOTFOUND when absent. Expiry is
 * the caller's to check. */
int ct_store_session_get(ct_store *s, const unsigned char hash[CT_SECRET_HASH_BYTES],
                         ct_session *out, ct_user *user, ct_err *err);
int ct_store_session_touch(ct_store *s, const unsigned char hash[CT_SECRET_HASH_BYTES],
                           long long last_seen, ct_err *err);
/* Deletes one session (logout); deleting an absent one is not an error. */
int ct_store_session_delete(ct_store *s, const unsigned char hash[CT_SECRET_HASH_BYTES],
                            ct_err *err);
/* Deletes sessions whose absolute expiry or idle limit has passed. */
int ct_store_session_purge(ct_store *s, long long now, long long idle_seconds, ct_err *err);

/* ---- sharing of cases between agencies ---------------------------------- */

typedef struct ct_share {
    char agency[201];
    char shared_by[101];
    char shared_at[32];
    char reason[501];
} ct_share;

/* Shares a case with an agency (who, when, why). CT_ENOTFOUND for an
 * unknown case or agency, CT_ECONFLICT when already shared. */
int ct_store_share_add(ct_store *s, const char *case_id, const char *agency, const char *by,
                       const char *reason, ct_err *err);
/* CT_ENOTFOUND when the case is not shared with the agency. */
int ct_store_share_delete(ct_store *s, const char *case_id, const char *agency, ct_err *err);
int ct_store_share_each(ct_store *s, const char *case_id, int (*cb)(const ct_share *sh, void *arg),
                        void *arg, ct_err *err);

enum ct_case_relation {
    CT_CASE_OTHER = 0,  /* neither owned by nor shared with the agency */
    CT_CASE_OWN = 1,    /* the agency owns the case */
    CT_CASE_SHARED = 2, /* the owner shared it with the agency */
};
/* How agency relates to a case; CT_ENOTFOUND when the case is absent. */
int ct_store_case_relation(ct_store *s, const char *case_id, const char *agency,
                           enum ct_case_relation *out, ct_err *err);

/* ---- persons and proceedings by their own ids ----------------------------- */

/* The case holding a person / a proceeding (and its person). CT_ENOTFOUND. */
int ct_store_person_case(ct_store *s, const char *person_id, char case_id[CT_UUID_TEXT],
                         ct_err *err);
int ct_store_proceeding_case(ct_store *s, const char *proceeding_id, char case_id[CT_UUID_TEXT],
                             char person_id[CT_UUID_TEXT], ct_err *err);

typedef struct ct_person_filter {
    const char *role;       /* victim | suspect, or NULL */
    const char *nrm_stage;  /* or NULL */
    const char *case_id;    /* persons of one case, or NULL */
    const char *visible_to; /* agency name: persons of its own and shared cases, or NULL */
    int with_proceedings;   /* only persons that have proceedings */
    const char *after_id;   /* cursor: persons after this id in id order */
    long limit;             /* 0: no limit */
} ct_person_filter;
/* Calls cb with (case id, person id) of each matching person in id order. */
int ct_store_person_each(ct_store *s, const ct_person_filter *f,
                         int (*cb)(const char *case_id, const char *person_id, void *arg),
                         void *arg, ct_err *err);

/* ---- in-app notifications (written through src/notify) ------------------ */

typedef struct ct_notification {
    char id[CT_UUID_TEXT];
    char kind[64];        /* "case.shared", ... (src/notify/notify.c lists them) */
    char record_type[32]; /* or "" */
    char record_id[CT_UUID_TEXT];
    char params[1024]; /* JSON object of strings, no personal data */
    char created_at[32];
    char read_at[32]; /* "" while unread */
} ct_notification;

/* Adds a notification for a user (id filled). */
int ct_store_notification_add(ct_store *s, const char *user_id, ct_notification *n, ct_err *err);
/* The user's notifications, newest first, before the cursor id when given. */
int ct_store_notification_each(ct_store *s, const char *user_id, int unread_only,
                               const char *before_id, long limit,
                               int (*cb)(const ct_notification *n, void *arg), void *arg,
                               ct_err *err);
/* Marks one of the user's notifications read; CT_ENOTFOUND when it is not theirs. */
int ct_store_notification_read(ct_store *s, const char *user_id, const char *id, ct_err *err);
/* ---- statistics rows ----------------------------------------------------- */

/*
 * Flat rows for statistics (src/stats): one per victim or suspect, with only
 * the columns statistics need and no personal data. The birth date is read
 * by the backend to compute the age at identification and never returned.
 * Strings are borrowed: valid during the callback only; NULL when not
 * recorded. Lists (citizenship, purposes, ...) are ';'-joined codes.
 */
typedef struct ct_stat_victim {
    int year;                      /* identification, else registration (contracts.md) */
    const char *detection_country; /* the owning agency's country (ISO alpha-3) */
    const char *sex;               /* sexes code */
    int age_min, age_max;          /* whole years at identification; -1: unknown */
    int age_uncertain;             /* the caseworker's flag (domain.md §1) */
    const char *citizenship;       /* ';'-joined ISO alpha-3 */
    const char *purposes;          /* ';'-joined purposes codes */
    const char *main_purpose;
    const char *country_origin;
    const char *country_exploitation;
    const char *means_of_control; /* ';'-joined means_of_control codes */
    const char *labour_sector;
    const char *recruiter_relation;
    const char *nrm_stage;
    /* ';'-joined "service:ADPE" per referral: 0/1 whether it reached
     * accepted, declined, provided, ended (e.g. "shelter:1010") */
    const char *referrals;
    int shares_person_key;       /* another victim record has the same person key */
    int has_identification_date; /* dates.identification is set */
    int exploitation_months;     /* exploitation end (else identification) minus start; -1 */
    int registration_delay_days; /* registration minus identification date; -1: unknown */
    int registration_year;       /* year the record was created in ctip */
} ct_stat_victim;

typedef struct ct_stat_suspect {
    int year; /* the case's statistics year */
    const char *detection_country;
    const char *sex;
    int age_min, age_max; /* at identification of the case; -1: unknown */
    const char *citizenship;
    const char *purposes; /* of the case */
    const char *main_purpose;
    /* ';'-joined "kind:YEAR" of the suspect's proceedings ("kind:" when the
     * proceeding has no date), e.g. "investigation:2021;prosecution:2022" */
    const char *proceedings;
} ct_stat_suspect;

/* Calls cb for each victim (suspect) of the cases matching f (agency and
 * years; after_id and limit are ignored), in one pass. A non-zero return
 * from cb stops the walk and is returned. */
int ct_store_victims_each(ct_store *s, const ct_case_filter *f,
                          int (*cb)(const ct_stat_victim *v, void *arg), void *arg, ct_err *err);
int ct_store_suspects_each(ct_store *s, const ct_case_filter *f,
                           int (*cb)(const ct_stat_suspect *p, void *arg), void *arg, ct_err *err);
/* Number of cases whose statistics year is in f's range (and agency), per
 * detection country: calls cb(country, year, count) once per pair. */
int ct_store_cases_count_each(ct_store *s, const ct_case_filter *f,
                              int (*cb)(const char *country, int year, long n, void *arg),
                              void *arg, ct_err *err);

/* ---- captures for multiple systems estimation (src/estimate) ------------- */

/*
 * One row per victim record, for building capture histories (contracts.md):
 * who (the person key, which is the same on every agency's record of one
 * real person), on which list (the owning agency) and in which stratum.
 * Strings are borrowed: valid during the callback only.
 */
typedef struct ct_capture_row {
    const char *key;      /* person_key; the person record's own id when it has none */
    int own_id;           /* 1: key is the record's own id (an unlinked record counts as
                           * a distinct person) */
    const char *agency;   /* name of the agency that owns the case: the list */
    const char *country;  /* that agency's country (of detection), ISO alpha-3, or NULL */
    int year;             /* statistics year: identification, else registration (as
                           * ct_store_victims_each) */
    const char *sex;      /* sexes code, NULL when not recorded */
    const char *agegroup; /* "0-17", "18+" or "unknown": ct_age_group() of the age at
                           * identification and the age_uncertain flag */
} ct_capture_row;

/* Calls cb for each victim of the cases matching f (agency and years;
 * after_id and limit are ignored), in one pass. No name, birth date or
 * other personal data is passed on: only the key (an opaque string). A
 * non-zero return from cb stops the walk and is returned. */
int ct_store_captures_each(ct_store *s, const ct_case_filter *f,
                           int (*cb)(const ct_capture_row *row, void *arg), void *arg, ct_err *err);

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
/* One stored entry, for reading the trail (strings valid during the callback). */
typedef struct ct_audit_row {
    long long id;
    const char *at, *actor, *agency, *action, *record_type, *record_id, *fields, *reason,
        *request_id, *detail;
} ct_audit_row;

typedef struct ct_audit_filter {
    const char *record_id; /* or NULL */
    const char *actor;     /* or NULL */
    const char *action;    /* or NULL */
    long long before;      /* cursor: entries with a smaller id; 0: from the newest */
    long limit;            /* 0: no limit */
} ct_audit_filter;
/* Entries matching f, newest first. */
int ct_store_audit_each(ct_store *s, const ct_audit_filter *f,
                        int (*cb)(const ct_audit_row *row, void *arg), void *arg, ct_err *err);
/* Recomputes the chain. Returns 0 when intact; CT_EINVAL with *bad set to
 * the first entry whose hash does not match. *n receives the entry count. */
int ct_store_audit_verify(ct_store *s, long *n, long *bad, ct_err *err);

#endif
