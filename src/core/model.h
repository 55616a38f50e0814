/*
 * model.h - ctip's records, following IC-TIP's four units (UN Statistical
 * Commission, 2025): the event (ct_case, one trafficking situation as one
 * agency recorded it), the victim and the perpetrator (ct_person, role
 * "victim" or "suspect"; proceedings attach to suspects) and the reporting
 * entity (the agency that owns the record). The JSON form is the case
 * format of contracts.md; docs/case.schema.json is its schema.
 *
 * Every field is described once, in the tables of model.c (ct_case_fields,
 * ct_person_fields, ...): JSON reading and writing, validation, the flat
 * CSV, the personal-data classes that drive access rules and anonymised
 * exports all walk those tables. A new field is a new row.
 *
 * Memory: a ct_case owns an arena; every string and array reachable from it
 * lives there and dies with ct_case_reset / ct_case_release.
 */
#ifndef CT_CORE_MODEL_H
#define CT_CORE_MODEL_H

#include "arena.h"
#include "date.h"
#include "uuid.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ct_strv {
    const char **v;
    size_t n;
} ct_strv;

typedef struct ct_identifier {
    const char *type;    /* passport, national_id, ... (free text, short) */
    const char *value;   /* personal data */
    const char *country; /* issuing country, ISO alpha-3 */
} ct_identifier;

typedef struct ct_proceeding {
    const char *id;
    const char *kind; /* proceeding_kinds: investigation, prosecution, ... */
    ct_date date;
    const char *authority; /* police unit, prosecutor's office or court */
} ct_proceeding;

typedef struct ct_person {
    const char *id;
    const char *role; /* person_roles: victim | suspect */
    const char *person_key;
    const char *given_name;
    const char *family_name;
    ct_strv other_names;
    const char *sex; /* sexes */
    ct_date date_of_birth;
    int age;              /* years at identification; -1 when unknown */
    const char *age_band; /* age_bands: the band at identification (CTDC ageBroad), for
                           * records that know no more; age and date_of_birth win */
    int age_uncertain;    /* uncertain AND reasons to believe a child (domain.md §1) */
    ct_strv citizenship;
    ct_strv languages;
    ct_strv vulnerabilities;
    const char *nrm_stage;    /* victims only; changed by workflow actions */
    const char *suspect_role; /* suspects: recruiter, transporter, exploiter, ... */
    const char *phone;
    const char *email;
    const char *address;
    ct_identifier *identifiers;
    size_t nidentifiers;
    ct_proceeding *proceedings;
    size_t nproceedings;
    int version;
} ct_person;

typedef struct ct_case {
    const char *id;
    const char *source_id;
    const char *agency;
    ct_strv acts;
    ct_strv means;
    ct_strv purposes;
    const char *main_purpose;
    const char *labour_sector;
    const char *country_origin;
    ct_strv countries_transit;
    const char *country_exploitation;
    ct_date date_recruitment;
    ct_date date_exploitation_start;
    ct_date date_exploitation_end;
    ct_date date_identification;
    const char *recruiter_relation;
    ct_strv means_of_control;
    ct_strv technology;
    ct_strv other_crimes;
    const char *status; /* case_statuses (HTCDS cas_Status) */
    ct_person *persons;
    size_t npersons;
    /* set by the store */
    const char *created_at; /* RFC 3339 UTC */
    const char *updated_at;
    int version;
    ct_arena arena;
} ct_case;

/* ---- field descriptions ------------------------------------------------ */

enum ct_ftype {
    CT_F_STR,   /* free text */
    CT_F_ID,    /* UUID */
    CT_F_CODE,  /* one code of the list `codes` */
    CT_F_CODES, /* a list of codes */
    CT_F_STRS,  /* a list of free texts */
    CT_F_DATE,  /* partial ISO date; `date_kind` says which range applies */
    CT_F_INT,   /* min..max */
    CT_F_BOOL,
    CT_F_OBJECTS, /* an array of objects described by `sub` */
};

/* Personal-data classes: what access rules and anonymised exports act on. */
enum ct_pd_class {
    CT_PD_NONE = 0,
    CT_PD_NAME = 1 << 0,       /* names, aliases */
    CT_PD_CONTACT = 1 << 1,    /* phone, e-mail, address */
    CT_PD_IDENTIFIER = 1 << 2, /* passport and other document numbers, person keys */
    CT_PD_BIRTH = 1 << 3,      /* exact birth date */
    CT_PD_FREE_TEXT = 1 << 4,  /* source references and other free text */
};
#define CT_PD_ALL 0x1F

enum ct_field_flags {
    CT_FIELD_VICTIM_ONLY = 1 << 0,  /* meaningless for suspects */
    CT_FIELD_SUSPECT_ONLY = 1 << 1, /* meaningless for victims */
    CT_FIELD_READ_ONLY = 1 << 2,    /* set by ctip, ignored on input */
};

typedef struct ct_field ct_field;
typedef struct ct_field_table {
    const ct_field *fields;
    size_t count;
    size_t item_size; /* sizeof the struct the offsets refer to */
} ct_field_table;

struct ct_field {
    const char *path; /* JSON path: "given_name", "countries.origin" */
    enum ct_ftype type;
    size_t offset;     /* of the member in its struct */
    const char *codes; /* code list for CT_F_CODE(S) */
    int min, max;      /* CT_F_INT range; CT_F_STR(S) maximum bytes in max */
    enum ct_date_kind date_kind;
    unsigned pd;               /* enum ct_pd_class */
    unsigned flags;            /* enum ct_field_flags */
    const ct_field_table *sub; /* CT_F_OBJECTS */
    size_t count_offset;       /* CT_F_OBJECTS: offset of the size_t count */
};

extern const ct_field_table ct_case_table;
extern const ct_field_table ct_person_table;
extern const ct_field_table ct_identifier_table;
extern const ct_field_table ct_proceeding_table;

/* Finds a field by JSON path; NULL when the table has none. */
const ct_field *ct_field_find(const ct_field_table *t, const char *path);

/* ---- lifecycle ----------------------------------------------------------- */

void ct_case_init(ct_case *c);
/* Empties the case for reuse; keeps the arena's first block. */
void ct_case_reset(ct_case *c);
void ct_case_release(ct_case *c);
/* Adds an empty person (age -1, role victim); NULL on out of memory. */
ct_person *ct_case_add_person(ct_case *c);
/* Gives every record without an id a new UUIDv7. CT_ENOMEM or 0. */
int ct_case_assign_ids(ct_case *c);

/* Counts victims and suspects. */
size_t ct_case_victims(const ct_case *c);
int ct_person_is_victim(const ct_person *p);

/* Helpers for lists and strings in the case's arena. */
int ct_strv_push(ct_arena *a, ct_strv *v, const char *s, size_t n);
int ct_strv_has(const ct_strv *v, const char *s);

#endif
