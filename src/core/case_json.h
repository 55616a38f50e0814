/*
 * case_json.h - the case format of contracts.md, read from and written to
 * jansson values by walking the field tables of model.h.
 *
 * Reading validates as it goes: types, lengths, codes (against the code
 * lists), dates (contracts.md ranges) and the rules between fields; every
 * problem is recorded with its field path, so one pass names them all.
 */
#ifndef CT_CORE_CASE_JSON_H
#define CT_CORE_CASE_JSON_H

#include "err.h"
#include "model.h"
#include "problems.h"

#include <jansson.h>

typedef struct ct_case_read_opts {
    ct_date today;           /* dates after it are invalid */
    const char *home_agency; /* owner when the record names none; may be NULL */
    int allow_private;       /* accept members starting with '_' (ignored) */
} ct_case_read_opts;

/*
 * Fills c (which must be freshly initialised or reset) from obj. Returns 0,
 * CT_EINVAL when problems were found (they are in pr), or CT_ENOMEM.
 */
int ct_case_from_json(ct_case *c, const json_t *obj, const ct_case_read_opts *opts,
                      ct_problems *pr);

/* Checks the rules that span fields (main purpose among purposes, roles,
 * dates in order); ct_case_from_json calls it, importers of other formats
 * call it after filling a case themselves. */
void ct_case_check(const ct_case *c, const ct_case_read_opts *opts, ct_problems *pr);

/*
 * Returns a new JSON object for c (caller owns the reference), leaving out
 * the fields whose personal-data class is in `redact` (enum ct_pd_class)
 * and read-only members unless with_meta. NULL on out of memory.
 */
json_t *ct_case_to_json(const ct_case *c, unsigned redact, int with_meta);
json_t *ct_person_to_json(const ct_person *p, unsigned redact, int with_meta);

/* One field's value as JSON (NULL when unset); for stores and views. */
json_t *ct_field_to_json(const void *item, const ct_field *f);
/* Reads one field from text (a CSV cell; lists ';'-separated, booleans
 * true/false/1/0/yes/no). An empty cell is absent. Same results as above. */
int ct_field_from_text(ct_arena *a, void *item, const ct_field *f, const char *s, size_t n,
                       const ct_case_read_opts *opts, const char *path, ct_problems *pr);
/* Reads one field of item from v into arena memory, recording problems
 * under path. Returns 0, CT_EINVAL or CT_ENOMEM. */
int ct_field_from_json(ct_arena *a, void *item, const ct_field *f, const json_t *v,
                       const ct_case_read_opts *opts, const char *path, ct_problems *pr);

#endif
