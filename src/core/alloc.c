#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef CT_FAULT_INJECTION
/* Test-only: thread-local so parallel tests do not disturb each other. */
static _Thread_local long fail_countdown;
static _Thread_local long alloc_count;

static int should_fail(void)
{
    alloc_count++;
    if (fail_countdown > 0 && --fail_countdown == 0)
        return 1;
    return 0;
}

void ct_alloc_fail_after(long n)
{
    fail_countdown = n;
    alloc_count = 0;
}

long ct_alloc_count(void)
{
    return alloc_count;
}
#else
static int should_fail(void)
{
    return 0;
}

void ct_alloc_fail_after(long n)
{
    (void)n;
}

long ct_alloc_count(void)
{
    return 0;
}
#endif

void *ct_malloc(size_t n)
{
    return should_fail() ? NULL : malloc(n ? n : 1);
}

void *ct_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *ct_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void *ct_grow(void *p, size_t size, size_t need, size_t *cap)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *q = ct_realloc(p, n * size);
    if (q)
        *cap = n;
    return q;
}

char *ct_strdup(const char *s)
{
    return ct_strndup(s, strlen(s));
}

char *ct_strndup(const char *s, size_t n)
{
    char *d = ct_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void ct_free(void *p)
{
    free(p);
}
