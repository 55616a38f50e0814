/*
 * h_audit.c - /api/v1/audit: the audit trail, read-only, for auditors.
 * The trail holds before/after values of changes, so reading it is itself
 * recorded (action "audit.read"). Entries are never changed or removed
 * through the API (nor at all: the database refuses, see 001_init.sql).
 */
#include "http_int.h"

#include "core/i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 100
#define PAGE_MAX     1000

static void set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

typedef struct audit_ctx {
    json_t *items;
    long long last;
} audit_ctx;

static int add_row(const ct_audit_row *row, void *arg)
{
    audit_ctx *x = arg;
    json_t *o = json_object();
    if (!o)
        return CT_ENOMEM;
    json_object_set_new(o, "id", json_integer(row->id));
    set_str(o, "at", row->at);
    set_str(o, "actor", row->actor);
    set_str(o, "agency", row->agency);
    set_str(o, "action", row->action);
    set_str(o, "record_type", row->record_type);
    set_str(o, "record_id", row->record_id);
    set_str(o, "fields", row->fields);
    set_str(o, "reason", row->reason);
    set_str(o, "request_id", row->request_id);
    json_t *detail = row->detail ? json_loads(row->detail, 0, NULL) : NULL;
    json_object_set_new(o, "detail", detail ? detail : json_null());
    x->last = row->id;
    return json_array_append_new(x->items, o) ? CT_ENOMEM : 0;
}

CT_HANDLER(h_audit_list)
{
    static const char *const allowed[] = {"record_id", "actor", "action", "cursor", "limit", NULL};
    ct_audit_filter f = {0};
    long limit;
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = ct_req_query_limit(r, PAGE_DEFAULT, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    const char *cursor = ct_req_query(r, "cursor");
    if (cursor) {
        char *end;
        errno = 0;
        f.before = strtoll(cursor, &end, 10);
        if (errno || end == cursor || *end || f.before < 1)
            return ct_err_set_field(err, CT_EUSAGE, "cursor", "%s",
                                    _("cursor must be the next_cursor of a previous page"));
    }
    f.record_id = ct_req_query(r, "record_id");
    f.actor = ct_req_query(r, "actor");
    f.action = ct_req_query(r, "action");
    f.limit = limit;
    audit_ctx x = {ct_req_keep(r, json_array()), 0};
    if (!x.items)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    rc = ct_store_audit_each(r->store, &f, add_row, &x, err);
    if (rc == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (rc)
        return rc;
    json_t *q = json_pack("{s:s?, s:s?, s:s?}", "record_id", f.record_id, "actor", f.actor,
                          "action", f.action);
    char *detail = q ? json_dumps(q, JSON_COMPACT) : NULL;
    json_decref(q);
    rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_req_audit(r, "audit.read", NULL, NULL, NULL, detail, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    free(detail);
    if (rc)
        return rc;
    long n = (long)json_array_size(x.items);
    json_t *body = json_pack("{s:O, s:o}", "entries", x.items, "next_cursor",
                             n == limit && x.last > 1 ? json_integer(x.last) : json_null());
    return ct_req_reply_json(r, 200, body);
}

CT_HANDLER(h_audit_verify)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    long n = 0, bad = 0;
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_audit_verify(r->store, &n, &bad, &e2);
    if (rc && rc != CT_EINVAL)
        return ct_err_set(err, rc, "%s", e2.msg);
    json_t *body = json_pack("{s:b, s:I}", "intact", rc == 0, "entries", (json_int_t)n);
    if (body && rc)
        json_object_set_new(body, "first_bad_entry", json_integer(bad));
    return ct_req_reply_json(r, 200, body);
}
