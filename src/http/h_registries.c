/*
 * h_registries.c - /api/v1/registries/{kind}: the child registries of
 * issue 7 (docs/registries.md) over the API, kind missing | placements |
 * institutions, with the field rules and audit trail of cases:
 *
 *  - a record belongs to the agency that created it; only that agency's
 *    users with registry.write (child protection) change it;
 *  - which records a role reaches is table 2 of src/access (its agency's,
 *    or every agency's for national roles); institutions hold no personal
 *    data and are reached by every reader; a record out of reach is 404,
 *    like one that does not exist, so ids do not leak;
 *  - which fields it receives is table 3 (the relation is "own" for the
 *    owning agency, "other" otherwise: registries are not shared);
 *  - every read of a report or placement is audited with the personal-data
 *    fields the reply carried, every change with before/after and reason;
 *  - a new or changed report or placement is cross-checked with the
 *    victims and the other registries at once (ct_reg_crosscheck, as the
 *    CLI's import does): candidates go to the review queue;
 *  - the institution flags (rule, value, threshold) are shown to roles
 *    with registry.flags (the coordinator).
 */
#include "http_int.h"

#include "core/i18n.h"
#include "registry/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 20
#define PAGE_MAX     100

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

/* The path's registry: the plural names of the issue. */
static int kind_of_path(ct_req *r, enum ct_reg_kind *out, ct_err *err)
{
    static const struct {
        const char *name;
        enum ct_reg_kind kind;
    } names[] = {{"missing", CT_REG_MISSING},
                 {"placements", CT_REG_PLACEMENT},
                 {"institutions", CT_REG_INSTITUTION}};
    const char *p = ct_req_param(r, 0);
    for (size_t i = 0; p && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i].name, p) == 0) {
            *out = names[i].kind;
            return 0;
        }
    return ct_err_set(err, CT_ENOTFOUND, "%s",
                      _("no such registry (missing, placements or institutions)"));
}

static const char *path_of(enum ct_reg_kind k)
{
    return k == CT_REG_MISSING ? "missing" : k == CT_REG_PLACEMENT ? "placements" : "institutions";
}

/* The reader's relation to a record; CT_ENOTFOUND when out of reach. */
static int reach(ct_req *r, const ct_reg_record *rec, enum ct_relation *rel, ct_err *err)
{
    if (rec->agency && strcmp(rec->agency, r->user.agency) == 0) {
        *rel = CT_REL_OWN;
        return 0;
    }
    *rel = CT_REL_OTHER;
    if (rec->kind == CT_REG_INSTITUTION || ct_access_scope(r->role) == CT_SCOPE_NATIONAL)
        return 0;
    /* the same answer as for a record that does not exist: ids do not leak */
    return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such registry record"));
}

/* Loads record id of kind k as the caller reaches it. */
static int load(ct_req *r, enum ct_reg_kind k, const char *id, ct_reg_record *rec,
                enum ct_relation *rel, ct_err *err)
{
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_reg_get(r->store, id, rec, &e2);
    if (rc == CT_ENOTFOUND || (!rc && rec->kind != k))
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such registry record"));
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    return reach(r, rec, rel, err);
}

/* ---- views ------------------------------------------------------------------------ */

/* The flags of institutions, {institution id: [flag, ...]}, for roles that
 * read them; NULL (and no error) for the others. */
typedef struct flags_ctx {
    json_t *by_inst;
    const char *only; /* one institution, or NULL */
} flags_ctx;

static int flag_one(const ct_reg_flag *f, void *arg)
{
    flags_ctx *x = arg;
    if (x->only && strcmp(x->only, f->institution) != 0)
        return 0;
    json_t *list = json_object_get(x->by_inst, f->institution);
    if (!list) {
        list = json_array();
        if (!list || json_object_set_new(x->by_inst, f->institution, list))
            return CT_ENOMEM;
    }
    json_t *o = json_pack("{s:s,s:I,s:I,s:b,s:s?,s:s?}", "rule", f->rule, "value",
                          (json_int_t)f->value, "threshold", (json_int_t)f->threshold, "active",
                          f->active, "raised_at", f->raised_at[0] ? f->raised_at : NULL,
                          "updated_at", f->updated_at[0] ? f->updated_at : NULL);
    return o && !json_array_append_new(list, o) ? 0 : CT_ENOMEM;
}

