/*
 * sdc.c - statistical disclosure control for published tables: primary
 * masking of small counts and secondary suppression, verified by linear
 * programming (GLPK).
 *
 * Model. A table is a set of cells with their true values and additivity
 * constraints (a total equals, or bounds, the sum of its parts). Published
 * cells are known exactly; a primary cell (1..t-1) is published as "<t",
 * which tells a reader it lies in [1, t-1]; a secondary cell is published
 * as "x", which tells only that it is >= 0. A masked cell is derivable when
 * the interval [min, max] of its value over every table consistent with what
 * is published (the interval LP) is narrower than 1. What must not be
 * derivable is every sensitive cell (true count 1..t-1), whatever symbol it
 * ends up with; a suppressed cell of a larger count may be derivable.
 *
 * Method (a documented heuristic with a proof step, docs/statistics.md):
 *  1. mask every cell with 1 <= value < t (primary);
 *  2. solve the interval LP for each sensitive cell (min and max of the cell
 *     subject to the constraints, published cells fixed, masked cells in
 *     their symbol's bounds); if one is derivable, suppress one more cell,
 *     chosen from the LP's duals: a published cell of a constraint that
 *     holds the cell at its bound (a part before a margin, then the
 *     smallest positive value, so information loss stays small); when such
 *     constraints hold no published cell, a "<t" cell whose bounds pin it
 *     is published as "x" instead (dual_complement);
 *  3. repeat until no sensitive cell is derivable; st_sdc_audit is that check
 *     and is what a test re-runs on the published output.
 * Termination: every round suppresses one more cell; with every cell
 * suppressed no cell is derivable unless zeros pin it, and published zeros
 * are used as complements last.
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <glpk.h>
#include <math.h>
#include <string.h>

enum { SENSE_EQ, SENSE_GE, SENSE_LE };

typedef struct sdc_con {
    int total;
    int *parts;
    size_t n;
    int sense;
} sdc_con;

struct st_sdc {
    long *value;
    unsigned char *state;
    size_t n, cap;
    sdc_con *con;
    size_t ncon, concap;
};

st_sdc *st_sdc_new(void)
{
    return ct_calloc(1, sizeof(st_sdc));
}

void st_sdc_free(st_sdc *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncon; i++)
        ct_free(s->con[i].parts);
    ct_free(s->con);
    ct_free(s->value);
    ct_free(s->state);
    ct_free(s);
}

size_t st_sdc_ncells(const st_sdc *s)
{
    return s->n;
}

int st_sdc_cell(st_sdc *s, long value)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        long *v = ct_realloc(s->value, cap * sizeof(*v));
        if (!v)
            return -1;
        s->value = v;
        unsigned char *st = ct_realloc(s->state, cap);
        if (!st)
            return -1;
        s->state = st;
        s->cap = cap;
    }
    s->value[s->n] = value;
    s->state[s->n] = CT_CELL_EXACT;
    return (int)s->n++;
}

int st_sdc_constraint(st_sdc *s, int total, const int *parts, size_t n, int exact)
{
    if (s->ncon == s->concap) {
        size_t cap = s->concap ? s->concap * 2 : 64;
        sdc_con *c = ct_realloc(s->con, cap * sizeof(*c));
        if (!c)
            return CT_ENOMEM;
        s->con = c;
        s->concap = cap;
    }
    sdc_con *c = &s->con[s->ncon];
    c->parts = ct_malloc((n ? n : 1) * sizeof(int));
    if (!c->parts)
        return CT_ENOMEM;
    memcpy(c->parts, parts, n * sizeof(int));
    c->n = n;
    c->total = total;
    c->sense = exact > 0 ? SENSE_EQ : exact == 0 ? SENSE_GE : SENSE_LE;
    s->ncon++;
    return 0;
}

unsigned char st_sdc_state(const st_sdc *s, int cell)
{
    return s->state[cell];
}

/* ---- the interval LP --------------------------------------------------- */

typedef struct lp {
    glp_prob *p;
    int *col_of; /* cell -> LP column (1-based), 0 when published */
    int *cell_of;
    int ncols;
    int *con_of_row; /* LP row (1-based) -> constraint */
} lp;

static void lp_free(lp *l)
{
    if (l->p)
        glp_delete_prob(l->p);
    ct_free(l->col_of);
    ct_free(l->cell_of);
    ct_free(l->con_of_row);
}

