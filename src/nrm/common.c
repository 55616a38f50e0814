/* common.c - input checks, loading a person, transactions and audit entries
 * for the rest of src/nrm. */
#include "nrm_int.h"

#include "core/assess.h"
#include "core/codes.h"
#include "core/i18n.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int nrm_check_text(const char *s, size_t max, int required, const char *field, ct_err *err)
{
    if (!s || !*s)
        return required ? ct_err_set_field(err, CT_EINVAL, field, _("%s is required"), field) : 0;
    size_t n = strlen(s);
    if (n > max)
        return ct_err_set_field(err, CT_EINVAL, field, _("%s is longer than %zu bytes"), field,
                                max);
    if (ct_utf8_invalid_at(s, n) != n)
        return ct_err_set_field(err, CT_EINVAL, field, _("%s is not valid UTF-8"), field);
    return 0;
}

void nrm_now(char out[32])
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
             tm.tm_sec % 100, (int)(tv.tv_usec / 1000) % 1000);
}

ct_date nrm_today(ct_date today)
{
    return ct_date_is_set(today) ? today : ct_date_today();
}

int nrm_check_date(const char *s, ct_date today, const char *field, char out[CT_DATE_TEXT_MAX],
                   ct_date *parsed, ct_err *err)
{
    ct_date d = today;
    if (s && *s) {
        const char *reason = NULL;
        if (ct_date_parse(s, strlen(s), &d) || !d.day)
            return ct_err_set_field(err, CT_EINVAL, field, _("%s must be a full date (YYYY-MM-DD)"),
                                    field);
        if (ct_date_check(d, CT_DATE_EVENT, today, &reason))
            return ct_err_set_field(err, CT_EINVAL, field, "%s: %s", field, reason);
    }
    ct_date_format(d, out);
    if (parsed)
        *parsed = d;
    return 0;
}

int nrm_code_ok(const char *list, const char *code)
{
    return code && ct_codes_lookup(list, code) != NULL;
}

int nrm_person_load(ct_store *s, const char *person_id, ct_date today, ct_arena *a, nrm_person *out,
                    ct_err *err)
{
    memset(out, 0, sizeof(*out));
    ct_case_init(&out->c);
    if (!person_id || !ct_uuid_valid(person_id, strlen(person_id)))
        return ct_err_set_field(err, CT_ENOTFOUND, "person_id", "%s", _("no such person"));
    int r = ct_store_nrm_subject(s, person_id, a, &out->subj, err);
    if (!r)
        r = ct_store_case_get(s, out->subj.case_id, &out->c, err);
    if (r)
        return r;
    for (size_t i = 0; i < out->c.npersons; i++)
        if (strcmp(out->c.persons[i].id, person_id) == 0)
            out->p = &out->c.persons[i];
    if (!out->p)
        return ct_err_set(err, CT_EINTERNAL, "%s", _("a person is missing from its case"));
    out->child = ct_person_is_child(&out->c, out->p, nrm_today(today));
    return 0;
}

void nrm_person_release(nrm_person *np)
{
    ct_case_release(&np->c);
}

int nrm_require_victim(const ct_nrm_subject *subj, ct_err *err)
{
    if (!subj->role || strcmp(subj->role, "victim") != 0)
        return ct_err_set_field(err, CT_EINVAL, "person_id", "%s",
                                _("only victims have a path in the referral mechanism"));
    return 0;
}

int nrm_tx(ct_store *s, int (*fn)(ct_store *, void *, ct_err *), void *arg, ct_err *err)
{
    /* inside the caller's transaction (the server checks a version, acts and
     * notifies as one write): a savepoint undoes only this part on error */
    if (ct_store_in_tx(s)) {
        int r = ct_store_savepoint(s, err);
        if (!r && (r = fn(s, arg, err)) != 0)
            ct_store_savepoint_rollback(s);
        else if (!r)
            r = ct_store_savepoint_release(s, err);
        return r;
    }
    int r = ct_store_begin(s, err);
    if (r)
        return r;
    r = fn(s, arg, err);
    if (r) {
        ct_store_rollback(s);
        return r;
    }
    return ct_store_commit(s, err);
}

int nrm_audit(ct_store *s, const char *action, const char *record_type, const char *record_id,
              const char *fields, const char *reason, json_t *detail, ct_err *err)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(detail);
    if (detail && !text)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_audit_entry e = {action, record_type, record_id, fields, reason, text};
    int r = ct_store_audit(s, &e, err);
    free(text);
    return r;
}

int nrm_child_measures(ct_store *s, const char *person_id, ct_arena *a, int *guardian,
                       int *best_interests, ct_err *err)
{
    ct_nrm_list l;
    int r = ct_store_nrm_list(s, CT_NRM_REC_CHILD_MEASURE, person_id, NULL, a, &l, err);
    if (r)
        return r;
    *guardian = *best_interests = 0;
    const ct_nrm_child_measure *m = l.items;
    for (size_t i = 0; i < l.n; i++) {
        if (strcmp(m[i].kind, "guardian") == 0)
            (*guardian)++;
        else if (strcmp(m[i].kind, "best_interests") == 0)
            (*best_interests)++;
    }
    return 0;
}

int ct_nrm_record_get(ct_store *s, enum ct_nrm_rec k, const char *id, ct_arena *a, ct_nrm_meta *out,
                      ct_err *err)
{
    if (k < 0 || k >= CT_NRM_REC__N)
        CT_BUG("unknown NRM record kind");
    if (!id || !ct_uuid_valid(id, strlen(id)))
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such record"));
    return ct_store_nrm_get(s, k, id, a, out, err);
}