static int load_flags(ct_req *r, enum ct_reg_kind k, const char *only, json_t **out, ct_err *err)
{
    *out = NULL;
    if (k != CT_REG_INSTITUTION || !ct_access_allows(r->role, CT_PERM_REGISTRY_FLAGS))
        return 0;
    flags_ctx x = {ct_req_keep(r, json_object()), only};
    if (!x.by_inst)
        return oom(err);
    int rc = ct_store_reg_flag_each(r->store, 0, flag_one, &x, err);
    if (rc == CT_ENOMEM && !err->code)
        return oom(err);
    if (rc)
        return rc;
    *out = x.by_inst;
    return 0;
}

/* The record as the caller may see it; the personal-data fields included
 * go to fields (comma-separated) for the audit trail. */
static json_t *view(ct_req *r, const ct_reg_record *rec, enum ct_relation rel, json_t *flags,
                    ct_buf *fields, ct_err *err)
{
    unsigned hidden = ct_access_hidden(r->role, rel, NULL);
    json_t *o = ct_reg_to_json(rec, hidden, 1);
    if (!o) {
        oom(err);
        return NULL;
    }
    const ct_field_table *t = ct_reg_table(rec->kind);
    for (size_t i = 0; fields && i < t->count; i++) {
        const ct_field *f = &t->fields[i];
        if (!f->pd || !json_object_get(o, f->path))
            continue;
        if (fields->len)
            ct_buf_addc(fields, ',');
        ct_buf_adds(fields, f->path);
    }
    if (flags) {
        json_t *mine = json_object_get(flags, rec->id);
        if (json_object_set_new(o, "flags", mine ? json_incref(mine) : json_array())) {
            json_decref(o);
            oom(err);
            return NULL;
        }
    }
    return o;
}

/* Audits the read of reports and placements (institutions hold no
 * personal data). */
static int audit_read(ct_req *r, const ct_reg_record *rec, const ct_buf *fields, ct_err *err)
{
    if (rec->kind == CT_REG_INSTITUTION)
        return 0;
    const char *id = rec->id, *fl = fields->buf;
    return ct_http_audit_reads(r, "registry.read", ct_reg_kind_name(rec->kind), &id, &fl, 1, err);
}

/* ---- list ---------------------------------------------------------------------------- */

typedef struct list_ctx {
    ct_req *r;
    json_t *items, *flags;
    int flagged; /* -1 any, 1 with an active flag, 0 without */
    long limit;
    char last[CT_UUID_TEXT];
    int full;
    ct_err *err;
} list_ctx;

static int has_active_flag(const json_t *flags, const char *id)
{
    const json_t *list = json_object_get(flags, id);
    for (size_t i = 0; i < json_array_size(list); i++)
        if (json_is_true(json_object_get(json_array_get(list, i), "active")))
            return 1;
    return 0;
}

static int list_one(ct_reg_record *rec, void *arg)
{
    list_ctx *x = arg;
    snprintf(x->last, sizeof(x->last), "%s", rec->id);
    if (x->flagged >= 0 && has_active_flag(x->flags, rec->id) != x->flagged)
        return 0;
    enum ct_relation rel;
    ct_err ignored = CT_ERR_INIT;
    if (reach(x->r, rec, &rel, &ignored))
        return 0; /* the store's filter keeps agency-scoped readers to their agency */
    ct_buf fields = CT_BUF_INIT;
    json_t *v = view(x->r, rec, rel, x->flags, &fields, x->err);
    int rc = !v || json_array_append_new(x->items, v) || fields.oom ? oom(x->err) : 0;
    if (!rc)
        rc = audit_read(x->r, rec, &fields, x->err);
    ct_buf_release(&fields);
    if (rc)
        return rc;
    if ((long)json_array_size(x->items) >= x->limit) {
        x->full = 1;
        return 1;
    }
    return 0;
}