static int lp_build(const st_sdc *s, int threshold, lp *l)
{
    memset(l, 0, sizeof(*l));
    l->col_of = ct_calloc(s->n + 1, sizeof(int));
    l->cell_of = ct_calloc(s->n + 1, sizeof(int));
    l->con_of_row = ct_calloc(s->ncon + 1, sizeof(int));
    int *ind = ct_malloc((s->n + 2) * sizeof(int));
    double *val = ct_malloc((s->n + 2) * sizeof(double));
    if (!l->col_of || !l->cell_of || !l->con_of_row || !ind || !val) {
        ct_free(ind);
        ct_free(val);
        return CT_ENOMEM;
    }
    l->p = glp_create_prob();
    for (size_t i = 0; i < s->n; i++) {
        if (s->state[i] == CT_CELL_EXACT)
            continue;
        int j = glp_add_cols(l->p, 1);
        l->col_of[i] = j;
        l->cell_of[j] = (int)i;
        if (s->state[i] == CT_CELL_PRIMARY)
            glp_set_col_bnds(l->p, j, GLP_DB, 1.0, (double)(threshold - 1));
        else
            glp_set_col_bnds(l->p, j, GLP_LO, 0.0, 0.0);
    }
    l->ncols = glp_get_num_cols(l->p);
    for (size_t c = 0; c < s->ncon; c++) {
        const sdc_con *k = &s->con[c];
        /* sum(parts) - total (sense) 0, with published cells as constants */
        double known = 0;
        int n = 0;
        for (size_t i = 0; i <= k->n; i++) {
            int cell = i < k->n ? k->parts[i] : k->total;
            double coef = i < k->n ? 1.0 : -1.0;
            if (l->col_of[cell]) {
                ind[++n] = l->col_of[cell];
                val[n] = coef;
            } else
                known += coef * (double)s->value[cell];
        }
        if (!n)
            continue;
        int row = glp_add_rows(l->p, 1);
        l->con_of_row[row] = (int)c;
        int type = k->sense == SENSE_EQ ? GLP_FX : k->sense == SENSE_GE ? GLP_UP : GLP_LO;
        glp_set_row_bnds(l->p, row, type, -known, -known);
        glp_set_mat_row(l->p, row, n, ind, val);
    }
    ct_free(ind);
    ct_free(val);
    return 0;
}

/* min (dir GLP_MIN) or max of one cell; INFINITY when unbounded. */
static int lp_solve(lp *l, int col, int dir, double *out)
{
    for (int j = 1; j <= l->ncols; j++)
        glp_set_obj_coef(l->p, j, j == col ? 1.0 : 0.0);
    glp_set_obj_dir(l->p, dir);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    if (glp_get_num_rows(l->p) == 0) {
        /* only bounds: the interval is the column's */
        int t = glp_get_col_type(l->p, col);
        *out = dir == GLP_MIN ? glp_get_col_lb(l->p, col)
                              : (t == GLP_DB ? glp_get_col_ub(l->p, col) : INFINITY);
        return 0;
    }
    int r = glp_simplex(l->p, &parm);
    if (r == GLP_EBADB || r == GLP_ESING || r == GLP_ECOND) {
        glp_std_basis(l->p);
        r = glp_simplex(l->p, &parm);
    }
    if (r)
        return CT_EINTERNAL;
    int status = glp_get_status(l->p);
    if (status == GLP_OPT) {
        *out = glp_get_obj_val(l->p);
        return 0;
    }
    if (status == GLP_UNBND) {
        *out = dir == GLP_MIN ? -INFINITY : INFINITY;
        return 0;
    }
    return CT_EINTERNAL;
}

/* A cell whose true count is small: what must not be derivable, whatever
 * symbol it is published with. */
static int sensitive(const st_sdc *s, size_t i, int threshold)
{
    return s->value[i] >= 1 && s->value[i] < threshold;
}

/* The interval of one masked cell. */
static int interval(lp *l, int cell, double *a, double *b)
{
    int j = l->col_of[cell];
    if (lp_solve(l, j, GLP_MIN, a) || lp_solve(l, j, GLP_MAX, b))
        return CT_EINTERNAL;
    return 0;
}

/* Audits every masked cell; returns the number of sensitive cells that are
 * derivable (>= 0) or a CT_E* code. */
