/*
 * workflow.c - the NRM state machine of nrm.h: the transition table, the
 * gates, the edge functions and the person's status.
 *
 * Invariants (checked by assert_edges_ok in debug builds and walked by
 * tests/nrm/test_workflow.c):
 *  1. (action, from) identifies at most one row: an action is never
 *     ambiguous.
 *  2. No row leaves `closed`: closing is final (a new report is a new
 *     record).
 *  3. Every row into returned, reintegrated or closed carries the child
 *     gates: a durable solution or closure for a child needs a guardian and
 *     a best-interests assessment (CoE Convention arts. 10(4), 16(7)).
 *  4. No gate concerns cooperation with the authorities (CoE Convention
 *     art. 12(6)): enum ct_nrm_gate has no such member.
 */
#include "nrm_int.h"

#include "core/codes.h"
#include "core/i18n.h"

#include <assert.h>
#include <string.h>

struct ct_nrm_edge_ctx {
    ct_store *s;
    const ct_nrm_action *a;
    const ct_nrm_edge *edge;
    nrm_person *np;
    ct_date date; /* effective date of the action */
    char date_text[CT_DATE_TEXT_MAX];
    int reflection_days; /* resolved for reasonable_grounds */
    char rrp_end[CT_DATE_TEXT_MAX];
    char transition_id[CT_UUID_TEXT];
};

static const char *const stage_codes[CT_NRM__NSTAGES] = {
    "reported",     "screened", "presumed_victim", "identified",
    "not_a_victim", "returned", "reintegrated",    "closed",
};

const char *ct_nrm_stage_code(enum ct_nrm_stage st)
{
    return st < CT_NRM__NSTAGES ? stage_codes[st] : NULL;
}

int ct_nrm_stage_parse(const char *code)
{
    for (int i = 0; code && i < CT_NRM__NSTAGES; i++)
        if (strcmp(stage_codes[i], code) == 0)
            return i;
    return -1;
}

/* ---- edge functions ---------------------------------------------------------- */

/* Most edges only change the stage: the transition record says the rest. */
static int record_decision(ct_nrm_edge_ctx *x, ct_err *err)
{
    (void)x;
    (void)err;
    return 0;
}

/* Reasonable grounds: assistance, shelter and the recovery and reflection
 * period start here (CoE Convention arts. 12, 13). The period runs from the
 * decision's date for reflection_days days, the last of which is rrp_end. */
static int start_reflection_period(ct_nrm_edge_ctx *x, ct_err *err)
{
    ct_nrm_subject *subj = &x->np->subj;
    ct_date end = ct_date_from_days(ct_date_days(x->date) + x->reflection_days - 1);
    ct_date_format(end, x->rrp_end);
    subj->rrp_start = x->date_text;
    subj->rrp_end = x->rrp_end;
    subj->rrp_days = x->reflection_days;
    return ct_store_nrm_subject_put(x->s, subj, err);
}

/* Closing ends a period still running on the day of closure. */
static int close_file(ct_nrm_edge_ctx *x, ct_err *err)
{
    ct_nrm_subject *subj = &x->np->subj;
    if (!subj->rrp_end || strcmp(subj->rrp_end, x->date_text) <= 0)
        return 0;
    subj->rrp_end = x->date_text;
    return ct_store_nrm_subject_put(x->s, subj, err);
}

/* ---- the transition table ------------------------------------------------------ */

#define EDGE(action, from, to, gates, fn)                                                          \
    {                                                                                              \
        action, CT_NRM_##from, CT_NRM_##to, gates, fn, #fn                                         \
    }

/* Source: domain.md §5 (the NRM path; OSCE/ODIHR National Referral
 * Mechanisms handbook, 2004/2022), CoE Convention arts. 10, 13, 16. */
