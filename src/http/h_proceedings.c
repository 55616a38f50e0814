/*
 * h_proceedings.c - /api/v1/proceedings: criminal proceedings (investigation,
 * prosecution, conviction, ...) attached to suspects. They are read through
 * the case that holds the suspect (same reach as the case), and recorded by
 * investigators and prosecutors (POST /api/v1/persons/{id}/proceedings).
 */
#include "http_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

#define PAGE_DEFAULT 50
#define PAGE_MAX     200

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

static json_t *proceeding_json(const ct_case *c, const ct_person *p, const ct_proceeding *pr)
{
    char date[CT_DATE_TEXT_MAX];
    ct_date_format(pr->date, date);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", pr->id, "kind", pr->kind, "person", p->id,
                          "case", c->id);
    if (o && date[0])
        json_object_set_new(o, "date", json_string(date));
    if (o && pr->authority)
        json_object_set_new(o, "authority", json_string(pr->authority));
    return o;
}

typedef struct list_ctx {
    ct_req *r;
    json_t *items;
    long limit;
    ct_case c;
    const char **ids, **fields;
    size_t n;
    char last[37];
    int full;
    ct_err *err;
} list_ctx;

static int list_one(const char *case_id, const char *person_id, void *arg)
{
    list_ctx *x = arg;
    enum ct_relation rel;
    ct_case_reset(&x->c);
    int rc = ct_view_load_case(x->r, case_id, &x->c, &rel, x->err);
    if (rc)
        return rc;
    for (size_t i = 0; i < x->c.npersons; i++) {
        const ct_person *p = &x->c.persons[i];
        if (strcmp(p->id, person_id) != 0)
            continue;
        for (size_t k = 0; k < p->nproceedings; k++) {
            json_t *o = proceeding_json(&x->c, p, &p->proceedings[k]);
            if (!o || json_array_append_new(x->items, o))
                return oom(x->err);
        }
    }
    x->ids[x->n] = ct_arena_strdup(&x->r->arena, person_id);
    x->fields[x->n] = "proceedings";
    if (!x->ids[x->n])
        return oom(x->err);
    x->n++;
    snprintf(x->last, sizeof(x->last), "%s", person_id);
    return 0;
}

