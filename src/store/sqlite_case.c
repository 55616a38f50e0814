/*
 * sqlite_case.c - cases with their persons and proceedings.
 *
 * Columns map to fields through sqlite_cols.h; values are converted by field
 * type: codes and code lists as text (lists ';'-joined), free-text lists and
 * object lists as JSON, dates in their partial ISO form.
 */
#include "sqlite_cols.h"
#include "sqlite_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/case_json.h"
#include "core/i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define PATH(col, path) path,
static const char *const case_paths[] = {SQ_CASE_COLUMNS(PATH)};
static const char *const person_paths[] = {SQ_PERSON_COLUMNS(PATH)};

static const ct_field *field_of(const ct_field_table *t, const char *path)
{
    const ct_field *f = ct_field_find(t, path);
    if (!f)
        CT_BUG("a column names a field that model.c does not have");
    return f;
}

/* The field of each column, looked up once per process: the lookup by path
 * showed in profiles of bulk writes (it ran for every column of every row). */
static const ct_field *case_field[SQ_CASE_NCOLS], *person_field[SQ_PERSON_NCOLS];
static pthread_once_t fields_once = PTHREAD_ONCE_INIT;

static void find_fields(void)
{
    for (int k = 0; k < SQ_CASE_NCOLS; k++)
        case_field[k] = field_of(&ct_case_table, case_paths[k]);
    for (int k = 0; k < SQ_PERSON_NCOLS; k++)
        person_field[k] = field_of(&ct_person_table, person_paths[k]);
}

static void need_fields(void)
{
    pthread_once(&fields_once, find_fields);
}

/* ---- values to columns --------------------------------------------------- */

