/*
 * h_users.c - /api/v1/users: staff accounts (admins manage them, auditors
 * read them to know who did what). A user belongs to one agency and has
 * one role (data/codes/user_roles.tsv); passwords are stored as Argon2id
 * strings and never returned. Changing a role or disabling an account
 * takes effect on the user's next request (roles are read per request).
 */
#include "http_int.h"

#include "core/i18n.h"
#include "core/uuid.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

static int add_one(const ct_user *u, void *arg)
{
    json_t *o = ct_http_user_json(u);
    return o && !json_array_append_new(arg, o) ? 0 : CT_ENOMEM;
}

CT_HANDLER(h_users_list)
{
    static const char *const allowed[] = {"agency", NULL};
    if (ct_req_query_check(r, allowed, err))
        return err->code;
    json_t *a = ct_req_keep(r, json_array());
    int rc =
        a ? ct_store_user_each(r->store, ct_req_query(r, "agency"), add_one, a, err) : CT_ENOMEM;
    if (rc == CT_ENOMEM)
        return oom(err);
    if (rc)
        return rc;
    return ct_req_reply_json(r, 200, json_pack("{s:O}", "users", a));
}

static int get_user(ct_req *r, const char *id, ct_user *u, ct_err *err)
{
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_user_get(r->store, id, u, &e2);
    if (rc == CT_ENOTFOUND)
        return ct_err_set(err, rc, "%s", _("no such user"));
    return rc ? ct_err_set(err, rc, "%s", e2.msg) : 0;
}

CT_HANDLER(h_users_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    ct_user u;
    int rc = get_user(r, ct_req_param(r, 0), &u, err);
    if (rc)
        return rc;
    ct_req_set_etag(r, u.version);
    return ct_req_reply_json(r, 200, ct_http_user_json(&u));
}

/* User names: 1-100 bytes of letters, digits and ._@- (no look-alike of an id). */
static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 100 || ct_uuid_valid(s, n))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-' || *s == '@'))
            return 0;
    return 1;
}

CT_HANDLER(h_users_create)
{
    static const ct_body_field spec[] = {
        {"name", CT_BODY_STRING, 1, 100},
        {"role", CT_BODY_STRING, 1, 31},
        {"agency", CT_BODY_STRING, 1, 200},
        {"password", CT_BODY_STRING, 1, 1024},
    };
    const json_t *v[4];
    int rc = ct_req_body_fields(r, spec, 4, v, err);
    if (rc)
        return rc;
    if (!name_ok(json_string_value(v[0])))
        return ct_err_set_field(err, CT_EINVAL, "name", "%s",
                                _("use letters, digits and . _ - @ (at most 100)"));
    if (ct_access_role(json_string_value(v[1])) < 0)
        return ct_err_set_field(err, CT_EINVAL, "role", "%s",
                                _("must be a code of the list 'user_roles'"));
    ct_user u = {0};
    snprintf(u.name, sizeof(u.name), "%s", json_string_value(v[0]));
    snprintf(u.role, sizeof(u.role), "%s", json_string_value(v[1]));
    snprintf(u.agency, sizeof(u.agency), "%s", json_string_value(v[2]));
    char *hash = sodium_malloc(CT_HTTP_PWHASH_MAX);
    if (!hash)
        return oom(err);
    const char *pw = json_string_value(v[3]);
    rc = ct_http_password_hash(pw, strlen(pw), r->srv->opts.pwcost, hash, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc) {
        rc = ct_store_user_add(r->store, &u, hash, err);
        if (rc == CT_ENOTFOUND) { /* the agency */
            ct_err_clear(err);
            rc = ct_err_set_field(err, CT_EINVAL, "agency", "%s", _("unknown agency"));
        }
    }
    if (!rc)
        rc = ct_req_audit(r, "user.add", "user", u.id, "role,agency", NULL, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    sodium_free(hash);
    if (rc)
        return rc;
    char loc[80];
    snprintf(loc, sizeof(loc), "/api/v1/users/%s", u.id);
    ct_req_set_header(r, "Location", loc);
    ct_req_set_etag(r, u.version);
    return ct_req_reply_json(r, 201, ct_http_user_json(&u));
}

CT_HANDLER(h_users_update)
{
    static const ct_body_field spec[] = {
        {"role", CT_BODY_STRING, 0, 31},
        {"disabled", CT_BODY_BOOL, 0, 0},
        {"reason", CT_BODY_STRING, 0, 500},
    };
    const json_t *v[3];
    int rc = ct_req_body_fields(r, spec, 3, v, err);
    if (rc)
        return rc;
    if (v[0] && ct_access_role(json_string_value(v[0])) < 0)
        return ct_err_set_field(err, CT_EINVAL, "role", "%s",
                                _("must be a code of the list 'user_roles'"));
    ct_user u, before;
    if ((rc = ct_req_begin(r, err)))
        return rc;
    rc = get_user(r, ct_req_param(r, 0), &u, err);
    before = u;
    if (!rc && strcmp(u.id, r->user.id) == 0)
        rc = ct_err_set(err, CT_EPERM, "%s", _("you cannot change your own account"));
    if (!rc && v[0])
        snprintf(u.role, sizeof(u.role), "%s", json_string_value(v[0]));
    if (!rc && v[1])
        u.disabled = json_is_true(v[1]);
    if (!rc && (rc = ct_store_user_update(r->store, &u, ct_req_if_match(r), err)) == CT_ESTALE) {
        ct_user cur;
        ct_err e2 = CT_ERR_INIT;
        if (!get_user(r, u.id, &cur, &e2)) {
            json_decref(r->current);
            r->current = ct_http_user_json(&cur);
            ct_req_set_etag(r, cur.version);
        }
    }
    json_t *d =
        rc ? NULL
           : json_pack("{s:{s:s, s:b}, s:{s:s, s:b}}", "before", "role", before.role, "disabled",
                       before.disabled, "after", "role", u.role, "disabled", u.disabled);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!rc)
        rc = detail ? ct_req_audit(r, "user.update", "user", u.id, "role,disabled", detail, err)
                    : oom(err);
    free(detail);
    if (!rc)
        rc = ct_req_commit(r, err);
    if (rc)
        return rc;
    ct_req_set_etag(r, u.version);
    return ct_req_reply_json(r, 200, ct_http_user_json(&u));
}
