/*
 * export.c - `ctip export --format jsonl|csv`: the full, lossless JSON lines
 * (export then import into an empty database gives the same records) and
 * the flat CSV view of contracts.md (one row per victim; a case without
 * victims still gets a row, so no case disappears from the view).
 */
#include "io_int.h"

#include "core/i18n.h"

#include <string.h>

typedef struct exporter {
    FILE *out;
    ct_io_format format;
    long count;
    ct_buf line;
} exporter;

static int write_jsonl(exporter *x, const ct_case *c)
{
    json_t *j = ct_case_to_json(c, 0, 1);
    if (!j)
        return CT_ENOMEM;
    int rc = json_dumpf(j, x->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (rc || fputc('\n', x->out) == EOF)
        return CT_EIO;
    return 0;
}

static void add_cell(ct_buf *b, const void *item, const ct_field *f)
{
    const char *m = (const char *)item + f->offset;
    char text[CT_DATE_TEXT_MAX];
    switch (f->type) {
    case CT_F_STR:
    case CT_F_ID:
    case CT_F_CODE:
        if (*(const char *const *)m)
            ct_csv_buf_field(b, *(const char *const *)m, strlen(*(const char *const *)m), ',');
        break;
    case CT_F_CODES:
    case CT_F_STRS: {
        const ct_strv *v = (const ct_strv *)m;
        ct_buf joined = CT_BUF_INIT;
        for (size_t i = 0; i < v->n; i++) {
            if (i)
                ct_buf_addc(&joined, ';');
            ct_buf_adds(&joined, v->v[i]);
        }
        ct_csv_buf_field(b, joined.buf, joined.len, ',');
        ct_buf_release(&joined);
        break;
    }
    case CT_F_DATE:
        ct_date_format(*(const ct_date *)m, text);
        ct_buf_adds(b, text);
        break;
    case CT_F_INT:
        if (*(const int *)m >= 0)
            ct_buf_addf(b, "%d", *(const int *)m);
        break;
    case CT_F_BOOL:
        ct_buf_adds(b, *(const int *)m ? "true" : "false");
        break;
    case CT_F_OBJECTS:
        break;
    }
}

static int write_row(exporter *x, const ct_case *c, const ct_person *p)
{
    ct_buf *b = &x->line;
    ct_buf_reset(b);
    for (size_t k = 0; k < ct_io_flat_ncols; k++) {
        if (k)
            ct_buf_addc(b, ',');
        if (ct_io_flat_cols[k].person && !p)
            continue;
        const ct_field_table *t = ct_io_flat_cols[k].person ? &ct_person_table : &ct_case_table;
        add_cell(b, ct_io_flat_cols[k].person ? (const void *)p : (const void *)c,
                 ct_field_find(t, ct_io_flat_cols[k].path));
    }
    ct_buf_addc(b, '\n');
    if (b->oom)
        return CT_ENOMEM;
    return fwrite(b->buf, 1, b->len, x->out) == b->len ? 0 : CT_EIO;
}

static int write_csv(exporter *x, const ct_case *c)
{
    size_t rows = 0;
    for (size_t i = 0; i < c->npersons; i++) {
        if (!ct_person_is_victim(&c->persons[i]))
            continue;
        int rc = write_row(x, c, &c->persons[i]);
        if (rc)
            return rc;
        rows++;
    }
    return rows ? 0 : write_row(x, c, NULL);
}

static int each_case(ct_case *c, void *arg)
{
    exporter *x = arg;
    x->count++;
    return x->format == CT_FMT_CSV ? write_csv(x, c) : write_jsonl(x, c);
}

int ct_export_run(ct_store *store, const ct_export_opts *o, FILE *out, long *count, ct_err *err)
{
    if (o->format != CT_FMT_JSONL && o->format != CT_FMT_CSV)
        return ct_err_set(err, CT_EUSAGE, "%s", _("export formats are jsonl and csv"));
    exporter x = {out, o->format, 0, CT_BUF_INIT};
    if (o->format == CT_FMT_CSV) {
        for (size_t k = 0; k < ct_io_flat_ncols; k++)
            fprintf(out, "%s%s", k ? "," : "", ct_io_flat_cols[k].name);
        fputc('\n', out);
    }
    ct_case_filter f = {o->agency, 0, 0, NULL, 0};
    int rc = ct_store_case_each(store, &f, each_case, &x, err);
    ct_buf_release(&x.line);
    *count = x.count;
    if (rc == CT_EIO || ferror(out))
        return ct_err_set(err, CT_EIO, "%s", _("cannot write the export"));
    if (rc == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return rc;
}
