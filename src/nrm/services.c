/*
 * services.c - referrals to services and the recovery and reflection
 * period's default length.
 *
 * Assistance is never conditional on the person's cooperation with the
 * authorities (CoE Convention art. 12(6); Directive 2011/36/EU art. 11(3)):
 * nothing here reads ct_nrm_subject.cooperation.
 */
#include "nrm_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stages from which services can be offered: from reasonable grounds on
 * (domain.md §5), while the person's path is open. */
static const enum ct_nrm_stage referral_stages[] = {
    CT_NRM_PRESUMED_VICTIM,
    CT_NRM_IDENTIFIED,
    CT_NRM_RETURNED,
    CT_NRM_REINTEGRATED,
};

/* The referral status table (referral_statuses; HTCDS referral fields):
 * which status follows which, and the date column each one fills. */
static const struct referral_move {
    const char *from, *to;
} referral_moves[] = {
    {"offered", "accepted"},  {"offered", "declined"}, {"accepted", "provided"},
    {"accepted", "declined"}, {"accepted", "ended"},   {"provided", "ended"},
};

int ct_nrm_referral_move_allowed(const char *from, const char *to)
{
    for (size_t i = 0; from && to && i < sizeof(referral_moves) / sizeof(referral_moves[0]); i++)
        if (strcmp(referral_moves[i].from, from) == 0 && strcmp(referral_moves[i].to, to) == 0)
            return 1;
    return 0;
}

static const char **date_slot(ct_nrm_referral *r, const char *status)
{
    if (strcmp(status, "offered") == 0)
        return &r->offered_on;
    if (strcmp(status, "accepted") == 0)
        return &r->accepted_on;
    if (strcmp(status, "declined") == 0)
        return &r->declined_on;
    if (strcmp(status, "provided") == 0)
        return &r->provided_on;
    if (strcmp(status, "ended") == 0)
        return &r->ended_on;
    CT_BUG("a referral status without a date column");
}

static int stage_allows_referral(const char *stage)
{
    int st = ct_nrm_stage_parse(stage);
    for (size_t i = 0; i < sizeof(referral_stages) / sizeof(referral_stages[0]); i++)
        if (st == (int)referral_stages[i])
            return 1;
    return 0;
}

typedef struct referral_arg {
    ct_nrm_referral rec;
    const char *reason;
    const char *from;
} referral_arg;

static int open_tx(ct_store *s, void *arg, ct_err *err)
{
    referral_arg *x = arg;
    int r = ct_store_nrm_add(s, CT_NRM_REC_REFERRAL, &x->rec.m, err);
    if (r)
        return r;
    json_t *d = json_pack("{s:s, s:s, s:s?, s:s}", "record", x->rec.m.id, "service", x->rec.service,
                          "provider", x->rec.provider, "status", x->rec.status);
    return nrm_audit(s, "nrm.referral.open", "person", x->rec.m.person_id, "referrals", NULL, d,
                     err);
}

int ct_nrm_referral_open(ct_store *s, const ct_nrm_referral_input *in, char id_out[CT_UUID_TEXT],
                         ct_err *err)
{
    char day[CT_DATE_TEXT_MAX];
    int r = 0;
    if (!nrm_code_ok("services", in->service))
        r = ct_err_set_field(err, CT_EINVAL, "service", _("unknown service '%.64s'"),
                             in->service ? in->service : "");
    if (!r)
        r = nrm_check_text(in->provider, 200, 0, "provider", err);
    if (!r)
        r = nrm_check_text(in->note, CT_NRM_NOTE_MAX, 0, "note", err);
    if (!r)
        r = nrm_check_date(in->date, ct_date_today(), "date", day, NULL, err);
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    ct_nrm_subject subj;
    r = ct_store_nrm_subject(s, in->person_id, &arena, &subj, err);
    if (!r)
        r = nrm_require_victim(&subj, err);
    if (!r && !stage_allows_referral(subj.stage))
        r = ct_err_set(err, CT_ECONFLICT,
                       _("services can be offered from the presumed-victim stage on; the "
                         "person is at stage '%s'"),
                       subj.stage ? subj.stage : "");
    referral_arg x = {{.service = in->service,
                       .provider = in->provider && *in->provider ? in->provider : NULL,
                       .status = "offered",
                       .offered_on = day,
                       .note = in->note && *in->note ? in->note : NULL},
                      NULL,
                      NULL};
    if (!r) {
        snprintf(x.rec.m.person_id, sizeof(x.rec.m.person_id), "%s", subj.person_id);
        r = nrm_tx(s, open_tx, &x, err);
    }
    if (!r && id_out)
        memcpy(id_out, x.rec.m.id, CT_UUID_TEXT);
    ct_arena_release(&arena);
    return r;
}

static int move_tx(ct_store *s, void *arg, ct_err *err)
{
    referral_arg *x = arg;
    int r = ct_store_nrm_update(s, CT_NRM_REC_REFERRAL, &x->rec.m, err);
    if (r)
        return r;
    json_t *d =
        json_pack("{s:s, s:s, s:s, s:s, s:i}", "record", x->rec.m.id, "service", x->rec.service,
                  "from", x->from, "to", x->rec.status, "version", x->rec.m.version);
    return nrm_audit(s, "nrm.referral.update", "person", x->rec.m.person_id, "referrals.status",
                     x->reason, d, err);
}