static void bind_joined(sqlite3_stmt *st, int i, const ct_strv *v)
{
    if (!v->n) {
        sqlite3_bind_null(st, i);
        return;
    }
    char tmp[512]; /* most lists: no allocation (SQLite copies the text) */
    size_t len = 0;
    for (size_t k = 0; k < v->n && len < sizeof(tmp); k++) {
        size_t n = strlen(v->v[k]);
        if (len + (k > 0) + n > sizeof(tmp)) {
            len = sizeof(tmp);
            break;
        }
        if (k)
            tmp[len++] = ';';
        memcpy(tmp + len, v->v[k], n);
        len += n;
    }
    if (len < sizeof(tmp)) {
        sqlite3_bind_text(st, i, tmp, (int)len, SQLITE_TRANSIENT);
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

static void bind_field(sqlite3_stmt *st, int i, const void *item, const ct_field *f)
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

/* ---- columns to values --------------------------------------------------- */

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

static int read_field(ct_arena *a, void *item, const ct_field *f, sqlite3_stmt *st, int i)
{
    char *m = (char *)item + f->offset;
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    const char *text = (const char *)sqlite3_column_text(st, i);
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

/* ---- put ----------------------------------------------------------------- */

typedef struct existing {
    sqlite3_int64 rowid;
    sqlite3_int64 agency_id;
    int version;
    unsigned char hash[CT_CONTENT_HASH_BYTES];
    char uuid[CT_UUID_TEXT];
    char created_at[32];
} existing;

static int find_by(sq_store *s, enum sq_stmt which, sqlite3_int64 agency, const char *key,
                   existing *ex, ct_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, which, err);
    if (!st)
        return CT_EDB;
    if (which == SQ_CASE_FIND_UUID) {
        sq_bind_text(st, 1, key);
    } else {
        sqlite3_bind_int64(st, 1, agency);
        sq_bind_text(st, 2, key);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ex->rowid = sqlite3_column_int64(st, 0);
        snprintf(ex->uuid, sizeof(ex->uuid), "%s", (const char *)sqlite3_column_text(st, 1));
        ex->agency_id = sqlite3_column_int64(st, 2);
        ex->version = sqlite3_column_int(st, 3);
        memset(ex->hash, 0, sizeof(ex->hash));
        if (sqlite3_column_bytes(st, 4) == CT_CONTENT_HASH_BYTES)
            memcpy(ex->hash, sqlite3_column_blob(st, 4), CT_CONTENT_HASH_BYTES);
        snprintf(ex->created_at, sizeof(ex->created_at), "%s",
                 (const char *)sqlite3_column_text(st, 5));
        sqlite3_reset(st);
        return 1;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("looking up a case"), err);
}

static int find_existing(sq_store *s, const ct_case *c, sqlite3_int64 agency,
                         const char *import_key, existing *ex, ct_err *err)
{
    int r = 0;
    if (c->id)
        r = find_by(s, SQ_CASE_FIND_UUID, 0, c->id, ex, err);
    if (r == 0 && c->source_id)
        r = find_by(s, SQ_CASE_FIND_SOURCE, agency, c->source_id, ex, err);
    if (r == 0 && import_key)
        r = find_by(s, SQ_CASE_FIND_KEY, agency, import_key, ex, err);
    return r;
}

/* The statistics year: identification, else registration (contracts.md). */
static int record_year(const ct_case *c, const char *created_at)
{
    if (c->date_identification.year)
        return c->date_identification.year;
    return (created_at[0] - '0') * 1000 + (created_at[1] - '0') * 100 + (created_at[2] - '0') * 10 +
           (created_at[3] - '0');
}

static void bind_case(sqlite3_stmt *st, const sq_store *s, const ct_case *c)
{
    (void)s;
    need_fields();
    for (int k = 0; k < SQ_CASE_NCOLS; k++)
        bind_field(st, 5 + k, c, case_field[k]);
}

/* The time a write is stamped with: the caller's (opts->now), else now. */
static void stamp(const ct_case_put_opts *opts, char now[32])
{
    size_t n = opts->now ? strnlen(opts->now, 31) : 0;
    if (!opts->now) {
        ct_store_now(now);
        return;
    }
    memcpy(now, opts->now, n);
    now[n] = '\0';
}

typedef struct put_ctx {
    ct_case *c;
    const ct_case_put_opts *opts;
    enum ct_put_outcome *outcome;
} put_ctx;

static int step_done(sq_store *s, sqlite3_stmt *st, const char *what, ct_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, what, err);
}

static int insert_proceedings(sq_store *s, const ct_person *p, sqlite3_int64 person_row,
                              const char *now, ct_err *err)
{
    for (size_t k = 0; k < p->nproceedings; k++) {
        const ct_proceeding *pr = &p->proceedings[k];
        sqlite3_stmt *st = sq_stmt(s, SQ_PROCEEDING_INSERT, err);
        if (!st)
            return CT_EDB;
        char date[CT_DATE_TEXT_MAX];
        ct_date_format(pr->date, date);
        sq_bind_text(st, 1, pr->id);
        sqlite3_bind_int64(st, 2, person_row);
        sqlite3_bind_int(st, 3, (int)k);
        sq_bind_text(st, 4, pr->kind);
        sq_bind_text(st, 5, date[0] ? date : NULL);
        sq_bind_text(st, 6, pr->authority);
        sq_bind_text(st, 7, now);
        sq_bind_text(st, 8, now);
        int r = step_done(s, st, _("saving a proceeding"), err);
        if (r)
            return r;
    }
    return 0;
}

static int write_person(sq_store *s, const ct_person *p, size_t ord, sqlite3_int64 case_row,
                        sqlite3_int64 agency, sqlite3_int64 update_row, const char *now,
                        ct_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, update_row ? SQ_PERSON_UPDATE : SQ_PERSON_INSERT, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, p->id);
    sqlite3_bind_int64(st, 2, case_row);
    sqlite3_bind_int64(st, 3, agency);
    sqlite3_bind_int(st, 4, (int)ord);
    need_fields();
    for (int k = 0; k < SQ_PERSON_NCOLS; k++)
        bind_field(st, 5 + k, p, person_field[k]);
    int i = 5 + SQ_PERSON_NCOLS;
    if (update_row) {
        sq_bind_text(st, i, now);
        sqlite3_bind_int64(st, i + 1, update_row);
    } else {
        sq_bind_text(st, i, now);
        sq_bind_text(st, i + 1, now);
    }
    int r = step_done(s, st, _("saving a person"), err);
    if (r == CT_ECONFLICT) {
        ct_err_clear(err);
        return ct_err_set_field(err, CT_ECONFLICT, "persons.id", "%s",
                                _("a person id already belongs to another case"));
    }
    if (r)
        return r;
    sqlite3_int64 row = update_row ? update_row : sqlite3_last_insert_rowid(s->db);
    if (update_row) {
        st = sq_stmt(s, SQ_PROCEEDING_DELETE_OF_PERSON, err);
        if (!st)
            return CT_EDB;
        sqlite3_bind_int64(st, 1, row);
        if ((r = step_done(s, st, _("saving a proceeding"), err)))
            return r;
    }
    return insert_proceedings(s, p, row, now, err);
}

