/*
 * h_child_measures.c - /api/v1/persons/{id}/child-measures: a guardian's
 * appointment and the best-interests assessment of a child (or of a person
 * presumed to be one, age_uncertain). Return, reintegration and closure of
 * a child's path need both (the gates of src/nrm/workflow.c; CoE
 * Convention arts. 10(4), 16(7)); the reply's status shows what is still
 * missing.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "nrm/nrm.h"

#include <string.h>

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

CT_HANDLER(h_child_measures_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_nrm_reach reach;
    ct_nrm_list l;
    int rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 0, &reach, err);
    if (!rc)
        rc = ct_nrm_child_measures(r->store, pid, &r->arena, &l, err);
    json_t *a = rc ? NULL : ct_req_keep(r, ct_nrm_list_to_json(CT_NRM_REC_CHILD_MEASURE, &l));
    if (!rc && !a)
        rc = oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, pid, "nrm.child_measures", err);
    if (rc)
        return rc;
    return ct_req_reply_json(r, 200,
                             json_pack("{s:s, s:O}", "person_id", pid, "child_measures", a));
}

CT_HANDLER(h_child_measures_create)
{
    const char *pid = ct_req_param(r, 0);
    ct_nrm_small_input in;
    ct_nrm_reach reach;
    int rc = ct_nrm_small_from_json(r->json, CT_NRM_IN_CHILD_MEASURE, &in, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 1, &reach, err);
    enum ct_nrm_child_kind kind =
        !rc && strcmp(in.kind, "guardian") == 0 ? CT_NRM_GUARDIAN : CT_NRM_BEST_INTERESTS;
    if (!rc)
        rc = ct_nrm_child_measure_record(r->store, pid, kind, in.date, in.note, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    if (rc)
        return rc;
    ct_nrm_list l;
    rc = ct_nrm_child_measures(r->store, pid, &r->arena, &l, err);
    if (!rc && !l.n)
        rc = ct_err_set(err, CT_EINTERNAL, "%s", _("the record is missing"));
    json_t *m =
        rc ? NULL
           : ct_req_keep(r, ct_nrm_record_to_json(CT_NRM_REC_CHILD_MEASURE,
                                                  &((ct_nrm_child_measure *)l.items)[l.n - 1].m));
    json_t *status = rc ? NULL : ct_req_keep(r, ct_http_nrm_status(r, pid, err));
    if (!rc && (!m || !status))
        rc = err->code ? err->code : oom(err);
    if (rc)
        return rc;
    return ct_req_reply_json(r, 201, json_pack("{s:O, s:O}", "measure", m, "status", status));
}