int ct_nrm_referral_move(ct_store *s, const char *referral_id, const char *status, const char *date,
                         const char *reason, int if_version, ct_err *err)
{
    char day[CT_DATE_TEXT_MAX];
    int r = 0;
    if (!nrm_code_ok("referral_statuses", status))
        r = ct_err_set_field(err, CT_EINVAL, "status", _("unknown referral status '%.64s'"),
                             status ? status : "");
    if (!r)
        r = nrm_check_text(reason, CT_NRM_REASON_MAX, 0, "reason", err);
    if (!r)
        r = nrm_check_date(date, ct_date_today(), "date", day, NULL, err);
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    referral_arg x = {.reason = reason && *reason ? reason : NULL};
    r = ct_store_nrm_get(s, CT_NRM_REC_REFERRAL, referral_id ? referral_id : "", &arena, &x.rec.m,
                         err);
    if (!r && if_version > 0 && if_version != x.rec.m.version)
        r = ct_err_set(err, CT_ESTALE,
                       _("the record changed since it was read (version %d, now %d)"), if_version,
                       x.rec.m.version);
    if (!r && !ct_nrm_referral_move_allowed(x.rec.status, status))
        r = ct_err_set_field(err, CT_ECONFLICT, "status",
                             _("a referral cannot go from '%s' to '%s'"), x.rec.status, status);
    if (!r) {
        x.from = x.rec.status;
        x.rec.status = status;
        *date_slot(&x.rec, status) = day;
        r = nrm_tx(s, move_tx, &x, err);
    }
    ct_arena_release(&arena);
    return r;
}

int ct_nrm_referrals(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out, ct_err *err)
{
    return ct_store_nrm_list(s, CT_NRM_REC_REFERRAL, person_id, NULL, a, out, err);
}

int ct_nrm_agency_assists(ct_store *s, const char *person_id, const char *agency, ct_err *err)
{
    if (!agency)
        return 0;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    ct_nrm_list l;
    int r = ct_store_nrm_list(s, CT_NRM_REC_REFERRAL, person_id, NULL, &arena, &l, err);
    const ct_nrm_referral *ref = l.items;
    int assists = 0;
    for (size_t i = 0; !r && i < l.n; i++)
        assists |=
            ref[i].provider && strcmp(ref[i].provider, agency) == 0 &&
            (strcmp(ref[i].status, "accepted") == 0 || strcmp(ref[i].status, "provided") == 0);
    ct_arena_release(&arena);
    return r ? r : assists;
}

/* ---- recovery and reflection period ------------------------------------------- */

static void setting_key(const char *country, char *out, size_t n)
{
    if (country && *country)
        snprintf(out, n, "nrm.reflection_days.%.3s", country);
    else
        snprintf(out, n, "nrm.reflection_days");
}

static int country_ok(const char *country, ct_err *err)
{
    if (country && !nrm_code_ok("countries", country))
        return ct_err_set_field(err, CT_EINVAL, "country", _("unknown country '%.8s'"), country);
    return 0;
}

int ct_nrm_reflection_days(ct_store *s, const char *country, int *days, ct_err *err)
{
    char key[64], value[32];
    *days = CT_NRM_REFLECTION_MIN_DAYS;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && !(country && *country))
            continue;
        setting_key(pass == 0 ? country : NULL, key, sizeof(key));
        ct_err e = CT_ERR_INIT;
        int r = ct_store_meta_get(s, key, value, sizeof(value), &e);
        if (r == CT_ENOTFOUND)
            continue;
        if (r)
            return ct_err_set(err, r, "%s", e.msg);
        int v = atoi(value);
        if (v >= CT_NRM_REFLECTION_MIN_DAYS)
            *days = v;
        return 0;
    }
    return 0;
}

typedef struct setting_arg {
    const char *country, *key, *value;
    int days;
    const char *reason;
} setting_arg;

static int setting_tx(ct_store *s, void *arg, ct_err *err)
{
    setting_arg *x = arg;
    int r = ct_store_meta_set(s, x->key, x->value, err);
    if (r)
        return r;
    json_t *d = json_pack("{s:s?, s:i}", "country", x->country, "days", x->days);
    return nrm_audit(s, "nrm.settings", "setting", NULL, x->key, x->reason, d, err);
}

int ct_nrm_reflection_set(ct_store *s, const char *country, int days, ct_err *err)
{
    return ct_nrm_reflection_set_why(s, country, days, NULL, err);
}

int ct_nrm_reflection_set_why(ct_store *s, const char *country, int days, const char *reason,
                              ct_err *err)
{
    if (days < CT_NRM_REFLECTION_MIN_DAYS || days > 3660)
        return ct_err_set_field(err, CT_EINVAL, "days",
                                _("a recovery and reflection period lasts at least %d days"),
                                CT_NRM_REFLECTION_MIN_DAYS);
    int r = country_ok(country, err);
    if (!r)
        r = nrm_check_text(reason, CT_NRM_REASON_MAX, 0, "reason", err);
    if (r)
        return r;
    char key[64], value[32];
    setting_key(country, key, sizeof(key));
    snprintf(value, sizeof(value), "%d", days);
    setting_arg x = {country, key, value, days, reason && *reason ? reason : NULL};
    return nrm_tx(s, setting_tx, &x, err);
}
