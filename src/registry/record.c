/*
 * record.c - the field tables of the registry records and the rules
 * between their fields.
 *
 * Sources: ctip issue 7 (what each registry holds), contracts.md (names,
 * dates, sex codes: the child's fields are those of a person, so the
 * linkage compares like with like), the UN Guidelines for the Alternative
 * Care of Children (A/RES/64/142: forms of care, registration of care
 * providers). Personal-data classes follow model.h: names and the
 * reporter/carer are CT_PD_NAME, the place a child was last seen is
 * CT_PD_CONTACT (a location that finds the child's family), birth dates
 * CT_PD_BIRTH, person keys CT_PD_IDENTIFIER, free-text notes and the
 * agency's own reference CT_PD_FREE_TEXT. Institutions hold no personal
 * data.
 */
#include "record.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(m) offsetof(ct_reg_record, m)
#define STR(p, m, len, pd)                                                                         \
    {                                                                                              \
        p, CT_F_STR, S(m), NULL, 0, len, 0, pd, 0, NULL, 0                                         \
    }
#define CODE(p, m, list)                                                                           \
    {                                                                                              \
        p, CT_F_CODE, S(m), list, 0, 0, 0, 0, 0, NULL, 0                                           \
    }
#define CODES(p, m, list)                                                                          \
    {                                                                                              \
        p, CT_F_CODES, S(m), list, 0, 0, 0, 0, 0, NULL, 0                                          \
    }
#define DATE(p, m, kind, pd)                                                                       \
    {                                                                                              \
        p, CT_F_DATE, S(m), NULL, 0, 0, kind, pd, 0, NULL, 0                                       \
    }
#define INT(p, m, lo, hi)                                                                          \
    {                                                                                              \
        p, CT_F_INT, S(m), NULL, lo, hi, 0, 0, 0, NULL, 0                                          \
    }
#define RO(p, m, type)                                                                             \
    {                                                                                              \
        p, type, S(m), NULL, 0, 0, 0, 0, CT_FIELD_READ_ONLY, NULL, 0                               \
    }
#define ID(p, m)                                                                                   \
    {                                                                                              \
        p, CT_F_ID, S(m), NULL, 0, 0, 0, 0, 0, NULL, 0                                             \
    }

#define HEAD                                                                                       \
    ID("id", id), STR("source_id", source_id, 200, CT_PD_FREE_TEXT),                               \
        STR("agency", agency, 200, CT_PD_NONE)

/* The child, with the person fields of contracts.md. A registry child is
 * under 18 at the registry's own date, so age stops at 17. */
#define CHILD                                                                                      \
    STR("person_key", person_key, 200, CT_PD_IDENTIFIER),                                          \
        STR("given_name", given_name, 200, CT_PD_NAME),                                            \
        STR("family_name", family_name, 200, CT_PD_NAME),                                          \
        {"other_names", CT_F_STRS, S(other_names), NULL, 0, 200, 0, CT_PD_NAME, 0, NULL, 0},       \
        CODE("sex", sex, "sexes"),                                                                 \
        DATE("date_of_birth", date_of_birth, CT_DATE_BIRTH, CT_PD_BIRTH), INT("age", age, 0, 17),  \
        CODES("citizenship", citizenship, "countries")

#define META                                                                                       \
    RO("created_at", created_at, CT_F_STR), RO("updated_at", updated_at, CT_F_STR),                \
        RO("version", version, CT_F_INT)

static const ct_field missing_fields[] = {
    HEAD,
    CHILD,
    DATE("date_last_seen", date_last_seen, CT_DATE_EVENT, CT_PD_NONE),
    STR("place_last_seen", place_last_seen, 400, CT_PD_CONTACT),
    CODE("country_last_seen", country_last_seen, "countries"),
    CODE("circumstances", circumstances, "missing_circumstances"),
    STR("circumstances_note", circumstances_note, 2000, CT_PD_FREE_TEXT),
    STR("reporter", reporter, 200, CT_PD_NAME),
    CODE("reporter_relation", reporter_relation, "missing_reporters"),
    DATE("date_reported", date_reported, CT_DATE_EVENT, CT_PD_NONE),
    CODE("status", status, "missing_statuses"),
    DATE("date_closed", date_closed, CT_DATE_EVENT, CT_PD_NONE),
    STR("placement", placement, 200, CT_PD_NONE),
    META,
};

static const ct_field placement_fields[] = {
    HEAD,
    CHILD,
    STR("institution", institution, 200, CT_PD_NONE),
    CODE("placement_type", placement_type, "placement_types"),
    STR("carer", carer, 200, CT_PD_NAME),
    DATE("admission_date", admission_date, CT_DATE_EVENT, CT_PD_NONE),
    DATE("exit_date", exit_date, CT_DATE_EVENT, CT_PD_NONE),
    CODE("exit_reason", exit_reason, "placement_exit_reasons"),
    META,
};

