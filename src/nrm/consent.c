/*
 * consent.c - what the person agreed to share and with whom, counselling
 * notes (never shared), cooperation with the authorities (recorded, never
 * required) and the non-punishment flag.
 */
#include "nrm_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

/* Loads the subject of person_id; victims only unless any_role. */
static int subject_of(ct_store *s, const char *person_id, int any_role, ct_arena *a,
                      ct_nrm_subject *out, ct_err *err)
{
    if (!person_id || !ct_uuid_valid(person_id, strlen(person_id)))
        return ct_err_set_field(err, CT_ENOTFOUND, "person_id", "%s", _("no such person"));
    int r = ct_store_nrm_subject(s, person_id, a, out, err);
    if (!r && !any_role)
        r = nrm_require_victim(out, err);
    return r;
}

/* ---- consent ---------------------------------------------------------------------- */

typedef struct consent_arg {
    ct_nrm_consent rec;
    const char *action, *reason;
} consent_arg;

static int consent_tx(ct_store *s, void *arg, ct_err *err)
{
    consent_arg *x = arg;
    int r = strcmp(x->action, "nrm.consent.give") == 0
                ? ct_store_nrm_add(s, CT_NRM_REC_CONSENT, &x->rec.m, err)
                : ct_store_nrm_update(s, CT_NRM_REC_CONSENT, &x->rec.m, err);
    if (r)
        return r;
    json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?}", "record", x->rec.m.id, "purpose",
                          x->rec.purpose, "recipient_type", x->rec.recipient_type, "recipient",
                          x->rec.recipient, "given_on", x->rec.given_on, "withdrawn_on",
                          x->rec.withdrawn_on);
    return nrm_audit(s, x->action, "person", x->rec.m.person_id, "consent", x->reason, d, err);
}

static int check_recipient(const char *type, const char *recipient, ct_err *err)
{
    if (!type || (strcmp(type, "agency") && strcmp(type, "role")))
        return ct_err_set_field(err, CT_EINVAL, "recipient_type", "%s",
                                _("recipient_type must be 'agency' or 'role'"));
    if (strcmp(type, "role") == 0 && !nrm_code_ok("user_roles", recipient))
        return ct_err_set_field(err, CT_EINVAL, "recipient", _("unknown role '%.64s'"),
                                recipient ? recipient : "");
    return nrm_check_text(recipient, 200, 1, "recipient", err);
}

int ct_nrm_consent_give(ct_store *s, const ct_nrm_consent_input *in, char id_out[CT_UUID_TEXT],
                        ct_err *err)
{
    char day[CT_DATE_TEXT_MAX];
    int r = 0;
    if (!nrm_code_ok("consent_purposes", in->purpose))
        r = ct_err_set_field(err, CT_EINVAL, "purpose", _("unknown consent purpose '%.64s'"),
                             in->purpose ? in->purpose : "");
    if (!r)
        r = check_recipient(in->recipient_type, in->recipient, err);
    if (!r)
        r = nrm_check_text(in->note, CT_NRM_NOTE_MAX, 0, "note", err);
    if (!r)
        r = nrm_check_date(in->date, ct_date_today(), "date", day, NULL, err);
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    ct_nrm_subject subj;
    r = subject_of(s, in->person_id, 0, &arena, &subj, err);
    if (!r && in->recipient_type[0] == 'a') {
        ct_agency ag;
        r = ct_store_agency_get(s, in->recipient, &ag, err);
        if (r == CT_ENOTFOUND) {
            ct_err_clear(err);
            r = ct_err_set_field(err, CT_EINVAL, "recipient", "%s", _("unknown agency"));
        }
    }
    consent_arg x = {{.purpose = in->purpose,
                      .recipient_type = in->recipient_type,
                      .recipient = in->recipient,
                      .given_on = day,
                      .note = in->note && *in->note ? in->note : NULL},
                     "nrm.consent.give",
                     NULL};
    if (!r) {
        snprintf(x.rec.m.person_id, sizeof(x.rec.m.person_id), "%s", subj.person_id);
        r = nrm_tx(s, consent_tx, &x, err);
    }
    if (!r && id_out)
        memcpy(id_out, x.rec.m.id, CT_UUID_TEXT);
    ct_arena_release(&arena);
    return r;
}