const ct_nrm_edge ct_nrm_edges[] = {
    EDGE("screen", REPORTED, SCREENED, CT_NRM_GATE_SCREENING, record_decision),
    EDGE("reasonable_grounds", SCREENED, PRESUMED_VICTIM, 0, start_reflection_period),
    EDGE("screen_out", SCREENED, NOT_A_VICTIM, 0, record_decision),
    EDGE("identify", PRESUMED_VICTIM, IDENTIFIED, 0, record_decision),
    EDGE("negative_decision", PRESUMED_VICTIM, NOT_A_VICTIM, 0, record_decision),
    EDGE("reconsider", NOT_A_VICTIM, SCREENED, 0, record_decision),
    EDGE("return", IDENTIFIED, RETURNED, CT_NRM_GATE_CHILD, record_decision),
    EDGE("reintegrate", IDENTIFIED, REINTEGRATED, CT_NRM_GATE_CHILD, record_decision),
    EDGE("reintegrate", RETURNED, REINTEGRATED, CT_NRM_GATE_CHILD, record_decision),
    EDGE("close", PRESUMED_VICTIM, CLOSED, CT_NRM_GATE_CHILD, close_file),
    EDGE("close", IDENTIFIED, CLOSED, CT_NRM_GATE_CHILD, close_file),
    EDGE("close", NOT_A_VICTIM, CLOSED, CT_NRM_GATE_CHILD, close_file),
    EDGE("close", RETURNED, CLOSED, CT_NRM_GATE_CHILD, close_file),
    EDGE("close", REINTEGRATED, CLOSED, CT_NRM_GATE_CHILD, close_file),
};
const size_t ct_nrm_nedges = sizeof(ct_nrm_edges) / sizeof(ct_nrm_edges[0]);

#ifndef NDEBUG
static void assert_edges_ok(void)
{
    for (size_t i = 0; i < ct_nrm_nedges; i++) {
        const ct_nrm_edge *e = &ct_nrm_edges[i];
        assert(e->from != CT_NRM_CLOSED);
        assert(e->to != CT_NRM_RETURNED && e->to != CT_NRM_REINTEGRATED && e->to != CT_NRM_CLOSED ||
               (e->gates & CT_NRM_GATE_CHILD) == CT_NRM_GATE_CHILD);
        for (size_t j = i + 1; j < ct_nrm_nedges; j++)
            assert(strcmp(e->action, ct_nrm_edges[j].action) || e->from != ct_nrm_edges[j].from);
    }
}
#else
#define assert_edges_ok() ((void)0)
#endif

const ct_nrm_edge *ct_nrm_edge_find(const char *action, enum ct_nrm_stage from)
{
    assert_edges_ok();
    for (size_t i = 0; action && i < ct_nrm_nedges; i++)
        if (ct_nrm_edges[i].from == from && strcmp(ct_nrm_edges[i].action, action) == 0)
            return &ct_nrm_edges[i];
    return NULL;
}

int ct_nrm_action_known(const char *action)
{
    for (size_t i = 0; action && i < ct_nrm_nedges; i++)
        if (strcmp(ct_nrm_edges[i].action, action) == 0)
            return 1;
    return 0;
}

/* ---- gates ----------------------------------------------------------------------- */

/* The gates of `gates` that the person does not meet now. */
static int unmet_gates(ct_store *s, nrm_person *np, unsigned gates, ct_arena *a, unsigned *unmet,
                       ct_err *err)
{
    *unmet = 0;
    if (gates & CT_NRM_GATE_SCREENING) {
        ct_nrm_list l;
        int r = ct_store_nrm_list(s, CT_NRM_REC_SCREENING, np->subj.person_id, NULL, a, &l, err);
        if (r)
            return r;
        if (!l.n)
            *unmet |= CT_NRM_GATE_SCREENING;
    }
    /* a child, or a person who may be one (age unknown is not presumed a
     * child: age_uncertain is how a caseworker says there are reasons) */
    if ((gates & CT_NRM_GATE_CHILD) && np->child == 1) {
        int guardian, best;
        int r = nrm_child_measures(s, np->subj.person_id, a, &guardian, &best, err);
        if (r)
            return r;
        if (!guardian)
            *unmet |= gates & CT_NRM_GATE_CHILD_GUARDIAN;
        if (!best)
            *unmet |= gates & CT_NRM_GATE_CHILD_BEST_INTERESTS;
    }
    return 0;
}

