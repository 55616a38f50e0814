/*
 * schema.h - the JSON Schema (draft 2020-12) of the case format, generated
 * from the field tables of model.c and the code lists, so that
 * docs/case.schema.json and what ctip accepts can never disagree (a test
 * compares them).
 */
#ifndef CT_CORE_SCHEMA_H
#define CT_CORE_SCHEMA_H

#include <jansson.h>

/* A new JSON Schema object for a case (caller owns it); NULL on out of memory. */
json_t *ct_case_schema(void);

#endif