static int insert_case(sq_store *s, put_ctx *x, sqlite3_int64 agency, const unsigned char *hash,
                       ct_err *err)
{
    ct_case *c = x->c;
    char now[32];
    stamp(x->opts, now);
    if (ct_case_assign_ids(c))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    sqlite3_stmt *st = sq_stmt(s, SQ_CASE_INSERT, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, c->id);
    sqlite3_bind_int64(st, 2, agency);
    sq_bind_text(st, 3, x->opts->import_key);
    sqlite3_bind_blob(st, 4, hash, CT_CONTENT_HASH_BYTES, SQLITE_STATIC);
    bind_case(st, s, c);
    int i = 5 + SQ_CASE_NCOLS;
    sqlite3_bind_int(st, i, record_year(c, now));
    sq_bind_text(st, i + 1, now);
    sq_bind_text(st, i + 2, now);
    int r = step_done(s, st, _("saving a case"), err);
    if (r)
        return r;
    sqlite3_int64 row = sqlite3_last_insert_rowid(s->db);
    for (size_t k = 0; k < c->npersons; k++)
        if ((r = write_person(s, &c->persons[k], k, row, agency, 0, now, err)))
            return r;
    c->version = 1;
    c->created_at = c->updated_at = ct_arena_strdup(&c->arena, now);
    *x->outcome = CT_PUT_INSERTED;
    return 0;
}

typedef struct old_person {
    sqlite3_int64 row;
    char uuid[CT_UUID_TEXT];
    char stage[32]; /* nrm_stage, "" when none */
} old_person;

static int load_old_persons(sq_store *s, sqlite3_int64 case_row, old_person **out, size_t *n,
                            ct_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQ_PERSON_IDS_OF_CASE, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_int64(st, 1, case_row);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        old_person *v = ct_grow(*out, sizeof(**out), *n + 1, &cap);
        if (!v) {
            sqlite3_reset(st);
            return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        }
        *out = v;
        v[*n].row = sqlite3_column_int64(st, 0);
        snprintf(v[*n].uuid, CT_UUID_TEXT, "%s", (const char *)sqlite3_column_text(st, 1));
        const unsigned char *stage = sqlite3_column_text(st, 3);
        snprintf(v[*n].stage, sizeof(v[*n].stage), "%s", stage ? (const char *)stage : "");
        (*n)++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("reading persons"), err);
}

/* The new person that takes over stored person k: same id, else same position. */
static ct_person *successor(ct_case *c, const old_person *old, size_t k)
{
    for (size_t j = 0; j < c->npersons; j++)
        if (c->persons[j].id && strcmp(c->persons[j].id, old[k].uuid) == 0)
            return &c->persons[j];
    if (k < c->npersons && !c->persons[k].id)
        return &c->persons[k];
    return NULL;
}

/* Persons of an updated case: matched by id, else by position; stored
 * persons without a successor are deleted with their proceedings. A
 * successor keeps the stored NRM stage: only workflow actions change it
 * (src/nrm, ct_store_nrm_stage_set), so a stale copy of the case cannot
 * undo a decision. */
static int sync_persons(sq_store *s, ct_case *c, sqlite3_int64 case_row, sqlite3_int64 agency,
                        const char *now, ct_err *err)
{
    old_person *old = NULL;
    size_t nold = 0;
    int r = load_old_persons(s, case_row, &old, &nold, err);
    sqlite3_int64 *rows = ct_calloc(c->npersons ? c->npersons : 1, sizeof(*rows));
    if (!r && !rows)
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t k = 0; !r && k < nold; k++) {
        ct_person *p = successor(c, old, k);
        if (p) {
            p->id = ct_arena_strdup(&c->arena, old[k].uuid);
            if (old[k].stage[0] && ct_person_is_victim(p))
                p->nrm_stage = ct_arena_strdup(&c->arena, old[k].stage);
            rows[p - c->persons] = old[k].row;
            continue;
        }
        sqlite3_stmt *st = sq_stmt(s, SQ_PERSON_DELETE, err);
        if (!st) {
            r = CT_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, old[k].row);
        r = step_done(s, st, _("removing a person"), err);
    }
    if (!r && ct_case_assign_ids(c))
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t j = 0; !r && j < c->npersons; j++)
        r = write_person(s, &c->persons[j], j, case_row, agency, rows[j], now, err);
    ct_free(rows);
    ct_free(old);
    return r;
}

