/*
 * nrm.h - the National Referral Mechanism: each victim's path from the first
 * report to a durable solution, the screening that supports the decisions,
 * referrals to services, the rights the path must respect, and the consent
 * that governs who else may see assistance data (docs/nrm.md for
 * caseworkers and coordinators; ../shared/docs/domain.md §5-6).
 *
 * The workflow, per person (victims only; the case keeps its own status):
 *
 *   reported --screen--> screened --reasonable_grounds--> presumed_victim --identify--> identified
 *                         |    ^                              |      |                     |
 *              screen_out |    | reconsider  negative_decision |      | close        return,
 * reintegrate, v    |                              v      v                    close not_a_victim
 * <------------------------+    closed                  v | returned --reintegrate--> reintegrated
 *                         +--close--> closed        (returned, reintegrated --close--> closed)
 *
 * The edges are the rows of ct_nrm_edges (workflow.c), each naming the
 * function that performs it and the gates it must pass. Every action needs
 * a reason and records who, when and why (a transition record and an audit
 * entry). person.nrm_stage changes only through ct_nrm_act: case updates
 * keep the stored stage (src/store/sqlite_case.c).
 *
 * Rights the module keeps (domain.md §5):
 *  - reasonable grounds start assistance, shelter and the recovery and
 *    reflection period (at least 30 days, Council of Europe Convention on
 *    Action against Trafficking in Human Beings (2005) art. 13(1);
 *    configurable per country, ct_nrm_reflection_days);
 *  - assistance is never conditional on cooperation with the police
 *    (CoE Convention art. 12(6), EU Directive 2011/36/EU art. 11(3)): no
 *    gate reads ct_nrm_subject.cooperation, and a person who declines to
 *    cooperate is referred like anyone else (tests/nrm/test_services.c);
 *  - children (ct_person_is_child != 0, including age_uncertain) need a
 *    guardian and a best-interests assessment before return,
 *    reintegration or closure (CoE Convention arts. 10(4), 16(7); UNHCR/
 *    UNICEF best-interests procedure), and are flagged for child-specific
 *    referral;
 *  - non-punishment (CoE Convention art. 26; Directive 2011/36/EU art. 8):
 *    a flag with its reason that prosecutors see;
 *  - consent and its withdrawal govern sharing (ct_nrm_consent_allows).
 *
 * Conventions: functions return 0 or a negative CT_E* code with err set
 * (CT_ENOTFOUND unknown person or record, CT_EINVAL bad input naming the
 * field, CT_ECONFLICT an action the person's situation does not allow, with
 * the reason, CT_ESTALE a stale version). Writes run in one transaction with
 * their audit entry, as the store's actor (ct_store_set_actor). Strings read
 * are allocated in the caller's arena. Messages never hold personal data.
 * Not thread-safe beyond the store's own rule (one thread per ct_store).
 */
#ifndef CT_NRM_NRM_H
#define CT_NRM_NRM_H

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "store/store.h"
#include "store/store_nrm.h"

#include <jansson.h>

/* Longest reason or note accepted, in bytes. */
#define CT_NRM_REASON_MAX 2000
#define CT_NRM_NOTE_MAX   20000

/* The minimum recovery and reflection period, CoE Convention art. 13(1). */
#define CT_NRM_REFLECTION_MIN_DAYS 30

/* ---- the workflow ---------------------------------------------------------- */

enum ct_nrm_stage {
    CT_NRM_REPORTED,
    CT_NRM_SCREENED,
    CT_NRM_PRESUMED_VICTIM,
    CT_NRM_IDENTIFIED,
    CT_NRM_NOT_A_VICTIM,
    CT_NRM_RETURNED,
    CT_NRM_REINTEGRATED,
    CT_NRM_CLOSED,
    CT_NRM__NSTAGES
};

/* The code of a stage (data/codes/nrm_stages.tsv); -1 from parse when unknown. */
const char *ct_nrm_stage_code(enum ct_nrm_stage st);
int ct_nrm_stage_parse(const char *code);

