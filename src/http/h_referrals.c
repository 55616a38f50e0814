/*
 * h_referrals.c - referrals to services (src/nrm/services.c): opened on a
 * person from the presumed-victim stage on (POST /persons/{id}/referrals),
 * listed per person, read and moved through their statuses (offered ->
 * accepted | declined, accepted -> provided | declined | ended, provided ->
 * ended) by id. A service is delivered through its referral: "provided"
 * with its date; ?status=provided lists the services a person received.
 *
 * A referral to another agency registered in ctip (the provider):
 *  - needs the person's consent to be referred to that agency (purpose
 *    "referral", docs/nrm.md §7; CoE Convention art. 11), else 409;
 *  - notifies that agency's users (src/notify, kind "nrm.referral"), and
 *    the provider's users may then read that referral and move it (accept,
 *    decline, provide, end) without reaching the rest of the person's file;
 *  - each move by one side notifies the other ("nrm.referral.status").
 * Assistance never depends on cooperation with the authorities: nothing
 * here reads it (CoE Convention art. 12(6)).
 */
#include "http_int.h"

#include "core/codes.h"
#include "core/i18n.h"
#include "nrm/nrm.h"

#include <stdio.h>
#include <string.h>

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

/* ---- per person ---------------------------------------------------------------------- */

CT_HANDLER(h_referrals_list)
{
    static const char *const allowed[] = {"status", "service", NULL};
    const char *pid = ct_req_param(r, 0), *status, *service;
    ct_nrm_reach reach;
    ct_nrm_list l;
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = ct_req_query_code(r, "status", "referral_statuses", &status, err);
    if (!rc)
        rc = ct_req_query_code(r, "service", "services", &service, err);
    if (!rc)
        rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 0, &reach, err);
    if (!rc)
        rc = ct_nrm_referrals(r->store, pid, &r->arena, &l, err);
    if (rc)
        return rc;
    /* the filters keep the matching referrals, in order */
    ct_nrm_referral *items = l.items;
    size_t n = 0;
    for (size_t i = 0; i < l.n; i++)
        if ((!status || strcmp(items[i].status, status) == 0) &&
            (!service || strcmp(items[i].service, service) == 0))
            items[n++] = items[i];
    l.n = n;
    json_t *a = ct_req_keep(r, ct_nrm_list_to_json(CT_NRM_REC_REFERRAL, &l));
    if (!a)
        return oom(err);
    if ((rc = ct_http_nrm_audit_read(r, pid, "nrm.referrals", err)))
        return rc;
    return ct_req_reply_json(r, 200, json_pack("{s:s, s:O}", "person_id", pid, "referrals", a));
}

/* A provider that is an agency of ctip: its name in ag (1), or 0 for an
 * organisation outside ctip (free text). */
static int provider_agency(ct_req *r, const char *provider, ct_agency *ag, ct_err *err)
{
    if (!provider || !*provider)
        return 0;
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_agency_get(r->store, provider, ag, &e2);
    if (rc == CT_ENOTFOUND)
        return 0;
    return rc ? ct_err_set(err, rc, "%s", e2.msg) : 1;
}

static int open_in_tx(ct_req *r, ct_nrm_referral_input *in, char id[CT_UUID_TEXT], ct_err *err)
{
    ct_nrm_reach reach;
    ct_agency ag;
    int rc = ct_http_nrm_reach(r, in->person_id, CT_DC_ASSISTANCE, 1, &reach, err);
    int agency = rc ? 0 : provider_agency(r, in->provider, &ag, err);
    if (agency < 0)
        return agency;
    if (rc)
        return rc;
    int other = agency && strcmp(ag.name, r->user.agency) != 0;
    if (agency)
        in->provider = ct_arena_strdup(&r->arena, ag.name); /* names, not ids, are stored */
    if (agency && !in->provider)
        return oom(err);
    if (other) {
        ct_nrm_consent_query q = {"referral", ag.name, NULL};
        int allowed = ct_nrm_consent_allows(r->store, in->person_id, &q, err);
        if (allowed < 0)
            return allowed;
        if (!allowed)
            return ct_err_set_field(err, CT_ECONFLICT, "provider", "%s",
                                    _("record the person's consent to be referred to this agency "
                                      "first (consent purpose 'referral')"));
    }
    rc = ct_nrm_referral_open(r->store, in, id, err);
    if (!rc && other) {
        const char *params[] = {"agency", r->user.agency, "service", in->service, NULL};
        rc = ct_http_nrm_notify(r, ag.name, "nrm.referral", "referral", id, params, err);
    }
    return rc;
}

