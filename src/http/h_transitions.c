/*
 * h_transitions.c - /api/v1/persons/{id}/transitions: the person's path
 * through the National Referral Mechanism, one explicit action at a time
 * (src/nrm/workflow.c holds the transition table and the child gates).
 *
 * An action changes the person, so it carries the person's version
 * (If-Match, the ETag of GET /persons/{id} or /persons/{id}/nrm): a stale
 * one is 412 with the current status. An action the person's stage does not
 * allow, or a gate not met (a screening; for a child, a guardian and a
 * best-interests assessment), is 409 with the reason and, in "current", the
 * stage, the actions possible and what is missing.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "nrm/nrm.h"

#include <stdio.h>

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

CT_HANDLER(h_transitions_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_nrm_reach reach;
    ct_nrm_list l;
    int rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 0, &reach, err);
    if (!rc)
        rc = ct_nrm_history(r->store, pid, &r->arena, &l, err);
    json_t *a = rc ? NULL : ct_req_keep(r, ct_nrm_list_to_json(CT_NRM_REC_TRANSITION, &l));
    if (!rc && !a)
        rc = oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, pid, "nrm.transitions", err);
    if (rc)
        return rc;
    ct_req_set_etag(r, reach.version);
    return ct_req_reply_json(r, 200, json_pack("{s:s, s:O}", "person_id", pid, "transitions", a));
}

/* The refusal of a stale action: 412 with the current status. */
static int stale(ct_req *r, const char *pid, const ct_nrm_reach *reach, int want, ct_err *err)
{
    ct_err e2 = CT_ERR_INIT;
    json_decref(r->current);
    r->current = ct_http_nrm_status(r, pid, &e2);
    ct_req_set_etag(r, reach->version);
    return ct_err_set(err, CT_ESTALE,
                      _("the record changed since you read it (version %d, now %d)"), want,
                      reach->version);
}

static int act_in_tx(ct_req *r, const char *pid, ct_nrm_action *a, ct_err *err)
{
    ct_nrm_reach reach;
    int want = ct_req_if_match(r);
    int rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 1, &reach, err);
    if (!rc && reach.version != want)
        rc = stale(r, pid, &reach, want, err);
    if (!rc)
        rc = ct_nrm_act(r->store, a, NULL, err);
    if (rc == CT_ECONFLICT) {
        /* the stage, the actions possible and the gates missing */
        ct_err e2 = CT_ERR_INIT;
        json_decref(r->current);
        r->current = ct_http_nrm_status(r, pid, &e2);
    }
    return rc;
}

CT_HANDLER(h_transitions_create)
{
    const char *pid = ct_req_param(r, 0);
    ct_nrm_action a;
    int rc = ct_nrm_action_from_json(r->json, &a, err);
    a.person_id = pid;
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = act_in_tx(r, pid, &a, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    if (rc)
        return rc;
    /* the reply: the action as recorded and the person's new status */
    ct_nrm_reach reach;
    ct_nrm_list l;
    rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 0, &reach, err);
    if (!rc)
        rc = ct_nrm_history(r->store, pid, &r->arena, &l, err);
    if (!rc && !l.n)
        rc = ct_err_set(err, CT_EINTERNAL, "%s", _("the action is missing from the history"));
    json_t *status = rc ? NULL : ct_req_keep(r, ct_http_nrm_status(r, pid, err));
    if (!rc && !status)
        rc = err->code ? err->code : oom(err);
    json_t *t =
        rc ? NULL
           : ct_req_keep(r, ct_nrm_record_to_json(
                                CT_NRM_REC_TRANSITION,
                                (const ct_nrm_meta *)((ct_nrm_transition *)l.items + (l.n - 1))));
    if (!rc && !t)
        rc = oom(err);
    if (rc)
        return rc;
    ct_req_set_etag(r, reach.version);
    return ct_req_reply_json(r, 201, json_pack("{s:O, s:O}", "transition", t, "status", status));
}
