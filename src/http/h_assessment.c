/*
 * h_assessment.c - /api/v1/cases/{id}/assessment: the legal definition
 * (Protocol art. 3) applied to each victim of a case (src/core/assess.h),
 * in the output format of `ctip assess` (contracts.md). It reveals whether
 * a victim is a child, so reading it is audited like reading the case.
 */
#include "http_int.h"

#include "core/assess.h"
#include "core/i18n.h"

CT_HANDLER(h_assessment_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    ct_case c;
    ct_case_init(&c);
    enum ct_relation rel;
    ct_assessment a = {0};
    json_t *v = NULL;
    int rc = ct_view_load_case(r, ct_req_param(r, 0), &c, &rel, err);
    if (!rc && ct_case_assess_protocol(&c, ct_req_today(), &a))
        rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (!rc && !(v = ct_assessment_to_json(&c, &a)))
        rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    const char *fields = "assessment";
    if (!rc)
        rc = ct_http_audit_reads(r, "case.assess", "case", (const char *const *)&c.id, &fields, 1,
                                 err);
    if (!rc) {
        json_object_set_new(v, "case", json_string(c.id));
        ct_req_set_etag(r, c.version);
        rc = ct_req_reply_json(r, 200, v);
        v = NULL;
    }
    json_decref(v);
    ct_assessment_release(&a);
    ct_case_release(&c);
    return rc;
}
