/* store.c - dispatch of store.h to the backend, and backend-neutral helpers. */
#include "store_int.h"

#include "core/buf.h"
#include "core/i18n.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int ct_store_open(const char *path, unsigned flags, ct_store **out, ct_err *err)
{
    if (sodium_init() < 0)
        return ct_err_set(err, CT_EINTERNAL, "%s", _("cannot initialise libsodium"));
    /* NEEDSWORK: "postgres://" URIs go to a libpq backend when it exists. */
    if (strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0)
        return ct_err_set(err, CT_EUNSUPPORTED, "%s",
                          _("PostgreSQL databases are not supported yet; use a file path"));
    return ct_store_sqlite_open(path, flags, out, err);
}

void ct_store_close(ct_store *s)
{
    if (s)
        s->ops->close(s);
}

int ct_store_schema_version(ct_store *s)
{
    return s->ops->schema_version(s);
}

void ct_store_set_actor(ct_store *s, const ct_actor *actor)
{
    s->actor = *actor;
}

const ct_actor *ct_store_actor(const ct_store *s)
{
    return &s->actor;
}

int ct_store_begin(ct_store *s, ct_err *err)
{
    int r = s->ops->begin(s, err);
    s->in_tx = r == 0;
    return r;
}

int ct_store_commit(ct_store *s, ct_err *err)
{
    s->in_tx = 0; /* a failed commit rolls back (sq_commit) */
    return s->ops->commit(s, err);
}

void ct_store_rollback(ct_store *s)
{
    s->in_tx = 0;
    s->ops->rollback(s);
}

int ct_store_in_tx(const ct_store *s)
{
    return s->in_tx;
}

int ct_store_savepoint(ct_store *s, ct_err *err)
{
    return s->ops->savepoint(s, err);
}

int ct_store_savepoint_release(ct_store *s, ct_err *err)
{
    return s->ops->savepoint_release(s, err);
}

void ct_store_savepoint_rollback(ct_store *s)
{
    s->ops->savepoint_rollback(s);
}

int ct_store_meta_get(ct_store *s, const char *key, char *out, size_t n, ct_err *err)
{
    return s->ops->meta_get(s, key, out, n, err);
}

int ct_store_meta_set(ct_store *s, const char *key, const char *value, ct_err *err)
{
    return s->ops->meta_set(s, key, value, err);
}

int ct_store_agency_add(ct_store *s, ct_agency *a, ct_err *err)
{
    return s->ops->agency_add(s, a, err);
}

int ct_store_agency_get(ct_store *s, const char *name_or_id, ct_agency *out, ct_err *err)
{
    return s->ops->agency_get(s, name_or_id, out, err);
}

int ct_store_agency_each(ct_store *s, int (*cb)(const ct_agency *, void *), void *arg, ct_err *err)
{
    return s->ops->agency_each(s, cb, arg, err);
}

int ct_store_case_put(ct_store *s, ct_case *c, const ct_case_put_opts *opts,
                      enum ct_put_outcome *outcome, ct_err *err)
{
    static const ct_case_put_opts none = {NULL, 0, NULL};
    enum ct_put_outcome ignored;
    return s->ops->case_put(s, c, opts ? opts : &none, outcome ? outcome : &ignored, err);
}

int ct_store_case_get(ct_store *s, const char *id, ct_case *out, ct_err *err)
{
    return s->ops->case_get(s, id, out, err);
}

int ct_store_case_delete(ct_store *s, const char *id, ct_err *err)
{
    return s->ops->case_delete(s, id, err);
}

int ct_store_case_each(ct_store *s, const ct_case_filter *f, int (*cb)(ct_case *, void *),
                       void *arg, ct_err *err)
{
    static const ct_case_filter all = {0};
    return s->ops->case_each(s, f ? f : &all, cb, arg, err);
}

int ct_store_count(ct_store *s, long *cases, long *victims, long *suspects, ct_err *err)
{
    return s->ops->count(s, cases, victims, suspects, err);
}

int ct_store_victims_each(ct_store *s, const ct_case_filter *f,
                          int (*cb)(const ct_stat_victim *, void *), void *arg, ct_err *err)
{
    static const ct_case_filter all = {0};
    return s->ops->victims_each(s, f ? f : &all, cb, arg, err);
}

int ct_store_captures_each(ct_store *s, const ct_case_filter *f,
                           int (*cb)(const ct_capture_row *, void *), void *arg, ct_err *err)
{
    static const ct_case_filter all = {0};
    return s->ops->captures_each(s, f ? f : &all, cb, arg, err);
}

int ct_store_suspects_each(ct_store *s, const ct_case_filter *f,
                           int (*cb)(const ct_stat_suspect *, void *), void *arg, ct_err *err)
{
    static const ct_case_filter all = {0};
    return s->ops->suspects_each(s, f ? f : &all, cb, arg, err);
}

