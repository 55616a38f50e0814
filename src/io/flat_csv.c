/*
 * flat_csv.c - ctip's flat CSV (contracts.md): one row per victim, the case
 * fields repeated on each row, lists joined with ';'. Consecutive rows with
 * the same case_id (else source_id) form one case, as `ctip export --format
 * csv` writes them; a row with neither is a case of its own.
 *
 * The CTDC dialects share the CSV plumbing here and have their own mapping
 * (ctdc.c).
 */
#include "io_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <string.h>
#include <strings.h>

/* The columns, in the order `ctip export --format csv` writes them. The
 * first 21 are those of contracts.md; person_key, role and age_band follow
 * (additions go at the end and keep the names' meaning). */
const ct_io_flat_col ct_io_flat_cols[] = {
    {"case_id", 0, "id"},
    {"source_id", 0, "source_id"},
    {"agency", 0, "agency"},
    {"person_id", 1, "id"},
    {"given_name", 1, "given_name"},
    {"family_name", 1, "family_name"},
    {"sex", 1, "sex"},
    {"date_of_birth", 1, "date_of_birth"},
    {"age", 1, "age"},
    {"age_uncertain", 1, "age_uncertain"},
    {"citizenship", 1, "citizenship"},
    {"acts", 0, "acts"},
    {"means", 0, "means"},
    {"purposes", 0, "purposes"},
    {"main_purpose", 0, "main_purpose"},
    {"labour_sector", 0, "labour_sector"},
    {"country_origin", 0, "countries.origin"},
    {"country_exploitation", 0, "countries.exploitation"},
    {"date_recruitment", 0, "dates.recruitment"},
    {"date_identification", 0, "dates.identification"},
    {"status", 0, "status"},
    {"person_key", 1, "person_key"},
    {"role", 1, "role"},
    {"age_band", 1, "age_band"},
};
const size_t ct_io_flat_ncols = sizeof(ct_io_flat_cols) / sizeof(ct_io_flat_cols[0]);
enum { NFLAT = sizeof(ct_io_flat_cols) / sizeof(ct_io_flat_cols[0]) };

/* A row kept across calls: the look-ahead row that starts the next case. */
typedef struct saved_row {
    ct_buf data; /* fields, NUL-terminated one after the other */
    size_t *off;
    size_t cap;
    char **field;
    size_t *len;
    ct_csv_record rec;
    ct_buf raw;
    char problem[CT_ERR_MSG_MAX]; /* the row's own problem, "" when well-formed */
} saved_row;

typedef struct flat_state {
    const ct_field *fields[NFLAT];
    saved_row ahead;
    int have_ahead;
    ct_occurrences *keys; /* case keys already used by an earlier group */
} flat_state;

/* ---- reading rows ------------------------------------------------------ */

static int save_row(saved_row *s, const ct_csv_record *row)
{
    ct_buf_reset(&s->data);
    ct_buf_reset(&s->raw);
    size_t cap = s->cap;
    size_t *off = ct_grow(s->off, sizeof(*off), row->n + 1, &cap);
    if (!off)
        return CT_ENOMEM;
    s->off = off;
    cap = s->cap;
    size_t *len = ct_grow(s->len, sizeof(*len), row->n + 1, &cap);
    if (!len)
        return CT_ENOMEM;
    s->len = len;
    cap = s->cap;
    char **field = ct_grow(s->field, sizeof(*field), row->n + 1, &cap);
    if (!field)
        return CT_ENOMEM;
    s->field = field;
    s->cap = cap;
    for (size_t i = 0; i < row->n; i++) {
        s->off[i] = s->data.len;
        s->len[i] = row->len[i];
        ct_buf_add(&s->data, row->field[i], row->len[i] + 1);
    }
    ct_buf_add(&s->raw, row->raw, row->raw_len);
    if (s->data.oom || s->raw.oom)
        return CT_ENOMEM;
    for (size_t i = 0; i < row->n; i++)
        s->field[i] = s->data.buf + s->off[i];
    s->rec = *row;
    s->rec.field = s->field;
    s->rec.len = s->len;
    s->rec.raw = s->raw.buf;
    return 0;
}

static void release_row(saved_row *s)
{
    ct_buf_release(&s->data);
    ct_buf_release(&s->raw);
    ct_free(s->off);
    ct_free(s->len);
    ct_free(s->field);
}

/* ---- the header ---------------------------------------------------------- */

