#include "problems.h"

#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ct_problems_add(ct_problems *p, const char *field, const char *fmt, ...)
{
    p->total++;
    size_t max = p->max ? p->max : 50;
    if (p->n >= max)
        return;
    ct_problem *v = ct_grow(p->v, sizeof(*v), p->n + 1, &p->cap);
    if (!v) {
        p->oom = 1;
        return;
    }
    p->v = v;
    ct_problem *pr = &v[p->n++];
    snprintf(pr->field, sizeof(pr->field), "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pr->msg, sizeof(pr->msg), fmt, ap);
    va_end(ap);
}

void ct_problems_clear(ct_problems *p)
{
    p->n = 0;
    p->total = 0;
    p->oom = 0;
}

void ct_problems_release(ct_problems *p)
{
    ct_free(p->v);
    p->v = NULL;
    p->n = p->cap = p->total = 0;
    p->oom = 0;
}

void ct_problems_join(const ct_problems *p, char *out, size_t n)
{
    size_t used = 0;
    if (n)
        out[0] = '\0';
    for (size_t i = 0; i < p->n && used + 1 < n; i++) {
        int w = snprintf(out + used, n - used, "%s%s%s%s", i ? "; " : "", p->v[i].field,
                         p->v[i].field[0] ? ": " : "", p->v[i].msg);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}