/* What an edge requires beyond a reason. None reads cooperation. */
enum ct_nrm_gate {
    CT_NRM_GATE_SCREENING = 1 << 0,            /* a screening is recorded */
    CT_NRM_GATE_CHILD_GUARDIAN = 1 << 1,       /* a child has a guardian */
    CT_NRM_GATE_CHILD_BEST_INTERESTS = 1 << 2, /* ... and a best-interests assessment */
};
#define CT_NRM_GATE_CHILD (CT_NRM_GATE_CHILD_GUARDIAN | CT_NRM_GATE_CHILD_BEST_INTERESTS)

typedef struct ct_nrm_edge_ctx ct_nrm_edge_ctx; /* workflow.c */

typedef struct ct_nrm_edge {
    const char *action; /* "screen", "reasonable_grounds", ... */
    enum ct_nrm_stage from, to;
    unsigned gates;                                  /* enum ct_nrm_gate */
    int (*perform)(ct_nrm_edge_ctx *x, ct_err *err); /* the edge's effects */
    const char *perform_name;                        /* for docs and tests */
} ct_nrm_edge;

/* The transition table (workflow.c); ct_nrm_nedges rows. */
extern const ct_nrm_edge ct_nrm_edges[];
extern const size_t ct_nrm_nedges;
/* The row for (action, from), or NULL when the table has none. */
const ct_nrm_edge *ct_nrm_edge_find(const char *action, enum ct_nrm_stage from);
/* Whether any row names action. */
int ct_nrm_action_known(const char *action);

typedef struct ct_nrm_action {
    const char *person_id;
    const char *action;  /* a ct_nrm_edges action */
    const char *reason;  /* required, <= CT_NRM_REASON_MAX bytes */
    const char *date;    /* effective date (ISO, maybe partial), NULL: today */
    int reflection_days; /* reasonable_grounds only: 0 = the country default */
    ct_date today;       /* the reference day; {0}: the real today */
} ct_nrm_action;

/*
 * Performs a workflow action: checks the edge exists from the person's
 * stage (CT_ECONFLICT naming the stage and the allowed actions otherwise),
 * its gates (CT_ECONFLICT naming what is missing), the reason (CT_EINVAL),
 * then in one transaction records it, runs the edge's function, sets the
 * stage and audits ("nrm.transition", the reason, from/to in detail).
 * On success *out (when not NULL) is the new stage.
 */
int ct_nrm_act(ct_store *s, const ct_nrm_action *a, enum ct_nrm_stage *out, ct_err *err);

/* The person's actions in order (ct_nrm_transition items). */
int ct_nrm_history(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out, ct_err *err);

/* ---- children ----------------------------------------------------------------- */

enum ct_nrm_child_kind { CT_NRM_GUARDIAN, CT_NRM_BEST_INTERESTS };
/* Records a guardian appointment or a best-interests assessment (date: when
 * it happened, NULL today; note: free text, optional). Audited. */
int ct_nrm_child_measure_record(ct_store *s, const char *person_id, enum ct_nrm_child_kind kind,
                                const char *date, const char *note, ct_err *err);

/* The person's guardian appointments and best-interests assessments, oldest
 * first (ct_nrm_child_measure items). */
int ct_nrm_child_measures(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out,
                          ct_err *err);

/* ---- the person's situation ------------------------------------------------- */

typedef struct ct_nrm_status {
    ct_nrm_subject subject;    /* stage, cooperation, period, non-punishment */
    int stage;                 /* enum ct_nrm_stage, -1 for suspects */
    int child;                 /* ct_person_is_child: 1, 0, -1 unknown */
    int guardian;              /* a guardian appointment is recorded */
    int best_interests;        /* a best-interests assessment is recorded */
    int child_referral;        /* flag: refer to child protection services */
    int screenings;            /* number recorded */
    long reflection_days_left; /* of the period, 0 after its end, -1 none */
    const char **actions;      /* actions allowed now by the table (gates aside) */
    size_t nactions;
    unsigned missing_gates; /* gates not met now (enum ct_nrm_gate) */
} ct_nrm_status;

/* Loads the person's situation as of `today` ({0}: the real today). */
int ct_nrm_status_get(ct_store *s, const char *person_id, ct_date today, ct_arena *a,
                      ct_nrm_status *out, ct_err *err);
