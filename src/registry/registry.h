/*
 * registry.h - the registries of missing children and of children in
 * alternative care, and their cross-checks with the victims of trafficking
 * (issue 7; docs/registries.md).
 *
 *   import      registry files (CSV with a header, or JSON lines) into the
 *               store under the import rules of contracts.md;
 *   crosscheck  every record not checked since it last changed (a new
 *               report, a new placement or placement exit, a new victim) is
 *               linked with the record-linkage engine (src/link) against
 *               the other registries and the victims; candidate matches go
 *               to the review queue (kind registry_hit, src/review);
 *   flags       institutions with repeated absconding, or with victims
 *               among their residents, are flagged for the coordinator;
 *   stats       reports by outcome, placements by exit reason, the share of
 *               child victims previously reported missing or in care.
 *
 * Personal data never reaches a message: problems name the file, line and
 * field. Everything read or changed is audited (ct_store_audit) by these
 * functions. Thread safety: as the store (one store per thread).
 */
#ifndef CT_REGISTRY_REGISTRY_H
#define CT_REGISTRY_REGISTRY_H

#include "core/err.h"
#include "record.h"
#include "store/store_registry.h"
#include "stats/stats.h"
#include "store/store_review.h"

#include <stdint.h>
#include <stdio.h>

/* ---- reading files --------------------------------------------------------- */

enum ct_reg_format { CT_REG_FMT_AUTO, CT_REG_FMT_CSV, CT_REG_FMT_JSONL };

typedef struct ct_reg_reader ct_reg_reader;

/*
 * Opens a registry file of one kind: path ("-" is standard input), or f
 * (borrowed) when not NULL, path then naming it in messages. With
 * CT_REG_FMT_AUTO, .jsonl/.json/.ndjson is JSON lines, anything else CSV.
 * A CSV header names the kind's fields (record.c; docs/registries.md); an
 * unknown or repeated column is CT_EINVAL ("FILE:1: column: reason" in
 * err). opts is borrowed until ct_reg_reader_close.
 */
int ct_reg_reader_open(const char *path, FILE *f, enum ct_reg_kind kind, enum ct_reg_format fmt,
                       const ct_case_read_opts *opts, ct_reg_reader **out, ct_err *err);
void ct_reg_reader_close(ct_reg_reader *rd);
enum ct_reg_format ct_reg_reader_format(const ct_reg_reader *rd);

/*
 * Reads the next record into r (reset here). Returns 1, 0 at the end,
 * CT_EINVAL for an invalid record (problems in pr; reading goes on), or
 * CT_EIO / CT_ENOMEM. *line is the physical line the record starts on;
 * import_key receives the content key of a record without id or source_id
 * ("" otherwise): the hash of its fields and its occurrence number among
 * identical records of the file (contracts.md).
 */
int ct_reg_reader_next(ct_reg_reader *rd, ct_reg_record *r, long *line, char import_key[48],
                       ct_problems *pr, ct_err *err);
/* Writes the rejects file's header (CSV: the input's plus ctip_error). */
int ct_reg_reader_rejects_header(ct_reg_reader *rd, FILE *out);
/* Writes the record read last, unchanged, with the reason (CSV: last column
 * ctip_error; JSON: member "_error"). */
int ct_reg_reader_reject(ct_reg_reader *rd, FILE *out, const char *reason);

/* ---- import ---------------------------------------------------------------- */

typedef struct ct_reg_import_opts {
    const char *path;
    enum ct_reg_kind kind;
    enum ct_reg_format format;
    const char *agency;       /* owner of records that name none (default: home agency) */
    int skip_invalid;         /* import the valid records, reject the others */
    const char *rejects_path; /* default: input name with .rejects before its extension */
    int create_agencies;
    int dry_run; /* check only */
    void (*report)(void *arg, const char *file, long line, const char *field, const char *msg);
    void *report_arg;
} ct_reg_import_opts;