static const ct_field institution_fields[] = {
    HEAD,
    STR("name", name, 200, CT_PD_NONE),
    CODE("type", institution_type, "institution_types"),
    STR("licence", licence, 100, CT_PD_NONE),
    CODE("licence_status", licence_status, "licence_statuses"),
    INT("capacity", capacity, 0, 100000),
    CODE("country", country, "countries"),
    STR("location", location, 400, CT_PD_NONE),
    META,
};

#define TABLE(f)                                                                                   \
    {                                                                                              \
        f, sizeof(f) / sizeof(f[0]), sizeof(ct_reg_record)                                         \
    }
static const ct_field_table tables[CT_REG__N] = {
    TABLE(missing_fields),
    TABLE(placement_fields),
    TABLE(institution_fields),
};
static const char *const kind_names[CT_REG__N] = {"missing", "placement", "institution"};

const char *ct_reg_kind_name(enum ct_reg_kind k)
{
    return (unsigned)k < CT_REG__N ? kind_names[k] : NULL;
}

int ct_reg_kind_of(const char *name)
{
    for (int k = 0; name && k < CT_REG__N; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return -1;
}

const ct_field_table *ct_reg_table(enum ct_reg_kind k)
{
    if ((unsigned)k >= CT_REG__N)
        CT_BUG("no such registry kind");
    return &tables[k];
}

/* ---- lifecycle ------------------------------------------------------------ */

static void clear(ct_reg_record *r, enum ct_reg_kind k)
{
    ct_arena arena = r->arena;
    memset(r, 0, sizeof(*r));
    r->arena = arena;
    r->kind = k;
    r->age = -1;
    r->capacity = -1;
}

void ct_reg_record_init(ct_reg_record *r, enum ct_reg_kind k)
{
    memset(r, 0, sizeof(*r));
    ct_arena_init(&r->arena, 4096);
    clear(r, k);
}

void ct_reg_record_reset(ct_reg_record *r)
{
    ct_arena_reset(&r->arena);
    clear(r, r->kind);
}

void ct_reg_record_release(ct_reg_record *r)
{
    ct_arena_release(&r->arena);
    clear(r, r->kind);
}

/* ---- reading -------------------------------------------------------------- */

void ct_reg_defaults(ct_reg_record *r, const ct_case_read_opts *opts)
{
    if (!r->agency && opts->home_agency)
        r->agency = opts->home_agency;
    if (r->kind == CT_REG_MISSING && !r->status)
        r->status = "open";
    if (r->kind == CT_REG_PLACEMENT && !r->placement_type && r->institution)
        r->placement_type = "residential_care";
}

int ct_reg_from_json(ct_reg_record *r, const json_t *obj, const ct_case_read_opts *opts,
                     ct_problems *pr)
{
    size_t before = pr->total;
    if (!json_is_object(obj)) {
        ct_problems_add(pr, "", "%s", _("a registry record must be a JSON object"));
        return CT_EINVAL;
    }
    const ct_field_table *t = ct_reg_table(r->kind);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        char path[CT_PROBLEM_FIELD_MAX];
        snprintf(path, sizeof(path), "%s", key);
        if (json_is_null(v))
            continue;
        const ct_field *f = ct_field_find(t, key);
        if (f) {
            if (f->flags & CT_FIELD_READ_ONLY)
                continue;
            if (ct_field_from_json(&r->arena, r, f, v, opts, path, pr) == CT_ENOMEM)
                return CT_ENOMEM;
            continue;
        }
        if (strcmp(key, "kind") == 0) { /* as `ctip registry list` writes it */
            if (!json_is_string(v) || strcmp(json_string_value(v), kind_names[r->kind]))
                ct_problems_add(pr, path, _("this file holds '%s' records"), kind_names[r->kind]);
            continue;
        }
        if (key[0] == '_' && opts->allow_private)
            continue;
        ct_problems_add(pr, path, "%s", _("unknown field"));
    }
    if (pr->oom)
        return CT_ENOMEM;
    ct_reg_defaults(r, opts);
    ct_reg_check(r, opts, pr);
    return pr->total > before ? CT_EINVAL : 0;
}

/* ---- rules between fields -------------------------------------------------- */

/* "is required" only when the field was not given at all: a value that
 * failed to parse has its own problem already. */
static void require(ct_problems *pr, const char *field, int set, const char *why)
{
    if (set)
        return;
    for (size_t i = 0; i < pr->n; i++)
        if (strcmp(pr->v[i].field, field) == 0)
            return;
    ct_problems_add(pr, field, "%s", why);
}

