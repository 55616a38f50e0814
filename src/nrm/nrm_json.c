/*
 * nrm_json.c - request bodies and responses of the NRM endpoints. Each body
 * is described by a member table (name, type, where it goes, required);
 * one walker checks every body against its table, so unknown members, wrong
 * types and missing members are refused the same way everywhere.
 */
#include "nrm_int.h"

#include "core/i18n.h"

#include <stddef.h>
#include <string.h>

enum mtype { M_STR, M_INT, M_BOOL, M_STRV };

typedef struct member {
    const char *name;
    enum mtype type;
    size_t off;
    int required;
    size_t count_off; /* M_STRV: offset of the size_t count */
} member;

#define STR(T, name, field, req)                                                                   \
    {                                                                                              \
        name, M_STR, offsetof(T, field), req, 0                                                    \
    }
#define INT(T, name, field, req)                                                                   \
    {                                                                                              \
        name, M_INT, offsetof(T, field), req, 0                                                    \
    }
#define BOOL(T, name, field, req)                                                                  \
    {                                                                                              \
        name, M_BOOL, offsetof(T, field), req, 0                                                   \
    }

static const member *find_member(const member *m, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].name, name) == 0)
            return &m[i];
    return NULL;
}

static int read_strv(const json_t *v, const member *m, void *out, ct_arena *a, ct_err *err)
{
    if (!json_is_array(v) || json_array_size(v) > 256)
        return ct_err_set_field(err, CT_EINVAL, m->name,
                                _("%s must be an array of at most %d "
                                  "strings"),
                                m->name, 256);
    size_t n = json_array_size(v);
    const char **items = ct_arena_alloc(a, (n ? n : 1) * sizeof(*items));
    if (!items)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t i = 0; i < n; i++)
        if (!(items[i] = json_string_value(json_array_get(v, i))))
            return ct_err_set_field(err, CT_EINVAL, m->name,
                                    _("%s must be an array of at most %d strings"), m->name, 256);
    *(const char *const **)((char *)out + m->off) = items;
    *(size_t *)((char *)out + m->count_off) = n;
    return 0;
}

static int read_member(const json_t *v, const member *m, void *out, ct_arena *a, ct_err *err)
{
    char *dst = (char *)out + m->off;
    switch (m->type) {
    case M_STR:
        if (json_is_null(v))
            return 0;
        if (!json_is_string(v))
            return ct_err_set_field(err, CT_EINVAL, m->name, _("%s must be a string"), m->name);
        *(const char **)dst = json_string_value(v);
        return 0;
    case M_INT:
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000)
            return ct_err_set_field(err, CT_EINVAL, m->name,
                                    _("%s must be a whole number from 0 to 100000"), m->name);
        *(int *)dst = (int)json_integer_value(v);
        return 0;
    case M_BOOL:
        if (!json_is_boolean(v))
            return ct_err_set_field(err, CT_EINVAL, m->name, _("%s must be true or false"),
                                    m->name);
        *(int *)dst = json_is_true(v);
        return 0;
    case M_STRV:
        return read_strv(v, m, out, a, err);
    }
    return 0;
}

/* Reads body into out by the table m[0..n). */
static int walk(const json_t *body, const member *m, size_t n, void *out, ct_arena *a, ct_err *err)
{
    if (!json_is_object(body))
        return ct_err_set(err, CT_EINVAL, "%s", _("the body must be a JSON object"));
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        const member *mm = find_member(m, n, key);
        if (!mm)
            return ct_err_set_field(err, CT_EINVAL, key, _("unknown member '%.64s'"), key);
        int r = read_member(v, mm, out, a, err);
        if (r)
            return r;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *v2 = json_object_get(body, m[i].name);
        if (m[i].required && (!v2 || json_is_null(v2)))
            return ct_err_set_field(err, CT_EINVAL, m[i].name, _("%s is required"), m[i].name);
    }
    return 0;
}

#define WALK(body, table, out, a, err)                                                             \
    walk(body, table, sizeof(table) / sizeof(table[0]), out, a, err)