static int update_case(sq_store *s, put_ctx *x, const existing *ex, sqlite3_int64 agency,
                       const unsigned char *hash, ct_err *err)
{
    ct_case *c = x->c;
    char now[32];
    stamp(x->opts, now);
    sqlite3_stmt *st = sq_stmt(s, SQ_CASE_UPDATE, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 3, x->opts->import_key);
    sqlite3_bind_blob(st, 4, hash, CT_CONTENT_HASH_BYTES, SQLITE_STATIC);
    bind_case(st, s, c);
    int i = 5 + SQ_CASE_NCOLS;
    sqlite3_bind_int(st, i, record_year(c, ex->created_at));
    sq_bind_text(st, i + 1, now);
    sqlite3_bind_int64(st, i + 2, ex->rowid);
    int r = step_done(s, st, _("saving a case"), err);
    if (!r)
        r = sync_persons(s, c, ex->rowid, agency, now, err);
    if (r)
        return r;
    c->version = ex->version + 1;
    c->created_at = ct_arena_strdup(&c->arena, ex->created_at);
    c->updated_at = ct_arena_strdup(&c->arena, now);
    *x->outcome = CT_PUT_UPDATED;
    return 0;
}

static int put_in_tx(sq_store *s, void *arg, ct_err *err)
{
    put_ctx *x = arg;
    ct_case *c = x->c;
    sqlite3_int64 agency;
    if (!c->agency)
        return ct_err_set_field(err, CT_EINVAL, "agency", "%s", _("the case names no agency"));
    int r = sq_agency_id(s, c->agency, &agency, err);
    if (r)
        return r;
    unsigned char hash[CT_CONTENT_HASH_BYTES];
    if (ct_case_content_hash(c, hash))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    existing ex;
    r = find_existing(s, c, agency, x->opts->import_key, &ex, err);
    if (r < 0)
        return r;
    if (r == 0)
        return insert_case(s, x, agency, hash, err);
    if (ex.agency_id != agency)
        return ct_err_set_field(err, CT_ECONFLICT, "agency", "%s",
                                _("the case belongs to another agency"));
    if (x->opts->if_version > 0 && x->opts->if_version != ex.version)
        return ct_err_set(err, CT_ESTALE,
                          _("the case changed since it was read (version %d, now %d)"),
                          x->opts->if_version, ex.version);
    c->id = ct_arena_strdup(&c->arena, ex.uuid);
    if (memcmp(hash, ex.hash, sizeof(hash)) == 0) {
        /* identical: keep ids of the stored persons for the caller */
        ct_case stored;
        ct_case_init(&stored);
        r = sq_case_get(&s->super, ex.uuid, &stored, err);
        for (size_t k = 0; !r && k < c->npersons && k < stored.npersons; k++)
            c->persons[k].id = ct_arena_strdup(&c->arena, stored.persons[k].id);
        c->version = ex.version;
        ct_case_release(&stored);
        *x->outcome = CT_PUT_UNCHANGED;
        return r;
    }
    return update_case(s, x, &ex, agency, hash, err);
}

int sq_case_put(ct_store *base, ct_case *c, const ct_case_put_opts *opts,
                enum ct_put_outcome *outcome, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    put_ctx x = {c, opts, outcome};
    return sq_in_tx(s, put_in_tx, &x, err);
}

/* ---- get ----------------------------------------------------------------- */