static int before(ct_date later, ct_date earlier)
{
    return later.year && earlier.year &&
           ct_date_days(ct_date_last_day(later)) < ct_date_days(ct_date_first_day(earlier));
}

/* The child must be under 18 on `at` (or today when it is not set), and a
 * given age must agree with the birth date. */
static void check_child(const ct_reg_record *r, ct_date at, const char *at_field,
                        const ct_case_read_opts *opts, ct_problems *pr)
{
    if (!r->date_of_birth.year)
        return;
    ct_date when = at.year ? at : opts->today;
    int lo, hi;
    if (ct_age_range(r->date_of_birth, -1, CT_DATE_NONE, when, &lo, &hi))
        return;
    if (before(when, r->date_of_birth))
        ct_problems_add(pr, "date_of_birth", _("lies after %s"), at_field);
    else if (lo >= 18)
        ct_problems_add(pr, "date_of_birth", _("the child was 18 or older on %s"), at_field);
    if (r->age >= 0 && (r->age < lo - 1 || r->age > hi + 1))
        ct_problems_add(pr, "age", _("does not match date_of_birth on %s"), at_field);
}

static void check_missing(const ct_reg_record *r, const ct_case_read_opts *opts, ct_problems *pr)
{
    require(pr, "date_last_seen", r->date_last_seen.year != 0, _("is required"));
    if (before(r->date_reported, r->date_last_seen))
        ct_problems_add(pr, "date_reported", "%s", _("lies before date_last_seen"));
    if (before(r->date_closed, r->date_last_seen))
        ct_problems_add(pr, "date_closed", "%s", _("lies before date_last_seen"));
    if (r->date_closed.year && r->status && strcmp(r->status, "open") == 0)
        ct_problems_add(pr, "date_closed", "%s", _("an open report has no closing date"));
    check_child(r, r->date_last_seen, "date_last_seen", opts, pr);
}

static void check_placement(const ct_reg_record *r, const ct_case_read_opts *opts, ct_problems *pr)
{
    require(pr, "admission_date", r->admission_date.year != 0, _("is required"));
    require(pr, "placement_type", r->placement_type != NULL,
            _("is required (or name an institution)"));
    if (r->placement_type && strcmp(r->placement_type, "residential_care") == 0 && !r->institution)
        ct_problems_add(pr, "institution", "%s", _("residential care names its institution"));
    if (before(r->exit_date, r->admission_date))
        ct_problems_add(pr, "exit_date", "%s", _("lies before admission_date"));
    if (r->exit_date.year && !r->exit_reason)
        ct_problems_add(pr, "exit_reason", "%s", _("is required with exit_date"));
    if (r->exit_reason && !r->exit_date.year)
        ct_problems_add(pr, "exit_date", "%s", _("is required with exit_reason"));
    check_child(r, r->admission_date, "admission_date", opts, pr);
}

void ct_reg_check(const ct_reg_record *r, const ct_case_read_opts *opts, ct_problems *pr)
{
    switch (r->kind) {
    case CT_REG_MISSING:
        check_missing(r, opts, pr);
        break;
    case CT_REG_PLACEMENT:
        check_placement(r, opts, pr);
        break;
    case CT_REG_INSTITUTION:
        require(pr, "name", r->name != NULL, _("is required"));
        break;
    case CT_REG__N:
        CT_BUG("no such registry kind");
    }
}

/* ---- writing -------------------------------------------------------------- */

json_t *ct_reg_to_json(const ct_reg_record *r, unsigned redact, int with_meta)
{
    const ct_field_table *t = ct_reg_table(r->kind);
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (with_meta && json_object_set_new(o, "kind", json_string(kind_names[r->kind]))) {
        json_decref(o);
        return NULL;
    }
    for (size_t i = 0; i < t->count; i++) {
        const ct_field *f = &t->fields[i];
        if ((f->pd & redact) || ((f->flags & CT_FIELD_READ_ONLY) && !with_meta))
            continue;
        json_t *v = ct_field_to_json(r, f);
        if (v && json_object_set_new(o, f->path, v)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

int ct_reg_content_hash(const ct_reg_record *r, unsigned char out[CT_REG_HASH_BYTES])
{
    json_t *o = ct_reg_to_json(r, 0, 0);
    if (!o)
        return CT_ENOMEM;
    json_object_del(o, "id");
    if (json_object_set_new(o, "kind", json_string(kind_names[r->kind]))) {
        json_decref(o);
        return CT_ENOMEM;
    }
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!text)
        return CT_ENOMEM;
    crypto_generichash(out, CT_REG_HASH_BYTES, (const unsigned char *)text, strlen(text), NULL, 0);
    free(text);
    return 0;
}
