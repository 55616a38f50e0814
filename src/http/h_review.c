/*
 * h_review.c - /api/v1/review: the one review queue of contracts.md
 * (docs/review.md) over the API.
 *
 *   GET  /review                 the items the caller may review (kind,
 *                                status, record; cursor); no record's
 *                                content, so no personal data
 *   GET  /review/{id}            the two records side by side with the
 *                                evidence and the decisions, redacted for
 *                                the caller; audited ("review.read")
 *   POST /review/{id}/decisions  {"action": confirm|reject|undo, "reason"}
 *                                with If-Match (or "version"): a vote,
 *                                through ct_review_decide (quorum, effects,
 *                                audit "review.decide")
 *
 * Who reviews which items is table 4 of src/access (ct_access_review_reach);
 * an item the caller may not review is 404, like one that does not exist.
 * What the caller sees of each record is table 3 for its relation to the
 * record, plus the compared fields (names, birth date) that judging needs
 * (ct_access_review_hidden). Blind review (scores, weight and evidence
 * left out) is the database's setting "review.blind" or ?blind=true.
 */
#include "http_int.h"

#include "core/case_json.h"
#include "core/i18n.h"
#include "registry/registry.h"
#include "review/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 20
#define PAGE_MAX     100

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

int ct_http_audit_queue(ct_req *r, const ct_audit_entry *e, ct_err *err)
{
    if (r->naudits + 1 > r->cap_audits) {
        size_t cap = (r->naudits + 1) * 2;
        ct_audit_entry *v = ct_arena_alloc(&r->arena, cap * sizeof(*v));
        if (!v)
            return oom(err);
        if (r->naudits)
            memcpy(v, r->audits, r->naudits * sizeof(*v));
        r->audits = v;
        r->cap_audits = cap;
    }
    /* written after the handler returns: copy into the request's arena
     * (action and type are literals) */
    ct_audit_entry one = *e;
    const char *src[] = {e->record_id, e->fields, e->detail};
    const char **dst[] = {&one.record_id, &one.fields, &one.detail};
    for (size_t i = 0; i < 3; i++) {
        *dst[i] = src[i] ? ct_arena_strdup(&r->arena, src[i]) : NULL;
        if (src[i] && !*dst[i])
            return oom(err);
    }
    if (!one.reason)
        one.reason = ct_req_reason(r);
    r->audits[r->naudits++] = one;
    return 0;
}

/* ---- who reviews what ------------------------------------------------------------ */

/* The caller's relation to one record of an item: its own agency's, a
 * case shared with it (persons), or another agency's. */
static enum ct_relation relation(ct_req *r, const ct_review_side *side)
{
    if (side->agency[0] && strcmp(side->agency, r->user.agency) == 0)
        return CT_REL_OWN;
    if (strcmp(side->type, "person") != 0)
        return CT_REL_OTHER; /* registries are not shared */
    char case_id[CT_UUID_TEXT];
    enum ct_case_relation cr;
    ct_err ignored = CT_ERR_INIT;
    if (ct_store_person_case(r->store, side->id, case_id, &ignored) ||
        ct_store_case_relation(r->store, case_id, r->user.agency, &cr, &ignored))
        return CT_REL_OTHER; /* unknown grants nothing */
    return cr == CT_CASE_SHARED ? CT_REL_SHARED : CT_REL_OTHER;
}

static int may_review(ct_req *r, const ct_review_item *it)
{
    switch (ct_access_review_reach(r->role, it->kind)) {
    case CT_REVIEW_REACH_ALL:
        return 1;
    case CT_REVIEW_REACH_AGENCY:
        /* an agency holding one of the two records */
        return strcmp(it->a.agency, r->user.agency) == 0 ||
               strcmp(it->b.agency, r->user.agency) == 0;
    case CT_REVIEW_REACH_NONE:
        break;
    }
    return 0;
}

static unsigned redact_cb(void *arg, const ct_review_side *side)
{
    ct_req *r = arg;
    return ct_access_review_hidden(r->role, relation(r, side));
}

static int blind_arg(ct_req *r, int *blind, ct_err *err)
{
    int asked;
    if (ct_req_query_bool(r, "blind", &asked, err))
        return err->code;
    *blind = ct_review_blind(r->store) || asked == 1;
    return 0;
}

/* ---- the summary of an item (lists, decisions): no record's content ---------------- */

static json_t *side_json(const ct_review_side *s)
{
    return json_pack("{s:s,s:s,s:s?}", "type", s->type, "id", s->id, "agency",
                     s->agency[0] ? s->agency : NULL);
}