static const member action_members[] = {
    STR(ct_nrm_action, "action", action, 1),
    STR(ct_nrm_action, "reason", reason, 1),
    STR(ct_nrm_action, "date", date, 0),
    INT(ct_nrm_action, "reflection_days", reflection_days, 0),
};

int ct_nrm_action_from_json(const json_t *body, ct_nrm_action *out, ct_err *err)
{
    memset(out, 0, sizeof(*out));
    return WALK(body, action_members, out, NULL, err);
}

static const member screening_members[] = {
    STR(ct_nrm_screening_input, "checklist", checklist, 1),
    STR(ct_nrm_screening_input, "list", list, 0),
    {"items", M_STRV, offsetof(ct_nrm_screening_input, items), 1,
     offsetof(ct_nrm_screening_input, nitems)},
    STR(ct_nrm_screening_input, "note", note, 0),
};

int ct_nrm_screening_from_json(const json_t *body, ct_arena *a, ct_nrm_screening_input *out,
                               ct_err *err)
{
    memset(out, 0, sizeof(*out));
    return WALK(body, screening_members, out, a, err);
}

static const member referral_members[] = {
    STR(ct_nrm_referral_input, "service", service, 1),
    STR(ct_nrm_referral_input, "provider", provider, 0),
    STR(ct_nrm_referral_input, "date", date, 0),
    STR(ct_nrm_referral_input, "note", note, 0),
};

int ct_nrm_referral_from_json(const json_t *body, ct_nrm_referral_input *out, ct_err *err)
{
    memset(out, 0, sizeof(*out));
    return WALK(body, referral_members, out, NULL, err);
}

static const member consent_members[] = {
    STR(ct_nrm_consent_input, "purpose", purpose, 1),
    STR(ct_nrm_consent_input, "recipient_type", recipient_type, 1),
    STR(ct_nrm_consent_input, "recipient", recipient, 1),
    STR(ct_nrm_consent_input, "date", date, 0),
    STR(ct_nrm_consent_input, "note", note, 0),
};

int ct_nrm_consent_from_json(const json_t *body, ct_nrm_consent_input *out, ct_err *err)
{
    memset(out, 0, sizeof(*out));
    return WALK(body, consent_members, out, NULL, err);
}

#define SMALL(name, field, req) STR(ct_nrm_small_input, name, field, req)
static const member move_members[] = {SMALL("status", status, 1), SMALL("date", date, 0),
                                      SMALL("reason", reason, 0)};
static const member withdrawal_members[] = {SMALL("date", date, 0), SMALL("reason", reason, 0)};
static const member child_members[] = {SMALL("kind", kind, 1), SMALL("date", date, 0),
                                       SMALL("note", note, 0)};
static const member note_members[] = {SMALL("text", text, 1)};
static const member cooperation_members[] = {SMALL("cooperation", cooperation, 1),
                                             SMALL("reason", reason, 0)};
static const member np_members[] = {BOOL(ct_nrm_small_input, "flag", flag, 1),
                                    SMALL("offence", offence, 0), SMALL("reason", reason, 1)};

int ct_nrm_small_from_json(const json_t *body, enum ct_nrm_small_kind k, ct_nrm_small_input *out,
                           ct_err *err)
{
    memset(out, 0, sizeof(*out));
    switch (k) {
    case CT_NRM_IN_REFERRAL_MOVE:
        return WALK(body, move_members, out, NULL, err);
    case CT_NRM_IN_WITHDRAWAL:
        return WALK(body, withdrawal_members, out, NULL, err);
    case CT_NRM_IN_CHILD_MEASURE: {
        int r = WALK(body, child_members, out, NULL, err);
        if (!r && strcmp(out->kind, "guardian") && strcmp(out->kind, "best_interests"))
            r = ct_err_set_field(err, CT_EINVAL, "kind", "%s",
                                 _("kind must be 'guardian' or 'best_interests'"));
        return r;
    }
    case CT_NRM_IN_NOTE:
        return WALK(body, note_members, out, NULL, err);
    case CT_NRM_IN_COOPERATION:
        return WALK(body, cooperation_members, out, NULL, err);
    case CT_NRM_IN_NON_PUNISHMENT:
        return WALK(body, np_members, out, NULL, err);
    }
    CT_BUG("unknown NRM body kind");
}

