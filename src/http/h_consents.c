/*
 * h_consents.c - consent records (src/nrm/consent.c): what the person
 * agreed to share (purpose), with whom (an agency or a role), when, and
 * when it was withdrawn. Consent is what lets investigators and
 * prosecutors see a person's assistance data ("assistance_data", src/access
 * table 3 'C'), and a referral go to another agency ("referral").
 * Withdrawal takes effect at once; the record stays, as history.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "nrm/nrm.h"

#include <stdio.h>
#include <string.h>

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

CT_HANDLER(h_consents_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_nrm_reach reach;
    ct_nrm_list l;
    int rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 0, &reach, err);
    if (!rc)
        rc = ct_nrm_consents(r->store, pid, &r->arena, &l, err);
    json_t *a = rc ? NULL : ct_req_keep(r, ct_nrm_list_to_json(CT_NRM_REC_CONSENT, &l));
    if (!rc && !a)
        rc = oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, pid, "nrm.consents", err);
    if (rc)
        return rc;
    return ct_req_reply_json(r, 200, json_pack("{s:s, s:O}", "person_id", pid, "consents", a));
}

static int reply_consent(ct_req *r, int status, const char *id, ct_err *err)
{
    ct_nrm_consent rec;
    int rc = ct_nrm_record_get(r->store, CT_NRM_REC_CONSENT, id, &r->arena, &rec.m, err);
    json_t *v = rc ? NULL : ct_nrm_record_to_json(CT_NRM_REC_CONSENT, &rec.m);
    if (!rc && !v)
        rc = oom(err);
    if (rc)
        return rc;
    ct_req_set_etag(r, rec.m.version);
    return ct_req_reply_json(r, status, v);
}

/* An agency recipient is stored by name (ct_nrm_consent_allows compares
 * names): an id given is replaced by its agency's name. */
static int recipient_name(ct_req *r, ct_nrm_consent_input *in, ct_err *err)
{
    if (!in->recipient_type || strcmp(in->recipient_type, "agency") != 0 || !in->recipient)
        return 0;
    ct_agency ag;
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_agency_get(r->store, in->recipient, &ag, &e2);
    if (rc == CT_ENOTFOUND)
        return ct_err_set_field(err, CT_EINVAL, "recipient", "%s", _("unknown agency"));
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    in->recipient = ct_arena_strdup(&r->arena, ag.name);
    return in->recipient ? 0 : oom(err);
}

CT_HANDLER(h_consents_create)
{
    ct_nrm_consent_input in;
    ct_nrm_reach reach;
    char id[CT_UUID_TEXT];
    int rc = ct_nrm_consent_from_json(r->json, &in, err);
    in.person_id = ct_req_param(r, 0);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_http_nrm_reach(r, in.person_id, CT_DC_ASSISTANCE, 1, &reach, err);
    if (!rc)
        rc = recipient_name(r, &in, err);
    if (!rc)
        rc = ct_nrm_consent_give(r->store, &in, id, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    return rc ? rc : reply_consent(r, 201, id, err);
}

static int withdraw_in_tx(ct_req *r, const char *id, const ct_nrm_small_input *in, ct_err *err)
{
    ct_nrm_consent rec;
    ct_nrm_reach reach;
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_nrm_record_get(r->store, CT_NRM_REC_CONSENT, id, &r->arena, &rec.m, &e2);
    if (rc == CT_ENOTFOUND)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such consent record"));
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    rc = ct_http_nrm_reach(r, rec.m.person_id, CT_DC_ASSISTANCE, 1, &reach, err);
    if (rc == CT_ENOTFOUND) {
        ct_err_clear(err);
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such consent record"));
    }
    return rc ? rc : ct_nrm_consent_withdraw(r->store, id, in->date, in->reason, err);
}

CT_HANDLER(h_consents_withdraw)
{
    const char *id = ct_req_param(r, 0);
    ct_nrm_small_input in;
    int rc = ct_nrm_small_from_json(r->json, CT_NRM_IN_WITHDRAWAL, &in, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = withdraw_in_tx(r, id, &in, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    return rc ? rc : reply_consent(r, 200, id, err);
}
