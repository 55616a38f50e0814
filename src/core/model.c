#include "model.h"

#include "alloc.h"
#include "err.h"

#include <stddef.h>
#include <string.h>

/*
 * The field tables. Sources: contracts.md (names and meaning), domain.md
 * (codes), HTCDS 2.0 (contact and identifier fields, prs_ prefix), IC-TIP
 * (units). Maximum lengths bound what one record may hold; they are
 * generous for names in any script (200 bytes is at least 50 characters).
 */
#define S(st, m) offsetof(st, m)
#define STR(p, st, m, len, pd)                                                                     \
    {                                                                                              \
        p, CT_F_STR, S(st, m), NULL, 0, len, 0, pd, 0, NULL, 0                                     \
    }
#define ID(p, st, m)                                                                               \
    {                                                                                              \
        p, CT_F_ID, S(st, m), NULL, 0, 0, 0, 0, 0, NULL, 0                                         \
    }
#define CODE(p, st, m, list, fl)                                                                   \
    {                                                                                              \
        p, CT_F_CODE, S(st, m), list, 0, 0, 0, 0, fl, NULL, 0                                      \
    }
#define CODES(p, st, m, list)                                                                      \
    {                                                                                              \
        p, CT_F_CODES, S(st, m), list, 0, 0, 0, 0, 0, NULL, 0                                      \
    }
#define DATE(p, st, m, kind, pd)                                                                   \
    {                                                                                              \
        p, CT_F_DATE, S(st, m), NULL, 0, 0, kind, pd, 0, NULL, 0                                   \
    }
#define RO(p, st, m, type)                                                                         \
    {                                                                                              \
        p, type, S(st, m), NULL, 0, 0, 0, 0, CT_FIELD_READ_ONLY, NULL, 0                           \
    }

static const ct_field identifier_fields[] = {
    STR("type", ct_identifier, type, 40, CT_PD_NONE),
    STR("value", ct_identifier, value, 100, CT_PD_IDENTIFIER),
    CODE("country", ct_identifier, country, "countries", 0),
};
const ct_field_table ct_identifier_table = {
    identifier_fields, sizeof(identifier_fields) / sizeof(identifier_fields[0]),
    sizeof(ct_identifier)};

static const ct_field proceeding_fields[] = {
    ID("id", ct_proceeding, id),
    CODE("kind", ct_proceeding, kind, "proceeding_kinds", 0),
    DATE("date", ct_proceeding, date, CT_DATE_EVENT, CT_PD_NONE),
    STR("authority", ct_proceeding, authority, 200, CT_PD_NONE),
};
const ct_field_table ct_proceeding_table = {
    proceeding_fields, sizeof(proceeding_fields) / sizeof(proceeding_fields[0]),
    sizeof(ct_proceeding)};

static const ct_field person_fields[] = {
    ID("id", ct_person, id),
    CODE("role", ct_person, role, "person_roles", 0),
    STR("person_key", ct_person, person_key, 200, CT_PD_IDENTIFIER),
    STR("given_name", ct_person, given_name, 200, CT_PD_NAME),
    STR("family_name", ct_person, family_name, 200, CT_PD_NAME),
    {"other_names", CT_F_STRS, S(ct_person, other_names), NULL, 0, 200, 0, CT_PD_NAME, 0, NULL, 0},
    CODE("sex", ct_person, sex, "sexes", 0),
    DATE("date_of_birth", ct_person, date_of_birth, CT_DATE_BIRTH, CT_PD_BIRTH),
    {"age", CT_F_INT, S(ct_person, age), NULL, 0, 120, 0, 0, 0, NULL, 0},
    CODE("age_band", ct_person, age_band, "age_bands", 0),
    {"age_uncertain", CT_F_BOOL, S(ct_person, age_uncertain), NULL, 0, 0, 0, 0, 0, NULL, 0},
    CODES("citizenship", ct_person, citizenship, "countries"),
    CODES("languages", ct_person, languages, "languages"),
    CODES("vulnerabilities", ct_person, vulnerabilities, "vulnerabilities"),
    CODE("nrm_stage", ct_person, nrm_stage, "nrm_stages", CT_FIELD_VICTIM_ONLY),
    CODE("suspect_role", ct_person, suspect_role, "suspect_roles", CT_FIELD_SUSPECT_ONLY),
    STR("contact.phone", ct_person, phone, 40, CT_PD_CONTACT),
    STR("contact.email", ct_person, email, 200, CT_PD_CONTACT),
    STR("contact.address", ct_person, address, 400, CT_PD_CONTACT),
    {"identifiers", CT_F_OBJECTS, S(ct_person, identifiers), NULL, 0, 20, 0, CT_PD_IDENTIFIER, 0,
     &ct_identifier_table, S(ct_person, nidentifiers)},
    {"proceedings", CT_F_OBJECTS, S(ct_person, proceedings), NULL, 0, 50, 0, 0,
     CT_FIELD_SUSPECT_ONLY, &ct_proceeding_table, S(ct_person, nproceedings)},
    RO("version", ct_person, version, CT_F_INT),
};
const ct_field_table ct_person_table = {
    person_fields, sizeof(person_fields) / sizeof(person_fields[0]), sizeof(ct_person)};

