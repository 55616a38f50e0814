/*
 * h_screenings.c - /api/v1/persons/{id}/screenings: the indicators found
 * when screening a person (checklists of /api/v1/checklists), scored
 * dimension by dimension and shown beside the Protocol art. 3 assessment
 * of that person (src/nrm/screening.c). Indicators support the decision;
 * the report says so.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "nrm/nrm.h"

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

CT_HANDLER(h_screenings_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_nrm_reach reach;
    ct_nrm_list l;
    int rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 0, &reach, err);
    if (!rc)
        rc = ct_nrm_screenings(r->store, pid, &r->arena, &l, err);
    json_t *a = rc ? NULL : ct_req_keep(r, ct_nrm_list_to_json(CT_NRM_REC_SCREENING, &l));
    if (!rc && !a)
        rc = oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, pid, "nrm.screenings", err);
    if (rc)
        return rc;
    return ct_req_reply_json(r, 200, json_pack("{s:s, s:O}", "person_id", pid, "screenings", a));
}

/* The latest screening beside the art. 3 assessment, kept by the request. */
static json_t *report(ct_req *r, const char *pid, ct_err *err)
{
    ct_date today = {0};
    return ct_req_keep(r, ct_nrm_screening_report(r->store, pid, today, r->lang, err));
}

CT_HANDLER(h_screenings_report)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_nrm_reach reach;
    int rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 0, &reach, err);
    json_t *v = rc ? NULL : report(r, pid, err);
    if (!rc && !v)
        rc = err->code ? err->code : oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, pid, "nrm.screening", err);
    return rc ? rc : ct_req_reply_json(r, 200, json_incref(v));
}

CT_HANDLER(h_screenings_create)
{
    const char *pid = ct_req_param(r, 0);
    ct_nrm_screening_input in;
    ct_nrm_reach reach;
    char id[CT_UUID_TEXT];
    int rc = ct_nrm_screening_from_json(r->json, &r->arena, &in, err);
    in.person_id = pid;
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 1, &reach, err);
    if (!rc)
        rc = ct_nrm_screening_record(r->store, &in, NULL, id, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    json_t *v = rc ? NULL : report(r, pid, err);
    if (!rc && !v)
        rc = err->code ? err->code : oom(err);
    if (rc)
        return rc;
    return ct_req_reply_json(r, 201, json_pack("{s:s, s:O}", "id", id, "report", v));
}
