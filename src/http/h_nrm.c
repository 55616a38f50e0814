/*
 * h_nrm.c - a person's file in the National Referral Mechanism (src/nrm,
 * docs/nrm.md): who reaches it (ct_http_nrm_reach, which every NRM handler
 * uses), the person's status (GET /api/v1/persons/{id}/nrm), cooperation
 * with the authorities, and the recovery and reflection period's defaults.
 *
 * Who sees what, in this order:
 *  1. the route's permission (src/access table 1: nrm.read, nrm.write,
 *     nrm.note, nrm.non_punishment, nrm.settings);
 *  2. the person's case, reached as for any read (own, shared with the
 *     caller's agency, national scope); otherwise 404, as if absent;
 *  3. the data class of the records (src/access table 3): assistance data
 *     (stage history, screenings, referrals and services, consent, child
 *     measures, the period) reaches investigators and prosecutors only with
 *     the person's recorded consent ('C', looked up in src/nrm's consent
 *     records); counselling notes the assisting agency only ('A'); analysts
 *     nothing. A refusal here is 403 and says why.
 * Writes also need the case to be the caller's agency's or shared with it.
 * The library (src/nrm) checks the workflow's rules and audits each write
 * with its reason as the store's actor, which carries the request id.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "notify/notify.h"
#include "nrm/nrm.h"

#include <stdio.h>
#include <string.h>

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

static int refuse_class(ct_req *r, unsigned klass, enum ct_relation rel, ct_err *err)
{
    if (rel == CT_REL_OTHER)
        return ct_err_set(err, CT_EPERM, "%s",
                          _("the referral mechanism's records of another agency's case are not "
                            "shared with you"));
    if (klass == CT_DC_ASSISTANCE && ct_access_cell(r->role, klass, rel) == 'C')
        return ct_err_set(err, CT_EPERM, "%s",
                          _("the person has not consented to share assistance data with your "
                            "agency or role"));
    if (klass == CT_DC_COUNSELLING)
        return ct_err_set(err, CT_EPERM, "%s",
                          _("counselling notes are visible only to the agency that assists the "
                            "person"));
    return ct_err_set(err, CT_EPERM, "%s", _("your role may not see these records"));
}

/* The classes hidden from the caller for person p. Unlike case views,
 * which skip the lookup when no cell of the role needs consent, an NRM
 * record always asks the facts (src/cli/serve.c: consent records, and the
 * agencies that assist the person through a referral), so the 'A' cells
 * of a case shared with a provider are decided too. */
static unsigned nrm_hidden(ct_req *r, const ct_case *c, const ct_person *p, enum ct_relation rel)
{
    ct_access_facts facts = {0, rel == CT_REL_OWN};
    const ct_http_opts *o = &r->srv->opts;
    if (o->facts &&
        o->facts(o->facts_arg, r->store, c->id, p->id, r->user.agency, r->role, rel, &facts))
        memset(&facts, 0, sizeof(facts)); /* unknown facts grant nothing */
    return ct_access_hidden(r->role, rel, &facts);
}

int ct_http_nrm_reach(ct_req *r, const char *pid, unsigned klass, int write, ct_nrm_reach *out,
                      ct_err *err)
{
    ct_case c;
    ct_case_init(&c);
    size_t i = 0;
    int rc = ct_http_load_person(r, pid, &c, &out->rel, &i, err);
    if (!rc) {
        out->version = c.version;
        out->case_id = ct_arena_strdup(&r->arena, c.id);
        out->owner = ct_arena_strdup(&r->arena, c.agency ? c.agency : "");
        if (!out->case_id || !out->owner)
            rc = oom(err);
    }
    if (!rc && write && out->rel == CT_REL_OTHER)
        rc = refuse_class(r, klass, out->rel, err);
    if (!rc && (nrm_hidden(r, &c, &c.persons[i], out->rel) & klass))
        rc = refuse_class(r, klass, out->rel, err);
    ct_case_release(&c);
    return rc;
}