static int refuse_gates(unsigned unmet, const char *action, ct_err *err)
{
    if (unmet & CT_NRM_GATE_SCREENING)
        return ct_err_set(err, CT_ECONFLICT,
                          _("'%s' needs a screening: record the indicators first"), action);
    if ((unmet & CT_NRM_GATE_CHILD) == CT_NRM_GATE_CHILD)
        return ct_err_set(err, CT_ECONFLICT,
                          _("'%s' is not possible for a child before a guardian is appointed "
                            "and a best-interests assessment is recorded"),
                          action);
    if (unmet & CT_NRM_GATE_CHILD_GUARDIAN)
        return ct_err_set(err, CT_ECONFLICT,
                          _("'%s' is not possible for a child before a guardian is appointed"),
                          action);
    return ct_err_set(err, CT_ECONFLICT,
                      _("'%s' is not possible for a child before a best-interests assessment "
                        "is recorded"),
                      action);
}

/* ---- acting ------------------------------------------------------------------------ */

/* The actions the table allows from a stage, comma-separated in out. */
static void actions_from(enum ct_nrm_stage st, char *out, size_t n)
{
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < ct_nrm_nedges && len < n; i++) {
        if (ct_nrm_edges[i].from != st || strstr(out, ct_nrm_edges[i].action))
            continue;
        len +=
            (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", ct_nrm_edges[i].action);
    }
}

static int refuse_edge(const char *action, int stage, ct_err *err)
{
    char allowed[256];
    actions_from((enum ct_nrm_stage)stage, allowed, sizeof(allowed));
    if (!allowed[0])
        return ct_err_set_field(err, CT_ECONFLICT, "action",
                                _("'%s' is not possible: the person's path is at stage '%s', "
                                  "which is final"),
                                action, ct_nrm_stage_code(stage));
    return ct_err_set_field(err, CT_ECONFLICT, "action",
                            _("'%s' is not possible at stage '%s'; possible actions: %s"), action,
                            ct_nrm_stage_code(stage), allowed);
}

static int act_tx(ct_store *s, void *arg, ct_err *err)
{
    ct_nrm_edge_ctx *x = arg;
    const ct_nrm_edge *e = x->edge;
    ct_nrm_transition t = {0};
    snprintf(t.m.person_id, sizeof(t.m.person_id), "%s", x->np->subj.person_id);
    t.action = e->action;
    t.from_stage = ct_nrm_stage_code(e->from);
    t.to_stage = ct_nrm_stage_code(e->to);
    t.date = x->date_text;
    t.reason = x->a->reason;
    int r = ct_store_nrm_add(s, CT_NRM_REC_TRANSITION, &t.m, err);
    if (!r)
        r = e->perform(x, err);
    if (!r)
        r = ct_store_nrm_stage_set(s, x->np->subj.person_id, t.to_stage, err);
    if (r)
        return r;
    memcpy(x->transition_id, t.m.id, sizeof(t.m.id));
    json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "action", e->action, "from", t.from_stage,
                          "to", t.to_stage, "date", x->date_text, "transition", t.m.id);
    if (d && e->perform == start_reflection_period)
        json_object_set_new(d, "reflection_end", json_string(x->rrp_end));
    return nrm_audit(s, "nrm.transition", "person", x->np->subj.person_id, "nrm_stage",
                     x->a->reason, d, err);
}

/* Checks everything that does not need the store. */
static int check_action(const ct_nrm_action *a, ct_date today, ct_nrm_edge_ctx *x, ct_err *err)
{
    if (!a->action || !*a->action)
        return ct_err_set_field(err, CT_EINVAL, "action", "%s", _("action is required"));
    if (!ct_nrm_action_known(a->action))
        return ct_err_set_field(err, CT_EINVAL, "action", _("unknown action '%.64s'"), a->action);
    int r = nrm_check_text(a->reason, CT_NRM_REASON_MAX, 1, "reason", err);
    if (!r)
        r = nrm_check_date(a->date, today, "date", x->date_text, &x->date, err);
    if (!r && a->reflection_days &&
        (a->reflection_days < CT_NRM_REFLECTION_MIN_DAYS || a->reflection_days > 3660))
        r = ct_err_set_field(err, CT_EINVAL, "reflection_days",
                             _("a recovery and reflection period lasts at least %d days"),
                             CT_NRM_REFLECTION_MIN_DAYS);
    return r;
}