/* JSON for the API (labels in lang, "en" or "fr"); NULL on out of memory. */
json_t *ct_nrm_status_to_json(const ct_nrm_status *st, const char *lang);

/* ---- recovery and reflection period ----------------------------------------- */

/* The default period for a country (ISO alpha-3, NULL for the database
 * default): the setting "nrm.reflection_days.<COUNTRY>", else
 * "nrm.reflection_days", else CT_NRM_REFLECTION_MIN_DAYS. */
int ct_nrm_reflection_days(ct_store *s, const char *country, int *days, ct_err *err);
/* Sets it; days below CT_NRM_REFLECTION_MIN_DAYS are refused (CT_EINVAL).
 * Audited ("nrm.settings"); _why records the reason given (the source in
 * national law, optional). */
int ct_nrm_reflection_set(ct_store *s, const char *country, int days, ct_err *err);
int ct_nrm_reflection_set_why(ct_store *s, const char *country, int days, const char *reason,
                              ct_err *err);

/* ---- cooperation and non-punishment ------------------------------------------ */

/* Records whether the person cooperates with the authorities ("unknown",
 * "cooperating", "not_cooperating"): information for investigators only;
 * nothing in the workflow depends on it. Audited with the reason. */
int ct_nrm_cooperation_set(ct_store *s, const char *person_id, const char *cooperation,
                           const char *reason, ct_err *err);

/* Sets (flag 1, offence and reason required) or clears (flag 0, reason
 * required) the non-punishment flag of a person charged with an offence
 * committed as a direct consequence of being trafficked. Victims and
 * suspects alike. Audited. */
int ct_nrm_non_punishment_set(ct_store *s, const char *person_id, int flag, const char *offence,
                              const char *reason, ct_err *err);

/* ---- screening ------------------------------------------------------------------ */

/* Checklists (data/indicators): "ilo_ec" (six dimensions, graded, with the
 * presumption rule) and "unodc" (signs to look for, no scoring). Lists:
 * ilo_ec "adult_labour", "adult_sexual", "child_labour", "child_sexual";
 * unodc "general", "sexual_exploitation". */
enum { CT_NRM_DIMENSIONS = 6 };

typedef struct ct_nrm_dimension {
    int strong, medium, weak;
    int positive; /* by the dimension rule (screening.c) */
} ct_nrm_dimension;

typedef struct ct_nrm_screening_result {
    const char *checklist, *list;
    ct_nrm_dimension dims[CT_NRM_DIMENSIONS]; /* ilo_ec only */
    int presumption; /* 1 / 0 by the presumption rule; -1 without one (unodc) */
    int child_list;  /* the list is a children's list */
    int act;         /* children: an act is recorded in the case */
    size_t nitems;
} ct_nrm_screening_result;

/* Scores the items present against a checklist's list. Pure: no store.
 * CT_EINVAL (field "items", "list" or "checklist") for an unknown code or
 * an item not in the list. act: whether the case records an act (children). */
int ct_nrm_screening_score(const char *checklist, const char *list, const char *const *items,
                           size_t nitems, int act, ct_nrm_screening_result *out, ct_err *err);
/* The dimension rule alone (table-driven). */
int ct_nrm_dimension_positive(int strong, int medium, int weak);

typedef struct ct_nrm_screening_input {
    const char *person_id;
    const char *checklist;    /* "ilo_ec" or "unodc" */
    const char *list;         /* NULL: chosen from the person (child or adult) and the case
                                 (sexual exploitation among the purposes or not) */
    const char *const *items; /* codes of the indicators present */
    size_t nitems;
    const char *note;
} ct_nrm_screening_input;

/* Stores a screening (who/when) and audits it; out (when not NULL) gets
 * its score, id_out its id. */
int ct_nrm_screening_record(ct_store *s, const ct_nrm_screening_input *in,
                            ct_nrm_screening_result *out, char id_out[CT_UUID_TEXT], ct_err *err);
/* The person's screenings, oldest first (ct_nrm_screening items). */
int ct_nrm_screenings(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out,
                      ct_err *err);
