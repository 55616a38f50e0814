/*
 * h_non_punishment.c - /api/v1/persons/{id}/non-punishment: the flag on a
 * person charged with an offence committed as a direct consequence of being
 * trafficked (CoE Convention art. 26; Directive 2011/36/EU art. 8), with
 * the offence and the reason, who set it and when. Victims and suspects
 * alike (a victim of forced criminality is often first recorded as a
 * suspect). Prosecutors see it whatever the consent to share assistance
 * data: it protects the person. Its offence and reason are free text
 * (src/access table 3), so the case must be reachable with free text.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "nrm/nrm.h"

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

static json_t *flag_json(ct_req *r, const char *pid, ct_err *err)
{
    ct_nrm_status st;
    ct_date today = {0};
    if (ct_nrm_status_get(r->store, pid, today, &r->arena, &st, err))
        return NULL;
    const ct_nrm_subject *sj = &st.subject;
    json_t *v =
        json_pack("{s:s, s:s?, s:b, s:s?, s:s?, s:s?, s:s?, s:s?}", "person_id", pid, "role",
                  sj->role, "flag", sj->non_punishment, "offence", sj->np_offence, "reason",
                  sj->np_reason, "at", sj->np_at, "by", sj->np_actor, "agency", sj->np_agency);
    if (!v)
        oom(err);
    return v;
}

CT_HANDLER(h_non_punishment_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_nrm_reach reach;
    int rc = ct_http_nrm_reach(r, pid, CT_PD_FREE_TEXT, 0, &reach, err);
    json_t *v = rc ? NULL : ct_req_keep(r, flag_json(r, pid, err));
    if (!rc && !v)
        rc = err->code ? err->code : oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, pid, "nrm.non_punishment", err);
    return rc ? rc : ct_req_reply_json(r, 200, json_incref(v));
}

CT_HANDLER(h_non_punishment_update)
{
    const char *pid = ct_req_param(r, 0);
    ct_nrm_small_input in;
    ct_nrm_reach reach;
    int rc = ct_nrm_small_from_json(r->json, CT_NRM_IN_NON_PUNISHMENT, &in, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_http_nrm_reach(r, pid, CT_PD_FREE_TEXT, 1, &reach, err);
    if (!rc)
        rc = ct_nrm_non_punishment_set(r->store, pid, in.flag, in.offence, in.reason, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    json_t *v = rc ? NULL : flag_json(r, pid, err);
    if (!rc && !v)
        rc = err->code ? err->code : oom(err);
    return rc ? rc : ct_req_reply_json(r, 200, v);
}