json_t *ct_http_nrm_status(ct_req *r, const char *pid, ct_err *err)
{
    ct_nrm_status st;
    ct_date today = {0};
    if (ct_nrm_status_get(r->store, pid, today, &r->arena, &st, err))
        return NULL;
    json_t *v = ct_nrm_status_to_json(&st, r->lang);
    if (!v)
        oom(err);
    return v;
}

int ct_http_nrm_audit_read(ct_req *r, const char *pid, const char *fields, ct_err *err)
{
    return ct_http_audit_reads(r, "nrm.read", "person", &pid, &fields, 1, err);
}

int ct_http_nrm_notify(ct_req *r, const char *agency, const char *kind, const char *type,
                       const char *id, const char *const *params, ct_err *err)
{
    if (!agency || !*agency || strcmp(agency, r->user.agency) == 0)
        return 0;
    ct_agency ag;
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_agency_get(r->store, agency, &ag, &e2);
    if (rc == CT_ENOTFOUND)
        return 0; /* an organisation outside ctip: nobody to notify */
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    if (strcmp(ag.name, r->user.agency) == 0)
        return 0;
    ct_notify_msg m = {kind, type, id, params};
    int sent;
    return ct_notify_agency(r->store, ag.name, NULL, r->user.name, &m, &sent, err);
}

/* ---- GET /persons/{id}/nrm ------------------------------------------------------------ */

CT_HANDLER(h_nrm_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_nrm_reach reach;
    int rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 0, &reach, err);
    json_t *v = rc ? NULL : ct_req_keep(r, ct_http_nrm_status(r, pid, err));
    if (!rc && !v)
        rc = err->code ? err->code : oom(err);
    if (!rc)
        rc = ct_http_nrm_audit_read(r, pid, "nrm.status", err);
    if (rc)
        return rc;
    ct_req_set_etag(r, reach.version);
    return ct_req_reply_json(r, 200, json_incref(v));
}

/* ---- PUT /persons/{id}/cooperation ----------------------------------------------------- */

CT_HANDLER(h_nrm_cooperation)
{
    const char *pid = ct_req_param(r, 0);
    ct_nrm_small_input in;
    ct_nrm_reach reach;
    int rc = ct_nrm_small_from_json(r->json, CT_NRM_IN_COOPERATION, &in, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_http_nrm_reach(r, pid, CT_DC_ASSISTANCE, 1, &reach, err);
    if (!rc)
        rc = ct_nrm_cooperation_set(r->store, pid, in.cooperation, in.reason, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    json_t *v = rc ? NULL : ct_http_nrm_status(r, pid, err);
    if (!rc && !v)
        rc = err->code ? err->code : oom(err);
    return rc ? rc : ct_req_reply_json(r, 200, v);
}

/* ---- the recovery and reflection period's defaults --------------------------------------- */

static json_t *reflection_json(const char *country, int days)
{
    return json_pack("{s:s?, s:i, s:i}", "country", country, "days", days, "minimum",
                     CT_NRM_REFLECTION_MIN_DAYS);
}

CT_HANDLER(h_nrm_reflection_get)
{
    static const char *const allowed[] = {"country", NULL};
    const char *country;
    int days;
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = ct_req_query_code(r, "country", "countries", &country, err);
    if (!rc)
        rc = ct_nrm_reflection_days(r->store, country, &days, err);
    return rc ? rc : ct_req_reply_json(r, 200, reflection_json(country, days));
}

CT_HANDLER(h_nrm_reflection_update)
{
    static const ct_body_field spec[] = {
        {"country", CT_BODY_STRING, 0, 3},
        {"days", CT_BODY_INT, 1, 0},
        {"reason", CT_BODY_STRING, 1, 500},
    };
    const json_t *v[3];
    int rc = ct_req_body_fields(r, spec, 3, v, err);
    if (rc)
        return rc;
    const char *country = json_string_value(v[0]);
    json_int_t days = json_integer_value(v[1]);
    if (days < 0 || days > 100000)
        return ct_err_set_field(err, CT_EINVAL, "days", "%s", _("out of range"));
    rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_nrm_reflection_set_why(r->store, country, (int)days, json_string_value(v[2]), err);
    if (!rc)
        rc = ct_req_commit(r, err);
    return rc ? rc : ct_req_reply_json(r, 200, reflection_json(country, (int)days));
}