void ct_io_csv_header_raw(ct_io_reader *r, const ct_csv_record *h)
{
    if (r->error_col < 0)
        return;
    ct_buf_reset(&r->header_raw);
    int first = 1;
    for (size_t i = 0; i < h->n; i++)
        if ((long)i != r->error_col) {
            if (!first)
                ct_buf_addc(&r->header_raw, ',');
            first = 0;
            ct_csv_buf_field(&r->header_raw, h->field[i], h->len[i], ',');
        }
}

static long flat_column(const char *name)
{
    for (long i = 0; i < NFLAT; i++)
        if (strcmp(ct_io_flat_cols[i].name, name) == 0)
            return i;
    return -1;
}

static int map_header(ct_io_reader *r, flat_state *st, const ct_csv_record *h, ct_err *err)
{
    int used[NFLAT] = {0};
    for (size_t i = 0; i < h->n; i++) {
        const char *name = h->field[i];
        if (strcmp(name, "ctip_error") == 0) {
            r->error_col = (long)i;
            r->col_field[i] = -1;
            continue;
        }
        long k = flat_column(name);
        if (k < 0)
            return ct_err_set_field(err, CT_EINVAL, name,
                                    _("1: %.60s: unknown column (the columns are those of "
                                      "'ctip export --format csv')"),
                                    name);
        if (used[k]++)
            return ct_err_set_field(err, CT_EINVAL, name, _("1: %s: column given twice"), name);
        r->col_field[i] = (int)k;
    }
    ct_io_csv_header_raw(r, h);
    for (int k = 0; k < NFLAT; k++) {
        const ct_field_table *t = ct_io_flat_cols[k].person ? &ct_person_table : &ct_case_table;
        st->fields[k] = ct_field_find(t, ct_io_flat_cols[k].path);
        if (!st->fields[k])
            CT_BUG("flat CSV column without a field");
    }
    return 0;
}

/* ---- rows to cases ------------------------------------------------------- */

static const char *cell(const ct_io_reader *r, const ct_csv_record *row, int k)
{
    for (size_t i = 0; i < row->n && i < r->ncols; i++)
        if (r->col_field[i] == k)
            return row->field[i];
    return "";
}

/* The key that groups rows: agency + case_id, else agency + source_id. */
static void group_key(const ct_io_reader *r, const ct_csv_record *row, ct_buf *out)
{
    ct_buf_reset(out);
    const char *id = cell(r, row, 0), *src = cell(r, row, 1);
    if (!*id && !*src)
        return;
    ct_buf_adds(out, cell(r, row, 2));
    ct_buf_addc(out, '\x1f');
    ct_buf_adds(out, *id ? id : "");
    ct_buf_addc(out, '\x1f');
    ct_buf_adds(out, *id ? "" : src);
}

static int person_cells_empty(const ct_io_reader *r, const ct_csv_record *row)
{
    for (size_t i = 0; i < row->n && i < r->ncols; i++)
        if (r->col_field[i] >= 0 && ct_io_flat_cols[r->col_field[i]].person && row->len[i])
            return 0;
    return 1;
}

static int fill_from_row(ct_io_reader *r, flat_state *st, ct_case *c, const ct_csv_record *row,
                         int with_case, ct_problems *pr)
{
    ct_person *p = NULL;
    if (!person_cells_empty(r, row) && !(p = ct_case_add_person(c)))
        return CT_ENOMEM;
    for (size_t i = 0; i < row->n && i < r->ncols; i++) {
        int k = r->col_field[i];
        if (k < 0 || (!ct_io_flat_cols[k].person && !with_case) ||
            (ct_io_flat_cols[k].person && !p))
            continue;
        void *item = ct_io_flat_cols[k].person ? (void *)p : (void *)c;
        int rc = ct_field_from_text(&c->arena, item, st->fields[k], row->field[i], row->len[i],
                                    r->opts, ct_io_flat_cols[k].name, pr);
        if (rc == CT_ENOMEM)
            return rc;
    }
    if (row->n > r->ncols)
        ct_problems_add(pr, "", _("%zu fields, the header has %zu"), row->n, r->ncols);
    return 0;
}

/* Problems of ct_case_check name JSON paths; a CSV user knows columns. */
static void paths_to_columns(ct_problems *pr, size_t from)
{
    for (size_t i = from; i < pr->n; i++) {
        const char *path = pr->v[i].field;
        int person = strncmp(path, "persons[", 8) == 0;
        if (person) {
            const char *dot = strchr(path, '.');
            path = dot ? dot + 1 : path;
        }
        for (int k = 0; k < NFLAT; k++)
            if (ct_io_flat_cols[k].person == person && strcmp(ct_io_flat_cols[k].path, path) == 0) {
                snprintf(pr->v[i].field, sizeof(pr->v[i].field), "%s", ct_io_flat_cols[k].name);
                break;
            }
    }
}