/*
 * The latest screening scored, beside the Protocol art. 3 assessment of the
 * person (src/core/assess.h): {"screening": ..., "protocol": ..., "notice":
 * ...}. Indicators support, never replace, the decision: the notice says so.
 * Returns NULL with err set (CT_ENOTFOUND when nothing was screened).
 */
json_t *ct_nrm_screening_report(ct_store *s, const char *person_id, ct_date today, const char *lang,
                                ct_err *err);

/*
 * The checklists as data for a screening form, labels in lang: all of them
 * (names, lists, dimensions) or one (its items grouped by dimension with
 * their grade in `list`, or in every list when list is NULL; unodc items
 * with their set), with the rules and the notice that indicators support,
 * never replace, the decision. NULL with err set: CT_ENOTFOUND for an
 * unknown checklist, CT_EINVAL (field "list") for an unknown list,
 * CT_ENOMEM.
 */
json_t *ct_nrm_checklists_to_json(const char *lang, ct_err *err);
json_t *ct_nrm_checklist_to_json(const char *checklist, const char *list, const char *lang,
                                 ct_err *err);

/* ---- referrals ------------------------------------------------------------------ */

typedef struct ct_nrm_referral_input {
    const char *person_id;
    const char *service;  /* data/codes/services.tsv */
    const char *provider; /* agency or organisation, optional */
    const char *date;     /* offered on, NULL today */
    const char *note;
} ct_nrm_referral_input;

/* Opens a referral (status "offered"). Allowed from presumed_victim on
 * (presumed_victim, identified, returned, reintegrated), else CT_ECONFLICT.
 * Never depends on cooperation. Audited. */
int ct_nrm_referral_open(ct_store *s, const ct_nrm_referral_input *in, char id_out[CT_UUID_TEXT],
                         ct_err *err);
/* Moves a referral to status (referral_statuses) on date (NULL today) when
 * the referral status table allows it (offered -> accepted | declined,
 * accepted -> provided | declined | ended, provided -> ended); if_version
 * > 0 refuses a stale copy (CT_ESTALE). Audited with the reason. */
int ct_nrm_referral_move(ct_store *s, const char *referral_id, const char *status, const char *date,
                         const char *reason, int if_version, ct_err *err);
/* For the access rules' "assisting agency": 1 when agency is the provider
 * of a referral of the person that it accepted or provided (a service it
 * gives the person), 0 when not, a negative CT_E* code on error. */
int ct_nrm_agency_assists(ct_store *s, const char *person_id, const char *agency, ct_err *err);
/* Whether the referral status table has from -> to. */
int ct_nrm_referral_move_allowed(const char *from, const char *to);
int ct_nrm_referrals(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out,
                     ct_err *err);

/* ---- consent ---------------------------------------------------------------------- */

typedef struct ct_nrm_consent_input {
    const char *person_id;
    const char *purpose;        /* data/codes/consent_purposes.tsv */
    const char *recipient_type; /* "agency" or "role" */
    const char *recipient;      /* an agency name, or a role (user_roles) */
    const char *date;           /* given on, NULL today */
    const char *note;
} ct_nrm_consent_input;

/* Records consent the person gave. Audited. */
int ct_nrm_consent_give(ct_store *s, const ct_nrm_consent_input *in, char id_out[CT_UUID_TEXT],
                        ct_err *err);
/* Records its withdrawal (effective at once; the record stays). Audited. */
int ct_nrm_consent_withdraw(ct_store *s, const char *consent_id, const char *date,
                            const char *reason, ct_err *err);
int ct_nrm_consents(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out, ct_err *err);

typedef struct ct_nrm_consent_query {
    const char *purpose; /* e.g. "assistance_data" */
    const char *agency;  /* the reader's agency, or NULL */
    const char *role;    /* the reader's role, or NULL */
} ct_nrm_consent_query;

/*
 * For the server's access rules: 1 when the person has consent recorded,
 * and not withdrawn, for q->purpose to q->agency (an agency recipient) or
 * to q->role (a role recipient); 0 when not; a negative CT_E* code on error
 * (CT_ENOTFOUND for an unknown person). The rule that uses it: an
 * investigator sees a person's assistance data (stage history, screening,
 * referrals, period) only when this returns 1 for "assistance_data".
 * Counselling notes are never shared, whatever the consent (ct_nrm_notes).
 * Reads only; not audited (the caller audits the read it allows).
 */
