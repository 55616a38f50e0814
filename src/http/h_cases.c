/*
 * h_cases.c - /api/v1/cases: the case JSON of contracts.md, as each caller
 * may see it (view.c), every read and change in the audit trail.
 *
 * Only the agency that owns a case changes or deletes it; an agency it is
 * shared with reads it (h_shares.c). A case out of the caller's reach is
 * answered 404, like a case that does not exist, so ids do not leak.
 * Versions travel as ETag / If-Match: a stale write gets 412 with the
 * current version of the case, and changes nothing.
 */
#include "http_int.h"

#include "core/assess.h"
#include "core/case_json.h"
#include "core/i18n.h"
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 20
#define PAGE_MAX     100
#define SCAN_MAX     2000 /* rows looked at for one page before handing back a cursor */

static int oom(ct_err *err);

/* ---- reads are audited (auditq.c) before the reply leaves ------------------- */

typedef struct read_log {
    const char **ids;
    const char **fields;
    size_t n, cap;
} read_log;

static int log_read(ct_req *r, read_log *l, const char *id, const ct_buf *fields)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        const char **ids = ct_arena_alloc(&r->arena, cap * sizeof(*ids));
        const char **f = ct_arena_alloc(&r->arena, cap * sizeof(*f));
        if (!ids || !f)
            return CT_ENOMEM;
        if (l->n) {
            memcpy(ids, l->ids, l->n * sizeof(*ids));
            memcpy(f, l->fields, l->n * sizeof(*f));
        }
        l->ids = ids, l->fields = f, l->cap = cap;
    }
    l->ids[l->n] = ct_arena_strdup(&r->arena, id);
    l->fields[l->n] = ct_arena_strdup(&r->arena, fields->buf);
    if (!l->ids[l->n] || !l->fields[l->n])
        return CT_ENOMEM;
    l->n++;
    return 0;
}

/* Writes one audit entry per record read; the reply is sent only after. */
int ct_http_audit_reads(ct_req *r, const char *action, const char *type, const char *const *ids,
                        const char *const *fields, size_t n, ct_err *err)
{
    if (r->naudits + n > r->cap_audits) {
        size_t cap = (r->naudits + n) * 2;
        ct_audit_entry *v = ct_arena_alloc(&r->arena, cap * sizeof(*v));
        if (!v)
            return oom(err);
        if (r->naudits)
            memcpy(v, r->audits, r->naudits * sizeof(*v));
        r->audits = v;
        r->cap_audits = cap;
    }
    /* the entries are written after the handler returns: copy what its
     * records own into the request's arena (action and type are literals) */
    const char *reason = ct_req_reason(r);
    for (size_t i = 0; i < n; i++) {
        const char *id = ids[i] ? ct_arena_strdup(&r->arena, ids[i]) : NULL;
        const char *f = fields[i] && *fields[i] ? ct_arena_strdup(&r->arena, fields[i]) : NULL;
        if ((ids[i] && !id) || (fields[i] && *fields[i] && !f))
            return oom(err);
        ct_audit_entry one = {action, type, id, f, reason, NULL};
        r->audits[r->naudits++] = one;
    }
    return 0;
}

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

/* ---- list -------------------------------------------------------------------------- */

typedef struct list_ctx {
    ct_req *r;
    int child;  /* -1 any, 1 with a child victim, 0 without */
    long limit; /* page size */
    long scanned;
    json_t *cases;
    read_log log;
    char last[37];
    int full;
    ct_err *err;
} list_ctx;

static int has_child_victim(const ct_case *c)
{
    ct_date today = ct_req_today();
    for (size_t i = 0; i < c->npersons; i++)
        if (ct_person_is_victim(&c->persons[i]) &&
            ct_person_is_child(c, &c->persons[i], today) == 1)
            return 1;
    return 0;
}

static int relation_of(ct_req *r, const ct_case *c, enum ct_relation *rel, ct_err *err)
{
    if (c->agency && strcmp(c->agency, r->user.agency) == 0) {
        *rel = CT_REL_OWN;
        return 0;
    }
    enum ct_case_relation cr;
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_case_relation(r->store, c->id, r->user.agency, &cr, &e2);
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    *rel = cr == CT_CASE_SHARED ? CT_REL_SHARED : CT_REL_OTHER;
    return 0;
}