int ct_store_cases_count_each(ct_store *s, const ct_case_filter *f,
                              int (*cb)(const char *, int, long, void *), void *arg, ct_err *err)
{
    static const ct_case_filter all = {0};
    return s->ops->cases_count_each(s, f ? f : &all, cb, arg, err);
}

int ct_store_audit(ct_store *s, const ct_audit_entry *e, ct_err *err)
{
    return s->ops->audit(s, e, err);
}

int ct_store_audit_verify(ct_store *s, long *n, long *bad, ct_err *err)
{
    return s->ops->audit_verify(s, n, bad, err);
}

/* ---- server (migration 002) ---- */

int ct_store_begin_read(ct_store *s, ct_err *err)
{
    return s->ops->begin_read(s, err);
}

int ct_store_case_query(ct_store *s, const ct_case_query *q, int (*cb)(ct_case *c, void *arg),
                        void *arg, ct_err *err)
{
    return s->ops->case_query(s, q, cb, arg, err);
}

int ct_store_user_add(ct_store *s, ct_user *u, const char *password_hash, ct_err *err)
{
    return s->ops->user_add(s, u, password_hash, err);
}

int ct_store_user_get(ct_store *s, const char *name_or_id, ct_user *out, ct_err *err)
{
    return s->ops->user_get(s, name_or_id, out, err);
}

int ct_store_user_password(ct_store *s, const char *name, ct_user *out, char *hash, size_t n,
                           ct_err *err)
{
    return s->ops->user_password(s, name, out, hash, n, err);
}

int ct_store_user_update(ct_store *s, ct_user *u, int if_version, ct_err *err)
{
    return s->ops->user_update(s, u, if_version, err);
}

int ct_store_user_each(ct_store *s, const char *agency, int (*cb)(const ct_user *u, void *arg),
                       void *arg, ct_err *err)
{
    return s->ops->user_each(s, agency, cb, arg, err);
}

int ct_store_token_add(ct_store *s, const char *user_id,
                       const unsigned char hash[CT_SECRET_HASH_BYTES], const char *label,
                       char id_out[CT_UUID_TEXT], ct_err *err)
{
    return s->ops->token_add(s, user_id, hash, label, id_out, err);
}

int ct_store_token_user(ct_store *s, const unsigned char hash[CT_SECRET_HASH_BYTES], ct_user *out,
                        ct_err *err)
{
    return s->ops->token_user(s, hash, out, err);
}

int ct_store_session_add(ct_store *s, const char *user_id, const ct_session *sess, ct_err *err)
{
    return s->ops->session_add(s, user_id, sess, err);
}

int ct_store_session_get(ct_store *s, const unsigned char hash[CT_SECRET_HASH_BYTES],
                         ct_session *out, ct_user *user, ct_err *err)
{
    return s->ops->session_get(s, hash, out, user, err);
}

int ct_store_session_touch(ct_store *s, const unsigned char hash[CT_SECRET_HASH_BYTES],
                           long long last_seen, ct_err *err)
{
    return s->ops->session_touch(s, hash, last_seen, err);
}

int ct_store_session_delete(ct_store *s, const unsigned char hash[CT_SECRET_HASH_BYTES],
                            ct_err *err)
{
    return s->ops->session_delete(s, hash, err);
}

int ct_store_session_purge(ct_store *s, long long now, long long idle_seconds, ct_err *err)
{
    return s->ops->session_purge(s, now, idle_seconds, err);
}

int ct_store_share_add(ct_store *s, const char *case_id, const char *agency, const char *by,
                       const char *reason, ct_err *err)
{
    return s->ops->share_add(s, case_id, agency, by, reason, err);
}

int ct_store_share_delete(ct_store *s, const char *case_id, const char *agency, ct_err *err)
{
    return s->ops->share_delete(s, case_id, agency, err);
}

int ct_store_share_each(ct_store *s, const char *case_id, int (*cb)(const ct_share *sh, void *arg),
                        void *arg, ct_err *err)
{
    return s->ops->share_each(s, case_id, cb, arg, err);
}

int ct_store_case_relation(ct_store *s, const char *case_id, const char *agency,
                           enum ct_case_relation *out, ct_err *err)
{
    return s->ops->case_relation(s, case_id, agency, out, err);
}

int ct_store_person_case(ct_store *s, const char *person_id, char case_id[CT_UUID_TEXT],
                         ct_err *err)
{
    return s->ops->person_case(s, person_id, case_id, err);
}

int ct_store_proceeding_case(ct_store *s, const char *proceeding_id, char case_id[CT_UUID_TEXT],
                             char person_id[CT_UUID_TEXT], ct_err *err)
{
    return s->ops->proceeding_case(s, proceeding_id, case_id, person_id, err);
}

int ct_store_person_each(ct_store *s, const ct_person_filter *f,
                         int (*cb)(const char *case_id, const char *person_id, void *arg),
                         void *arg, ct_err *err)
{
    static const ct_person_filter all = {0};
    return s->ops->person_each(s, f ? f : &all, cb, arg, err);
}