/* The referral id as JSON, kept by the request; *version its version. */
static json_t *referral_json(ct_req *r, const char *id, ct_nrm_referral *rec, ct_err *err)
{
    int rc = ct_nrm_record_get(r->store, CT_NRM_REC_REFERRAL, id, &r->arena, &rec->m, err);
    if (rc)
        return NULL;
    json_t *v = ct_req_keep(r, ct_nrm_record_to_json(CT_NRM_REC_REFERRAL, &rec->m));
    if (!v)
        oom(err);
    return v;
}

static int reply_referral(ct_req *r, int status, const char *id, ct_err *err)
{
    ct_nrm_referral rec;
    json_t *v = referral_json(r, id, &rec, err);
    if (!v)
        return err->code ? err->code : oom(err);
    ct_req_set_etag(r, rec.m.version);
    return ct_req_reply_json(r, status, json_incref(v));
}

CT_HANDLER(h_referrals_create)
{
    ct_nrm_referral_input in;
    char id[CT_UUID_TEXT];
    int rc = ct_nrm_referral_from_json(r->json, &in, err);
    in.person_id = ct_req_param(r, 0);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = open_in_tx(r, &in, id, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    if (rc)
        return rc;
    char loc[80];
    snprintf(loc, sizeof(loc), "/api/v1/referrals/%s", id);
    ct_req_set_header(r, "Location", loc);
    return reply_referral(r, 201, id, err);
}

/* ---- by id --------------------------------------------------------------------------------- */

/* The referral the caller may see (and, with write, move): its provider
 * agency's users, or those who reach the person's assistance data. Others
 * get 404 as for an id that does not exist. */
static int referral_reach(ct_req *r, const char *id, int write, ct_nrm_referral *rec, ct_err *err)
{
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_nrm_record_get(r->store, CT_NRM_REC_REFERRAL, id, &r->arena, &rec->m, &e2);
    if (rc == CT_ENOTFOUND)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such referral"));
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    if (rec->provider && strcmp(rec->provider, r->user.agency) == 0)
        return 0;
    ct_nrm_reach reach;
    rc = ct_http_nrm_reach(r, rec->m.person_id, CT_DC_ASSISTANCE, write, &reach, err);
    if (rc == CT_ENOTFOUND) {
        ct_err_clear(err);
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such referral"));
    }
    return rc;
}

CT_HANDLER(h_referrals_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *id = ct_req_param(r, 0);
    ct_nrm_referral rec;
    int rc = referral_reach(r, id, 0, &rec, err);
    json_t *v = rc ? NULL : ct_req_keep(r, ct_nrm_record_to_json(CT_NRM_REC_REFERRAL, &rec.m));
    if (!rc && !v)
        rc = oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, rec.m.person_id, "nrm.referral", err);
    if (rc)
        return rc;
    ct_req_set_etag(r, rec.m.version);
    return ct_req_reply_json(r, 200, json_incref(v));
}

/* The other side of a referral hears of each move: its provider when the
 * referring agency moves it, the referring agency when the provider does. */
static int notify_move(ct_req *r, const ct_nrm_referral *rec, const char *status, ct_err *err)
{
    const char *to =
        rec->m.agency && strcmp(rec->m.agency, r->user.agency) != 0 ? rec->m.agency : rec->provider;
    const char *params[] = {"agency", r->user.agency, "service", rec->service,
                            "status", status,         NULL};
    return ct_http_nrm_notify(r, to, "nrm.referral.status", "referral", rec->m.id, params, err);
}

static int move_in_tx(ct_req *r, const char *id, const ct_nrm_small_input *in, ct_err *err)
{
    ct_nrm_referral rec;
    int want = ct_req_if_match(r);
    int rc = referral_reach(r, id, 1, &rec, err);
    if (!rc && rec.m.version != want) {
        json_decref(r->current);
        r->current = ct_nrm_record_to_json(CT_NRM_REC_REFERRAL, &rec.m);
        ct_req_set_etag(r, rec.m.version);
        return ct_err_set(err, CT_ESTALE,
                          _("the record changed since you read it (version %d, now %d)"), want,
                          rec.m.version);
    }
    if (!rc)
        rc = ct_nrm_referral_move(r->store, id, in->status, in->date, in->reason, want, err);
    if (!rc)
        rc = notify_move(r, &rec, in->status, err);
    return rc;
}

CT_HANDLER(h_referrals_move)
{
    const char *id = ct_req_param(r, 0);
    ct_nrm_small_input in;
    int rc = ct_nrm_small_from_json(r->json, CT_NRM_IN_REFERRAL_MOVE, &in, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = move_in_tx(r, id, &in, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    return rc ? rc : reply_referral(r, 200, id, err);
}