static int list_one(ct_case *c, void *arg)
{
    list_ctx *x = arg;
    snprintf(x->last, sizeof(x->last), "%s", c->id);
    x->scanned++;
    if (x->child >= 0 && has_child_victim(c) != x->child)
        return x->scanned >= SCAN_MAX ? 1 : 0;
    enum ct_relation rel;
    int rc = relation_of(x->r, c, &rel, x->err);
    if (rc)
        return rc;
    ct_buf fields = CT_BUF_INIT;
    json_t *v = ct_view_case(x->r, c, rel, &fields, x->err);
    if (!v || json_array_append_new(x->cases, v) || fields.oom ||
        log_read(x->r, &x->log, c->id, &fields)) {
        ct_buf_release(&fields);
        return x->err->code ? x->err->code : oom(x->err);
    }
    ct_buf_release(&fields);
    if ((long)json_array_size(x->cases) >= x->limit) {
        x->full = 1;
        return 1;
    }
    return x->scanned >= SCAN_MAX ? 1 : 0;
}

static int parse_year(ct_req *r, const char *name, int *out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    *out = 0;
    if (!v)
        return 0;
    char *end;
    long y = strtol(v, &end, 10);
    if (end == v || *end || y < 1900 || y > 9999)
        return ct_err_set_field(err, CT_EUSAGE, name, _("%s must be a year, e.g. 2021"), name);
    *out = (int)y;
    return 0;
}

static int parse_date(ct_req *r, const char *name, ct_date *out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    *out = CT_DATE_NONE;
    if (!v)
        return 0;
    if (ct_date_parse(v, strlen(v), out))
        return ct_err_set_field(err, CT_EUSAGE, name,
                                _("%s must be a date (YYYY, YYYY-MM or YYYY-MM-DD)"), name);
    return 0;
}

static int list_filter(ct_req *r, ct_case_query *f, int *child, long *limit, ct_err *err)
{
    static const char *const allowed[] = {"status",  "purpose", "agency", "year_from",
                                          "year_to", "from",    "to",     "child",
                                          "cursor",  "limit",   NULL};
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = ct_req_query_code(r, "status", "case_statuses", &f->status, err);
    if (!rc)
        rc = ct_req_query_code(r, "purpose", "purposes", &f->purpose, err);
    if (!rc)
        rc = parse_year(r, "year_from", &f->base.year_from, err);
    if (!rc)
        rc = parse_year(r, "year_to", &f->base.year_to, err);
    if (!rc)
        rc = parse_date(r, "from", &f->ident_from, err);
    if (!rc)
        rc = parse_date(r, "to", &f->ident_to, err);
    if (!rc)
        rc = ct_req_query_bool(r, "child", child, err);
    if (!rc)
        rc = ct_req_query_uuid(r, "cursor", &f->base.after_id, err);
    if (!rc)
        rc = ct_req_query_limit(r, PAGE_DEFAULT, PAGE_MAX, limit, err);
    if (rc)
        return rc;
    f->base.agency = ct_req_query(r, "agency");
    if (ct_access_scope(r->role) == CT_SCOPE_AGENCY)
        f->visible_to = r->user.agency;
    return 0;
}

CT_HANDLER(h_cases_list)
{
    ct_case_query f = {0};
    list_ctx x = {r, -1, 0, 0, NULL, {0}, "", 0, err};
    int rc = list_filter(r, &f, &x.child, &x.limit, err);
    if (rc)
        return rc;
    f.base.limit = x.child >= 0 ? SCAN_MAX : x.limit;
    x.cases = ct_req_keep(r, json_array());
    if (!x.cases)
        return oom(err);
    ct_err e2 = CT_ERR_INIT;
    rc = ct_store_case_query(r->store, &f, list_one, &x, &e2);
    if (rc < 0)
        return err->code ? err->code : ct_err_set(err, rc, "%s", e2.msg);
    int more = rc == 1 || (x.child >= 0 && x.scanned >= SCAN_MAX);
    rc = ct_http_audit_reads(r, "case.read", "case", x.log.ids, x.log.fields, x.log.n, err);
    if (rc)
        return rc;
    json_t *body = json_pack("{s:O, s:o}", "cases", x.cases, "next_cursor",
                             more && x.last[0] ? json_string(x.last) : json_null());
    return body ? ct_req_reply_json(r, 200, body) : oom(err);
}

/* ---- one case ------------------------------------------------------------------------ */

static int reply_case(ct_req *r, int status, const ct_case *c, enum ct_relation rel, ct_err *err)
{
    json_t *v = ct_view_case(r, c, rel, NULL, err);
    if (!v)
        return err->code;
    ct_req_set_etag(r, c->version);
    return ct_req_reply_json(r, status, v);
}