int ct_nrm_act(ct_store *s, const ct_nrm_action *a, enum ct_nrm_stage *out, ct_err *err)
{
    ct_date today = nrm_today(a->today);
    ct_nrm_edge_ctx x = {.s = s, .a = a};
    int r = check_action(a, today, &x, err);
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    nrm_person np;
    x.np = &np;
    r = nrm_person_load(s, a->person_id, today, &arena, &np, err);
    if (!r)
        r = nrm_require_victim(&np.subj, err);
    int stage = r ? -1 : ct_nrm_stage_parse(np.subj.stage);
    if (!r && stage < 0)
        r = ct_err_set(err, CT_EINTERNAL, "%s", _("the person's stored stage is unknown"));
    if (!r && !(x.edge = ct_nrm_edge_find(a->action, (enum ct_nrm_stage)stage)))
        r = refuse_edge(a->action, stage, err);
    unsigned unmet = 0;
    if (!r)
        r = unmet_gates(s, &np, x.edge->gates, &arena, &unmet, err);
    if (!r && unmet)
        r = refuse_gates(unmet, a->action, err);
    if (!r && x.edge->perform == start_reflection_period)
        r = a->reflection_days
                ? (x.reflection_days = a->reflection_days, 0)
                : ct_nrm_reflection_days(s, np.subj.country, &x.reflection_days, err);
    if (!r)
        r = nrm_tx(s, act_tx, &x, err);
    if (!r && out)
        *out = x.edge->to;
    nrm_person_release(&np);
    ct_arena_release(&arena);
    return r;
}

int ct_nrm_history(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out, ct_err *err)
{
    return ct_store_nrm_list(s, CT_NRM_REC_TRANSITION, person_id, NULL, a, out, err);
}

/* ---- children ------------------------------------------------------------------------ */

typedef struct child_arg {
    ct_nrm_child_measure m;
} child_arg;

static int child_tx(ct_store *s, void *arg, ct_err *err)
{
    ct_nrm_child_measure *m = &((child_arg *)arg)->m;
    int r = ct_store_nrm_add(s, CT_NRM_REC_CHILD_MEASURE, &m->m, err);
    if (r)
        return r;
    json_t *d = json_pack("{s:s, s:s, s:s}", "kind", m->kind, "date", m->date, "record", m->m.id);
    return nrm_audit(s, "nrm.child_measure", "person", m->m.person_id, "child_measures", NULL, d,
                     err);
}

int ct_nrm_child_measure_record(ct_store *s, const char *person_id, enum ct_nrm_child_kind kind,
                                const char *date, const char *note, ct_err *err)
{
    char day[CT_DATE_TEXT_MAX];
    int r = nrm_check_date(date, ct_date_today(), "date", day, NULL, err);
    if (!r)
        r = nrm_check_text(note, CT_NRM_NOTE_MAX, 0, "note", err);
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    ct_nrm_subject subj;
    r = ct_store_nrm_subject(s, person_id, &arena, &subj, err);
    if (!r)
        r = nrm_require_victim(&subj, err);
    child_arg x = {{.kind = kind == CT_NRM_GUARDIAN ? "guardian" : "best_interests",
                    .date = day,
                    .note = note && *note ? note : NULL}};
    if (!r) {
        snprintf(x.m.m.person_id, sizeof(x.m.m.person_id), "%s", subj.person_id);
        r = nrm_tx(s, child_tx, &x, err);
    }
    ct_arena_release(&arena);
    return r;
}

int ct_nrm_child_measures(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out,
                          ct_err *err)
{
    return ct_store_nrm_list(s, CT_NRM_REC_CHILD_MEASURE, person_id, NULL, a, out, err);
}

/* ---- status ------------------------------------------------------------------------- */

static int collect_actions(ct_nrm_status *st, ct_arena *a)
{
    st->actions = ct_arena_alloc(a, (ct_nrm_nedges + 1) * sizeof(*st->actions));
    if (!st->actions)
        return CT_ENOMEM;
    for (size_t i = 0; st->stage >= 0 && i < ct_nrm_nedges; i++) {
        const ct_nrm_edge *e = &ct_nrm_edges[i];
        int seen = 0;
        for (size_t k = 0; k < st->nactions; k++)
            seen |= strcmp(st->actions[k], e->action) == 0;
        if (e->from == (enum ct_nrm_stage)st->stage && !seen)
            st->actions[st->nactions++] = e->action;
    }
    return 0;
}

