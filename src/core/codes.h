/*
 * codes.h - ctip's code lists: the vocabularies of the law and the standards
 * (acts, means, purposes, countries, ...), with labels in every language
 * ctip speaks and attributes that map them to other standards.
 *
 * The lists are data: one TSV per list in data/codes/<name>.tsv, compiled
 * into the binary at build time by tools/gen_codes.c (docs/codes.md says how
 * to add a list, a language or correct a label). Code identifiers are the
 * ones of ../shared/docs/domain.md and contracts.md; they are stable and
 * never translated.
 *
 * Every pointer these functions return points into static const tables: it
 * is valid for the life of the process and must not be freed. Nothing here
 * allocates or keeps mutable state, so every function is thread-safe.
 * Functions taking a pointer accept NULL and then return NULL (or 0).
 */
#ifndef CT_CORE_CODES_H
#define CT_CORE_CODES_H

#include <stddef.h>

typedef struct ct_code ct_code;           /* one entry: code, labels, attributes */
typedef struct ct_code_list ct_code_list; /* one list, entries in file order */

/* The list named name ("acts", "countries", ...); NULL if there is none. */
const ct_code_list *ct_codes_list(const char *name);
/* The entry whose code is exactly code (case-sensitive); NULL if absent.
 * Binary search: O(log n). */
const ct_code *ct_codes_find(const ct_code_list *l, const char *code);
/* ct_codes_find(ct_codes_list(list), code). */
const ct_code *ct_codes_lookup(const char *list, const char *code);
/* The first entry, in file order, whose attribute attr equals value exactly
 * (e.g. countries by "iso2"); NULL if none or if the list has no such
 * attribute. Where several entries share a value (many-to-one mappings such
 * as recruiter_relations' "ctdc"), the list puts the canonical one first, so
 * that this is the reverse mapping. O(log n). */
const ct_code *ct_codes_find_attr(const ct_code_list *l, const char *attr, const char *value);

size_t ct_code_list_size(const ct_code_list *l);
/* The i-th entry in file order; NULL when i >= size. */
const ct_code *ct_code_list_at(const ct_code_list *l, size_t i);
const char *ct_code_list_name(const ct_code_list *l);
/* The list's "# source:" line: the law or standard it comes from. */
const char *ct_code_list_source(const ct_code_list *l);
/* The i-th attribute name of the list (column order); NULL when out of range. */
const char *ct_code_list_attr_name(const ct_code_list *l, size_t i);
/* The i-th label language of the list ("en" first); NULL when out of range. */
const char *ct_code_list_lang(const ct_code_list *l, size_t i);

/* All lists, ordered by name (e.g. for the API's /codes endpoint). */
size_t ct_code_list_count(void);
const ct_code_list *ct_code_list_nth(size_t i);

const char *ct_code_id(const ct_code *c);
/* The entry's position in its list (file order), e.g. a bit in a bitmask. */
size_t ct_code_index(const ct_code *c);
const ct_code_list *ct_code_list_of(const ct_code *c);
/* The label in lang: "fr", or a locale name such as "fr_FR.UTF-8" or
 * "fr-CA" (the part before '_', '-', '.' or '@' is used). Falls back to the
 * English label when lang is NULL, unknown or has no label for this entry;
 * never NULL for a valid entry. */
const char *ct_code_label(const ct_code *c, const char *lang);
/* The value of attribute attr; NULL when the list has no such attribute or
 * the entry's cell is empty. */
const char *ct_code_attr(const ct_code *c, const char *attr);

#endif
