/*
 * view.c - what one caller may see of a case, applying the rules of
 * src/access/access.c field by field through the field tables of model.h;
 * which personal-data fields a reply carries (for the audit trail); what a
 * change changed (before/after values for the audit trail).
 */
#include "http_int.h"

#include "core/case_json.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

int ct_view_load_case(ct_req *r, const char *id, ct_case *c, enum ct_relation *rel, ct_err *err)
{
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_case_get(r->store, id, c, &e2);
    if (rc == CT_ENOTFOUND)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such case"));
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    if (c->agency && strcmp(c->agency, r->user.agency) == 0) {
        *rel = CT_REL_OWN;
        return 0;
    }
    enum ct_case_relation cr;
    if ((rc = ct_store_case_relation(r->store, id, r->user.agency, &cr, &e2)))
        return ct_err_set(err, rc, "%s", e2.msg);
    if (cr == CT_CASE_SHARED) {
        *rel = CT_REL_SHARED;
        return 0;
    }
    if (ct_access_scope(r->role) == CT_SCOPE_NATIONAL) {
        *rel = CT_REL_OTHER;
        return 0;
    }
    /* the same answer as for a case that does not exist: ids do not leak */
    return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such case"));
}

unsigned ct_view_hidden(ct_req *r, const ct_case *c, const ct_person *p, enum ct_relation rel)
{
    if (!p)
        return ct_access_hidden(r->role, rel, NULL);
    ct_access_facts facts = {0, rel == CT_REL_OWN};
    const ct_http_opts *o = &r->srv->opts;
    if (!ct_access_needs_facts(r->role, rel))
        return ct_access_hidden(r->role, rel, &facts);
    if (!p->id || !o->facts ||
        o->facts(o->facts_arg, r->store, c->id, p->id, r->user.agency, r->role, rel, &facts))
        memset(&facts, 0, sizeof(facts)); /* unknown facts grant nothing */
    return ct_access_hidden(r->role, rel, &facts);
}

/* ---- members by field type ---------------------------------------------------- */

static int has_value(const void *item, const ct_field *f)
{
    const char *m = (const char *)item + f->offset;
    switch (f->type) {
    case CT_F_STR:
    case CT_F_ID:
    case CT_F_CODE:
        return *(const char *const *)m != NULL;
    case CT_F_CODES:
    case CT_F_STRS:
        return ((const ct_strv *)m)->n > 0;
    case CT_F_DATE:
        return ((const ct_date *)m)->year != 0;
    case CT_F_INT:
        return f->min >= 0 ? *(const int *)m >= 0 : 1;
    case CT_F_BOOL:
        return *(const int *)m != 0;
    case CT_F_OBJECTS:
        return *(const size_t *)((const char *)item + f->count_offset) > 0;
    }
    return 0;
}

static void copy_member(void *dst, const void *src, const ct_field *f)
{
    size_t n = 0;
    switch (f->type) {
    case CT_F_STR:
    case CT_F_ID:
    case CT_F_CODE:
        n = sizeof(const char *);
        break;
    case CT_F_CODES:
    case CT_F_STRS:
        n = sizeof(ct_strv);
        break;
    case CT_F_DATE:
        n = sizeof(ct_date);
        break;
    case CT_F_INT:
    case CT_F_BOOL:
        n = sizeof(int);
        break;
    case CT_F_OBJECTS:
        n = sizeof(void *);
        memcpy((char *)dst + f->count_offset, (const char *)src + f->count_offset, sizeof(size_t));
        break;
    }
    memcpy((char *)dst + f->offset, (const char *)src + f->offset, n);
}

/* Appends prefix+path of each personal-data field with a value that is not
 * hidden, once. */
