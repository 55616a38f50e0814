/*
 * h_notes.c - /api/v1/persons/{id}/notes: counselling and case notes,
 * free text that stays with the agency that wrote them (the assisting
 * agency): whatever the consent, another agency never reads them, and
 * roles outside assistance (investigators, prosecutors, coordinators,
 * analysts) never do (src/access table 3, class counselling 'A';
 * src/nrm/consent.c keeps them per agency). The audit trail names a
 * note, never its text.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "nrm/nrm.h"

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

CT_HANDLER(h_notes_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_nrm_reach reach;
    ct_nrm_list l;
    int rc = ct_http_nrm_reach(r, pid, CT_DC_COUNSELLING, 0, &reach, err);
    if (!rc)
        rc = ct_nrm_notes(r->store, pid, r->user.agency, &r->arena, &l, err);
    json_t *a = rc ? NULL : ct_req_keep(r, ct_nrm_list_to_json(CT_NRM_REC_NOTE, &l));
    if (!rc && !a)
        rc = oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, pid, "nrm.notes", err);
    if (rc)
        return rc;
    return ct_req_reply_json(r, 200, json_pack("{s:s, s:O}", "person_id", pid, "notes", a));
}

CT_HANDLER(h_notes_create)
{
    const char *pid = ct_req_param(r, 0);
    ct_nrm_small_input in;
    ct_nrm_reach reach;
    char id[CT_UUID_TEXT];
    int rc = ct_nrm_small_from_json(r->json, CT_NRM_IN_NOTE, &in, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_http_nrm_reach(r, pid, CT_DC_COUNSELLING, 1, &reach, err);
    if (!rc)
        rc = ct_nrm_note_add(r->store, pid, in.text, id, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    if (rc)
        return rc;
    ct_nrm_note rec;
    rc = ct_nrm_record_get(r->store, CT_NRM_REC_NOTE, id, &r->arena, &rec.m, err);
    json_t *v = rc ? NULL : ct_nrm_record_to_json(CT_NRM_REC_NOTE, &rec.m);
    if (!rc && !v)
        rc = oom(err);
    return rc ? rc : ct_req_reply_json(r, 201, v);
}