static int audit(st_sdc *s, int threshold, double *lo, double *hi)
{
    lp l;
    if (lp_build(s, threshold, &l)) {
        lp_free(&l);
        return CT_ENOMEM;
    }
    int bad = 0;
    for (int j = 1; j <= l.ncols; j++) {
        double a, b;
        if (lp_solve(&l, j, GLP_MIN, &a) || lp_solve(&l, j, GLP_MAX, &b)) {
            lp_free(&l);
            return CT_EINTERNAL;
        }
        int cell = l.cell_of[j];
        if (lo)
            lo[cell] = a;
        if (hi)
            hi[cell] = b;
        if (b - a < 1.0 - 1e-6 && sensitive(s, (size_t)cell, threshold))
            bad++;
    }
    lp_free(&l);
    return bad;
}

int st_sdc_audit(st_sdc *s, int threshold, double *lo, double *hi, ct_err *err)
{
    glp_term_out(GLP_OFF);
    int r = audit(s, threshold, lo, hi);
    if (r < 0)
        return ct_err_set(err, r, "%s", _("the suppression check (linear program) failed"));
    return r;
}

/* Whether a cell is the total of some constraint (a margin). */
static int is_margin(const st_sdc *s, int cell)
{
    for (size_t c = 0; c < s->ncon; c++)
        if (s->con[c].total == cell)
            return 1;
    return 0;
}

/* The complement for a derivable cell: among the published cells sharing a
 * constraint with it, a part before a total (suppressing a margin spreads
 * to every table that shows it), then the smallest positive value, zeros
 * last, then the lowest index. */
static int complement(const st_sdc *s, int cell)
{
    int best = -1;
    for (int pass = 0; pass < 3 && best < 0; pass++) {
        long best_v = 0;
        for (size_t c = 0; c < s->ncon; c++) {
            const sdc_con *k = &s->con[c];
            int has = k->total == cell;
            for (size_t i = 0; i < k->n && !has; i++)
                has = k->parts[i] == cell;
            if (!has)
                continue;
            for (size_t i = 0; i <= k->n; i++) {
                int x = i < k->n ? k->parts[i] : k->total;
                if (s->state[x] != CT_CELL_EXACT || (pass == 0 && is_margin(s, x)) ||
                    (pass < 2 && s->value[x] <= 0))
                    continue;
                if (best < 0 || s->value[x] < best_v) {
                    best = x;
                    best_v = s->value[x];
                }
            }
        }
    }
    return best;
}

/* When every neighbour is masked, the bounds of the "<t" symbols may pin a
 * cell (a total "<5" of four parts each "<5" makes every part 1): the
 * largest primary cell sharing a constraint is published as "x" instead,
 * which drops its bounds. */
static int unbound(const st_sdc *s, int cell)
{
    int best = -1;
    for (size_t c = 0; c < s->ncon; c++) {
        const sdc_con *k = &s->con[c];
        int has = k->total == cell;
        for (size_t i = 0; i < k->n && !has; i++)
            has = k->parts[i] == cell;
        for (size_t i = 0; has && i <= k->n; i++) {
            int x = i < k->n ? k->parts[i] : k->total;
            if (s->state[x] == CT_CELL_PRIMARY && (best < 0 || s->value[x] > s->value[best]))
                best = x;
        }
    }
    if (best < 0 && s->state[cell] == CT_CELL_PRIMARY)
        best = cell;
    return best;
}

/*
 * The complement that unpins a cell, guided by the last LP solved: the
 * constraints with a non-zero dual are the ones holding the cell at its
 * bound, so one of their published cells is suppressed (a part before a
 * margin, then the smallest positive value, zeros last). When they hold no
 * published cell, the bounds of a "<t" cell at its limit (non-zero reduced
 * cost) are what pin it: that cell is published as "x" instead.
 */
static int dual_complement(const st_sdc *s, const lp *l)
{
    int best = -1;
    int m = glp_get_num_rows(l->p);
    for (int pass = 0; pass < 3 && best < 0; pass++) {
        long best_v = 0;
        for (int row = 1; row <= m; row++) {
            if (fabs(glp_get_row_dual(l->p, row)) < 1e-9)
                continue;
            const sdc_con *k = &s->con[l->con_of_row[row]];
            for (size_t i = 0; i <= k->n; i++) {
                int x = i < k->n ? k->parts[i] : k->total;
                if (s->state[x] != CT_CELL_EXACT || (pass == 0 && is_margin(s, x)) ||
                    (pass < 2 && s->value[x] <= 0))
                    continue;
                if (best < 0 || s->value[x] < best_v) {
                    best = x;
                    best_v = s->value[x];
                }
            }
        }
    }
    if (best >= 0)
        return best;
    for (int j = 1; j <= l->ncols; j++) {
        int cell = l->cell_of[j];
        if (s->state[cell] == CT_CELL_PRIMARY && fabs(glp_get_col_dual(l->p, j)) > 1e-9 &&
            (best < 0 || s->value[cell] > s->value[best]))
            best = cell;
    }
    return best;
}