/* A date of the query as the first or the last day it may mean. */
static int date_arg(ct_req *r, const char *name, int last, const char **out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    *out = NULL;
    if (!v)
        return 0;
    ct_date d;
    if (ct_date_parse(v, strlen(v), &d))
        return ct_err_set_field(err, CT_EUSAGE, name,
                                _("%s must be a date (YYYY, YYYY-MM or YYYY-MM-DD)"), name);
    char text[CT_DATE_TEXT_MAX];
    ct_date_format(last ? ct_date_last_day(d) : ct_date_first_day(d), text);
    *out = ct_arena_strdup(&r->arena, text);
    return *out ? 0 : oom(err);
}

static int list_filter(ct_req *r, enum ct_reg_kind k, ct_reg_filter *f, int *flagged, long *limit,
                       ct_err *err)
{
    static const char *const allowed[] = {"status",  "agency", "institution", "from", "to",
                                          "flagged", "cursor", "limit",       NULL};
    int rc = ct_req_query_check(r, allowed, err);
    const char *status = ct_req_query(r, "status");
    *flagged = -1;
    if (!rc && status && k == CT_REG_MISSING)
        rc = ct_req_query_code(r, "status", "missing_statuses", &f->status, err);
    else if (!rc && status && k == CT_REG_PLACEMENT && strcmp(status, "active") != 0)
        rc = ct_req_query_code(r, "status", "placement_exit_reasons", &f->status, err);
    else if (!rc && status && k == CT_REG_PLACEMENT)
        f->status = "active";
    else if (!rc && status)
        rc = ct_err_set_field(err, CT_EUSAGE, "status", "%s",
                              _("institutions have no status; use flagged"));
    if (!rc && ct_req_query(r, "institution") && k != CT_REG_PLACEMENT)
        rc = ct_err_set_field(err, CT_EUSAGE, "institution", "%s",
                              _("only placements are filtered by institution"));
    if (!rc)
        rc = ct_req_query_uuid(r, "institution", &f->institution, err);
    if (!rc && (ct_req_query(r, "from") || ct_req_query(r, "to")) && k == CT_REG_INSTITUTION)
        rc = ct_err_set_field(err, CT_EUSAGE, ct_req_query(r, "from") ? "from" : "to", "%s",
                              _("institutions have no dates to filter on"));
    if (!rc)
        rc = date_arg(r, "from", 0, &f->date_from, err);
    if (!rc)
        rc = date_arg(r, "to", 1, &f->date_to, err);
    if (!rc)
        rc = ct_req_query_bool(r, "flagged", flagged, err);
    if (!rc && *flagged >= 0 &&
        (k != CT_REG_INSTITUTION || !ct_access_allows(r->role, CT_PERM_REGISTRY_FLAGS)))
        rc = k != CT_REG_INSTITUTION
                 ? ct_err_set_field(err, CT_EUSAGE, "flagged", "%s",
                                    _("only institutions are flagged"))
                 : ct_err_set_field(err, CT_EPERM, "flagged", "%s",
                                    _("your role does not read the institution flags"));
    if (!rc)
        rc = ct_req_query_uuid(r, "cursor", &f->after_id, err);
    if (!rc)
        rc = ct_req_query_limit(r, PAGE_DEFAULT, PAGE_MAX, limit, err);
    if (rc)
        return rc;
    f->kind = (int)k;
    f->agency = ct_req_query(r, "agency");
    return 0;
}

