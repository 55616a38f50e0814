/*
 * h_agencies.c - /api/v1/agencies: the organisations that record cases
 * (IC-TIP's reporting entities). Names and types are not personal data;
 * every signed-in role that works with cases may list them (to share a
 * case, one names the agency), admins add them.
 */
#include "http_int.h"

#include "core/codes.h"
#include "core/i18n.h"
#include "core/uuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *agency_json(const ct_agency *a)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s}", "id", a->id, "name", a->name, "created_at", a->created_at);
    if (o && a->type[0])
        json_object_set_new(o, "type", json_string(a->type));
    if (o && a->country[0])
        json_object_set_new(o, "country", json_string(a->country));
    return o;
}

static int add_one(const ct_agency *a, void *arg)
{
    json_t *o = agency_json(a);
    return o && !json_array_append_new(arg, o) ? 0 : CT_ENOMEM;
}

CT_HANDLER(h_agencies_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    json_t *a = ct_req_keep(r, json_array());
    int rc = a ? ct_store_agency_each(r->store, add_one, a, err) : CT_ENOMEM;
    if (rc == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (rc)
        return rc;
    return ct_req_reply_json(r, 200, json_pack("{s:O}", "agencies", a));
}

CT_HANDLER(h_agencies_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    ct_agency a;
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_agency_get(r->store, ct_req_param(r, 0), &a, &e2);
    if (rc == CT_ENOTFOUND)
        return ct_err_set(err, rc, "%s", _("no such agency"));
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    return ct_req_reply_json(r, 200, agency_json(&a));
}

CT_HANDLER(h_agencies_create)
{
    static const ct_body_field spec[] = {
        {"name", CT_BODY_STRING, 1, 200},
        {"type", CT_BODY_STRING, 1, 63},
        {"country", CT_BODY_STRING, 1, 3},
    };
    const json_t *v[3];
    int rc = ct_req_body_fields(r, spec, 3, v, err);
    if (rc)
        return rc;
    const char *name = json_string_value(v[0]);
    if (ct_uuid_valid(name, strlen(name)))
        return ct_err_set_field(err, CT_EINVAL, "name", "%s", _("a name cannot look like an id"));
    if (!ct_codes_lookup("agency_types", json_string_value(v[1])))
        return ct_err_set_field(err, CT_EINVAL, "type", "%s",
                                _("must be a code of the list 'agency_types'"));
    if (!ct_codes_lookup("countries", json_string_value(v[2])))
        return ct_err_set_field(err, CT_EINVAL, "country", "%s",
                                _("must be an ISO 3166-1 alpha-3 code, e.g. FRA"));
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "%s", name);
    snprintf(a.type, sizeof(a.type), "%s", json_string_value(v[1]));
    snprintf(a.country, sizeof(a.country), "%s", json_string_value(v[2]));
    json_t *d = json_pack("{s:s, s:s, s:s}", "name", a.name, "type", a.type, "country", a.country);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    rc = detail ? ct_req_begin(r, err) : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (!rc)
        rc = ct_store_agency_add(r->store, &a, err);
    if (!rc)
        rc = ct_req_audit(r, "agency.add", "agency", a.id, NULL, detail, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    free(detail);
    if (rc)
        return rc;
    char loc[80];
    snprintf(loc, sizeof(loc), "/api/v1/agencies/%s", a.id);
    ct_req_set_header(r, "Location", loc);
    return ct_req_reply_json(r, 201, agency_json(&a));
}