typedef struct ct_reg_import_stats {
    long records, inserted, updated, unchanged, rejected, problems;
    char rejects_path[4096];
} ct_reg_import_stats;

/* Imports in one transaction: all or nothing (CT_EINVAL when any record is
 * invalid), or with skip_invalid the valid ones (CT_EREJECTED when any was
 * rejected). Audited as "registry.import". Does not cross-check: call
 * ct_reg_crosscheck after. store may be NULL with dry_run. */
int ct_reg_import(ct_store *s, const ct_reg_import_opts *o, ct_reg_import_stats *st, ct_err *err);

/* ---- writing --------------------------------------------------------------- */

/* The CSV header of a kind: its field paths in table order (store metadata
 * too when with_meta), as `ctip registry list` writes them. */
void ct_reg_csv_header(enum ct_reg_kind k, int with_meta, FILE *out);
/* One record as a CSV row under that header; redacted fields are empty.
 * Returns 0, CT_ENOMEM or CT_EIO. */
int ct_reg_csv_row(const ct_reg_record *r, unsigned redact, int with_meta, FILE *out);

/* ---- cross-checks -------------------------------------------------------------- */

typedef struct ct_reg_check_opts {
    double threshold; /* keep candidate pairs with probability >= this; 0: 0.8 */
    int all;          /* check every record again, not only those changed */
    int threads;      /* 0: 2 */
} ct_reg_check_opts;

typedef struct ct_reg_check_stats {
    long records;    /* registry children and victims compared */
    long checked;    /* of them, new or changed since the last check */
    long candidates; /* pairs of records of different kinds at or above the threshold */
    long queued;     /* new review items */
    long known;      /* candidates already in the queue */
    long flags_raised;
} ct_reg_check_stats;

/*
 * Cross-checks every record new or changed since the last check (all with
 * opts->all) against all others; queues candidates as registry_hit review
 * items with the linkage explanation as evidence; marks the records
 * checked; updates the institution flags. One transaction (the caller's
 * when one is open, which it then commits or rolls back); audited as
 * "registry.crosscheck". CT_ENOMEM, CT_EDB, ...; no candidate is not an
 * error.
 */
int ct_reg_crosscheck(ct_store *s, const ct_reg_check_opts *o, ct_reg_check_stats *st, ct_err *err);

/* ---- institution flags (the orphanage-trafficking pattern) ------------------------ */

/* One rule; thresholds are data (flags.c, docs/registries.md) and may be
 * changed per database with the setting "registry.flag.<rule>" (a whole
 * number). */
typedef struct ct_reg_flag_rule {
    const char *rule;  /* "repeated_absconding", "victims_among_residents" */
    const char *label; /* N_() marked */
    long threshold;    /* flagged at value >= threshold */
    int window_days;   /* count events of the last window_days (0: all) */
} ct_reg_flag_rule;
const ct_reg_flag_rule *ct_reg_flag_rules(size_t *n);

/* Recomputes every institution's flags; the newly raised ones are counted
 * in *raised and the coordinators alerted. Runs in the caller's transaction
 * when one is open. */
int ct_reg_flags_update(ct_store *s, long *raised, ct_err *err);

/* ---- alerts ---------------------------------------------------------------------- */

/* An alert for people: an open missing-child report matched, an institution
 * flagged. No personal data: records are named by type and id. */
typedef struct ct_reg_alert {
    const char *kind;        /* "registry.missing_child_matched", "registry.institution_flagged" */
    const char *agency;      /* whose users are told; NULL: every agency */
    const char *role;        /* only users with this role (user_roles), or NULL */
    const char *record_type; /* "missing", "institution" */
    const char *record_id;
    const char *detail; /* a code: the rule, or the type of the matching record */
} ct_reg_alert;