CT_HANDLER(h_proceedings_list)
{
    static const char *const allowed[] = {"case", "cursor", "limit", NULL};
    ct_person_filter f = {0};
    long limit;
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = ct_req_query_uuid(r, "case", &f.case_id, err);
    if (!rc)
        rc = ct_req_query_uuid(r, "cursor", &f.after_id, err);
    if (!rc)
        rc = ct_req_query_limit(r, PAGE_DEFAULT, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    f.with_proceedings = 1;
    f.limit = limit; /* suspects per page; each brings all its proceedings */
    if (ct_access_scope(r->role) == CT_SCOPE_AGENCY)
        f.visible_to = r->user.agency;
    list_ctx x = {r, ct_req_keep(r, json_array()), limit, {0}, NULL, NULL, 0, "", 0, err};
    x.ids = ct_arena_alloc(&r->arena, (size_t)limit * sizeof(*x.ids));
    x.fields = ct_arena_alloc(&r->arena, (size_t)limit * sizeof(*x.fields));
    if (!x.items || !x.ids || !x.fields)
        return oom(err);
    ct_case_init(&x.c);
    ct_err e2 = CT_ERR_INIT;
    rc = ct_store_person_each(r->store, &f, list_one, &x, &e2);
    ct_case_release(&x.c);
    if (rc)
        return err->code ? err->code : ct_err_set(err, rc, "%s", e2.msg);
    rc = ct_http_audit_reads(r, "proceeding.read", "person", x.ids, x.fields, x.n, err);
    if (rc)
        return rc;
    json_t *body = json_pack("{s:O, s:o}", "proceedings", x.items, "next_cursor",
                             (long)x.n == limit ? json_string(x.last) : json_null());
    return body ? ct_req_reply_json(r, 200, body) : oom(err);
}

CT_HANDLER(h_proceedings_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const char *id = ct_req_param(r, 0);
    char case_id[37], person_id[37];
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_proceeding_case(r->store, id, case_id, person_id, &e2);
    if (rc)
        return rc == CT_ENOTFOUND ? ct_err_set(err, rc, "%s", _("no such proceeding"))
                                  : ct_err_set(err, rc, "%s", e2.msg);
    ct_case c;
    ct_case_init(&c);
    enum ct_relation rel;
    json_t *v = NULL;
    rc = ct_view_load_case(r, case_id, &c, &rel, err);
    if (rc == CT_ENOTFOUND) {
        ct_err_clear(err);
        rc = ct_err_set(err, CT_ENOTFOUND, "%s", _("no such proceeding"));
    }
    for (size_t i = 0; !rc && !v && i < c.npersons; i++)
        for (size_t k = 0; !v && k < c.persons[i].nproceedings; k++)
            if (strcmp(c.persons[i].proceedings[k].id, id) == 0 &&
                !(v = proceeding_json(&c, &c.persons[i], &c.persons[i].proceedings[k])))
                rc = oom(err);
    if (!rc && !v)
        rc = ct_err_set(err, CT_ENOTFOUND, "%s", _("no such proceeding"));
    const char *pid = person_id, *fl = "proceedings";
    if (!rc)
        rc = ct_http_audit_reads(r, "proceeding.read", "person", &pid, &fl, 1, err);
    if (!rc) {
        ct_req_set_etag(r, c.version);
        rc = ct_req_reply_json(r, 200, v);
        v = NULL;
    }
    json_decref(v);
    ct_case_release(&c);
    return rc;
}

static int create_in_tx(ct_req *r, const char *pid, ct_case *next, json_t **made, ct_err *err)
{
    ct_case stored;
    ct_case_init(&stored);
    enum ct_relation rel;
    size_t i;
    int want = ct_req_if_match(r);
    int rc = ct_http_load_person(r, pid, &stored, &rel, &i, err);
    if (!rc && rel == CT_REL_OTHER)
        rc = ct_err_set(err, CT_EPERM, "%s",
                        _("proceedings are recorded on cases of your agency or shared with it"));
    if (!rc && stored.version != want)
        rc = ct_http_stale_person(r, &stored, i, rel, want, err);
    if (!rc && ct_person_is_victim(&stored.persons[i]))
        rc = ct_err_set(err, CT_ECONFLICT, "%s", _("proceedings attach to suspects"));
    if (!rc && json_object_get(r->json, "id"))
        rc = ct_err_set_field(err, CT_EINVAL, "id", "%s", _("ctip assigns the id"));
    json_t *whole = rc ? NULL : ct_view_case(r, &stored, rel, NULL, err);
    if (!rc && !whole)
        rc = oom(err);
    if (!rc) {
        json_t *person = json_array_get(json_object_get(whole, "persons"), i);
        json_t *list = json_object_get(person, "proceedings");
        if (!list) {
            list = json_array();
            json_object_set_new(person, "proceedings", list);
        }
        json_array_append(list, r->json);
        rc = ct_http_parse_case(r, whole, next, err);
    }
    /* an agency the case is shared with records its own proceedings on it:
     * the store keeps the case's owner */
    if (!rc)
        next->agency = stored.agency;
    if (!rc)
        rc = ct_http_keep_stages(r, next, &stored, json_object_get(whole, "persons"), err);
    if (!rc)
        rc = ct_http_save_person(r, next, &stored, rel, "proceeding.create", pid, err);
    if (!rc) {
        const ct_person *p = &next->persons[i];
        *made = proceeding_json(next, p, &p->proceedings[p->nproceedings - 1]);
        if (!*made)
            rc = oom(err);
    }
    json_decref(whole);
    ct_case_release(&stored);
    return rc;
}

CT_HANDLER(h_proceedings_create)
{
    const char *pid = ct_req_param(r, 0);
    ct_case next;
    ct_case_init(&next);
    json_t *made = NULL;
    int rc = ct_req_begin(r, err);
    if (!rc)
        rc = create_in_tx(r, pid, &next, &made, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    if (!rc) {
        ct_req_set_etag(r, next.version);
        rc = ct_req_reply_json(r, 201, made);
        made = NULL;
    }
    json_decref(made);
    ct_case_release(&next);
    return rc;
}
