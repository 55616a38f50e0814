/*
 * record.h - the records of ctip's child registries (issue 7, domain.md §5):
 *
 *   missing      a missing-child report: the child, when and where last
 *                seen, circumstances, who reported, status
 *                (open | found_safe | found_as_victim | closed);
 *   placement    a placement in alternative care: the child, the
 *                institution or foster family, admission and exit dates, the
 *                exit reason (absconded = whereabouts unknown);
 *   institution  a care institution: name, type, licence, capacity,
 *                location (no personal data).
 *
 * A child may appear in all three and among the victims of cases; the
 * cross-checks (registry.h) find such records, the review queue decides.
 *
 * One struct holds a record of any kind; the field table of its kind says
 * which members it uses, as model.h's tables do for cases: reading JSON
 * and CSV, validation, storage, output and the personal-data classes
 * (CT_PD_*) that access rules and anonymised output act on all walk these
 * tables. A new field is a new row (and a column in the migration).
 *
 * Memory: a record owns an arena; every string and list reachable from it
 * lives there and dies with ct_reg_record_reset / _release. Not thread-safe
 * per record; the tables are const.
 */
#ifndef CT_REGISTRY_RECORD_H
#define CT_REGISTRY_RECORD_H

#include "core/case_json.h"
#include "core/model.h"

#include <jansson.h>

enum ct_reg_kind { CT_REG_MISSING, CT_REG_PLACEMENT, CT_REG_INSTITUTION, CT_REG__N };

typedef struct ct_reg_record {
    enum ct_reg_kind kind;
    const char *id;        /* UUID, assigned by the store when absent */
    const char *source_id; /* the agency's own reference */
    const char *agency;    /* owner (usually a child-protection agency) */

    /* the child (missing, placement) */
    const char *person_key; /* a shared key (e.g. a national child id), as persons have */
    const char *given_name;
    const char *family_name;
    ct_strv other_names;
    const char *sex; /* sexes */
    ct_date date_of_birth;
    int age; /* years at date_last_seen / admission_date; -1 unknown */
    ct_strv citizenship;

    /* missing */
    ct_date date_last_seen;
    const char *place_last_seen;
    const char *country_last_seen; /* countries */
    const char *circumstances;     /* missing_circumstances */
    const char *circumstances_note;
    const char *reporter;          /* the reporting person or body, free text */
    const char *reporter_relation; /* missing_reporters */
    ct_date date_reported;
    const char *status; /* missing_statuses */
    ct_date date_closed;
    const char *placement; /* the placement the child went missing from: id or source_id */

    /* placement */
    const char *institution;    /* id or source_id of an institution record */
    const char *placement_type; /* placement_types */
    const char *carer;          /* foster or kinship carer, free text */
    ct_date admission_date;
    ct_date exit_date;
    const char *exit_reason; /* placement_exit_reasons */

    /* institution */
    const char *name;
    const char *institution_type; /* institution_types */
    const char *licence;          /* licence number */
    const char *licence_status;   /* licence_statuses */
    int capacity;                 /* places; -1 unknown */
    const char *country;          /* countries */
    const char *location;         /* town, district or address of the institution */

    /* set by the store */
    const char *created_at;
    const char *updated_at;
    int version;
    ct_arena arena;
} ct_reg_record;

/* "missing", "placement", "institution"; NULL out of range. */
const char *ct_reg_kind_name(enum ct_reg_kind k);
/* The kind of a name; -1 when unknown. */
int ct_reg_kind_of(const char *name);
/* The field table of a kind (model.h's ct_field rows; paths are flat). */
const ct_field_table *ct_reg_table(enum ct_reg_kind k);

void ct_reg_record_init(ct_reg_record *r, enum ct_reg_kind k);
/* Empties the record for reuse (same kind); keeps the arena's first block. */
void ct_reg_record_reset(ct_reg_record *r);
void ct_reg_record_release(ct_reg_record *r);

/*
 * Fills r (fresh or reset, kind set) from a JSON object whose members are
 * the kind's field paths; members starting with '_' are ignored when
 * opts->allow_private. Defaults: agency from opts->home_agency, status
 * "open" for missing reports. Then ct_reg_check. Returns 0, CT_EINVAL
 * (problems in pr) or CT_ENOMEM.
 */
int ct_reg_from_json(ct_reg_record *r, const json_t *obj, const ct_case_read_opts *opts,
                     ct_problems *pr);
/* The defaults of ct_reg_from_json, for readers that fill fields one by one. */
void ct_reg_defaults(ct_reg_record *r, const ct_case_read_opts *opts);
/* The rules between fields (dates in order, an exit needs its reason, a
 * missing child is under 18 when last seen, ...). */
void ct_reg_check(const ct_reg_record *r, const ct_case_read_opts *opts, ct_problems *pr);

/* A new JSON object (caller owns it) without the fields whose class is in
 * redact (enum ct_pd_class); store metadata (kind, created_at, updated_at,
 * version) only with with_meta. NULL on out of memory. */
json_t *ct_reg_to_json(const ct_reg_record *r, unsigned redact, int with_meta);

/* Content hash (ids and store metadata excluded): "unchanged" on re-import. */
#define CT_REG_HASH_BYTES 16
int ct_reg_content_hash(const ct_reg_record *r, unsigned char out[CT_REG_HASH_BYTES]);

#endif
