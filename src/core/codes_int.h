/*
 * codes_int.h - the layout of the code tables that tools/gen_codes.c writes
 * (build/.../codes_data.c) and src/core/codes.c reads. Not for other callers:
 * use codes.h.
 *
 * Invariants, established by gen_codes and checked by tests/core/test_codes.c:
 *  1. ct_codes__lists is sorted by name (strcmp), names unique.
 *  2. In a list, codes[i].index == i and codes[i].list == the list.
 *  3. by_id holds every row once, sorted by id (strcmp); ids are unique.
 *  4. langs[0] is "en" and the English label of every row is non-empty;
 *     labels and attrs hold NULL for empty cells.
 *  5. by_attr[k] holds the rows whose attribute k is non-empty, sorted by
 *     (value, row), so the first match of a value is the first in file order.
 */
#ifndef CT_CORE_CODES_INT_H
#define CT_CORE_CODES_INT_H

#include <stddef.h>
#include <stdint.h>

struct ct_code {
    const char *id;
    size_t index;
    const struct ct_code_list *list;
};

struct ct_code_attr_index {
    const uint16_t *rows;
    size_t n;
};

struct ct_code_list {
    const char *name;
    const char *source;
    const char *const *langs; /* [nlangs] */
    size_t nlangs;
    const char *const *attr_names; /* [nattrs] */
    size_t nattrs;
    const char *const *labels; /* [n * nlangs], row-major */
    const char *const *attrs;  /* [n * nattrs], row-major */
    const struct ct_code *codes;
    size_t n;
    const uint16_t *by_id;                    /* [n] */
    const struct ct_code_attr_index *by_attr; /* [nattrs] */
};

extern const struct ct_code_list ct_codes__lists[];
extern const size_t ct_codes__nlists;

#endif
