/*
 * write.c - registry records as CSV rows under a header of field paths: the
 * layout `ctip registry import` reads, so a listing imports back.
 */
#include "registry.h"

#include "core/buf.h"
#include "core/csv.h"

#include <stdio.h>

static int shown(const ct_field *f, int with_meta)
{
    return with_meta || !(f->flags & CT_FIELD_READ_ONLY);
}

void ct_reg_csv_header(enum ct_reg_kind k, int with_meta, FILE *out)
{
    const ct_field_table *t = ct_reg_table(k);
    int first = 1;
    for (size_t i = 0; i < t->count; i++) {
        if (!shown(&t->fields[i], with_meta))
            continue;
        if (!first)
            fputc(',', out);
        first = 0;
        fputs(t->fields[i].path, out);
    }
    fputc('\n', out);
}

static void field_text(const ct_reg_record *r, const ct_field *f, ct_buf *b)
{
    const char *m = (const char *)r + f->offset;
    switch (f->type) {
    case CT_F_STR:
    case CT_F_ID:
    case CT_F_CODE:
        if (*(const char *const *)m)
            ct_buf_adds(b, *(const char *const *)m);
        break;
    case CT_F_CODES:
    case CT_F_STRS: {
        const ct_strv *v = (const ct_strv *)m;
        for (size_t k = 0; k < v->n; k++) {
            if (k)
                ct_buf_addc(b, ';');
            ct_buf_adds(b, v->v[k]);
        }
        break;
    }
    case CT_F_DATE: {
        char text[CT_DATE_TEXT_MAX];
        ct_date_format(*(const ct_date *)m, text);
        ct_buf_adds(b, text);
        break;
    }
    case CT_F_INT:
        if (*(const int *)m >= 0 || f->min < 0)
            ct_buf_addf(b, "%d", *(const int *)m);
        break;
    case CT_F_BOOL:
        ct_buf_adds(b, *(const int *)m ? "true" : "false");
        break;
    case CT_F_OBJECTS:
        break; /* registry records have none */
    }
}

int ct_reg_csv_row(const ct_reg_record *r, unsigned redact, int with_meta, FILE *out)
{
    const ct_field_table *t = ct_reg_table(r->kind);
    ct_buf b = CT_BUF_INIT, line = CT_BUF_INIT;
    int first = 1;
    for (size_t i = 0; i < t->count; i++) {
        const ct_field *f = &t->fields[i];
        if (!shown(f, with_meta))
            continue;
        if (!first)
            ct_buf_addc(&line, ',');
        first = 0;
        if (f->pd & redact)
            continue;
        ct_buf_reset(&b);
        field_text(r, f, &b);
        ct_csv_buf_field(&line, b.buf, b.len, ',');
    }
    ct_buf_addc(&line, '\n');
    int rc = b.oom || line.oom ? CT_ENOMEM : 0;
    if (!rc && fwrite(line.buf, 1, line.len, out) != line.len)
        rc = CT_EIO;
    ct_buf_release(&b);
    ct_buf_release(&line);
    return rc;
}
