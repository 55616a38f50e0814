/*
 * alloc.h - every allocation in ctip goes through these, so tests can make
 * the Nth allocation fail and check that each operation reports CT_ENOMEM
 * without a leak or a half-written store (sqlite's fault tests).
 *
 * They behave as their libc namesakes; ct_free accepts NULL.
 */
#ifndef CT_CORE_ALLOC_H
#define CT_CORE_ALLOC_H

#include <stddef.h>

void *ct_malloc(size_t n);
void *ct_calloc(size_t count, size_t size);
void *ct_realloc(void *p, size_t n);
/* Grows an array to hold at least `need` items of `size` bytes; *cap is
 * updated. Returns the new pointer, or NULL (p is then still valid). */
void *ct_grow(void *p, size_t size, size_t need, size_t *cap);
char *ct_strdup(const char *s);
char *ct_strndup(const char *s, size_t n);
void ct_free(void *p);

/*
 * Fault injection, compiled in only with CT_FAULT_INJECTION (test builds):
 * the Nth allocation from now on this thread fails; 0 disables. Returns how
 * many allocations happened since the last call to ct_alloc_fail_after.
 */
void ct_alloc_fail_after(long n);
long ct_alloc_count(void);

#endif
