/*
 * nrm_int.h - what the files of src/nrm share: input checks, the person's
 * subject and case, transactions and audit entries. Not for other callers.
 */
#ifndef CT_NRM_NRM_INT_H
#define CT_NRM_NRM_INT_H

#include "nrm.h"

#include "core/model.h"

/* Checks free text: UTF-8, at most max bytes; required: non-empty. */
int nrm_check_text(const char *s, size_t max, int required, const char *field, ct_err *err);
/* A full ISO date (YYYY-MM-DD) not after today nor before 1990, or today
 * when s is NULL; written to out. */
int nrm_check_date(const char *s, ct_date today, const char *field, char out[CT_DATE_TEXT_MAX],
                   ct_date *parsed, ct_err *err);
/* Now as "2026-11-25T11:43:52.123Z" (the store's timestamp format). */
void nrm_now(char out[32]);
/* Whether code is in the code list `list`. */
int nrm_code_ok(const char *list, const char *code);
/* today, or the real today when today is {0}. */
ct_date nrm_today(ct_date today);

/* A person with its case, loaded for a decision. */
typedef struct nrm_person {
    ct_nrm_subject subj;
    ct_case c;          /* the person's case (ct_case_release) */
    const ct_person *p; /* in c */
    int child;          /* ct_person_is_child */
} nrm_person;

/* Loads the subject and case of person_id; nrm_person_release after. */
int nrm_person_load(ct_store *s, const char *person_id, ct_date today, ct_arena *a, nrm_person *out,
                    ct_err *err);
void nrm_person_release(nrm_person *np);
/* CT_EINVAL unless the person is a victim (only victims have an NRM path). */
int nrm_require_victim(const ct_nrm_subject *subj, ct_err *err);

/* Runs fn inside one transaction (begin, commit, rollback on error), or
 * inside the caller's open transaction under a savepoint. */
int nrm_tx(ct_store *s, int (*fn)(ct_store *, void *, ct_err *), void *arg, ct_err *err);
/* Appends an audit entry on a person's record; detail is a JSON object
 * (consumed; may be NULL). */
int nrm_audit(ct_store *s, const char *action, const char *record_type, const char *record_id,
              const char *fields, const char *reason, json_t *detail, ct_err *err);

/* Counts the child measures of each kind recorded for a person. */
int nrm_child_measures(ct_store *s, const char *person_id, ct_arena *a, int *guardian,
                       int *best_interests, ct_err *err);

#endif