static int read_case_row(sqlite3_stmt *st, ct_case *c)
{
    ct_arena *a = &c->arena;
    if (!(c->id = ct_arena_strdup(a, (const char *)sqlite3_column_text(st, 1))) ||
        !(c->agency = ct_arena_strdup(a, (const char *)sqlite3_column_text(st, 2))) ||
        !(c->created_at = ct_arena_strdup(a, (const char *)sqlite3_column_text(st, 4))) ||
        !(c->updated_at = ct_arena_strdup(a, (const char *)sqlite3_column_text(st, 5))))
        return CT_ENOMEM;
    c->version = sqlite3_column_int(st, 3);
    need_fields();
    for (int k = 0; k < SQ_CASE_NCOLS; k++) {
        int r = read_field(a, c, case_field[k], st, 6 + k);
        if (r)
            return r;
    }
    return 0;
}

static int read_person_row(sqlite3_stmt *st, ct_case *c, sqlite3_int64 *row)
{
    ct_person *p = ct_case_add_person(c);
    if (!p)
        return CT_ENOMEM;
    *row = sqlite3_column_int64(st, 0);
    if (!(p->id = ct_arena_strdup(&c->arena, (const char *)sqlite3_column_text(st, 1))))
        return CT_ENOMEM;
    p->version = sqlite3_column_int(st, 3);
    p->role = NULL;
    need_fields();
    for (int k = 0; k < SQ_PERSON_NCOLS; k++) {
        int r = read_field(&c->arena, p, person_field[k], st, 4 + k);
        if (r)
            return r;
    }
    return 0;
}

static int add_proceeding(ct_case *c, ct_person *p, sqlite3_stmt *st)
{
    ct_proceeding *v = ct_arena_alloc(&c->arena, (p->nproceedings + 1) * sizeof(*v));
    if (!v)
        return CT_ENOMEM;
    if (p->nproceedings)
        memcpy(v, p->proceedings, p->nproceedings * sizeof(*v));
    ct_proceeding *pr = &v[p->nproceedings];
    pr->id = ct_arena_strdup(&c->arena, (const char *)sqlite3_column_text(st, 1));
    pr->kind = ct_arena_strdup(&c->arena, (const char *)sqlite3_column_text(st, 2));
    const char *date = (const char *)sqlite3_column_text(st, 3);
    if (date)
        ct_date_parse(date, strlen(date), &pr->date);
    const char *auth = (const char *)sqlite3_column_text(st, 4);
    pr->authority = auth ? ct_arena_strdup(&c->arena, auth) : NULL;
    if (!pr->id || !pr->kind)
        return CT_ENOMEM;
    p->proceedings = v;
    p->nproceedings++;
    return 0;
}

/* Loads persons and proceedings of the case whose row id is case_row. */
static int load_children(sq_store *s, ct_case *c, sqlite3_int64 case_row, ct_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQ_PERSON_OF_CASE, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_int64(st, 1, case_row);
    sqlite3_int64 rows[512];
    int rc, r = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW && c->npersons < 512)
        r = read_person_row(st, c, &rows[c->npersons]);
    sqlite3_reset(st);
    if (r)
        return r == CT_ENOMEM ? ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"))
                              : ct_err_set(err, CT_EDB, "%s", _("a stored person is damaged"));
    st = sq_stmt(s, SQ_PROCEEDING_OF_CASE, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_int64(st, 1, case_row);
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 person = sqlite3_column_int64(st, 0);
        for (size_t k = 0; k < c->npersons; k++)
            if (rows[k] == person)
                r = add_proceeding(c, &c->persons[k], st);
    }
    sqlite3_reset(st);
    return r ? ct_err_set(err, CT_ENOMEM, "%s", _("out of memory")) : 0;
}

static int case_get(sq_store *s, const char *id, ct_case *out, ct_err *err);

/* A case is read in several statements; outside a transaction they share one
 * read transaction, so a concurrent writer never shows half an update. */
int sq_case_get(ct_store *base, const char *id, ct_case *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    if (!sqlite3_get_autocommit(s->db))
        return case_get(s, id, out, err);
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return sq_error(s, _("reading a case"), err);
    int r = case_get(s, id, out, err);
    sqlite3_exec(s->db, r ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    return r;
}

static int case_get(sq_store *s, const char *id, ct_case *out, ct_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, SQ_CASE_SELECT_UUID, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? ct_err_set(err, CT_ENOTFOUND, "%s", _("no such case"))
                                 : sq_error(s, _("reading a case"), err);
    }
    sqlite3_int64 row = sqlite3_column_int64(st, 0);
    int r = read_case_row(st, out);
    sqlite3_reset(st);
    if (r)
        return r == CT_ENOMEM ? ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"))
                              : ct_err_set(err, CT_EDB, "%s", _("a stored case is damaged"));
    return load_children(s, out, row, err);
}