CT_HANDLER(h_registries_list)
{
    enum ct_reg_kind k = CT_REG_MISSING; /* set by kind_of; gcc -O3 cannot tell */
    ct_reg_filter f = {0};
    list_ctx x = {r, NULL, NULL, -1, 0, "", 0, err};
    int rc = kind_of_path(r, &k, err);
    if (!rc)
        rc = list_filter(r, k, &f, &x.flagged, &x.limit, err);
    if (!rc)
        rc = load_flags(r, k, NULL, &x.flags, err);
    if (rc)
        return rc;
    x.items = ct_req_keep(r, json_array());
    if (!x.items)
        return oom(err);
    int none = 0;
    if (k != CT_REG_INSTITUTION && ct_access_scope(r->role) == CT_SCOPE_AGENCY) {
        /* an agency-scoped reader reaches its own agency's records only */
        none = f.agency && strcmp(f.agency, r->user.agency) != 0;
        f.agency = r->user.agency;
    }
    /* the flag filter is applied here: ask the store for a little more */
    f.limit = x.flagged >= 0 ? 0 : x.limit;
    ct_err e2 = CT_ERR_INIT;
    rc = none ? 0 : ct_store_reg_each(r->store, &f, list_one, &x, &e2);
    if (rc < 0)
        return err->code ? err->code : ct_err_set(err, rc, "%s", e2.msg);
    int more = x.full || (x.flagged < 0 && (long)json_array_size(x.items) == x.limit);
    json_t *body = json_pack("{s:O, s:o}", "records", x.items, "next_cursor",
                             more && x.last[0] ? json_string(x.last) : json_null());
    return body ? ct_req_reply_json(r, 200, body) : oom(err);
}

/* ---- one record ------------------------------------------------------------------------ */

static int reply_record(ct_req *r, int status, const ct_reg_record *rec, enum ct_relation rel,
                        int audit, ct_err *err)
{
    json_t *flags;
    int rc = load_flags(r, rec->kind, rec->id, &flags, err);
    ct_buf fields = CT_BUF_INIT;
    json_t *v = rc ? NULL : view(r, rec, rel, flags, &fields, err);
    if (!rc && (!v || fields.oom))
        rc = err->code ? err->code : oom(err);
    if (!rc && audit)
        rc = audit_read(r, rec, &fields, err);
    ct_buf_release(&fields);
    if (rc) {
        json_decref(v);
        return rc;
    }
    ct_req_set_etag(r, rec->version);
    return ct_req_reply_json(r, status, v);
}

CT_HANDLER(h_registries_get)
{
    enum ct_reg_kind k = CT_REG_MISSING; /* set by kind_of; gcc -O3 cannot tell */
    if (ct_req_query_check(r, NULL, err) || kind_of_path(r, &k, err))
        return err->code;
    ct_reg_record rec;
    ct_reg_record_init(&rec, k);
    enum ct_relation rel;
    int rc = load(r, k, ct_req_param(r, 1), &rec, &rel, err);
    if (!rc)
        rc = reply_record(r, 200, &rec, rel, 1, err);
    ct_reg_record_release(&rec);
    return rc;
}