int ct_nrm_consent_allows(ct_store *s, const char *person_id, const ct_nrm_consent_query *q,
                          ct_err *err);

/* ---- counselling and case notes --------------------------------------------------- */

/* Adds a note (free text, CT_PD_FREE_TEXT) as the actor's agency. The audit
 * entry names the note, never its text. */
int ct_nrm_note_add(ct_store *s, const char *person_id, const char *text, char id_out[CT_UUID_TEXT],
                    ct_err *err);
/* The notes of `reader_agency` on the person: notes are visible only to the
 * agency that wrote them (the assisting agency). reader_agency NULL gives
 * none. */
int ct_nrm_notes(ct_store *s, const char *person_id, const char *reader_agency, ct_arena *a,
                 ct_nrm_list *out, ct_err *err);

/* ---- any record ------------------------------------------------------------------- */

/* Loads the record id of kind k (a referral, a consent, ...) into out, a
 * struct of that kind whose strings go into a. CT_ENOTFOUND when there is
 * none. The caller decides whether the reader may see it (its person). */
int ct_nrm_record_get(ct_store *s, enum ct_nrm_rec k, const char *id, ct_arena *a, ct_nrm_meta *out,
                      ct_err *err);

/* ---- JSON (request bodies and responses of the API, nrm_json.c) --------------------- */

/*
 * Request bodies. Each parser reads one JSON object into an input struct:
 * strings are borrowed from body (keep it alive while the input is used),
 * arrays go into the arena a. A member of the wrong type, a missing
 * required member or an unknown member is CT_EINVAL naming the field.
 * person_id and other ids come from the URL: the caller sets them.
 *
 *   transition   {"action", "reason", "date"?, "reflection_days"?}
 *   screening    {"checklist", "list"?, "items": [...], "note"?}
 *   referral     {"service", "provider"?, "date"?, "note"?}
 *   referral move {"status", "date"?, "reason"?}
 *   consent      {"purpose", "recipient_type", "recipient", "date"?, "note"?}
 *   withdrawal   {"date"?, "reason"?}
 *   child measure {"kind": "guardian"|"best_interests", "date"?, "note"?}
 *   note         {"text"}
 *   cooperation  {"cooperation", "reason"?}
 *   non-punishment {"flag", "offence"?, "reason"}
 */
int ct_nrm_action_from_json(const json_t *body, ct_nrm_action *out, ct_err *err);
int ct_nrm_screening_from_json(const json_t *body, ct_arena *a, ct_nrm_screening_input *out,
                               ct_err *err);
int ct_nrm_referral_from_json(const json_t *body, ct_nrm_referral_input *out, ct_err *err);
int ct_nrm_consent_from_json(const json_t *body, ct_nrm_consent_input *out, ct_err *err);

/* The bodies with a few members: each member pointer is borrowed from body. */
typedef struct ct_nrm_small_input {
    const char *status, *kind, *cooperation, *offence, *text; /* whichever applies */
    const char *date, *reason, *note;
    int flag; /* non-punishment */
} ct_nrm_small_input;
enum ct_nrm_small_kind {
    CT_NRM_IN_REFERRAL_MOVE,
    CT_NRM_IN_WITHDRAWAL,
    CT_NRM_IN_CHILD_MEASURE,
    CT_NRM_IN_NOTE,
    CT_NRM_IN_COOPERATION,
    CT_NRM_IN_NON_PUNISHMENT,
};
int ct_nrm_small_from_json(const json_t *body, enum ct_nrm_small_kind k, ct_nrm_small_input *out,
                           ct_err *err);

/* A record as JSON: its columns, "id", "person_id", "at", "updated_at",
 * "by", "agency", "version"; screening items as an array. NULL on OOM. */
json_t *ct_nrm_record_to_json(enum ct_nrm_rec k, const ct_nrm_meta *rec);
/* A list of records as a JSON array, oldest first. NULL on OOM. */
json_t *ct_nrm_list_to_json(enum ct_nrm_rec k, const ct_nrm_list *l);

#endif