int ct_store_notification_add(ct_store *s, const char *user_id, ct_notification *n, ct_err *err)
{
    return s->ops->notification_add(s, user_id, n, err);
}

int ct_store_notification_each(ct_store *s, const char *user_id, int unread_only,
                               const char *before_id, long limit,
                               int (*cb)(const ct_notification *n, void *arg), void *arg,
                               ct_err *err)
{
    return s->ops->notification_each(s, user_id, unread_only, before_id, limit, cb, arg, err);
}

int ct_store_notification_read(ct_store *s, const char *user_id, const char *id, ct_err *err)
{
    return s->ops->notification_read(s, user_id, id, err);
}

int ct_store_audit_each(ct_store *s, const ct_audit_filter *f,
                        int (*cb)(const ct_audit_row *row, void *arg), void *arg, ct_err *err)
{
    static const ct_audit_filter all = {0};
    return s->ops->audit_each(s, f ? f : &all, cb, arg, err);
}

void ct_store_now(char out[32])
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
             tm.tm_sec % 100, (int)(tv.tv_usec / 1000) % 1000);
}

/*
 * Each field is length-prefixed so that ("ab","c") and ("a","bc") differ;
 * NULL and "" differ too. BLAKE2b-256 (libsodium's generichash).
 */
void ct_audit_hash(const unsigned char prev[CT_AUDIT_HASH_BYTES], const char *const fields[],
                   size_t nfields, unsigned char out[CT_AUDIT_HASH_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, CT_AUDIT_HASH_BYTES);
    crypto_generichash_update(&st, prev, CT_AUDIT_HASH_BYTES);
    for (size_t i = 0; i < nfields; i++) {
        unsigned char len[9] = {0};
        size_t n = fields[i] ? strlen(fields[i]) : 0;
        len[0] = fields[i] ? 1 : 0;
        for (int k = 0; k < 8; k++)
            len[1 + k] = (unsigned char)(n >> (8 * k));
        crypto_generichash_update(&st, len, sizeof(len));
        if (n)
            crypto_generichash_update(&st, (const unsigned char *)fields[i], n);
    }
    crypto_generichash_final(&st, out, CT_AUDIT_HASH_BYTES);
}

/* Appends v in decimal, as "%d" writes it (without snprintf: this runs for
 * every field of every record written). */
static void add_int(ct_buf *b, int v)
{
    char tmp[16], *p = tmp + sizeof(tmp);
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    ct_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* Appends every input field of the table walk, except ids and metadata. */
static void hash_fields(ct_buf *b, const void *item, const ct_field_table *t)
{
    for (size_t i = 0; i < t->count; i++) {
        const ct_field *f = &t->fields[i];
        if (f->type == CT_F_ID || (f->flags & CT_FIELD_READ_ONLY))
            continue;
        const char *m = (const char *)item + f->offset;
        ct_buf_adds(b, f->path);
        ct_buf_addc(b, '=');
        switch (f->type) {
        case CT_F_STR:
        case CT_F_CODE:
            if (*(const char *const *)m)
                ct_buf_adds(b, *(const char *const *)m);
            break;
        case CT_F_CODES:
        case CT_F_STRS: {
            const ct_strv *v = (const ct_strv *)m;
            for (size_t k = 0; k < v->n; k++) {
                ct_buf_adds(b, v->v[k]);
                ct_buf_addc(b, '\x1e');
            }
            break;
        }
        case CT_F_DATE: {
            const ct_date *d = (const ct_date *)m;
            add_int(b, d->year);
            ct_buf_addc(b, '-');
            add_int(b, d->month);
            ct_buf_addc(b, '-');
            add_int(b, d->day);
            break;
        }
        case CT_F_INT:
        case CT_F_BOOL:
            add_int(b, *(const int *)m);
            break;
        case CT_F_OBJECTS: {
            size_t n = *(const size_t *)((const char *)item + f->count_offset);
            const char *items = *(const char *const *)m;
            for (size_t k = 0; k < n; k++) {
                ct_buf_addc(b, '{');
                hash_fields(b, items + k * f->sub->item_size, f->sub);
                ct_buf_addc(b, '}');
            }
            break;
        }
        case CT_F_ID:
            break;
        }
        ct_buf_addc(b, '\x1f');
    }
}

int ct_case_content_hash(const ct_case *c, unsigned char out[CT_CONTENT_HASH_BYTES])
{
    ct_buf b = CT_BUF_INIT;
    ct_buf_grow(&b, 2048); /* one allocation for most cases */
    hash_fields(&b, c, &ct_case_table);
    if (b.oom) {
        ct_buf_release(&b);
        return CT_ENOMEM;
    }
    crypto_generichash(out, CT_CONTENT_HASH_BYTES, (const unsigned char *)b.buf, b.len, NULL, 0);
    ct_buf_release(&b);
    return 0;
}
