/*
 * render.c - tables as aligned text, long CSV or JSON. Protected cells are
 * written as "<t" (primary) and "x" (secondary suppression).
 */
#include "stats_int.h"

#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"

#include <jansson.h>
#include <string.h>

void ct_stats_cell_text(const ct_stats_table *t, size_t r, size_t c, int threshold, int thousands,
                        char out[32])
{
    unsigned char s = t->state[r * t->ncols + c];
    if (s == CT_CELL_PRIMARY)
        snprintf(out, 32, "<%d", threshold);
    else if (s == CT_CELL_SECONDARY)
        snprintf(out, 32, "x");
    else
        st_format_count(t->cells[r * t->ncols + c], thousands, out);
}

static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void pad(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

static void write_text(const ct_stats_table *t, int threshold, FILE *out)
{
    size_t w0 = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (width(t->row_labels[r]) > w0)
            w0 = width(t->row_labels[r]);
    fprintf(out, "%s\n", t->title);
    pad(out, w0);
    size_t cw[512];
    for (size_t c = 0; c < t->ncols && c < 512; c++) {
        cw[c] = width(t->col_labels[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            char v[32];
            ct_stats_cell_text(t, r, c, threshold, 1, v);
            if (strlen(v) > cw[c])
                cw[c] = strlen(v);
        }
        fputs("  ", out);
        pad(out, cw[c] - width(t->col_labels[c]));
        fputs(t->col_labels[c], out);
    }
    fputc('\n', out);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(t->row_labels[r], out);
        pad(out, w0 - width(t->row_labels[r]));
        for (size_t c = 0; c < t->ncols && c < 512; c++) {
            char v[32];
            ct_stats_cell_text(t, r, c, threshold, 1, v);
            fputs("  ", out);
            pad(out, cw[c] - strlen(v));
            fputs(v, out);
        }
        fputc('\n', out);
    }
    for (size_t i = 0; i < t->nnotes; i++)
        fprintf(out, "  * %s\n", t->notes[i]);
    fputc('\n', out);
}

static void csv_field(ct_buf *b, const char *s)
{
    ct_csv_buf_field(b, s, strlen(s), ',');
}

static void write_csv(const ct_stats_table *t, int threshold, ct_buf *b)
{
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            char v[32];
            ct_stats_cell_text(t, r, c, threshold, 0, v);
            csv_field(b, t->id);
            ct_buf_addc(b, ',');
            csv_field(b, t->row_codes[r]);
            ct_buf_addc(b, ',');
            csv_field(b, t->row_labels[r]);
            ct_buf_addc(b, ',');
            csv_field(b, t->col_codes[c]);
            ct_buf_addc(b, ',');
            csv_field(b, t->col_labels[c]);
            ct_buf_addc(b, ',');
            csv_field(b, v);
            ct_buf_addc(b, '\n');
        }
}

static json_t *table_json(const ct_stats_table *t, int threshold)
{
    json_t *j = json_object(), *rows = json_array(), *cols = json_array(), *cells = json_array(),
           *notes = json_array();
    for (size_t r = 0; r < t->nrows; r++)
        json_array_append_new(
            rows, json_pack("{s:s,s:s}", "code", t->row_codes[r], "label", t->row_labels[r]));
    for (size_t c = 0; c < t->ncols; c++)
        json_array_append_new(
            cols, json_pack("{s:s,s:s}", "code", t->col_codes[c], "label", t->col_labels[c]));
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *row = json_array();
        for (size_t c = 0; c < t->ncols; c++) {
            char v[32];
            ct_stats_cell_text(t, r, c, threshold, 0, v);
            json_array_append_new(row, t->state[r * t->ncols + c]
                                           ? json_string(v)
                                           : json_integer(t->cells[r * t->ncols + c]));
        }
        json_array_append_new(cells, row);
    }
    for (size_t i = 0; i < t->nnotes; i++)
        json_array_append_new(notes, json_string(t->notes[i]));
    json_object_set_new(j, "id", json_string(t->id));
    json_object_set_new(j, "title", json_string(t->title));
    json_object_set_new(j, "rows", rows);
    json_object_set_new(j, "columns", cols);
    json_object_set_new(j, "cells", cells);
    json_object_set_new(j, "total_row", json_boolean(t->has_total_row));
    json_object_set_new(j, "total_column", json_boolean(t->has_total_col));
    json_object_set_new(j, "rows_additive", json_boolean(t->rows_additive));
    json_object_set_new(j, "notes", notes);
    return j;
}

json_t *st_tables_json(const ct_stats_tables *t, int threshold)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < t->n; i++)
        json_array_append_new(arr, table_json(t->v[i], threshold));
    json_t *j = json_object();
    json_object_set_new(j, "tables", arr);
    return j;
}

int ct_stats_tables_write(const ct_stats_tables *t, enum ct_stats_format f, int threshold,
                          FILE *out, ct_err *err)
{
    int r = 0;
    if (f == CT_STATS_TEXT) {
        for (size_t i = 0; i < t->n; i++)
            write_text(t->v[i], threshold, out);
    } else if (f == CT_STATS_CSV) {
        ct_buf b = CT_BUF_INIT;
        ct_buf_adds(&b, "table,row,row_label,column,column_label,value\n");
        for (size_t i = 0; i < t->n; i++)
            write_csv(t->v[i], threshold, &b);
        if (b.oom)
            r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        else
            fwrite(b.buf, 1, b.len, out);
        ct_buf_release(&b);
    } else {
        json_t *j = st_tables_json(t, threshold);
        if (!j || json_dumpf(j, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER))
            r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        else
            fputc('\n', out);
        json_decref(j);
    }
    if (!r && ferror(out))
        r = ct_err_set(err, CT_EIO, "%s", _("cannot write the tables"));
    return r;
}

json_t *ct_stats_tables_json(const ct_stats_tables *t, int threshold)
{
    return st_tables_json(t, threshold);
}
