/* sqlite_agency.c - agencies (IC-TIP's reporting entities). */
#include "sqlite_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

static void copy_col(char *out, size_t n, sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(out, n, "%s", v ? (const char *)v : "");
}

static void row_to_agency(sqlite3_stmt *st, ct_agency *a)
{
    copy_col(a->id, sizeof(a->id), st, 1);
    copy_col(a->name, sizeof(a->name), st, 2);
    copy_col(a->type, sizeof(a->type), st, 3);
    copy_col(a->country, sizeof(a->country), st, 4);
    copy_col(a->created_at, sizeof(a->created_at), st, 5);
}

int sq_agency_add(ct_store *base, ct_agency *a, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    if (!a->name[0])
        return ct_err_set_field(err, CT_EINVAL, "name", "%s", _("an agency needs a name"));
    sqlite3_stmt *st = sq_stmt(s, SQ_AGENCY_INSERT, err);
    if (!st)
        return CT_EDB;
    ct_uuid_new(a->id);
    ct_store_now(a->created_at);
    sq_bind_text(st, 1, a->id);
    sq_bind_text(st, 2, a->name);
    sq_bind_text(st, 3, a->type[0] ? a->type : NULL);
    sq_bind_text(st, 4, a->country[0] ? a->country : NULL);
    sq_bind_text(st, 5, a->created_at);
    sq_bind_text(st, 6, a->created_at);
    sq_bind_text(st, 7, base->actor.agency);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        int r = sq_error(s, _("adding an agency"), err);
        if (r == CT_ECONFLICT) {
            ct_err_clear(err);
            r = ct_err_set_field(err, CT_ECONFLICT, "name", _("an agency named '%s' exists"),
                                 a->name);
        }
        return r;
    }
    return 0;
}

static int find_agency(sq_store *s, enum sq_stmt which, const char *key, ct_agency *out,
                       sqlite3_int64 *rowid, ct_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, which, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (out)
            row_to_agency(st, out);
        if (rowid)
            *rowid = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? CT_ENOTFOUND : sq_error(s, _("reading an agency"), err);
}

int sq_agency_get(ct_store *base, const char *name_or_id, ct_agency *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    int r = find_agency(s, SQ_AGENCY_BY_NAME, name_or_id, out, NULL, err);
    if (r == CT_ENOTFOUND && ct_uuid_valid(name_or_id, strlen(name_or_id)))
        r = find_agency(s, SQ_AGENCY_BY_ID, name_or_id, out, NULL, err);
    if (r == CT_ENOTFOUND)
        return ct_err_set_field(err, CT_ENOTFOUND, "agency", _("unknown agency '%.200s'"),
                                name_or_id);
    return r;
}

int sq_agency_id(sq_store *s, const char *name, sqlite3_int64 *id, ct_err *err)
{
    for (int i = 0; i < s->nagency_cache; i++)
        if (strcmp(s->agency_cache[i].name, name) == 0) {
            *id = s->agency_cache[i].id;
            return 0;
        }
    int r = find_agency(s, SQ_AGENCY_BY_NAME, name, NULL, id, err);
    if (r == CT_ENOTFOUND)
        return ct_err_set_field(err, CT_ENOTFOUND, "agency", _("unknown agency '%.200s'"), name);
    if (r)
        return r;
    size_t len = strlen(name);
    if (len >= sizeof(s->agency_cache[0].name))
        return 0; /* too long to cache (names are at most 200 bytes) */
    int slot = s->nagency_cache < SQ_AGENCY_CACHE ? s->nagency_cache++ : s->next_agency_cache;
    s->next_agency_cache = (slot + 1) % SQ_AGENCY_CACHE;
    memcpy(s->agency_cache[slot].name, name, len + 1);
    s->agency_cache[slot].id = *id;
    return 0;
}
int sq_agency_each(ct_store *base, int (*cb)(const ct_agency *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_AGENCY_ALL, err);
    if (!st)
        return CT_EDB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_agency a;
        row_to_agency(st, &a);
        int r = cb(&a, arg);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("listing agencies"), err);
}