static const ct_field case_fields[] = {
    ID("id", ct_case, id),
    STR("source_id", ct_case, source_id, 200, CT_PD_FREE_TEXT),
    STR("agency", ct_case, agency, 200, CT_PD_NONE),
    CODES("acts", ct_case, acts, "acts"),
    CODES("means", ct_case, means, "means"),
    CODES("purposes", ct_case, purposes, "purposes"),
    CODE("main_purpose", ct_case, main_purpose, "purposes", 0),
    CODE("labour_sector", ct_case, labour_sector, "labour_sectors", 0),
    CODE("countries.origin", ct_case, country_origin, "countries", 0),
    CODES("countries.transit", ct_case, countries_transit, "countries"),
    CODE("countries.exploitation", ct_case, country_exploitation, "countries", 0),
    DATE("dates.recruitment", ct_case, date_recruitment, CT_DATE_EVENT, 0),
    DATE("dates.exploitation_start", ct_case, date_exploitation_start, CT_DATE_EVENT, 0),
    DATE("dates.exploitation_end", ct_case, date_exploitation_end, CT_DATE_EVENT, 0),
    DATE("dates.identification", ct_case, date_identification, CT_DATE_EVENT, 0),
    CODE("recruiter_relation", ct_case, recruiter_relation, "recruiter_relations", 0),
    CODES("means_of_control", ct_case, means_of_control, "means_of_control"),
    CODES("technology", ct_case, technology, "technology"),
    CODES("other_crimes", ct_case, other_crimes, "other_crimes"),
    CODE("status", ct_case, status, "case_statuses", 0),
    {"persons", CT_F_OBJECTS, S(ct_case, persons), NULL, 0, 500, 0, 0, 0, &ct_person_table,
     S(ct_case, npersons)},
    RO("created_at", ct_case, created_at, CT_F_STR),
    RO("updated_at", ct_case, updated_at, CT_F_STR),
    RO("version", ct_case, version, CT_F_INT),
};
const ct_field_table ct_case_table = {case_fields, sizeof(case_fields) / sizeof(case_fields[0]),
                                      sizeof(ct_case)};

const ct_field *ct_field_find(const ct_field_table *t, const char *path)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->fields[i].path, path) == 0)
            return &t->fields[i];
    return NULL;
}

void ct_case_init(ct_case *c)
{
    memset(c, 0, sizeof(*c));
    ct_arena_init(&c->arena, 16384);
}

void ct_case_reset(ct_case *c)
{
    ct_arena arena = c->arena;
    ct_arena_reset(&arena);
    memset(c, 0, sizeof(*c));
    c->arena = arena;
}

void ct_case_release(ct_case *c)
{
    ct_arena_release(&c->arena);
    memset(c, 0, sizeof(*c));
}

ct_person *ct_case_add_person(ct_case *c)
{
    ct_person *v = ct_arena_alloc(&c->arena, (c->npersons + 1) * sizeof(*v));
    if (!v)
        return NULL;
    if (c->npersons)
        memcpy(v, c->persons, c->npersons * sizeof(*v));
    c->persons = v;
    ct_person *p = &v[c->npersons++];
    p->age = -1;
    p->role = "victim";
    return p;
}

static const char *new_id(ct_arena *a)
{
    char id[CT_UUID_TEXT];
    ct_uuid_new(id);
    return ct_arena_strdup(a, id);
}

int ct_case_assign_ids(ct_case *c)
{
    if (!c->id && !(c->id = new_id(&c->arena)))
        return CT_ENOMEM;
    for (size_t i = 0; i < c->npersons; i++) {
        ct_person *p = &c->persons[i];
        if (!p->id && !(p->id = new_id(&c->arena)))
            return CT_ENOMEM;
        for (size_t k = 0; k < p->nproceedings; k++)
            if (!p->proceedings[k].id && !(p->proceedings[k].id = new_id(&c->arena)))
                return CT_ENOMEM;
    }
    return 0;
}

int ct_person_is_victim(const ct_person *p)
{
    return !p->role || strcmp(p->role, "victim") == 0;
}

size_t ct_case_victims(const ct_case *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->npersons; i++)
        n += ct_person_is_victim(&c->persons[i]);
    return n;
}

int ct_strv_push(ct_arena *a, ct_strv *v, const char *s, size_t n)
{
    const char **items = ct_arena_alloc(a, (v->n + 1) * sizeof(*items));
    char *copy = ct_arena_strndup(a, s, n);
    if (!items || !copy)
        return -1;
    if (v->n)
        memcpy(items, v->v, v->n * sizeof(*items));
    items[v->n++] = copy;
    v->v = items;
    return 0;
}

int ct_strv_has(const ct_strv *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], s) == 0)
            return 1;
    return 0;
}