/* Any published cell sharing a constraint with any masked cell. */
static int any_complement(const st_sdc *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->state[i] != CT_CELL_EXACT) {
            int c = complement(s, (int)i);
            if (c >= 0)
                return c;
        }
    return -1;
}

/*
 * Suppressing a cell or dropping a symbol's bounds only relaxes the interval
 * LP, so an interval can only widen: a cell found safe stays safe. The loop
 * therefore checks each sensitive cell once, adding complements until it is
 * safe, and rebuilds the LP only after a change.
 */
int st_sdc_protect(st_sdc *s, int threshold, ct_err *err)
{
    glp_term_out(GLP_OFF);
    for (size_t i = 0; i < s->n; i++)
        if (sensitive(s, i, threshold))
            s->state[i] = CT_CELL_PRIMARY;
    lp l;
    int r = lp_build(s, threshold, &l);
    for (size_t i = 0; i < s->n && !r; i++) {
        if (!sensitive(s, i, threshold))
            continue;
        double a, b;
        r = interval(&l, (int)i, &a, &b);
        if (r || b - a >= 1.0 - 1e-6)
            continue;
        /* the duals of the max problem (last solved), else of the min */
        int c = dual_complement(s, &l);
        if (c < 0 && !lp_solve(&l, l.col_of[i], GLP_MIN, &a))
            c = dual_complement(s, &l);
        if (c < 0)
            c = complement(s, (int)i);
        if (c < 0)
            c = unbound(s, (int)i);
        if (c < 0)
            c = any_complement(s);
        if (c < 0) {
            r = CT_ENORESULT;
            break;
        }
        s->state[c] = CT_CELL_SECONDARY;
        lp_free(&l);
        r = lp_build(s, threshold, &l);
        i--; /* check the same cell again */
    }
    lp_free(&l);
    if (r == CT_ENORESULT)
        return ct_err_set(err, CT_EINTERNAL, "%s", _("no suppression pattern protects this table"));
    if (r)
        return ct_err_set(err, r, "%s", _("the suppression check (linear program) failed"));
    return 0;
}

/* ---- tables ---------------------------------------------------------------- */

/*
 * Tables published together share cells: the victims' total row (women,
 * men, girls, boys, ...) appears in every victim table, the sex x age table
 * holds the same counts in another shape, the trend table's row for the
 * report's year is that row again, and the persons tables share each
 * stage's total. A cell masked in one table and published in another would
 * be no protection, so the tables are modelled as one problem in which such
 * cells are one variable (shared_key names them).
 */
static int shared_key(const ct_stats_table *t, size_t r, size_t c, const char *year, char *out,
                      size_t n)
{
    const char *rc = t->row_codes[r], *cc = t->col_codes[c];
    int profile = t->ncols == ST_NPROFILE && strcmp(t->col_codes[0], "women") == 0;
    if (profile && t->has_total_row && r == t->nrows - 1 && strcmp(t->id, "victims_year") != 0)
        return snprintf(out, n, "P:%s", cc), 1;
    if (profile && strcmp(t->id, "victims_year") == 0 && year && strcmp(rc, year) == 0)
        return snprintf(out, n, "P:%s", cc), 1;
    if (strcmp(t->id, "victims_sex_age") == 0) {
        static const char *const map[4][4] = {{"girls", "women", "female_age_unknown", NULL},
                                              {"boys", "men", "male_age_unknown", NULL},
                                              {NULL, NULL, NULL, "other_sex"},
                                              {NULL, NULL, NULL, "sex_unknown"}};
        const char *p = NULL;
        if (r < 4 && c < 4)
            p = map[r][c];
        if (r == 4 && c == 3)
            p = "total";
        if (p)
            return snprintf(out, n, "P:%s", p), 1;
    }
    if (strcmp(t->id, "flows_matrix") == 0 && r == t->nrows - 1 && c == t->ncols - 1)
        return snprintf(out, n, "P:total"), 1;
    if ((strcmp(t->id, "persons_sex") == 0 || strcmp(t->id, "persons_citizenship") == 0) &&
        c == t->ncols - 1)
        return snprintf(out, n, "S:%s", rc), 1;
    return 0;
}

