/*
 * buf.h - a growable byte string (git's strbuf).
 *
 * Invariants: buf is never NULL and always NUL-terminated; len excludes the
 * NUL. A buffer that failed to grow keeps its old contents and sets oom, so
 * a sequence of appends can be checked once at the end.
 */
#ifndef CT_CORE_BUF_H
#define CT_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ct_buf {
    char *buf;
    size_t len;
    size_t cap;
    int oom; /* an append failed for lack of memory */
} ct_buf;

#define CT_BUF_INIT                                                                                \
    {                                                                                              \
        ct_buf_empty, 0, 0, 0                                                                      \
    }
extern char ct_buf_empty[];

void ct_buf_init(ct_buf *b);
/* Frees the contents; the buffer is empty and usable again. */
void ct_buf_release(ct_buf *b);
/* Keeps the allocation, sets the length to 0. */
void ct_buf_reset(ct_buf *b);
/* Returns the string (caller frees with ct_free) and empties the buffer.
 * NULL when an earlier append failed. */
char *ct_buf_detach(ct_buf *b);

int ct_buf_grow(ct_buf *b, size_t extra);
void ct_buf_add(ct_buf *b, const void *p, size_t n);
void ct_buf_adds(ct_buf *b, const char *s);
void ct_buf_addc(ct_buf *b, char c);
void ct_buf_addf(ct_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ct_buf_vaddf(ct_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void ct_buf_truncate(ct_buf *b, size_t len);

#endif
