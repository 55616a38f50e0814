/*
 * store_registry.h - the child registries in the store (migration 005):
 * missing-child reports, placements, institutions (src/registry/record.h),
 * the cross-check state and the institution flags.
 *
 * Same rules as store.h: one connection per thread, every write in the
 * caller's transaction when one is open, else in its own; CT_ENOTFOUND,
 * CT_ECONFLICT, CT_ESTALE, CT_EDB. Nothing here audits: callers
 * (src/registry, src/cli, src/http) audit what they read and change.
 */
#ifndef CT_STORE_STORE_REGISTRY_H
#define CT_STORE_STORE_REGISTRY_H

#include "registry/record.h"
#include "store.h"

typedef struct ct_reg_put_opts {
    const char *import_key; /* key of a record without id or source_id, or NULL */
    int if_version;         /* > 0: CT_ESTALE unless the stored version matches */
    int no_insert;          /* 1: CT_ENOTFOUND instead of inserting (updates by id) */
} ct_reg_put_opts;

/*
 * Inserts or updates a record, found by id, else by (kind, agency,
 * source_id), else by (kind, agency, import_key); an identical record is
 * left alone (CT_PUT_UNCHANGED). r->agency must name an agency
 * (CT_ENOTFOUND, field "agency"); a placement's institution and a report's
 * placement are found by id, else by source_id among the same agency's
 * records of that kind (CT_ENOTFOUND naming the field). An existing record
 * keeps its kind (CT_ECONFLICT when the id belongs to another kind). On
 * success id, version and timestamps are filled in r's arena, and
 * institution/placement hold the referenced record's id.
 */
int ct_store_reg_put(ct_store *s, ct_reg_record *r, const ct_reg_put_opts *o,
                     enum ct_put_outcome *outcome, ct_err *err);
/* Loads a record of any kind by id into out (initialised; its kind is set
 * from the store). CT_ENOTFOUND when absent. */
int ct_store_reg_get(ct_store *s, const char *id, ct_reg_record *out, ct_err *err);

typedef struct ct_reg_filter {
    int kind;                /* enum ct_reg_kind, or -1 for all */
    const char *agency;      /* owner name, or NULL */
    const char *status;      /* missing: status; placement: "active" (no exit) or an exit reason */
    const char *after_id;    /* cursor: records after this id in id order, or NULL */
    long limit;              /* 0: no limit */
    const char *institution; /* placements at this institution (id), or NULL */
    /* records whose date (date_last_seen, admission_date) may fall on or
     * after date_from / on or before date_to (ISO YYYY-MM-DD; a partial
     * stored date matches when any day of it does), or NULL */
    const char *date_from, *date_to;
} ct_reg_filter;

/* Calls cb for each matching record in id order; the record is reused
 * between calls (copy what you keep); a non-zero return stops the walk and
 * is returned. */
int ct_store_reg_each(ct_store *s, const ct_reg_filter *f, int (*cb)(ct_reg_record *r, void *arg),
                      void *arg, ct_err *err);

/* ---- what the cross-checks compare -------------------------------------- */

/* One record as the linkage sees it: a registry child or a victim. Strings
 * are borrowed for the callback's duration. */
typedef struct ct_reg_link_row {
    const char *type; /* "missing", "placement" or "person" (a victim) */
    const char *id;
    const char *agency;
    const char *given_name, *family_name;
    const char *sex;
    const char *date_of_birth; /* partial ISO, or NULL */
    int age;                   /* at `at`, -1 unknown */
    const char *at;            /* date_last_seen, admission_date or identification */
    const char *citizenship;   /* ';'-joined */
    const char *exit_reason;   /* placements */
    const char *exit_date;
    const char *status; /* missing reports */
    const unsigned char
        *checked; /* the hash of the last cross-check (CT_REG_HASH_BYTES), or NULL */
} ct_reg_link_row;

/* Every registry child (first) and every victim (persons with role victim). */
int ct_store_reg_link_rows(ct_store *s, int (*cb)(const ct_reg_link_row *row, void *arg), void *arg,
                           ct_err *err);

/* The hash a record had when last checked: 0 and out filled, or
 * CT_ENOTFOUND. */
int ct_store_reg_check_get(ct_store *s, const char *type, const char *id,
                           unsigned char out[CT_REG_HASH_BYTES], ct_err *err);
int ct_store_reg_check_set(ct_store *s, const char *type, const char *id,
                           const unsigned char hash[CT_REG_HASH_BYTES], ct_err *err);

/* ---- institution flags -------------------------------------------------- */

/* Counts per institution: placements that ended "absconded" with an exit
 * date from `since` (ISO date), and distinct victims linked by a confirmed
 * registry_hit to a placement at the institution. */
typedef struct ct_reg_inst_counts {
    const char *institution; /* id */
    const char *agency;      /* its owner */
    long absconded;
    long victims;
} ct_reg_inst_counts;
int ct_store_reg_inst_counts(ct_store *s, const char *since,
                             int (*cb)(const ct_reg_inst_counts *c, void *arg), void *arg,
                             ct_err *err);

typedef struct ct_reg_flag {
    char institution[CT_UUID_TEXT];
    char agency[201];
    char rule[40];
    long value, threshold;
    int active;
    char raised_at[32], updated_at[32];
} ct_reg_flag;

/* Sets a flag's value; *raised is 1 when it becomes active (new, or
 * inactive before). A flag is never deleted: it turns inactive. */
int ct_store_reg_flag_set(ct_store *s, const char *institution, const char *rule, long value,
                          long threshold, int active, int *raised, ct_err *err);
int ct_store_reg_flag_each(ct_store *s, int active_only, int (*cb)(const ct_reg_flag *f, void *arg),
                           void *arg, ct_err *err);

/* ---- statistics ---------------------------------------------------------- */

/* Calls cb with (group, code, count): group "missing_status" (code a status),
 * "placement_exit" (an exit reason, or "active"), "placement_type",
 * "missing_circumstances"; codes NULL count unknowns. Only agency's
 * records when it is not NULL. */
int ct_store_reg_counts(ct_store *s, const char *agency,
                        int (*cb)(const char *group, const char *code, long n, void *arg),
                        void *arg, ct_err *err);

/* One victim for the statistics: what decides whether it is a child
 * (assess.h) and whether a confirmed registry_hit links it to a
 * missing-child report last seen, or a placement admitted, on or before its
 * identification (dates partial; an unknown date does not exclude). */
typedef struct ct_reg_victim_row {
    const char *id;
    const char *agency;
    const char *date_of_birth, *age_band, *date_recruitment, *date_identification;
    int age, age_uncertain, year;
    int reported_missing, in_care;
} ct_reg_victim_row;
int ct_store_reg_victim_rows(ct_store *s, const char *agency,
                             int (*cb)(const ct_reg_victim_row *row, void *arg), void *arg,
                             ct_err *err);

#endif