static long days_left(const ct_nrm_subject *subj, ct_date today)
{
    ct_date end;
    if (!subj->rrp_end || ct_date_parse(subj->rrp_end, strlen(subj->rrp_end), &end) || !end.day)
        return -1;
    long left = ct_date_days(end) - ct_date_days(today) + 1;
    return left < 0 ? 0 : left;
}

int ct_nrm_status_get(ct_store *s, const char *person_id, ct_date today, ct_arena *a,
                      ct_nrm_status *out, ct_err *err)
{
    today = nrm_today(today);
    memset(out, 0, sizeof(*out));
    nrm_person np;
    int r = nrm_person_load(s, person_id, today, a, &np, err);
    if (r) {
        nrm_person_release(&np);
        return r;
    }
    out->subject = np.subj;
    out->stage = ct_nrm_stage_parse(np.subj.stage);
    out->child = np.child;
    ct_nrm_list screenings;
    r = nrm_child_measures(s, person_id, a, &out->guardian, &out->best_interests, err);
    if (!r)
        r = ct_store_nrm_list(s, CT_NRM_REC_SCREENING, person_id, NULL, a, &screenings, err);
    if (!r) {
        out->screenings = (int)screenings.n;
        out->child_referral = np.child == 1;
        out->reflection_days_left = days_left(&np.subj, today);
        if (collect_actions(out, a))
            r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    for (size_t i = 0; !r && out->stage >= 0 && i < ct_nrm_nedges; i++) {
        unsigned unmet;
        if (ct_nrm_edges[i].from != (enum ct_nrm_stage)out->stage)
            continue;
        r = unmet_gates(s, &np, ct_nrm_edges[i].gates, a, &unmet, err);
        out->missing_gates |= unmet;
    }
    nrm_person_release(&np);
    return r;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *tristate(int v)
{
    return v < 0 ? json_null() : json_boolean(v);
}

json_t *ct_nrm_status_to_json(const ct_nrm_status *st, const char *lang)
{
    const ct_nrm_subject *sj = &st->subject;
    const ct_code *label = ct_codes_lookup("nrm_stages", sj->stage);
    json_t *o = json_object();
    json_t *actions = json_array(), *missing = json_array();
    if (!o || !actions || !missing) {
        json_decref(o);
        json_decref(actions);
        json_decref(missing);
        return NULL;
    }
    for (size_t i = 0; i < st->nactions; i++)
        json_array_append_new(actions, json_string(st->actions[i]));
    if (st->missing_gates & CT_NRM_GATE_SCREENING)
        json_array_append_new(missing, json_string("screening"));
    if (st->missing_gates & CT_NRM_GATE_CHILD_GUARDIAN)
        json_array_append_new(missing, json_string("guardian"));
    if (st->missing_gates & CT_NRM_GATE_CHILD_BEST_INTERESTS)
        json_array_append_new(missing, json_string("best_interests"));
    json_object_set_new(o, "person_id", json_string(sj->person_id));
    json_object_set_new(o, "case_id", json_string(sj->case_id));
    json_object_set_new(o, "stage", str_or_null(sj->stage));
    json_object_set_new(o, "stage_label",
                        label ? json_string(ct_code_label(label, lang)) : json_null());
    json_object_set_new(o, "child", tristate(st->child));
    json_object_set_new(o, "child_protection",
                        json_pack("{s:b, s:b, s:b}", "referral_flag", st->child_referral,
                                  "guardian", st->guardian > 0, "best_interests",
                                  st->best_interests > 0));
    json_object_set_new(o, "screenings", json_integer(st->screenings));
    json_object_set_new(o, "cooperation", json_string(sj->cooperation));
    json_object_set_new(o, "reflection_period",
                        sj->rrp_start ? json_pack("{s:s, s:s?, s:i, s:I}", "start", sj->rrp_start,
                                                  "end", sj->rrp_end, "days", sj->rrp_days,
                                                  "days_left", (json_int_t)st->reflection_days_left)
                                      : json_null());
    json_object_set_new(o, "non_punishment",
                        json_pack("{s:b, s:s?, s:s?, s:s?, s:s?, s:s?}", "flag", sj->non_punishment,
                                  "offence", sj->np_offence, "reason", sj->np_reason, "at",
                                  sj->np_at, "by", sj->np_actor, "agency", sj->np_agency));
    json_object_set_new(o, "allowed_actions", actions);
    json_object_set_new(o, "missing", missing);
    return o;
}
