#include "buf.h"

#include "alloc.h"

#include <stdio.h>
#include <string.h>

char ct_buf_empty[1];

void ct_buf_init(ct_buf *b)
{
    b->buf = ct_buf_empty;
    b->len = b->cap = 0;
    b->oom = 0;
}

void ct_buf_release(ct_buf *b)
{
    if (b->cap)
        ct_free(b->buf);
    ct_buf_init(b);
}

void ct_buf_reset(ct_buf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->cap)
        b->buf[0] = '\0';
}

char *ct_buf_detach(ct_buf *b)
{
    char *s = NULL;
    if (!b->oom)
        s = b->cap ? b->buf : ct_strdup("");
    else if (b->cap)
        ct_free(b->buf);
    ct_buf_init(b);
    return s;
}

int ct_buf_grow(ct_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 0;
    char *p = ct_grow(b->cap ? b->buf : NULL, 1, b->len + extra + 1, &cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    if (!b->cap)
        p[0] = '\0';
    b->buf = p;
    b->cap = cap;
    return 0;
}

void ct_buf_add(ct_buf *b, const void *p, size_t n)
{
    if (ct_buf_grow(b, n))
        return;
    memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

void ct_buf_adds(ct_buf *b, const char *s)
{
    ct_buf_add(b, s, strlen(s));
}

void ct_buf_addc(ct_buf *b, char c)
{
    ct_buf_add(b, &c, 1);
}

void ct_buf_vaddf(ct_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || ct_buf_grow(b, (size_t)n))
        return;
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void ct_buf_addf(ct_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ct_buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void ct_buf_truncate(ct_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->buf[len] = '\0';
    }
}