int ct_nrm_consent_withdraw(ct_store *s, const char *consent_id, const char *date,
                            const char *reason, ct_err *err)
{
    char day[CT_DATE_TEXT_MAX], now[32];
    int r = nrm_check_text(reason, CT_NRM_REASON_MAX, 0, "reason", err);
    if (!r)
        r = nrm_check_date(date, ct_date_today(), "date", day, NULL, err);
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    consent_arg x = {.action = "nrm.consent.withdraw", .reason = reason && *reason ? reason : NULL};
    r = ct_store_nrm_get(s, CT_NRM_REC_CONSENT, consent_id ? consent_id : "", &arena, &x.rec.m,
                         err);
    if (!r && x.rec.withdrawn_at)
        r = ct_err_set(err, CT_ECONFLICT, "%s", _("this consent is already withdrawn"));
    if (!r) {
        /* effective at once, whatever date the person gave it */
        nrm_now(now);
        x.rec.withdrawn_on = day;
        x.rec.withdrawn_at = now;
        r = nrm_tx(s, consent_tx, &x, err);
    }
    ct_arena_release(&arena);
    return r;
}

int ct_nrm_consents(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out, ct_err *err)
{
    return ct_store_nrm_list(s, CT_NRM_REC_CONSENT, person_id, NULL, a, out, err);
}

static int consent_matches(const ct_nrm_consent *c, const ct_nrm_consent_query *q)
{
    if (c->withdrawn_at || strcmp(c->purpose, q->purpose) != 0)
        return 0;
    if (strcmp(c->recipient_type, "agency") == 0)
        return q->agency && strcmp(c->recipient, q->agency) == 0;
    return q->role && strcmp(c->recipient, q->role) == 0;
}

int ct_nrm_consent_allows(ct_store *s, const char *person_id, const ct_nrm_consent_query *q,
                          ct_err *err)
{
    if (!q || !q->purpose)
        return ct_err_set_field(err, CT_EINVAL, "purpose", "%s", _("purpose is required"));
    ct_arena arena;
    ct_arena_init(&arena, 0);
    ct_nrm_subject subj;
    ct_nrm_list l;
    int r = subject_of(s, person_id, 1, &arena, &subj, err);
    if (!r)
        r = ct_store_nrm_list(s, CT_NRM_REC_CONSENT, person_id, NULL, &arena, &l, err);
    int allowed = 0;
    for (size_t i = 0; !r && i < l.n; i++)
        allowed |= consent_matches((const ct_nrm_consent *)l.items + i, q);
    ct_arena_release(&arena);
    return r ? r : allowed;
}

/* ---- notes ----------------------------------------------------------------------- */

typedef struct note_arg {
    ct_nrm_note rec;
} note_arg;

static int note_tx(ct_store *s, void *arg, ct_err *err)
{
    note_arg *x = arg;
    int r = ct_store_nrm_add(s, CT_NRM_REC_NOTE, &x->rec.m, err);
    if (r)
        return r;
    /* the audit names the note, never its text (personal data) */
    json_t *d = json_pack("{s:s}", "record", x->rec.m.id);
    return nrm_audit(s, "nrm.note.add", "person", x->rec.m.person_id, "notes", NULL, d, err);
}