static void add_fields(ct_buf *fields, const char *prefix, const void *item,
                       const ct_field_table *t, unsigned hidden)
{
    if (!fields)
        return;
    for (size_t i = 0; i < t->count; i++) {
        const ct_field *f = &t->fields[i];
        if (!f->pd || (f->pd & hidden) || !has_value(item, f))
            continue;
        char path[128];
        snprintf(path, sizeof(path), "%s%s", prefix, f->path);
        /* already listed? (",path," within ",list,") */
        size_t n = strlen(path);
        const char *p = fields->buf;
        int seen = 0;
        while ((p = strstr(p, path)) != NULL) {
            if ((p == fields->buf || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) {
                seen = 1;
                break;
            }
            p += n;
        }
        if (seen)
            continue;
        if (fields->len)
            ct_buf_addc(fields, ',');
        ct_buf_adds(fields, path);
    }
}

/* ---- views ----------------------------------------------------------------------- */

json_t *ct_view_person(ct_req *r, const ct_case *c, const ct_person *p, enum ct_relation rel,
                       ct_buf *fields, ct_err *err)
{
    unsigned hidden = ct_view_hidden(r, c, p, rel);
    json_t *o = ct_person_to_json(p, hidden, 1);
    if (!o) {
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        return NULL;
    }
    add_fields(fields, "persons.", p, &ct_person_table, hidden);
    return o;
}

json_t *ct_view_case(ct_req *r, const ct_case *c, enum ct_relation rel, ct_buf *fields, ct_err *err)
{
    unsigned hidden = ct_view_hidden(r, c, NULL, rel);
    ct_case own = *c; /* the case's own fields; persons get their own rules */
    own.npersons = 0;
    json_t *o = ct_case_to_json(&own, hidden, 1);
    json_t *persons = json_array();
    if (!o || !persons) {
        json_decref(o);
        json_decref(persons);
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        return NULL;
    }
    add_fields(fields, "", c, &ct_case_table, hidden);
    for (size_t i = 0; i < c->npersons; i++) {
        json_t *p = ct_view_person(r, c, &c->persons[i], rel, fields, err);
        if (!p || json_array_append_new(persons, p)) {
            json_decref(o);
            json_decref(persons);
            return NULL;
        }
    }
    if (c->npersons)
        json_object_set_new(o, "persons", persons);
    else
        json_decref(persons);
    return o;
}

/* ---- writes keep what the writer cannot see ------------------------------------- */

static int merge_item(void *next, const void *stored, const ct_field_table *t, unsigned hidden,
                      const char *where, ct_err *err)
{
    for (size_t i = 0; i < t->count; i++) {
        const ct_field *f = &t->fields[i];
        if (!(f->pd & hidden) || f->type == CT_F_ID)
            continue;
        if (has_value(next, f)) {
            char path[CT_ERR_FIELD_MAX];
            snprintf(path, sizeof(path), "%s%s", where, f->path);
            return ct_err_set_field(err, CT_EPERM, path, "%s",
                                    _("your role may not set this field"));
        }
        if (stored)
            copy_member(next, stored, f);
    }
    return 0;
}

int ct_view_merge_hidden(ct_req *r, ct_case *next, const ct_case *stored, enum ct_relation rel,
                         ct_err *err)
{
    unsigned hidden = ct_view_hidden(r, stored, NULL, rel);
    int rc = merge_item(next, stored, &ct_case_table, hidden & ~0u, "", err);
    for (size_t i = 0; !rc && i < next->npersons; i++) {
        ct_person *pn = &next->persons[i];
        const ct_person *ps = NULL;
        for (size_t k = 0; pn->id && k < stored->npersons; k++)
            if (stored->persons[k].id && strcmp(stored->persons[k].id, pn->id) == 0)
                ps = &stored->persons[k];
        char where[32];
        snprintf(where, sizeof(where), "persons[%zu].", i);
        rc = merge_item(pn, ps, &ct_person_table, ct_view_hidden(r, stored, ps ? ps : pn, rel),
                        where, err);
    }
    return rc;
}

/* ---- before / after ------------------------------------------------------------- */

static int is_meta(const char *key)
{
    return strcmp(key, "version") == 0 || strcmp(key, "created_at") == 0 ||
           strcmp(key, "updated_at") == 0;
}

/* Flattens obj into out as path -> value (borrowed); persons by their id. */
static void flatten(const json_t *obj, const char *prefix, json_t *out)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (is_meta(key))
            continue;
        char path[256];
        snprintf(path, sizeof(path), "%s%s", prefix, key);
        if (json_is_object(v)) {
            char sub[260];
            snprintf(sub, sizeof(sub), "%s.", path);
            flatten(v, sub, out);
        } else if (strcmp(key, "persons") == 0 && json_is_array(v)) {
            size_t i;
            json_t *p;
            json_array_foreach(v, i, p)
            {
                const char *id = json_string_value(json_object_get(p, "id"));
                char sub[300];
                if (id)
                    snprintf(sub, sizeof(sub), "%spersons[%s].", prefix, id);
                else
                    snprintf(sub, sizeof(sub), "%spersons[%zu].", prefix, i);
                flatten(p, sub, out);
            }
        } else {
            json_object_set(out, path, v);
        }
    }
}

static void add_change(json_t *before, json_t *after, const char *path, json_t *b, json_t *a,
                       ct_buf *fields)
{
    json_object_set(before, path, b ? b : json_null());
    json_object_set(after, path, a ? a : json_null());
    if (fields) {
        if (fields->len)
            ct_buf_addc(fields, ',');
        ct_buf_adds(fields, path);
    }
}

json_t *ct_view_diff(const json_t *before, const json_t *after, ct_buf *fields)
{
    json_t *fb = json_object(), *fa = json_object();
    json_t *b = json_object(), *a = json_object();
    json_t *out = NULL;
    if (!fb || !fa || !b || !a)
        goto out;
    if (before)
        flatten(before, "", fb);
    if (after)
        flatten(after, "", fa);
    const char *key;
    json_t *v;
    json_object_foreach(fb, key, v)
    {
        json_t *w = json_object_get(fa, key);
        if (!w || !json_equal(v, w))
            add_change(b, a, key, v, w, fields);
    }
    json_object_foreach(fa, key, v)
    {
        if (!json_object_get(fb, key))
            add_change(b, a, key, NULL, v, fields);
    }
    out = json_pack("{s:O, s:O}", "before", b, "after", a);
out:
    json_decref(fb);
    json_decref(fa);
    json_decref(b);
    json_decref(a);
    return out;
}
