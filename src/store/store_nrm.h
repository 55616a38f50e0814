/*
 * store_nrm.h - storage of the National Referral Mechanism records
 * (schema: src/store/migrations/008_nrm.sql). Callers are src/nrm only:
 * the workflow rules live there (src/nrm/nrm.h); this layer keeps rows and
 * checks nothing but keys and versions.
 *
 * Records: every NRM record belongs to one person and starts with a
 * ct_nrm_meta (id, person, who and when). Its other members are text
 * columns, listed once in the CT_NRM_*_COLS X-macros below: the struct
 * members, the SQL text and the binding code all expand the same list, so a
 * column cannot be bound in the wrong place (sqlite_cols.h does the same for
 * cases).
 *
 * Ownership: strings read from the store are allocated in the ct_arena the
 * caller passes and live as long as it. Strings of records passed in are
 * borrowed for the call. ct_store_nrm_add fills m.id, m.at, m.updated_at
 * and points m.actor and m.agency at the store's current actor
 * (ct_store_set_actor), which must outlive the record's use.
 *
 * Errors: CT_ENOTFOUND (no such person or record), CT_ESTALE (version
 * mismatch on update), CT_EDB, CT_ENOMEM. Every write runs inside the
 * caller's transaction when one is open, else its own.
 */
#ifndef CT_STORE_STORE_NRM_H
#define CT_STORE_STORE_NRM_H

#include "core/arena.h"
#include "core/err.h"
#include "core/uuid.h"

#include <stddef.h>

typedef struct ct_store ct_store;

typedef struct ct_nrm_meta {
    char id[CT_UUID_TEXT];        /* record UUID */
    char person_id[CT_UUID_TEXT]; /* the person it belongs to */
    char at[32];                  /* created, RFC 3339 UTC */
    char updated_at[32];
    const char *actor;  /* who recorded it */
    const char *agency; /* the actor's agency */
    int version;        /* 1, then +1 per update */
} ct_nrm_meta;

/* Columns of each record kind (all text; NULL is SQL NULL). */
#define CT_NRM_TRANSITION_COLS(X) X(action) X(from_stage) X(to_stage) X(date) X(reason)
#define CT_NRM_SCREENING_COLS(X)  X(checklist) X(list) X(items) X(note)
#define CT_NRM_REFERRAL_COLS(X)                                                                    \
    X(service)                                                                                     \
    X(provider)                                                                                    \
    X(status) X(offered_on) X(accepted_on) X(declined_on) X(provided_on) X(ended_on) X(note)
#define CT_NRM_CONSENT_COLS(X)                                                                     \
    X(purpose) X(recipient_type) X(recipient) X(given_on) X(withdrawn_on) X(withdrawn_at) X(note)
#define CT_NRM_CHILD_MEASURE_COLS(X) X(kind) X(date) X(note)
#define CT_NRM_NOTE_COLS(X)          X(text)

#define CT_NRM_MEMBER(col) const char *col;

/* One workflow action (never updated). */
typedef struct ct_nrm_transition {
    ct_nrm_meta m;
    CT_NRM_TRANSITION_COLS(CT_NRM_MEMBER)
} ct_nrm_transition;

/* One filled-in checklist: items present, ';'-joined item codes. */
typedef struct ct_nrm_screening {
    ct_nrm_meta m;
    CT_NRM_SCREENING_COLS(CT_NRM_MEMBER)
} ct_nrm_screening;

/* A referral to a service (data/codes/services.tsv) with the date each
 * status (referral_statuses) was reached. */
typedef struct ct_nrm_referral {
    ct_nrm_meta m;
    CT_NRM_REFERRAL_COLS(CT_NRM_MEMBER)
} ct_nrm_referral;

/* Consent to share (purpose) with an agency or a role, given and maybe
 * withdrawn. */
typedef struct ct_nrm_consent {
    ct_nrm_meta m;
    CT_NRM_CONSENT_COLS(CT_NRM_MEMBER)
} ct_nrm_consent;

/* A child protection step: kind "guardian" or "best_interests". */
typedef struct ct_nrm_child_measure {
    ct_nrm_meta m;
    CT_NRM_CHILD_MEASURE_COLS(CT_NRM_MEMBER)
} ct_nrm_child_measure;

/* A counselling or case note (free text, personal data). */
typedef struct ct_nrm_note {
    ct_nrm_meta m;
    CT_NRM_NOTE_COLS(CT_NRM_MEMBER)
} ct_nrm_note;

enum ct_nrm_rec {
    CT_NRM_REC_TRANSITION,
    CT_NRM_REC_SCREENING,
    CT_NRM_REC_REFERRAL,
    CT_NRM_REC_CONSENT,
    CT_NRM_REC_CHILD_MEASURE,
    CT_NRM_REC_NOTE,
    CT_NRM_REC__N
};

/*
 * A person as the workflow sees it: the person row (stage), its case and
 * owning agency (country of detection), and the nrm_person row (defaults
 * when the person has none yet: cooperation "unknown", no period, no flag).
 */
typedef struct ct_nrm_subject {
    const char *person_id;
    const char *case_id;
    const char *agency;  /* the case's owner */
    const char *country; /* the owner's country, ISO alpha-3, or NULL */
    const char *role;    /* victim | suspect */
    const char *stage;   /* person.nrm_stage; NULL for suspects */
    const char *cooperation;
    const char *rrp_start, *rrp_end; /* ISO dates or NULL */
    int rrp_days;                    /* 0 when no period */
    int non_punishment;
    const char *np_offence, *np_reason, *np_at, *np_actor, *np_agency;
} ct_nrm_subject;

/* Loads the subject of person_id into out (strings in a). */
int ct_store_nrm_subject(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_subject *out,
                         ct_err *err);
/* Writes the nrm_person part of in (cooperation, period, non-punishment). */
int ct_store_nrm_subject_put(ct_store *s, const ct_nrm_subject *in, ct_err *err);
/* Sets person.nrm_stage; the person's and its case's versions go up by one
 * and their updated_at is now (the case JSON shows the stage). */
int ct_store_nrm_stage_set(ct_store *s, const char *person_id, const char *stage, ct_err *err);

/* Adds a record of kind k; rec points at the record's ct_nrm_meta (its
 * first member); m.person_id must be set. */
int ct_store_nrm_add(ct_store *s, enum ct_nrm_rec k, ct_nrm_meta *rec, ct_err *err);
/* Rewrites the columns of the record rec->id when its stored version is
 * rec->version; on success rec->version and updated_at are the new ones. */
int ct_store_nrm_update(ct_store *s, enum ct_nrm_rec k, ct_nrm_meta *rec, ct_err *err);
/* Loads the record id into out (a struct of kind k). */
int ct_store_nrm_get(ct_store *s, enum ct_nrm_rec k, const char *id, ct_arena *a, ct_nrm_meta *out,
                     ct_err *err);

typedef struct ct_nrm_list {
    void *items; /* array of the kind's struct, in the arena */
    size_t n;
} ct_nrm_list;
/* The records of kind k of a person, oldest first; only those recorded by
 * `agency` when it is not NULL. */
int ct_store_nrm_list(ct_store *s, enum ct_nrm_rec k, const char *person_id, const char *agency,
                      ct_arena *a, ct_nrm_list *out, ct_err *err);

#endif