static json_t *summary(const ct_review_item *it, int blind)
{
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:i,s:i,s:s?,s:s?,s:s,s:s,s:i,s:o,s:o}", "id", it->id, "kind", it->kind,
        "status", it->status, "confirms", it->confirms, "rejects", it->rejects, "decided_by",
        it->decided_by[0] ? it->decided_by : NULL, "decided_at",
        it->decided_at[0] ? it->decided_at : NULL, "created_at", it->created_at, "updated_at",
        it->updated_at, "version", it->version, "a", side_json(&it->a), "b", side_json(&it->b));
    if (o && !blind && it->probability >= 0 &&
        (json_object_set_new(o, "probability", json_real(it->probability)) ||
         json_object_set_new(o, "weight", json_real(it->weight)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- list ------------------------------------------------------------------------------ */

typedef struct list_ctx {
    ct_req *r;
    json_t *items;
    int blind;
    long limit;
    char last[CT_UUID_TEXT];
    int full;
} list_ctx;

static int list_one(const ct_review_item *it, void *arg)
{
    list_ctx *x = arg;
    snprintf(x->last, sizeof(x->last), "%s", it->id);
    if (!may_review(x->r, it))
        return 0;
    json_t *o = summary(it, x->blind);
    if (!o || json_array_append_new(x->items, o))
        return CT_ENOMEM;
    if ((long)json_array_size(x->items) >= x->limit) {
        x->full = 1;
        return 1;
    }
    return 0;
}

CT_HANDLER(h_review_list)
{
    static const char *const allowed[] = {"kind",  "status", "record_type", "record_id",
                                          "blind", "cursor", "limit",       NULL};
    ct_review_filter f = {0};
    list_ctx x = {r, NULL, 0, 0, "", 0};
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = ct_req_query_code(r, "kind", "review_kinds", &f.kind, err);
    if (!rc)
        rc = ct_req_query_code(r, "status", "review_statuses", &f.status, err);
    if (!rc)
        rc = ct_req_query_uuid(r, "record_id", &f.record_id, err);
    if (!rc)
        rc = ct_req_query_uuid(r, "cursor", &f.after_id, err);
    if (!rc)
        rc = ct_req_query_limit(r, PAGE_DEFAULT, PAGE_MAX, &x.limit, err);
    if (!rc)
        rc = blind_arg(r, &x.blind, err);
    if (rc)
        return rc;
    f.record_type = ct_req_query(r, "record_type");
    if (f.record_type && !f.record_id)
        return ct_err_set_field(err, CT_EUSAGE, "record_type", "%s",
                                _("record_type goes with record_id"));
    if (f.record_id && !f.record_type)
        f.record_type = ""; /* below: any type */
    if (f.kind && ct_access_review_reach(r->role, f.kind) == CT_REVIEW_REACH_NONE)
        return ct_err_set_field(err, CT_EPERM, "kind", "%s",
                                _("your role does not review this kind of candidate"));
    /* a reviewer of no kind in full sees its agency's items only: let the
     * store filter them; may_review decides each item anyway */
    static const char *const kinds[] = {"registry_hit", "duplicate_person"};
    int all = 0;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if ((!f.kind || strcmp(f.kind, kinds[i]) == 0) &&
            ct_access_review_reach(r->role, kinds[i]) == CT_REVIEW_REACH_ALL)
            all = 1;
    if (!all)
        f.agency = r->user.agency;
    x.items = ct_req_keep(r, json_array());
    if (!x.items)
        return oom(err);
    if (f.record_type && !*f.record_type) {
        /* any type: the store matches a type and an id, so try each */
        static const char *const types[] = {"person", "missing", "placement"};
        for (size_t i = 0; !rc && !x.full && i < sizeof(types) / sizeof(types[0]); i++) {
            f.record_type = types[i];
            rc = ct_store_review_each(r->store, &f, list_one, &x, err);
        }
        x.full = 0; /* one record's items: one page */
    } else {
        rc = ct_store_review_each(r->store, &f, list_one, &x, err);
    }
    if (rc == CT_ENOMEM && !err->code)
        return oom(err);
    if (rc < 0)
        return rc;
    json_t *body =
        json_pack("{s:O, s:o, s:b}", "items", x.items, "next_cursor",
                  x.full && x.last[0] ? json_string(x.last) : json_null(), "blind", x.blind);
    return body ? ct_req_reply_json(r, 200, body) : oom(err);
}

/* ---- one item ----------------------------------------------------------------------- */

/* Loads item id if the caller may review it (404 otherwise). */
static int load_item(ct_req *r, const char *id, ct_review_item *it, ct_err *err)
{
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_review_get(r->store, id, it, &e2);
    if (rc == CT_ENOTFOUND || (!rc && !may_review(r, it)))
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such review item"));
    return rc ? ct_err_set(err, rc, "%s", e2.msg) : 0;
}

/* Appends "side.path" of every personal-data field the record carries. */
static void add_fields(ct_buf *fields, const char *side, const json_t *o)
{
    const char *type = json_string_value(json_object_get(o, "type"));
    const json_t *rec = json_object_get(o, "record");
    const ct_field_table *t = NULL;
    if (type && strcmp(type, "person") == 0)
        t = &ct_person_table;
    else if (type && ct_reg_kind_of(type) >= 0)
        t = ct_reg_table((enum ct_reg_kind)ct_reg_kind_of(type));
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)rec, key, v)
    {
        const ct_field *f = t ? ct_field_find(t, key) : NULL;
        if (!f || !f->pd)
            continue;
        if (fields->len)
            ct_buf_addc(fields, ',');
        ct_buf_addf(fields, "%s.%s", side, key);
    }
}

/* The item with both records as the caller may see them. */
static int item_view(ct_req *r, const ct_review_item *it, int blind, int decisions, json_t **out,
                     ct_buf *fields, ct_err *err)
{
    ct_review_view_opts vo = {blind, decisions, redact_cb, r};
    int rc = ct_review_item_json(r->store, it, &vo, out, err);
    if (rc)
        return rc;
    if (fields) {
        add_fields(fields, "a", json_object_get(*out, "a"));
        add_fields(fields, "b", json_object_get(*out, "b"));
        if (fields->oom) {
            json_decref(*out);
            *out = NULL;
            return oom(err);
        }
    }
    if (json_object_set_new(*out, "blind", json_boolean(blind))) {
        json_decref(*out);
        *out = NULL;
        return oom(err);
    }
    return 0;
}

CT_HANDLER(h_review_get)
{
    static const char *const allowed[] = {"blind", NULL};
    int blind = 0;
    if (ct_req_query_check(r, allowed, err) || blind_arg(r, &blind, err))
        return err->code;
    ct_review_item it;
    int rc = load_item(r, ct_req_param(r, 0), &it, err);
    json_t *v = NULL;
    ct_buf fields = CT_BUF_INIT;
    if (!rc)
        rc = item_view(r, &it, blind, 1, &v, &fields, err);
    if (!rc) {
        char detail[CT_REVIEW_READ_DETAIL];
        ct_audit_entry e;
        ct_review_read_entry(&it, blind, detail, &e);
        e.fields = fields.len ? fields.buf : NULL;
        rc = ct_http_audit_queue(r, &e, err);
    }
    ct_buf_release(&fields);
    if (rc) {
        json_decref(v);
        return rc;
    }
    ct_req_set_etag(r, it.version);
    return ct_req_reply_json(r, 200, v);
}

/* ---- decisions ------------------------------------------------------------------------ */

/* The version the decision is based on: If-Match, else the body's
 * "version"; both must agree when both are sent. */
static int based_on(ct_req *r, const json_t *version, int *out, ct_err *err)
{
    int im = ct_req_if_match(r);
    if (im < 0)
        return ct_err_set_field(err, CT_EUSAGE, "If-Match", "%s",
                                _("If-Match must be an ETag of this API, e.g. \"3\""));
    json_int_t v = version ? json_integer_value(version) : 0;
    if (version && (v < 1 || v > 1000000000))
        return ct_err_set_field(err, CT_EINVAL, "version", "%s",
                                _("must be the item's version (a whole number from 1)"));
    if (im && version && v != im)
        return ct_err_set_field(err, CT_EINVAL, "version", "%s",
                                _("differs from If-Match; send one of them"));
    *out = im ? im : (int)v;
    if (!*out)
        return ct_err_set_field(err, CT_EPRECOND, "If-Match", "%s",
                                _("send If-Match (or \"version\") with the version of the item "
                                  "you read"));
    return 0;
}

CT_HANDLER(h_review_decide)
{
    static const ct_body_field spec[] = {
        {"action", CT_BODY_STRING, 1, 16},
        {"reason", CT_BODY_STRING, 0, 500},
        {"version", CT_BODY_INT, 0, 0},
    };
    const json_t *v[3];
    int want = 0;
    int rc = ct_req_body_fields(r, spec, 3, v, err);
    if (!rc)
        rc = based_on(r, v[2], &want, err);
    if (rc)
        return rc;
    int action = ct_review_action_of(json_string_value(v[0]));
    if (action < 0)
        return ct_err_set_field(err, CT_EINVAL, "action", "%s",
                                _("the decision is confirm, reject or undo"));
    ct_review_item it;
    int changed = 0, blind = ct_review_blind(r->store);
    if ((rc = ct_req_begin(r, err)))
        return rc;
    rc = load_item(r, ct_req_param(r, 0), &it, err);
    if (!rc) {
        ct_review_decide_opts o = {it.id, (enum ct_review_action)action, ct_req_reason(r), want};
        rc = ct_review_decide(r->store, &o, &it, &changed, err);
    }
    if (rc == CT_ESTALE) {
        /* 412 with the item as it is now (no record's content) */
        ct_review_item cur;
        ct_err e2 = CT_ERR_INIT;
        if (!ct_store_review_get(r->store, ct_req_param(r, 0), &cur, &e2)) {
            json_decref(r->current);
            r->current = summary(&cur, blind);
            ct_req_set_etag(r, cur.version);
        }
    }
    if (!rc)
        rc = ct_req_commit(r, err);
    else
        ct_req_rollback(r);
    if (rc)
        return rc;
    json_t *o = summary(&it, blind);
    if (!o || json_object_set_new(o, "changed", json_boolean(changed))) {
        json_decref(o);
        return oom(err);
    }
    ct_req_set_etag(r, it.version);
    return ct_req_reply_json(r, changed ? 201 : 200, o);
}