int ct_nrm_note_add(ct_store *s, const char *person_id, const char *text, char id_out[CT_UUID_TEXT],
                    ct_err *err)
{
    int r = nrm_check_text(text, CT_NRM_NOTE_MAX, 1, "text", err);
    if (r)
        return r;
    if (!ct_store_actor(s)->agency)
        return ct_err_set(err, CT_EPERM, "%s", _("a note needs an agency to belong to"));
    ct_arena arena;
    ct_arena_init(&arena, 0);
    ct_nrm_subject subj;
    r = subject_of(s, person_id, 0, &arena, &subj, err);
    note_arg x = {{.text = text}};
    if (!r) {
        snprintf(x.rec.m.person_id, sizeof(x.rec.m.person_id), "%s", subj.person_id);
        r = nrm_tx(s, note_tx, &x, err);
    }
    if (!r && id_out)
        memcpy(id_out, x.rec.m.id, CT_UUID_TEXT);
    ct_arena_release(&arena);
    return r;
}

int ct_nrm_notes(ct_store *s, const char *person_id, const char *reader_agency, ct_arena *a,
                 ct_nrm_list *out, ct_err *err)
{
    out->items = NULL;
    out->n = 0;
    if (!reader_agency)
        return 0;
    return ct_store_nrm_list(s, CT_NRM_REC_NOTE, person_id, reader_agency, a, out, err);
}

/* ---- cooperation and non-punishment -------------------------------------------------- */

typedef struct subject_arg {
    ct_nrm_subject *subj;
    const char *action, *fields, *reason;
    json_t *detail;
} subject_arg;

static int subject_tx(ct_store *s, void *arg, ct_err *err)
{
    subject_arg *x = arg;
    int r = ct_store_nrm_subject_put(s, x->subj, err);
    json_t *d = x->detail;
    x->detail = NULL;
    if (r) {
        json_decref(d);
        return r;
    }
    return nrm_audit(s, x->action, "person", x->subj->person_id, x->fields, x->reason, d, err);
}

static const char *const cooperation_values[] = {"unknown", "cooperating", "not_cooperating"};

int ct_nrm_cooperation_set(ct_store *s, const char *person_id, const char *cooperation,
                           const char *reason, ct_err *err)
{
    int known = 0;
    for (size_t i = 0; cooperation && i < 3; i++)
        known |= strcmp(cooperation, cooperation_values[i]) == 0;
    if (!known)
        return ct_err_set_field(err, CT_EINVAL, "cooperation", "%s",
                                _("cooperation must be 'unknown', 'cooperating' or "
                                  "'not_cooperating'"));
    int r = nrm_check_text(reason, CT_NRM_REASON_MAX, 0, "reason", err);
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    ct_nrm_subject subj;
    r = subject_of(s, person_id, 0, &arena, &subj, err);
    if (!r) {
        subject_arg x = {&subj, "nrm.cooperation", "cooperation", reason && *reason ? reason : NULL,
                         json_pack("{s:s, s:s}", "from", subj.cooperation, "to", cooperation)};
        subj.cooperation = cooperation;
        r = nrm_tx(s, subject_tx, &x, err);
        json_decref(x.detail);
    }
    ct_arena_release(&arena);
    return r;
}

int ct_nrm_non_punishment_set(ct_store *s, const char *person_id, int flag, const char *offence,
                              const char *reason, ct_err *err)
{
    int r = nrm_check_text(reason, CT_NRM_REASON_MAX, 1, "reason", err);
    if (!r)
        r = nrm_check_text(offence, 500, flag != 0, "offence", err);
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    ct_nrm_subject subj;
    char now[32];
    nrm_now(now);
    r = subject_of(s, person_id, 1, &arena, &subj, err);
    if (!r) {
        subject_arg x = {&subj, "nrm.non_punishment", "non_punishment", reason,
                         json_pack("{s:b, s:b}", "from", subj.non_punishment, "to", flag != 0)};
        subj.non_punishment = flag != 0;
        subj.np_offence = flag ? offence : NULL;
        subj.np_reason = reason;
        subj.np_at = now;
        subj.np_actor = ct_store_actor(s)->user ? ct_store_actor(s)->user : "unknown";
        subj.np_agency = ct_store_actor(s)->agency;
        r = nrm_tx(s, subject_tx, &x, err);
        json_decref(x.detail);
    }
    ct_arena_release(&arena);
    return r;
}
