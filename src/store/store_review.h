/*
 * store_review.h - the review queue in the store (migration 006): candidate
 * matches of every kind (contracts.md "One review queue") and the
 * decisions of their reviewers. The rules (who may decide, how the status
 * follows from the decisions, what a confirmation does) are in
 * src/review; this is storage only.
 *
 * Records are named by type ("person", "missing", "placement", ...) and id;
 * the store keeps each pair once, in a canonical order (a before b when
 * "type:id" sorts first), whatever order the caller gives.
 *
 * Same rules as store.h (threads, transactions, errors). Nothing here
 * audits: src/review does.
 */
#ifndef CT_STORE_STORE_REVIEW_H
#define CT_STORE_STORE_REVIEW_H

#include "store.h"

#define CT_REVIEW_EVIDENCE_MAX 1024
#define CT_REVIEW_TYPE_MAX     24

typedef struct ct_review_side {
    char type[CT_REVIEW_TYPE_MAX];
    char id[CT_UUID_TEXT];
    char agency[201]; /* the record's owner, "" when unknown */
} ct_review_side;

typedef struct ct_review_item {
    char id[CT_UUID_TEXT];
    char kind[32]; /* review_kinds */
    ct_review_side a, b;
    double probability; /* -1 when unknown */
    double weight;
    char evidence[CT_REVIEW_EVIDENCE_MAX]; /* "field:level:weight;..." */
    char status[16];                       /* review_statuses */
    int confirms, rejects;                 /* active decisions of distinct reviewers */
    char decided_by[80], decided_at[32];   /* "" while pending */
    char created_by[80], created_at[32], updated_at[32];
    int version;
} ct_review_item;

/* Adds a candidate (kind, a, b, probability, weight, evidence read from
 * item; the rest filled on success). *added is 0 when the pair was already
 * queued for this kind: item is then the stored one, unchanged. Agencies
 * are names ("" for none); an unknown one is CT_ENOTFOUND. */
int ct_store_review_add(ct_store *s, ct_review_item *item, int *added, ct_err *err);
int ct_store_review_get(ct_store *s, const char *id, ct_review_item *out, ct_err *err);

typedef struct ct_review_filter {
    const char *kind;        /* or NULL */
    const char *status;      /* or NULL */
    const char *agency;      /* items with a record of this agency, or NULL */
    const char *record_type; /* with record_id: items about this record */
    const char *record_id;
    const char *after_id; /* cursor (id order), or NULL */
    long limit;           /* 0: no limit */
} ct_review_filter;

int ct_store_review_each(ct_store *s, const ct_review_filter *f,
                         int (*cb)(const ct_review_item *it, void *arg), void *arg, ct_err *err);

typedef struct ct_review_decision {
    long seq; /* order of the decision among all decisions */
    char action[16];
    char reviewer[80];
    char agency[201];
    char at[32];
    char reason[512];
    char status_after[16];
} ct_review_decision;

/* Appends a decision to an item (seq and at are filled). */
int ct_store_review_decision_add(ct_store *s, const char *item_id, ct_review_decision *d,
                                 ct_err *err);
/* The item's decisions, oldest first. */
int ct_store_review_decisions(ct_store *s, const char *item_id,
                              int (*cb)(const ct_review_decision *d, void *arg), void *arg,
                              ct_err *err);
/* Writes status, confirms, rejects, decided_by and decided_at of item and
 * bumps its version, refusing with CT_ESTALE unless the stored version is
 * item->version; on success item->version and updated_at are the new ones. */
int ct_store_review_update(ct_store *s, ct_review_item *item, ct_err *err);

#endif