/* ---- responses -------------------------------------------------------------------------- */

typedef struct column {
    const char *name;
    size_t off;
} column;

#define COL_T(col)  {#col, offsetof(ct_nrm_transition, col)},
#define COL_S(col)  {#col, offsetof(ct_nrm_screening, col)},
#define COL_R(col)  {#col, offsetof(ct_nrm_referral, col)},
#define COL_C(col)  {#col, offsetof(ct_nrm_consent, col)},
#define COL_CM(col) {#col, offsetof(ct_nrm_child_measure, col)},
#define COL_N(col)  {#col, offsetof(ct_nrm_note, col)},

static const column transition_cols[] = {CT_NRM_TRANSITION_COLS(COL_T)};
static const column screening_cols[] = {CT_NRM_SCREENING_COLS(COL_S)};
static const column referral_cols[] = {CT_NRM_REFERRAL_COLS(COL_R)};
static const column consent_cols[] = {CT_NRM_CONSENT_COLS(COL_C)};
static const column child_cols[] = {CT_NRM_CHILD_MEASURE_COLS(COL_CM)};
static const column note_cols[] = {CT_NRM_NOTE_COLS(COL_N)};

#define N(x) (sizeof(x) / sizeof(x[0]))
static const struct {
    const column *cols;
    size_t n, size;
} kinds[CT_NRM_REC__N] = {
    [CT_NRM_REC_TRANSITION] = {transition_cols, N(transition_cols), sizeof(ct_nrm_transition)},
    [CT_NRM_REC_SCREENING] = {screening_cols, N(screening_cols), sizeof(ct_nrm_screening)},
    [CT_NRM_REC_REFERRAL] = {referral_cols, N(referral_cols), sizeof(ct_nrm_referral)},
    [CT_NRM_REC_CONSENT] = {consent_cols, N(consent_cols), sizeof(ct_nrm_consent)},
    [CT_NRM_REC_CHILD_MEASURE] = {child_cols, N(child_cols), sizeof(ct_nrm_child_measure)},
    [CT_NRM_REC_NOTE] = {note_cols, N(note_cols), sizeof(ct_nrm_note)},
};

static json_t *items_array(const char *joined)
{
    json_t *a = json_array();
    while (a && joined && *joined) {
        const char *semi = strchr(joined, ';');
        size_t n = semi ? (size_t)(semi - joined) : strlen(joined);
        json_array_append_new(a, json_stringn(joined, n));
        joined = semi ? semi + 1 : NULL;
    }
    return a;
}

json_t *ct_nrm_record_to_json(enum ct_nrm_rec k, const ct_nrm_meta *rec)
{
    if (k < 0 || k >= CT_NRM_REC__N)
        CT_BUG("unknown NRM record kind");
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:i}", "id", rec->id, "person_id",
                          rec->person_id, "at", rec->at, "updated_at", rec->updated_at, "by",
                          rec->actor, "agency", rec->agency, "version", rec->version);
    for (size_t i = 0; o && i < kinds[k].n; i++) {
        const column *c = &kinds[k].cols[i];
        const char *v = *(const char *const *)((const char *)rec + c->off);
        json_t *jv = k == CT_NRM_REC_SCREENING && strcmp(c->name, "items") == 0
                         ? items_array(v)
                         : (v ? json_string(v) : json_null());
        if (!jv || json_object_set_new(o, c->name, jv)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

json_t *ct_nrm_list_to_json(enum ct_nrm_rec k, const ct_nrm_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->n; i++) {
        const ct_nrm_meta *rec = (const ct_nrm_meta *)((const char *)l->items + i * kinds[k].size);
        json_t *o = ct_nrm_record_to_json(k, rec);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}