/* Sends an alert (alert.c) through the in-app notifications to the users of
 * the agency (of the role), or of every agency when agency is NULL, and
 * records it in the audit trail as "registry.alert"; inside the caller's
 * transaction when one is open. */
int ct_reg_alert_send(ct_store *s, const ct_reg_alert *a, ct_err *err);

/* ---- effects of review decisions --------------------------------------------------- */

/* What a registry_hit does when it becomes confirmed (src/review calls
 * these inside the decision's transaction): alerts the reporting agency of
 * an open missing-child report matched with a victim or a placement, and
 * updates the institution flags. Unconfirming updates the flags; an alert
 * already sent stays sent. */
int ct_reg_on_confirm(ct_store *s, const ct_review_item *it, ct_err *err);
int ct_reg_on_unconfirm(ct_store *s, const ct_review_item *it, ct_err *err);

/* ---- statistics ------------------------------------------------------------------- */

typedef struct ct_reg_stats_row {
    const char *code;  /* a code of the table's list, "unknown" or "total" */
    const char *label; /* in the thread's language when built */
    long count;
} ct_reg_stats_row;

typedef struct ct_reg_stats_table {
    const char *id;    /* "missing_by_status", ... */
    const char *title; /* translated */
    ct_reg_stats_row *rows;
    size_t nrows; /* the last row is the total */
} ct_reg_stats_table;

typedef struct ct_reg_stats {
    ct_reg_stats_table tables[4];
    size_t ntables;
    long child_victims;           /* identified child victims */
    long child_victims_missing;   /* of them, previously reported missing */
    long child_victims_in_care;   /* previously in care */
    long child_victims_either;    /* either */
    long child_victims_uncertain; /* of the child victims, age uncertain or a range straddling 18 */
    ct_arena arena;
} ct_reg_stats;

/* Collects the registry statistics (docs/registries.md states the counting
 * rules); only agency's records when agency is not NULL. Audited as
 * "registry.stats" (aggregates only). */
int ct_reg_stats_collect(ct_store *s, const char *agency, ct_reg_stats *out, ct_err *err);
/* The same without the audit entry, for callers that audit the read
 * themselves (the server queues its read audits, src/http/auditq.c). */
int ct_reg_stats_gather(ct_store *s, const char *agency, ct_reg_stats *out, ct_err *err);
void ct_reg_stats_release(ct_reg_stats *st);
/* The statistics as tables of src/stats (one per registry table, then the
 * child victims previously reported missing or in care), to write and
 * protect with ct_stats_tables_write / _protect. with_shares adds the
 * shares as a note (leave it out of published, protected tables: a share
 * would reveal a masked count). */
int ct_reg_stats_tables(const ct_reg_stats *st, int with_shares, ct_stats_tables *out, ct_err *err);
/* The statistics as one JSON object (caller owns it); NULL on out of memory. */
json_t *ct_reg_stats_json(const ct_reg_stats *st);

/* ---- demo registries ---------------------------------------------------------------- */

typedef struct ct_reg_demo_opts {
    uint64_t seed;
    ct_date today;          /* no date after it; zero: UTC today */
    const char *truth_path; /* the demo truth (person_id,true_person): registry_id rows are
                             * appended with the true person of their victim; or NULL */
} ct_reg_demo_opts;

typedef struct ct_reg_demo_stats {
    long institutions, missing, placements;
    long planted; /* registry records of a child victim of the cases */
} ct_reg_demo_stats;

/*
 * Adds demo registries to a database of demo cases (demo.c states the
 * model): institutions, missing-child reports and placements in which
 * some child victims of the cases appear, recorded with realistic
 * differences, among unrelated children. planted (may be NULL) receives
 * "registry_id,person_id" for every registry record of a victim. One
 * transaction, audited as "registry.demo". Does not cross-check.
 */
int ct_reg_demo(ct_store *s, const ct_reg_demo_opts *o, FILE *planted, ct_reg_demo_stats *st,
                ct_err *err);

#endif
