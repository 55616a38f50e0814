/*
 * h_persons.c - /api/v1/persons: victims and suspects by their own ids.
 *
 * A person lives in a case; reaching it follows the case's rules (owner,
 * shared, national scope) and its version is the case's version (ETag),
 * since a change to one person is a change to the case. Fields follow the
 * person's own rules (view.c). Changes go through the whole case, so the
 * case-level checks (dates, roles, codes) hold after every change.
 */
#include "http_int.h"

#include "core/case_json.h"
#include "core/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 20
#define PAGE_MAX     100

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

/* Loads the case holding person pid; *idx is the person's index. */
int ct_http_load_person(ct_req *r, const char *pid, ct_case *c, enum ct_relation *rel, size_t *idx,
                        ct_err *err)
{
    char case_id[37];
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_person_case(r->store, pid, case_id, &e2);
    if (rc == CT_ENOTFOUND)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"));
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    rc = ct_view_load_case(r, case_id, c, rel, err);
    if (rc == CT_ENOTFOUND) {
        ct_err_clear(err);
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"));
    }
    for (size_t i = 0; !rc && i < c->npersons; i++)
        if (strcmp(c->persons[i].id, pid) == 0) {
            *idx = i;
            return 0;
        }
    return rc ? rc : ct_err_set(err, CT_ENOTFOUND, "%s", _("no such person"));
}

/* The person as the caller may see it, with its case and agency. */
static json_t *person_json(ct_req *r, const ct_case *c, size_t i, enum ct_relation rel,
                           ct_buf *fields, ct_err *err)
{
    json_t *v = ct_view_person(r, c, &c->persons[i], rel, fields, err);
    if (v && (json_object_set_new(v, "case", json_string(c->id)) ||
              json_object_set_new(v, "agency", json_string(c->agency)))) {
        json_decref(v);
        return NULL;
    }
    return v;
}

/* ---- list ------------------------------------------------------------------------ */

typedef struct list_ctx {
    ct_req *r;
    json_t *persons;
    ct_case c; /* the case of the previous person, reused when the next shares it */
    int loaded;
    enum ct_relation rel;
    const char **ids, **fields;
    size_t n;
    char last[37];
    ct_err *err;
} list_ctx;

static int list_one(const char *case_id, const char *person_id, void *arg)
{
    list_ctx *x = arg;
    ct_req *r = x->r;
    if (!x->loaded || strcmp(x->c.id, case_id) != 0) {
        ct_case_reset(&x->c);
        x->loaded = 0;
        int rc = ct_view_load_case(r, case_id, &x->c, &x->rel, x->err);
        if (rc)
            return rc;
        x->loaded = 1;
    }
    size_t i = 0;
    while (i < x->c.npersons && strcmp(x->c.persons[i].id, person_id) != 0)
        i++;
    if (i == x->c.npersons)
        return 0; /* gone meanwhile */
    ct_buf fields = CT_BUF_INIT;
    json_t *v = person_json(r, &x->c, i, x->rel, &fields, x->err);
    int rc = !v || json_array_append_new(x->persons, v) || fields.oom ? oom(x->err) : 0;
    x->ids[x->n] = ct_arena_strdup(&r->arena, person_id);
    x->fields[x->n] = ct_arena_strdup(&r->arena, fields.buf);
    ct_buf_release(&fields);
    if (!rc && (!x->ids[x->n] || !x->fields[x->n]))
        rc = oom(x->err);
    x->n++;
    snprintf(x->last, sizeof(x->last), "%s", person_id);
    return rc;
}