int sq_case_delete(ct_store *base, const char *id, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_CASE_DELETE, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, id);
    int r = step_done(s, st, _("deleting a case"), err);
    if (!r && sqlite3_changes(s->db) == 0)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such case"));
    return r;
}

/* ---- walk ---------------------------------------------------------------- */

int sq_case_each(ct_store *base, const ct_case_filter *f, int (*cb)(ct_case *, void *), void *arg,
                 ct_err *err)
{
    ct_case_query q = {.base = *f};
    return sq_case_query(base, &q, cb, arg, err);
}

int sq_case_query(ct_store *base, const ct_case_query *q, int (*cb)(ct_case *, void *), void *arg,
                  ct_err *err)
{
    const ct_case_filter *f = &q->base;
    sq_store *s = (sq_store *)base;
    /* a statement of its own: the walk may outlive other statements' use */
    /* A partial date d overlaps [from, to] when d <= to and d >= from,
     * each compared on d's own length ("2021" against "2021-03-14"). */
    static const char sql[] =
        "SELECT c.id, c.uuid FROM case_ c JOIN agency a ON a.id = c.agency_id "
        "WHERE (?1 IS NULL OR a.name = ?1) AND (?2 = 0 OR c.year >= ?2) "
        "AND (?3 = 0 OR c.year <= ?3) AND (?4 IS NULL OR c.id > "
        "(SELECT id FROM case_ WHERE uuid = ?4)) "
        "AND (?6 IS NULL OR c.status = ?6) "
        "AND (?7 IS NULL OR ';' || c.purposes || ';' LIKE '%;' || ?7 || ';%') "
        "AND (?8 IS NULL OR c.agency_id = (SELECT id FROM agency WHERE name = ?8) "
        "OR c.id IN (SELECT case_id FROM case_share WHERE agency_id = "
        "(SELECT id FROM agency WHERE name = ?8))) "
        "AND (?9 IS NULL OR (c.date_identification IS NOT NULL AND c.date_identification >= "
        "substr(?9, 1, length(c.date_identification)))) "
        "AND (?10 IS NULL OR (c.date_identification IS NOT NULL AND c.date_identification <= "
        "substr(?10, 1, length(c.date_identification)))) "
        "ORDER BY c.id LIMIT ?5";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_error(s, _("listing cases"), err);
    sq_bind_text(st, 1, f->agency);
    sqlite3_bind_int(st, 2, f->year_from);
    sqlite3_bind_int(st, 3, f->year_to);
    sq_bind_text(st, 4, f->after_id);
    sqlite3_bind_int64(st, 5, f->limit > 0 ? f->limit : -1);
    sq_bind_text(st, 6, q->status);
    sq_bind_text(st, 7, q->purpose);
    sq_bind_text(st, 8, q->visible_to);
    char from[CT_DATE_TEXT_MAX], to[CT_DATE_TEXT_MAX];
    ct_date_format(q->ident_from, from);
    ct_date_format(q->ident_to, to);
    sq_bind_text(st, 9, from[0] ? from : NULL);
    sq_bind_text(st, 10, to[0] ? to : NULL);
    ct_case c;
    ct_case_init(&c);
    /* one read transaction for the page: every case as of the same moment */
    int own_tx = sqlite3_get_autocommit(s->db) &&
                 sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    int rc, r = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_case_reset(&c);
        r = sq_case_get(base, (const char *)sqlite3_column_text(st, 1), &c, err);
        if (!r)
            r = cb(&c, arg);
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_error(s, _("listing cases"), err);
    sqlite3_finalize(st);
    if (own_tx)
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    ct_case_release(&c);
    return r;
}

int sq_count(ct_store *base, long *cases, long *victims, long *suspects, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = sq_stmt(s, SQ_COUNT, err);
    if (!st)
        return CT_EDB;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return sq_error(s, _("counting records"), err);
    }
    *cases = sqlite3_column_int64(st, 0);
    *victims = sqlite3_column_int64(st, 1);
    *suspects = sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    return 0;
}