/* Reads the body as a record of kind k owned by the caller's agency. */
static int read_body(ct_req *r, ct_reg_record *rec, ct_err *err)
{
    ct_case_read_opts opts = {ct_req_today(), r->user.agency, 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    int rc = ct_reg_from_json(rec, r->json, &opts, &pr);
    if (rc == CT_EINVAL)
        rc = ct_req_fail_problems(r, &pr, err);
    else if (rc)
        rc = oom(err);
    ct_problems_release(&pr);
    if (!rc && strcmp(rec->agency, r->user.agency) != 0)
        rc = ct_err_set_field(err, CT_EPERM, "agency", "%s",
                              _("registry records are recorded for your own agency"));
    return rc;
}

/* Fields the writer may not see (table 3) are kept as stored, and setting
 * one is refused: the same rule as for cases (view.c). */
static int merge_hidden(ct_req *r, ct_reg_record *next, const ct_reg_record *stored,
                        enum ct_relation rel, ct_err *err)
{
    unsigned hidden = ct_access_hidden(r->role, rel, NULL);
    const ct_field_table *t = ct_reg_table(next->kind);
    json_t *given = r->json;
    for (size_t i = 0; i < t->count; i++) {
        const ct_field *f = &t->fields[i];
        if (!(f->pd & hidden) || f->type == CT_F_ID || (f->flags & CT_FIELD_READ_ONLY))
            continue;
        json_t *v = json_object_get(given, f->path);
        if (v && !json_is_null(v))
            return ct_err_set_field(err, CT_EPERM, f->path, "%s",
                                    _("your role may not set this field"));
        /* the member's bytes: each field type is a pointer, list, date or int */
        size_t n = f->type == CT_F_DATE                            ? sizeof(ct_date)
                   : f->type == CT_F_CODES || f->type == CT_F_STRS ? sizeof(ct_strv)
                   : f->type == CT_F_INT || f->type == CT_F_BOOL   ? sizeof(int)
                                                                   : sizeof(const char *);
        if (stored)
            memcpy((char *)next + f->offset, (const char *)stored + f->offset, n);
    }
    return 0;
}

/* A store error about the input ("institution: no such record") is the
 * body's fault: 400 naming the field. */
static int put_error(int rc, ct_err *err)
{
    if (rc == CT_ENOTFOUND && err->field[0])
        err->code = rc = CT_EINVAL;
    return rc;
}

static int audit_change(ct_req *r, const char *action, const ct_reg_record *before,
                        const ct_reg_record *after, ct_err *err)
{
    json_t *b = before ? ct_reg_to_json(before, 0, 0) : NULL;
    json_t *a = ct_reg_to_json(after, 0, 0);
    ct_buf fields = CT_BUF_INIT;
    json_t *diff = (before && !b) || !a ? NULL : ct_view_diff(b, a, &fields);
    char *detail = diff ? json_dumps(diff, JSON_COMPACT) : NULL;
    int rc = detail && !fields.oom ? ct_req_audit(r, action, ct_reg_kind_name(after->kind),
                                                  after->id, fields.buf, detail, err)
                                   : oom(err);
    free(detail);
    json_decref(diff);
    json_decref(a);
    json_decref(b);
    ct_buf_release(&fields);
    return rc;
}

/* Cross-checks what changed (reports and placements) in a transaction of
 * its own, after the change is committed: a failure leaves the records
 * pending for the next check (xcheck.c's invariant) and does not undo the
 * change. The number of new review items goes to X-Review-Queued. */
static void crosscheck(ct_req *r, enum ct_reg_kind k)
{
    if (k == CT_REG_INSTITUTION)
        return;
    ct_err e = CT_ERR_INIT;
    ct_reg_check_stats st;
    int rc = ct_req_begin(r, &e);
    if (!rc)
        rc = ct_reg_crosscheck(r->store, NULL, &st, &e);
    if (!rc)
        rc = ct_req_commit(r, &e);
    else
        ct_req_rollback(r);
    if (rc) {
        ct_http_log_event(r->srv, "registry.crosscheck", e.msg);
        return;
    }
    char n[24];
    snprintf(n, sizeof(n), "%ld", st.queued);
    char *v = ct_arena_strdup(&r->arena, n);
    if (v)
        ct_req_set_header(r, "X-Review-Queued", v);
}

static int create_in_tx(ct_req *r, ct_reg_record *rec, ct_err *err)
{
    int rc = merge_hidden(r, rec, NULL, CT_REL_OWN, err);
    enum ct_put_outcome outcome;
    if (!rc)
        rc = put_error(ct_store_reg_put(r->store, rec, NULL, &outcome, err), err);
    if (!rc && outcome != CT_PUT_INSERTED)
        rc = ct_err_set_field(
            err, CT_ECONFLICT, "source_id", "%s",
            _("your agency has a registry record with this source_id; update it instead"));
    if (!rc)
        rc = audit_change(r, "registry.create", NULL, rec, err);
    return rc;
}

CT_HANDLER(h_registries_create)
{
    enum ct_reg_kind k = CT_REG_MISSING; /* set by kind_of; gcc -O3 cannot tell */
    if (kind_of_path(r, &k, err))
        return err->code;
    if (json_object_get(r->json, "id"))
        return ct_err_set_field(err, CT_EINVAL, "id", "%s",
                                _("ctip assigns the id of a new registry record"));
    ct_reg_record rec, cur;
    ct_reg_record_init(&rec, k);
    ct_reg_record_init(&cur, k);
    int rc = read_body(r, &rec, err);
    if (!rc)
        rc = ct_req_begin(r, err);
    if (!rc)
        rc = create_in_tx(r, &rec, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    else
        ct_req_rollback(r);
    if (!rc)
        crosscheck(r, k);
    enum ct_relation rel;
    /* reply with the stored record: version and references as the store set them */
    if (!rc)
        rc = load(r, k, rec.id, &cur, &rel, err);
    if (!rc) {
        char loc[96];
        snprintf(loc, sizeof(loc), "/api/v1/registries/%s/%s", path_of(k), rec.id);
        char *l = ct_arena_strdup(&r->arena, loc);
        if (l)
            ct_req_set_header(r, "Location", l);
        rc = reply_record(r, 201, &cur, rel, 0, err);
    }
    ct_reg_record_release(&cur);
    ct_reg_record_release(&rec);
    return rc;
}

/* 412 with the current version as the caller may see it. */
static int stale(ct_req *r, const ct_reg_record *cur, enum ct_relation rel, int wanted, ct_err *err)
{
    json_decref(r->current);
    r->current = view(r, cur, rel, NULL, NULL, err);
    ct_req_set_etag(r, cur->version);
    return ct_err_set(err, CT_ESTALE,
                      _("the registry record changed since you read it (version %d, now %d)"),
                      wanted, cur->version);
}

static int update_in_tx(ct_req *r, enum ct_reg_kind k, ct_reg_record *next, int *changed,
                        ct_err *err)
{
    const char *id = ct_req_param(r, 1);
    ct_reg_record stored;
    ct_reg_record_init(&stored, k);
    enum ct_relation rel;
    int want = ct_req_if_match(r);
    int rc = load(r, k, id, &stored, &rel, err);
    if (!rc && rel != CT_REL_OWN)
        rc = ct_err_set(err, CT_EPERM, "%s",
                        _("only the agency that owns a registry record may change it"));
    if (!rc && stored.version != want)
        rc = stale(r, &stored, rel, want, err);
    if (!rc)
        rc = read_body(r, next, err);
    if (!rc && next->id && strcmp(next->id, id) != 0)
        rc = ct_err_set_field(err, CT_EINVAL, "id", "%s", _("the id differs from the URL's"));
    if (!rc)
        rc = merge_hidden(r, next, &stored, rel, err);
    next->id = id;
    ct_reg_put_opts opts = {NULL, want, 1};
    enum ct_put_outcome outcome = CT_PUT_UNCHANGED;
    if (!rc) {
        rc = put_error(ct_store_reg_put(r->store, next, &opts, &outcome, err), err);
        if (rc == CT_ESTALE) /* changed since it was loaded above: not in one transaction */
            rc = stale(r, &stored, rel, want, err);
    }
    *changed = !rc && outcome == CT_PUT_UPDATED;
    if (*changed)
        rc = audit_change(r, "registry.update", &stored, next, err);
    ct_reg_record_release(&stored);
    return rc;
}

CT_HANDLER(h_registries_update)
{
    enum ct_reg_kind k = CT_REG_MISSING; /* set by kind_of; gcc -O3 cannot tell */
    if (kind_of_path(r, &k, err))
        return err->code;
    ct_reg_record next, cur;
    ct_reg_record_init(&next, k);
    ct_reg_record_init(&cur, k);
    int changed = 0;
    int rc = ct_req_begin(r, err);
    if (!rc)
        rc = update_in_tx(r, k, &next, &changed, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    else
        ct_req_rollback(r);
    if (!rc && changed)
        crosscheck(r, k);
    enum ct_relation rel;
    if (!rc)
        rc = load(r, k, ct_req_param(r, 1), &cur, &rel, err);
    if (!rc)
        rc = reply_record(r, 200, &cur, rel, 0, err);
    ct_reg_record_release(&cur);
    ct_reg_record_release(&next);
    return rc;
}