/* Fetches the next row, the look-ahead one first. Returns 1 (*row set; its
 * problem, if malformed, in *problem), 0 at the end, or a fatal error. */
static int next_row(ct_io_reader *r, flat_state *st, ct_csv_record **row, const char **problem,
                    ct_err *err)
{
    if (st->have_ahead) {
        st->have_ahead = 0;
        *row = &st->ahead.rec;
        *problem = st->ahead.problem[0] ? st->ahead.problem : NULL;
        return 1;
    }
    ct_err_clear(&r->row_err);
    int rc = ct_csv_next(r->csv, &r->row, &r->row_err);
    *row = &r->row;
    *problem = rc == CT_EINVAL ? r->row_err.msg : NULL;
    if (rc == CT_EINVAL)
        return 1;
    if (rc < 0)
        *err = r->row_err;
    return rc;
}

int ct_io_csv_add_raw(ct_io_reader *r, ct_io_record *rec, const ct_csv_record *row)
{
    if (r->error_col < 0)
        return ct_io_record_add_row(rec, row->raw, row->raw_len);
    ct_buf b = CT_BUF_INIT;
    int first = 1;
    for (size_t i = 0; i < row->n; i++) {
        if ((long)i == r->error_col)
            continue;
        if (!first)
            ct_buf_addc(&b, ',');
        first = 0;
        ct_csv_buf_field(&b, row->field[i], row->len[i], ',');
    }
    int rc = b.oom ? CT_ENOMEM : ct_io_record_add_row(rec, b.buf, b.len);
    ct_buf_release(&b);
    return rc;
}

/* Takes the rows that continue the group of key; the first row of another
 * group is saved for the next call. */
