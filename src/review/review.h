/*
 * review.h - the one review queue of contracts.md: candidate matches of
 * every kind (duplicate_person from record linkage, registry_hit from the
 * registry cross-checks), shown as the two records side by side with the
 * evidence, decided by reviewers (confirm, reject, undo), every decision
 * audited. Storage: store/store_review.h (migration 006); docs/review.md.
 *
 * Adding candidates: ct_store_review_add (the producer names the kind, the
 * two records and the evidence). Deciding: ct_review_decide here, which
 * applies the rules below and runs the kind's effects.
 *
 * Several reviewers. Each decision is a vote; a reviewer's newer decision
 * replaces their earlier one, and "undo" withdraws it. With quorum q (the
 * database setting "review.quorum", default 1) and c confirming and r
 * rejecting votes:
 *
 *     confirmed   c >= q and c > r
 *     rejected    r >= q and r > c
 *     pending     otherwise (too few votes, or a tie to settle)
 *
 * A confirmed item is the link between its two records (the registries'
 * statistics and flags read it so); when an item becomes confirmed, or
 * stops being so, the kind's effect runs in the same transaction (table in
 * review.c).
 *
 * Thread safety: as the store (one per thread). Messages carry no personal
 * data.
 */
#ifndef CT_REVIEW_REVIEW_H
#define CT_REVIEW_REVIEW_H

#include "store/store_review.h"

#include <jansson.h>

enum ct_review_action { CT_REVIEW_CONFIRM, CT_REVIEW_REJECT, CT_REVIEW_UNDO };
/* The action of a code of review_actions ("confirm"), or -1. */
int ct_review_action_of(const char *code);
const char *ct_review_action_code(enum ct_review_action a);

/* The status the votes give (the rule above); a static string. */
const char *ct_review_status_of(int confirms, int rejects, int quorum);
/* The database's quorum (setting "review.quorum"), 1 when unset or invalid. */
int ct_review_quorum(ct_store *s);

typedef struct ct_review_decide_opts {
    const char *item_id;
    enum ct_review_action action;
    const char *reason; /* recorded with the decision and in the audit trail; may be NULL */
    int if_version;     /* > 0: CT_ESTALE unless the item is at this version */
} ct_review_decide_opts;

/*
 * Records the store's actor's decision on an item, in one transaction
 * (the caller's when one is open, which it then commits or rolls back):
 * the vote, the item's new status, the
 * kind's effect when the item becomes or stops being confirmed, and an
 * audit entry "review.decide" (before and after). out receives the item as
 * it is now. A repeated vote changes nothing (out is the item, *changed 0).
 * Returns 0, CT_ENOTFOUND, CT_ESTALE, CT_ECONFLICT (undo without a
 * decision of one's own), CT_EUSAGE (no actor), CT_ENOMEM, CT_EDB.
 */
int ct_review_decide(ct_store *s, const ct_review_decide_opts *o, ct_review_item *out, int *changed,
                     ct_err *err);

/* Which personal-data classes (CT_PD_*) to leave out of one side's record:
 * the caller's access rules (relation of the reader to the record's
 * agency). NULL means none. */
typedef unsigned (*ct_review_redact_fn)(void *arg, const ct_review_side *side);

typedef struct ct_review_view_opts {
    int blind;                  /* leave out probability, weight and evidence (scores hidden) */
    int with_decisions;         /* the item's decisions, oldest first */
    ct_review_redact_fn redact; /* may be NULL */
    void *redact_arg;
} ct_review_view_opts;

/*
 * The item as JSON: id, kind, status, votes, version, the two records side
 * by side ("a", "b": type, id, agency and the record itself, redacted; a
 * record deleted since is {"deleted": true}), and unless blind the
 * probability and the evidence as a list of {field, level, weight}.
 * *out is a new reference. Does not audit (the caller does, naming the
 * records shown). Returns 0, CT_ENOMEM, CT_EDB.
 */
int ct_review_item_json(ct_store *s, const ct_review_item *it, const ct_review_view_opts *o,
                        json_t **out, ct_err *err);

/* Audits that a reader was shown an item's records ("review.read"). */
int ct_review_audit_read(ct_store *s, const ct_review_item *it, int blind, ct_err *err);
/* The same entry without writing it (the server commits read audits in
 * groups, src/http/auditq.c): out borrows detail and the item. */
#define CT_REVIEW_READ_DETAIL 256
void ct_review_read_entry(const ct_review_item *it, int blind, char detail[CT_REVIEW_READ_DETAIL],
                          ct_audit_entry *out);

/* Whether the database reviews blind (setting "review.blind" = 1): every
 * reviewer then sees the two records without probability, weight or
 * evidence (docs/review.md). */
int ct_review_blind(ct_store *s);

#endif