typedef struct keymap {
    char (*key)[48];
    int *cell;
    size_t n, cap;
} keymap;

static int cell_for(st_sdc *s, keymap *m, const char *key, long value)
{
    for (size_t i = 0; key && i < m->n; i++)
        if (strcmp(m->key[i], key) == 0)
            return m->cell[i];
    int cell = st_sdc_cell(s, value);
    if (cell < 0 || !key)
        return cell;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        char(*k)[48] = ct_realloc(m->key, cap * sizeof(*k));
        if (!k)
            return -1;
        m->key = k;
        int *c = ct_realloc(m->cell, cap * sizeof(int));
        if (!c)
            return -1;
        m->cell = c;
        m->cap = cap;
    }
    snprintf(m->key[m->n], sizeof(m->key[0]), "%s", key);
    m->cell[m->n++] = cell;
    return cell;
}

static int table_model(st_sdc *s, const ct_stats_table *t, int *cells, keymap *m, const char *year)
{
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            char key[48];
            int shared = shared_key(t, r, c, year, key, sizeof(key));
            int cell = cell_for(s, m, shared ? key : NULL, t->cells[r * t->ncols + c]);
            if (cell < 0)
                return CT_ENOMEM;
            cells[r * t->ncols + c] = cell;
        }
    size_t br = t->has_total_row ? t->nrows - 1 : t->nrows;
    size_t bc = t->has_total_col ? t->ncols - 1 : t->ncols;
    int *parts = ct_malloc((t->nrows + t->ncols + 1) * sizeof(int));
    if (!parts)
        return CT_ENOMEM;
    int r = 0;
    if (t->has_total_col)
        for (size_t i = 0; i < t->nrows && !r; i++) {
            for (size_t c = 0; c < bc; c++)
                parts[c] = cells[i * t->ncols + c];
            r = st_sdc_constraint(s, cells[i * t->ncols + bc], parts, bc, 1);
        }
    if (t->has_total_row)
        for (size_t c = 0; c < t->ncols && !r; c++) {
            for (size_t i = 0; i < br; i++)
                parts[i] = cells[i * t->ncols + c];
            /* several forms per victim: the total is at most the sum */
            r = st_sdc_constraint(s, cells[br * t->ncols + c], parts, br,
                                  t->rows_additive ? 1 : -1);
        }
    ct_free(parts);
    return r;
}

int st_tables_protect(ct_stats_tables *set, int threshold, const char *year, ct_err *err)
{
    if (threshold <= 1)
        return 0;
    st_sdc *s = st_sdc_new();
    keymap m = {0};
    int **cells = ct_calloc(set->n ? set->n : 1, sizeof(int *));
    int r = s && cells ? 0 : CT_ENOMEM;
    for (size_t i = 0; i < set->n && !r; i++) {
        const ct_stats_table *t = set->v[i];
        if (strcmp(t->id, "data_quality") == 0)
            continue; /* describes records, not persons: not masked */
        cells[i] = ct_malloc((t->nrows * t->ncols + 1) * sizeof(int));
        r = cells[i] ? table_model(s, t, cells[i], &m, year) : CT_ENOMEM;
    }
    if (r)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (!r)
        r = st_sdc_protect(s, threshold, err);
    if (!r && st_sdc_audit(s, threshold, NULL, NULL, err) != 0)
        r = err->code ? err->code
                      : ct_err_set(err, CT_EINTERNAL, "%s",
                                   _("a suppressed cell could still be derived"));
    for (size_t i = 0; i < set->n; i++) {
        if (!r && cells[i])
            for (size_t j = 0; j < set->v[i]->nrows * set->v[i]->ncols; j++)
                set->v[i]->state[j] = st_sdc_state(s, cells[i][j]);
        if (cells)
            ct_free(cells[i]);
    }
    ct_free(cells);
    ct_free(m.key);
    ct_free(m.cell);
    st_sdc_free(s);
    /* GLPK keeps one environment per thread (TLS): free it, or every server
     * worker thread that protected a table leaks it when it ends */
    glp_free_env();
    return r;
}

int ct_stats_table_protect(ct_stats_table *t, int threshold, ct_err *err)
{
    ct_stats_tables one = {&t, 1};
    return st_tables_protect(&one, threshold, NULL, err);
}

int ct_stats_tables_protect(ct_stats_tables *t, int threshold, ct_err *err)
{
    return st_tables_protect(t, threshold, NULL, err);
}