static int take_group(ct_io_reader *r, flat_state *st, ct_case *c, ct_io_record *rec,
                      const ct_buf *key, ct_problems *pr, ct_err *err)
{
    ct_buf k2 = CT_BUF_INIT;
    int rc;
    for (;;) {
        ct_csv_record *row;
        const char *problem;
        rc = next_row(r, st, &row, &problem, err);
        if (rc <= 0)
            break;
        group_key(r, row, &k2);
        if (problem || k2.len != key->len || memcmp(k2.buf, key->buf, key->len) != 0) {
            /* the start of the next record */
            if (!(rc = save_row(&st->ahead, row))) {
                snprintf(st->ahead.problem, sizeof(st->ahead.problem), "%s",
                         problem ? problem : "");
                st->have_ahead = 1;
            }
            break;
        }
        if ((rc = ct_io_csv_add_raw(r, rec, row)) || (rc = fill_from_row(r, st, c, row, 0, pr)))
            break;
    }
    ct_buf_release(&k2);
    if (rc == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return rc < 0 ? rc : 0;
}

static int check_group_once(flat_state *st, const ct_buf *key, const char *column, ct_problems *pr)
{
    unsigned char h[16];
    char seen[48];
    crypto_generichash(h, sizeof(h), (const unsigned char *)key->buf, key->len, NULL, 0);
    if (ct_occurrences_key(st->keys, h, seen))
        return CT_ENOMEM;
    if (strcmp(strchr(seen, ':'), ":1") != 0)
        ct_problems_add(pr, column, "%s", _("the rows of one case must follow each other"));
    return 0;
}

static void set_defaults(ct_io_reader *r, ct_case *c)
{
    if (!c->agency && r->opts->home_agency)
        c->agency = r->opts->home_agency;
    if (!c->status)
        c->status = "active";
    for (size_t i = 0; i < c->npersons; i++)
        if (ct_person_is_victim(&c->persons[i]) && !c->persons[i].nrm_stage)
            c->persons[i].nrm_stage = "reported";
}

static int flat_next(ct_io_reader *r, ct_case *c, ct_io_record *rec, ct_problems *pr, ct_err *err)
{
    flat_state *st = r->dialect;
    ct_csv_record *row;
    const char *problem;
    int rc = next_row(r, st, &row, &problem, err);
    if (rc <= 0)
        return rc;
    rec->line = row->line;
    if (ct_io_csv_add_raw(r, rec, row))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (problem) {
        long bad = row->bad_field;
        int k = bad >= 0 && (size_t)bad < r->ncols ? r->col_field[bad] : -1;
        ct_problems_add(pr, k >= 0 ? ct_io_flat_cols[k].name : "", "%s", problem);
        return CT_EINVAL;
    }
    size_t first = pr->n, total = pr->total;
    unsigned char content[16];
    ct_io_hash_fields(row, r->error_col, content);
    const char *key_col = cell(r, row, 0)[0] ? "case_id" : "source_id";
    ct_buf key = CT_BUF_INIT;
    group_key(r, row, &key);
    rc = fill_from_row(r, st, c, row, 1, pr);
    if (!rc && key.len && !(rc = take_group(r, st, c, rec, &key, pr, err)))
        rc = check_group_once(st, &key, key_col, pr);
    ct_buf_release(&key);
    if (rc)
        return rc == CT_ENOMEM ? ct_err_set(err, CT_ENOMEM, "%s", _("out of memory")) : rc;
    set_defaults(r, c);
    ct_case_check(c, r->opts, pr);
    paths_to_columns(pr, first);
    if (pr->total > total)
        return CT_EINVAL;
    if (!c->id && !c->source_id && ct_occurrences_key(r->seen, content, rec->import_key))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return 1;
}

int ct_io_csv_rejects_header(ct_io_reader *r, FILE *out)
{
    if (fwrite(r->header_raw.buf, 1, r->header_raw.len, out) != r->header_raw.len)
        return CT_EIO;
    if (fputs(",ctip_error", out) == EOF)
        return CT_EIO;
    return fputc('\n', out) == EOF ? CT_EIO : 0;
}

int ct_io_csv_reject(ct_io_reader *r, FILE *out, const ct_io_record *rec, const char *reason)
{
    ct_buf line = CT_BUF_INIT;
    const char *p = rec->raw.buf;
    int rc = 0;
    for (size_t i = 0; i < rec->nrows && !rc; i++) {
        ct_buf_reset(&line);
        ct_buf_add(&line, p, rec->row_len[i]);
        p += rec->row_len[i];
        ct_buf_addc(&line, ',');
        ct_csv_buf_field(&line, reason, strlen(reason), ',');
        ct_buf_addc(&line, '\n');
        if (line.oom || fwrite(line.buf, 1, line.len, out) != line.len)
            rc = CT_EIO;
    }
    ct_buf_release(&line);
    return rc;
}

static void flat_release(ct_io_reader *r)
{
    flat_state *st = r->dialect;
    if (!st)
        return;
    release_row(&st->ahead);
    ct_occurrences_free(st->keys);
    ct_free(st);
    r->dialect = NULL;
}

const ct_io_format_ops ct_io_csv_ops = {flat_next, ct_io_csv_rejects_header, ct_io_csv_reject,
                                        flat_release};

/* ---- opening: the header decides the dialect --------------------------- */

static int looks_ctdc(const ct_csv_record *h)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->field[i], "yearOfRegistration") == 0)
            return 1;
    return 0;
}

int ct_io_csv_open(ct_io_reader *r, ct_err *err)
{
    r->csv = ct_csv_open(r->f, NULL, err);
    if (!r->csv)
        return CT_ENOMEM;
    ct_err herr = CT_ERR_INIT;
    int rc = ct_csv_next(r->csv, &r->row, &herr);
    if (rc == 0)
        return ct_err_set(err, CT_EINVAL, "%s", _("the file is empty"));
    if (rc < 0)
        return ct_err_set(err, rc == CT_EINVAL ? CT_EINVAL : rc, _("1: header: %s"), herr.msg);
    ct_buf_add(&r->header_raw, r->row.raw, r->row.raw_len);
    r->ncols = r->row.n;
    r->col_field = ct_calloc(r->ncols, sizeof(*r->col_field));
    if (!r->col_field || r->header_raw.oom)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (looks_ctdc(&r->row) || r->format == CT_FMT_CTDC_GLOBAL ||
        r->format == CT_FMT_CTDC_SYNTHETIC) {
        r->ops = &ct_io_ctdc_ops;
        return ct_io_ctdc_open(r, &r->row, err);
    }
    flat_state *st = ct_calloc(1, sizeof(*st));
    if (!st || !(st->keys = ct_occurrences_new())) {
        ct_free(st);
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    ct_buf_init(&st->ahead.data);
    ct_buf_init(&st->ahead.raw);
    r->dialect = st;
    r->ops = &ct_io_csv_ops;
    r->format = CT_FMT_CSV;
    return map_header(r, st, &r->row, err);
}
