/*
 * nrm.c - the National Referral Mechanism records of a demo victim: the
 * workflow actions that led to the stage the generator picked, the child
 * safeguards the workflow requires, and referrals to services with the
 * statuses they reached (tables p_referral, p_referral_child and
 * referral_status of data/demo/shares.tsv).
 *
 * It draws from its own random stream (d->nrmr), so adding or tuning these
 * records never changes the cases, names and duplicates of a seed, which
 * the linkage and registry tests and benchmarks depend on.
 */
#include "demo_int.h"

#include "core/assess.h"
#include "core/i18n.h"
#include "store/store_nrm.h"

#include <stdio.h>
#include <string.h>

/* The actions from "reported" to each stage (the workflow's edges). */
static const struct {
    const char *stage;
    const char *actions[5];
} paths[] = {
    {"screened", {"screen"}},
    {"presumed_victim", {"screen", "reasonable_grounds"}},
    {"identified", {"screen", "reasonable_grounds", "identify"}},
    {"not_a_victim", {"screen", "screen_out"}},
    {"returned", {"screen", "reasonable_grounds", "identify", "return"}},
    {"reintegrated", {"screen", "reasonable_grounds", "identify", "reintegrate"}},
    {"closed", {"screen", "reasonable_grounds", "identify", "close"}},
};

/* Stage each action leads to, in path order. */
static const char *stage_after(const char *action)
{
    static const char *const map[][2] = {
        {"screen", "screened"},     {"reasonable_grounds", "presumed_victim"},
        {"identify", "identified"}, {"screen_out", "not_a_victim"},
        {"return", "returned"},     {"reintegrate", "reintegrated"},
        {"close", "closed"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], action) == 0)
            return map[i][1];
    return NULL;
}

typedef struct walk {
    ct_store *s;
    ct_demo *d;
    long day; /* days since the epoch of the next record */
    char date[CT_DATE_TEXT_MAX];
} walk;

/* Advances the walk by 1..max days, never past today; 0 when it would. */
static int step(walk *w, int max)
{
    long next = w->day + dm_rng_range(&w->d->nrmr, 1, max);
    if (next > w->d->today_days)
        return 0;
    w->day = next;
    ct_date_format(ct_date_from_days(next), w->date);
    return 1;
}

static int add_transitions(walk *w, const ct_person *p, ct_err *err)
{
    const char *from = "reported";
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        if (strcmp(paths[i].stage, p->nrm_stage) != 0)
            continue;
        for (const char *const *a = paths[i].actions; *a; a++) {
            step(w, 20);
            ct_nrm_transition t = {.action = *a,
                                   .from_stage = from,
                                   .to_stage = stage_after(*a),
                                   .date = w->date,
                                   .reason = "demo data"};
            snprintf(t.m.person_id, sizeof(t.m.person_id), "%s", p->id);
            int rc = ct_store_nrm_add(w->s, CT_NRM_REC_TRANSITION, &t.m, err);
            if (rc)
                return rc;
            from = t.to_stage;
        }
    }
    return 0;
}

static int past_presumption(const char *stage)
{
    static const char *const later[] = {"presumed_victim", "identified", "returned", "reintegrated",
                                        "closed"};
    for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
        if (strcmp(stage, later[i]) == 0)
            return 1;
    return 0;
}

/* A guardian and a best-interests assessment: the workflow requires both
 * before a child's return, reintegration or closure. */
static int add_child_measures(walk *w, const ct_person *p, ct_err *err)
{
    static const char *const kinds[] = {"guardian", "best_interests"};
    for (size_t i = 0; i < 2; i++) {
        step(w, 10);
        ct_nrm_child_measure m = {.kind = kinds[i], .date = w->date};
        snprintf(m.m.person_id, sizeof(m.m.person_id), "%s", p->id);
        int rc = ct_store_nrm_add(w->s, CT_NRM_REC_CHILD_MEASURE, &m.m, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* One referral, walked to a status drawn from referral_status (a status
 * whose date would fall after today stops the walk earlier). */
static int add_referral(walk *w, const ct_person *p, const char *service, const char *provider,
                        ct_err *err)
{
    ct_demo *d = w->d;
    const dm_table *t = d->t.referral_status;
    const char *target = t->key[dm_pick(&d->nrmr, t)];
    char on[5][CT_DATE_TEXT_MAX] = {{0}};
    walk r = *w;
    step(&r, 30);
    snprintf(on[0], sizeof(on[0]), "%s", r.date);
    const char *status = "offered";
    const char *path[4] = {"accepted", "provided", "ended"};
    if (strcmp(target, "declined") == 0)
        path[0] = "declined", path[1] = NULL;
    for (int k = 0; path[k] && strcmp(status, target) != 0 && step(&r, 30); k++) {
        status = path[k];
        int slot = strcmp(status, "accepted") == 0   ? 1
                   : strcmp(status, "declined") == 0 ? 2
                   : strcmp(status, "provided") == 0 ? 3
                                                     : 4;
        snprintf(on[slot], sizeof(on[slot]), "%s", r.date);
    }
    ct_nrm_referral ref = {.service = service,
                           .provider = provider,
                           .status = status,
                           .offered_on = on[0],
                           .accepted_on = on[1][0] ? on[1] : NULL,
                           .declined_on = on[2][0] ? on[2] : NULL,
                           .provided_on = on[3][0] ? on[3] : NULL,
                           .ended_on = on[4][0] ? on[4] : NULL};
    snprintf(ref.m.person_id, sizeof(ref.m.person_id), "%s", p->id);
    return ct_store_nrm_add(w->s, CT_NRM_REC_REFERRAL, &ref.m, err);
}

static int add_referrals(walk *w, const ct_case *c, const ct_person *p, int child, ct_err *err)
{
    const dm_table *t = child ? w->d->t.p_referral_child : w->d->t.p_referral;
    int rc = 0;
    for (size_t i = 0; !rc && i < t->n; i++)
        if (dm_rng_chance(&w->d->nrmr, t->w[i])) {
            rc = add_referral(w, p, t->key[i], c->agency, err);
            w->d->st.referrals++;
        }
    return rc;
}

int dm_nrm_records(ct_store *s, ct_demo *d, const ct_case *c, ct_err *err)
{
    if (!ct_date_is_set(c->date_identification))
        return 0;
    for (size_t i = 0; i < c->npersons; i++) {
        const ct_person *p = &c->persons[i];
        if (strcmp(p->role, "victim") != 0 || !p->nrm_stage)
            continue;
        walk w = {s, d, ct_date_days(ct_date_first_day(c->date_identification)), {0}};
        int child = ct_person_is_child(c, p, ct_date_from_days(d->today_days)) == 1;
        int rc = add_transitions(&w, p, err);
        w.day = ct_date_days(ct_date_first_day(c->date_identification));
        if (!rc && child && past_presumption(p->nrm_stage))
            rc = add_child_measures(&w, p, err);
        if (!rc && past_presumption(p->nrm_stage))
            rc = add_referrals(&w, c, p, child, err);
        if (rc)
            return rc;
    }
    return 0;
}
