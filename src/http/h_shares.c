/*
 * h_shares.c - /api/v1/cases/{id}/shares: the agency that owns a case
 * shares it with another agency (who, when, why), which then sees it
 * (read-only) under the "shared" column of the field rules; unsharing
 * takes that back. Both are workflow actions: a reason is required, they
 * are audited, and the other agency's users are notified.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>

static int share_json(const ct_share *sh, void *arg)
{
    json_t *a = arg;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "agency", sh->agency, "shared_by", sh->shared_by,
                          "shared_at", sh->shared_at, "reason", sh->reason);
    return o && !json_array_append_new(a, o) ? 0 : CT_ENOMEM;
}

CT_HANDLER(h_shares_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    ct_case c;
    ct_case_init(&c);
    enum ct_relation rel;
    int rc = ct_view_load_case(r, ct_req_param(r, 0), &c, &rel, err);
    json_t *a = json_array();
    if (!rc && !a)
        rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (!rc && (rc = ct_store_share_each(r->store, c.id, share_json, a, err)) == CT_ENOMEM)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_case_release(&c);
    if (rc) {
        json_decref(a);
        return rc;
    }
    return ct_req_reply_json(r, 200, json_pack("{s:o}", "shares", a));
}

/* The owner agency only; the target agency must exist and differ. */
static int check_share(ct_req *r, const char *id, const char *agency, ct_agency *target,
                       ct_err *err)
{
    ct_case c;
    ct_case_init(&c);
    enum ct_relation rel;
    int rc = ct_view_load_case(r, id, &c, &rel, err);
    ct_case_release(&c);
    if (rc)
        return rc;
    if (rel != CT_REL_OWN)
        return ct_err_set(err, CT_EPERM, "%s", _("only the agency that owns a case may share it"));
    ct_err e2 = CT_ERR_INIT;
    if (ct_store_agency_get(r->store, agency, target, &e2))
        return ct_err_set_field(err, e2.code == CT_ENOTFOUND ? CT_EINVAL : e2.code, "agency", "%s",
                                e2.msg);
    if (strcmp(target->name, r->user.agency) == 0)
        return ct_err_set_field(err, CT_EINVAL, "agency", "%s",
                                _("a case cannot be shared with the agency that owns it"));
    return 0;
}

static int notify(ct_req *r, const char *kind, const char *agency, const char *id,
                  const char *reason, ct_err *err)
{
    const char *params[] = {"agency", r->user.agency, "reason", reason ? reason : "", NULL};
    ct_notify_msg m = {kind, "case", id, params};
    int sent;
    return ct_notify_agency(r->store, agency, NULL, NULL, &m, &sent, err);
}

static int audit_share(ct_req *r, const char *action, const char *id, const char *agency,
                       ct_err *err)
{
    json_t *d = json_pack("{s:s}", "agency", agency);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    int rc = detail ? ct_req_audit(r, action, "case", id, "shares", detail, err)
                    : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    free(detail);
    return rc;
}

CT_HANDLER(h_shares_create)
{
    static const ct_body_field spec[] = {
        {"agency", CT_BODY_STRING, 1, 200},
        {"reason", CT_BODY_STRING, 1, 500},
    };
    const json_t *v[2];
    int rc = ct_req_body_fields(r, spec, 2, v, err);
    if (rc)
        return rc;
    const char *id = ct_req_param(r, 0), *reason = json_string_value(v[1]);
    ct_agency target;
    rc = ct_req_begin(r, err);
    if (!rc)
        rc = check_share(r, id, json_string_value(v[0]), &target, err);
    if (!rc)
        rc = ct_store_share_add(r->store, id, target.name, r->user.name, reason, err);
    if (!rc)
        rc = audit_share(r, "case.share", id, target.name, err);
    if (!rc)
        rc = notify(r, "case.shared", target.name, id, reason, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    if (rc)
        return rc;
    json_t *body =
        json_pack("{s:s, s:s, s:s}", "case", id, "agency", target.name, "reason", reason);
    return ct_req_reply_json(r, 201, body);
}

CT_HANDLER(h_shares_delete)
{
    const char *id = ct_req_param(r, 0);
    ct_agency target;
    int rc = ct_req_begin(r, err);
    if (!rc)
        rc = check_share(r, id, ct_req_param(r, 1), &target, err);
    if (!rc)
        rc = ct_store_share_delete(r->store, id, target.name, err);
    if (!rc)
        rc = audit_share(r, "case.unshare", id, target.name, err);
    if (!rc)
        rc = notify(r, "case.unshared", target.name, id, NULL, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    return rc ? rc : ct_req_reply_empty(r, 204);
}