CT_HANDLER(h_persons_list)
{
    static const char *const allowed[] = {"role", "nrm_stage", "case", "cursor", "limit", NULL};
    ct_person_filter f = {0};
    long limit;
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = ct_req_query_code(r, "role", "person_roles", &f.role, err);
    if (!rc)
        rc = ct_req_query_code(r, "nrm_stage", "nrm_stages", &f.nrm_stage, err);
    if (!rc)
        rc = ct_req_query_uuid(r, "case", &f.case_id, err);
    if (!rc)
        rc = ct_req_query_uuid(r, "cursor", &f.after_id, err);
    if (!rc)
        rc = ct_req_query_limit(r, PAGE_DEFAULT, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    if (ct_access_scope(r->role) == CT_SCOPE_AGENCY)
        f.visible_to = r->user.agency;
    f.limit = limit;
    list_ctx x = {r, ct_req_keep(r, json_array()), {0}, 0, CT_REL_OWN, NULL, NULL, 0, "", err};
    x.ids = ct_arena_alloc(&r->arena, (size_t)limit * sizeof(*x.ids));
    x.fields = ct_arena_alloc(&r->arena, (size_t)limit * sizeof(*x.fields));
    if (!x.persons || !x.ids || !x.fields)
        return oom(err);
    ct_case_init(&x.c);
    ct_err e2 = CT_ERR_INIT;
    rc = ct_store_person_each(r->store, &f, list_one, &x, &e2);
    ct_case_release(&x.c);
    if (rc)
        return err->code ? err->code : ct_err_set(err, rc, "%s", e2.msg);
    rc = ct_http_audit_reads(r, "person.read", "person", x.ids, x.fields, x.n, err);
    if (rc)
        return rc;
    json_t *body = json_pack("{s:O, s:o}", "persons", x.persons, "next_cursor",
                             (long)x.n == limit ? json_string(x.last) : json_null());
    return body ? ct_req_reply_json(r, 200, body) : oom(err);
}

/* ---- one person -------------------------------------------------------------------- */

CT_HANDLER(h_persons_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *pid = ct_req_param(r, 0);
    ct_case c;
    ct_case_init(&c);
    enum ct_relation rel;
    size_t i;
    ct_buf fields = CT_BUF_INIT;
    json_t *v = NULL;
    int rc = ct_http_load_person(r, pid, &c, &rel, &i, err);
    if (!rc && !(v = person_json(r, &c, i, rel, &fields, err)))
        rc = err->code ? err->code : oom(err);
    const char *fl = fields.buf;
    if (!rc)
        rc = ct_http_audit_reads(r, "person.read", "person", &pid, &fl, 1, err);
    if (!rc) {
        ct_req_set_etag(r, c.version);
        rc = ct_req_reply_json(r, 200, v);
        v = NULL;
    }
    json_decref(v);
    ct_buf_release(&fields);
    ct_case_release(&c);
    return rc;
}

/* Parses `whole` (a case JSON) into next, as the caller's agency would. */
int ct_http_parse_case(ct_req *r, const json_t *whole, ct_case *next, ct_err *err)
{
    ct_case_read_opts opts = {ct_req_today(), r->user.agency, 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    int rc = ct_case_from_json(next, whole, &opts, &pr);
    if (rc == CT_EINVAL)
        rc = ct_req_fail_problems(r, &pr, err);
    else if (rc)
        rc = oom(err);
    ct_problems_release(&pr);
    return rc;
}

/* Stores next (the stored case changed by the caller) and audits the change
 * of one person. */
int ct_http_save_person(ct_req *r, ct_case *next, const ct_case *stored, enum ct_relation rel,
                        const char *action, const char *pid, ct_err *err)
{
    int rc = ct_view_merge_hidden(r, next, stored, rel, err);
    ct_case_put_opts opts = {NULL, stored->version, NULL};
    enum ct_put_outcome outcome = CT_PUT_UNCHANGED;
    next->id = stored->id;
    if (!rc)
        rc = ct_store_case_put(r->store, next, &opts, &outcome, err);
    if (rc || outcome != CT_PUT_UPDATED)
        return rc;
    json_t *before = ct_case_to_json(stored, 0, 0), *after = ct_case_to_json(next, 0, 0);
    ct_buf fields = CT_BUF_INIT;
    json_t *diff = before && after ? ct_view_diff(before, after, &fields) : NULL;
    char *detail = diff ? json_dumps(diff, JSON_COMPACT) : NULL;
    rc = detail && !fields.oom ? ct_req_audit(r, action, "person", pid, fields.buf, detail, err)
                               : oom(err);
    free(detail);
    json_decref(diff);
    json_decref(before);
    json_decref(after);
    ct_buf_release(&fields);
    return rc;
}

int ct_http_stale_person(ct_req *r, const ct_case *c, size_t i, enum ct_relation rel, int want,
                         ct_err *err)
{
    json_decref(r->current);
    r->current = person_json(r, c, i, rel, NULL, err);
    ct_req_set_etag(r, c->version);
    return ct_err_set(err, CT_ESTALE,
                      _("the record changed since you read it (version %d, now %d)"), want,
                      c->version);
}

static int update_in_tx(ct_req *r, const char *pid, ct_case *next, ct_err *err)
{
    ct_case stored;
    ct_case_init(&stored);
    enum ct_relation rel;
    size_t i;
    int want = ct_req_if_match(r);
    int rc = ct_http_load_person(r, pid, &stored, &rel, &i, err);
    if (!rc && rel != CT_REL_OWN)
        rc = ct_err_set(err, CT_EPERM, "%s", _("only the agency that owns a case may change it"));
    if (!rc && stored.version != want)
        rc = ct_http_stale_person(r, &stored, i, rel, want, err);
    const char *given = json_string_value(json_object_get(r->json, "id"));
    if (!rc && given && strcmp(given, pid) != 0)
        rc = ct_err_set_field(err, CT_EINVAL, "id", "%s", _("the id differs from the URL's"));
    /* the case as the caller sees it: what is hidden stays as stored */
    json_t *whole = rc ? NULL : ct_view_case(r, &stored, rel, NULL, err);
    json_t *body = rc ? NULL : json_deep_copy(r->json);
    if (!rc && (!whole || !body))
        rc = oom(err);
    if (!rc) {
        json_object_set_new(body, "id", json_string(pid));
        json_array_set(json_object_get(whole, "persons"), i, body);
        rc = ct_http_parse_case(r, whole, next, err);
    }
    if (!rc)
        rc = ct_http_keep_stages(r, next, &stored, json_object_get(whole, "persons"), err);
    if (!rc)
        rc = ct_http_save_person(r, next, &stored, rel, "person.update", pid, err);
    json_decref(whole);
    json_decref(body);
    ct_case_release(&stored);
    return rc;
}

CT_HANDLER(h_persons_update)
{
    const char *pid = ct_req_param(r, 0);
    ct_case next;
    ct_case_init(&next);
    int rc = ct_req_begin(r, err);
    if (!rc)
        rc = update_in_tx(r, pid, &next, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    ct_case_release(&next);
    if (rc)
        return rc;
    ct_case c;
    ct_case_init(&c);
    enum ct_relation rel;
    size_t i;
    json_t *v = NULL;
    rc = ct_http_load_person(r, pid, &c, &rel, &i, err);
    if (!rc && !(v = person_json(r, &c, i, rel, NULL, err)))
        rc = err->code ? err->code : oom(err);
    if (!rc) {
        ct_req_set_etag(r, c.version);
        rc = ct_req_reply_json(r, 200, v);
    }
    ct_case_release(&c);
    return rc;
}
