/*
 * sqlite_field.c - fields of the model tables (model.h's ct_field rows) to
 * statement parameters and back, for the areas that store records through
 * their field tables (sqlite_registry.c). Same conversions as
 * sqlite_case.c: codes and code lists as text (lists ';'-joined), free-text
 * and object lists as JSON, dates in their partial ISO form, an unknown
 * non-negative integer (-1) as NULL.
 */
#include "sqlite_int.h"

#include "core/buf.h"
#include "core/case_json.h"

#include <stdlib.h>
#include <string.h>

static void bind_joined(sqlite3_stmt *st, int i, const ct_strv *v)
{
    if (!v->n) {
        sqlite3_bind_null(st, i);
        return;
    }
    ct_buf b = CT_BUF_INIT;
    for (size_t k = 0; k < v->n; k++) {
        if (k)
            ct_buf_addc(&b, ';');
        ct_buf_adds(&b, v->v[k]);
    }
    sqlite3_bind_text(st, i, b.buf, (int)b.len, SQLITE_TRANSIENT);
    ct_buf_release(&b);
}

static void bind_json(sqlite3_stmt *st, int i, const void *item, const ct_field *f)
{
    json_t *v = ct_field_to_json(item, f);
    char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
    json_decref(v);
    if (text)
        sqlite3_bind_text(st, i, text, -1, free);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_field(sqlite3_stmt *st, int i, const void *item, const ct_field *f)
{
    const char *m = (const char *)item + f->offset;
    switch (f->type) {
    case CT_F_STR:
    case CT_F_ID:
    case CT_F_CODE:
        sq_bind_text(st, i, *(const char *const *)m);
        break;
    case CT_F_CODES:
        bind_joined(st, i, (const ct_strv *)m);
        break;
    case CT_F_STRS:
    case CT_F_OBJECTS:
        bind_json(st, i, item, f);
        break;
    case CT_F_DATE: {
        char text[CT_DATE_TEXT_MAX];
        ct_date_format(*(const ct_date *)m, text);
        if (text[0])
            sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, i);
        break;
    }
    case CT_F_INT:
        if (*(const int *)m < 0 && f->min >= 0)
            sqlite3_bind_null(st, i);
        else
            sqlite3_bind_int(st, i, *(const int *)m);
        break;
    case CT_F_BOOL:
        sqlite3_bind_int(st, i, *(const int *)m != 0);
        break;
    }
}

static int read_joined(ct_arena *a, const char *text, ct_strv *v)
{
    while (text && *text) {
        const char *semi = strchr(text, ';');
        size_t n = semi ? (size_t)(semi - text) : strlen(text);
        if (ct_strv_push(a, v, text, n))
            return CT_ENOMEM;
        text = semi ? semi + 1 : NULL;
    }
    return 0;
}

static int read_json_col(ct_arena *a, void *item, const ct_field *f, const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    if (!v)
        return CT_EDB;
    static const ct_case_read_opts lenient = {{9999, 12, 31}, NULL, 1};
    ct_problems pr = CT_PROBLEMS_INIT;
    int r = ct_field_from_json(a, item, f, v, &lenient, f->path, &pr);
    ct_problems_release(&pr);
    json_decref(v);
    return r == CT_EINVAL ? CT_EDB : r;
}

int sq_read_field(ct_arena *a, void *item, const ct_field *f, sqlite3_stmt *st, int i)
{
    char *m = (char *)item + f->offset;
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    const char *text = (const char *)sqlite3_column_text(st, i);
    if (!text)
        return CT_ENOMEM;
    switch (f->type) {
    case CT_F_STR:
    case CT_F_ID:
    case CT_F_CODE:
        return (*(const char **)m = ct_arena_strdup(a, text)) ? 0 : CT_ENOMEM;
    case CT_F_CODES:
        return read_joined(a, text, (ct_strv *)m);
    case CT_F_STRS:
    case CT_F_OBJECTS:
        return read_json_col(a, item, f, text);
    case CT_F_DATE:
        return ct_date_parse(text, strlen(text), (ct_date *)m) ? CT_EDB : 0;
    case CT_F_INT:
    case CT_F_BOOL:
        *(int *)m = sqlite3_column_int(st, i);
        return 0;
    }
    return 0;
}