CT_HANDLER(h_cases_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    ct_case c;
    ct_case_init(&c);
    enum ct_relation rel;
    int rc = ct_view_load_case(r, ct_req_param(r, 0), &c, &rel, err);
    ct_buf fields = CT_BUF_INIT;
    json_t *v = rc ? NULL : ct_view_case(r, &c, rel, &fields, err);
    if (!rc && !v)
        rc = err->code ? err->code : oom(err);
    if (!rc && fields.oom)
        rc = oom(err);
    const char *fl = fields.buf;
    if (!rc)
        rc = ct_http_audit_reads(r, "case.read", "case", (const char *const *)&c.id, &fl, 1, err);
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

/* Reads the body as a case; the caller's agency owns what it creates. */
static int read_body(ct_req *r, ct_case *c, ct_err *err)
{
    ct_case_read_opts opts = {ct_req_today(), r->user.agency, 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    int rc = ct_case_from_json(c, r->json, &opts, &pr);
    if (rc == CT_EINVAL)
        rc = ct_req_fail_problems(r, &pr, err);
    else if (rc)
        rc = oom(err);
    ct_problems_release(&pr);
    if (!rc && strcmp(c->agency, r->user.agency) != 0)
        rc = ct_err_set_field(err, CT_EPERM, "agency", "%s",
                              _("cases are recorded for your own agency"));
    return rc;
}

static int audit_change(ct_req *r, const char *action, const char *id, const json_t *before,
                        const json_t *after, ct_err *err)
{
    ct_buf fields = CT_BUF_INIT;
    json_t *diff = ct_view_diff(before, after, &fields);
    char *detail = diff ? json_dumps(diff, JSON_COMPACT) : NULL;
    json_decref(diff);
    int rc = detail && !fields.oom ? ct_req_audit(r, action, "case", id, fields.buf, detail, err)
                                   : oom(err);
    free(detail);
    ct_buf_release(&fields);
    return rc;
}

static int create_in_tx(ct_req *r, ct_case *c, ct_err *err)
{
    ct_case none;
    ct_case_init(&none);
    int rc = ct_view_merge_hidden(r, c, &none, CT_REL_OWN, err);
    ct_case_release(&none);
    enum ct_put_outcome outcome;
    if (!rc)
        rc = ct_store_case_put(r->store, c, NULL, &outcome, err);
    if (!rc && outcome != CT_PUT_INSERTED)
        rc = ct_err_set_field(err, CT_ECONFLICT, "source_id", "%s",
                              _("your agency has a case with this source_id; update it instead"));
    json_t *after = rc ? NULL : ct_case_to_json(c, 0, 0);
    if (!rc)
        rc = after ? audit_change(r, "case.create", c->id, NULL, after, err) : oom(err);
    json_decref(after);
    return rc;
}

CT_HANDLER(h_cases_create)
{
    if (json_object_get(r->json, "id"))
        return ct_err_set_field(err, CT_EINVAL, "id", "%s", _("ctip assigns the id of a new case"));
    ct_case c;
    ct_case_init(&c);
    int rc = read_body(r, &c, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = create_in_tx(r, &c, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    ct_case cur;
    ct_case_init(&cur);
    enum ct_relation rel;
    /* reply with the stored record: versions and ids as the store set them */
    if (!rc)
        rc = ct_view_load_case(r, c.id, &cur, &rel, err);
    if (!rc) {
        char loc[80];
        snprintf(loc, sizeof(loc), "/api/v1/cases/%s", c.id);
        ct_req_set_header(r, "Location", loc);
        rc = reply_case(r, 201, &cur, rel, err);
    }
    ct_case_release(&cur);
    ct_case_release(&c);
    return rc;
}

/* Sets 412 with the current version as the caller may see it. */
static int stale(ct_req *r, const ct_case *cur, enum ct_relation rel, int wanted, ct_err *err)
{
    json_decref(r->current);
    r->current = ct_view_case(r, cur, rel, NULL, err);
    ct_req_set_etag(r, cur->version);
    return ct_err_set(err, CT_ESTALE, _("the case changed since you read it (version %d, now %d)"),
                      wanted, cur->version);
}

static int own_only(enum ct_relation rel, ct_err *err)
{
    if (rel == CT_REL_OWN)
        return 0;
    return ct_err_set(err, CT_EPERM, "%s", _("only the agency that owns a case may change it"));
}

/* NRM stages change through workflow actions only; an update keeps them. */
int ct_http_keep_stages(ct_req *r, ct_case *next, const ct_case *stored, const json_t *persons,
                        ct_err *err)
{
    for (size_t i = 0; i < next->npersons; i++) {
        ct_person *p = &next->persons[i];
        const ct_person *old = NULL;
        for (size_t k = 0; p->id && k < stored->npersons; k++)
            if (stored->persons[k].id && strcmp(stored->persons[k].id, p->id) == 0)
                old = &stored->persons[k];
        if (p->id && !old) {
            char field[CT_ERR_FIELD_MAX];
            snprintf(field, sizeof(field), "persons[%zu].id", i);
            return ct_err_set_field(
                err, CT_EINVAL, field, "%s",
                _("not a person of this case (leave the id out for a new one)"));
        }
        if (!old || !ct_person_is_victim(p))
            continue;
        json_t *given = json_object_get(json_array_get(persons, i), "nrm_stage");
        if (!given) {
            p->nrm_stage = old->nrm_stage;
            continue;
        }
        if (old->nrm_stage && p->nrm_stage && strcmp(old->nrm_stage, p->nrm_stage) != 0) {
            char field[CT_ERR_FIELD_MAX];
            snprintf(field, sizeof(field), "persons[%zu].nrm_stage", i);
            return ct_err_set_field(err, CT_ECONFLICT, field, "%s",
                                    _("the NRM stage changes only through workflow actions"));
        }
    }
    (void)r;
    return 0;
}

static int update_in_tx(ct_req *r, ct_case *next, ct_err *err)
{
    const char *id = ct_req_param(r, 0);
    ct_case stored;
    ct_case_init(&stored);
    enum ct_relation rel;
    int want = ct_req_if_match(r);
    int rc = ct_view_load_case(r, id, &stored, &rel, err);
    if (!rc)
        rc = own_only(rel, err);
    if (!rc && stored.version != want)
        rc = stale(r, &stored, rel, want, err);
    if (!rc)
        rc = read_body(r, next, err);
    if (!rc && next->id && strcmp(next->id, id) != 0)
        rc = ct_err_set_field(err, CT_EINVAL, "id", "%s", _("the id differs from the URL's"));
    if (!rc)
        rc = ct_http_keep_stages(r, next, &stored, json_object_get(r->json, "persons"), err);
    if (!rc)
        rc = ct_view_merge_hidden(r, next, &stored, rel, err);
    next->id = id;
    ct_case_put_opts opts = {NULL, want, NULL};
    enum ct_put_outcome outcome = CT_PUT_UNCHANGED;
    if (!rc)
        rc = ct_store_case_put(r->store, next, &opts, &outcome, err);
    json_t *before = NULL, *after = NULL;
    if (!rc && outcome == CT_PUT_UPDATED) {
        before = ct_case_to_json(&stored, 0, 0);
        after = ct_case_to_json(next, 0, 0);
        rc = before && after ? audit_change(r, "case.update", id, before, after, err) : oom(err);
    }
    json_decref(before);
    json_decref(after);
    ct_case_release(&stored);
    return rc;
}

CT_HANDLER(h_cases_update)
{
    ct_case c;
    ct_case_init(&c);
    int rc = ct_req_begin(r, err);
    if (!rc)
        rc = update_in_tx(r, &c, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    else
        ct_req_rollback(r);
    ct_case cur;
    ct_case_init(&cur);
    enum ct_relation rel;
    /* reply with the stored record: versions and ids as the store set them */
    if (!rc)
        rc = ct_view_load_case(r, c.id, &cur, &rel, err);
    if (!rc)
        rc = reply_case(r, 200, &cur, rel, err);
    ct_case_release(&cur);
    ct_case_release(&c);
    return rc;
}

static int notify_unshared(const ct_share *sh, void *arg)
{
    const char **agencies = arg;
    for (int i = 0; i < 63; i++)
        if (!agencies[i]) {
            agencies[i] = strdup(sh->agency);
            return agencies[i] ? 0 : CT_ENOMEM;
        }
    return 0;
}

static int delete_in_tx(ct_req *r, const char *id, ct_err *err)
{
    ct_case stored;
    ct_case_init(&stored);
    enum ct_relation rel;
    const char *shared[64] = {0};
    int rc = ct_view_load_case(r, id, &stored, &rel, err);
    if (!rc)
        rc = own_only(rel, err);
    if (!rc)
        rc = ct_store_share_each(r->store, id, notify_unshared, (void *)shared, err);
    if (!rc)
        rc = ct_store_case_delete(r->store, id, err);
    json_t *before = rc ? NULL : ct_case_to_json(&stored, 0, 0);
    if (!rc)
        rc = before ? audit_change(r, "case.delete", id, before, NULL, err) : oom(err);
    for (int i = 0; !rc && shared[i]; i++) {
        const char *params[] = {"agency", r->user.agency, NULL};
        ct_notify_msg m = {"case.deleted", "case", id, params};
        int sent;
        rc = ct_notify_agency(r->store, shared[i], NULL, NULL, &m, &sent, err);
    }
    for (int i = 0; shared[i]; i++)
        free((void *)shared[i]);
    json_decref(before);
    ct_case_release(&stored);
    return rc;
}

CT_HANDLER(h_cases_delete)
{
    int rc = ct_req_begin(r, err);
    if (!rc)
        rc = delete_in_tx(r, ct_req_param(r, 0), err);
    if (!rc)
        rc = ct_req_commit(r, err);
    return rc ? rc : ct_req_reply_empty(r, 204);
}
