/*
 * gen_codes - compiles ctip's code lists (data/codes/<name>.tsv) into the C
 * tables that src/core/codes.c reads (layout: src/core/codes_int.h).
 *
 * Usage: gen_codes -o OUT.c FILE.tsv...
 *
 * A list file is UTF-8 text, one record per line, fields separated by tabs:
 *   # source: <the law or standard the list comes from>   (required)
 *   # <any further comment lines, only before the header>
 *   code <TAB> label_en <TAB> label_fr ... <TAB> attr ...   (header)
 *   <one row per code, in the order ctip shows them>
 * label_<lang> columns follow `code` (label_en first); every other column is
 * an attribute. Empty lines are ignored; a row may omit trailing empty cells.
 * Anything else (duplicate codes, empty English labels, control characters,
 * stray spaces around a cell, invalid UTF-8) stops the build with FILE:LINE.
 *
 * Built and run by CMake (src/core/CMakeLists.txt) for the build host; it is
 * not part of ctip and reads only the project's own files.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS UINT16_MAX /* rows are indexed with uint16_t */

struct list {
    const char *path;
    char *name;
    char *text; /* the file, split in place: every cell points into it */
    const char *source;
    char **cols; /* header cells */
    size_t ncols;
    size_t nlangs; /* label_* columns, right after `code` */
    char **cells;  /* nrows * ncols */
    size_t *lines; /* line number of each row */
    size_t nrows;
    uint16_t *order; /* scratch for sorting */
};

static const char empty[] = "";

static void die(const char *path, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

static void die(const char *path, size_t line, const char *fmt, ...)
{
    va_list ap;
    if (line)
        fprintf(stderr, "%s:%zu: ", path, line);
    else
        fprintf(stderr, "%s: ", path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("gen_codes", 0, "out of memory");
    return p;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path, 0, "cannot open");
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (cap - len < 4096)
            buf = xrealloc(buf, cap = cap * 2 + 4096);
        got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
    } while (got > 0);
    if (ferror(f))
        die(path, 0, "read error");
    fclose(f);
    buf[len] = '\0';
    if (strlen(buf) != len)
        die(path, 0, "contains a NUL byte");
    return buf;
}

/* Length of the valid UTF-8 sequence at s, or 0 if invalid (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || s[0] > 0xF4)
        return 0;
    uint32_t cp = s[0] & (0x3F >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Checks one cell's text: valid UTF-8, no control characters, no space at
 * either end (a common editing slip that would make a code unfindable). */
static void check_cell(const struct list *l, size_t line, const char *cell, const char *col)
{
    const unsigned char *s = (const unsigned char *)cell;
    size_t len = strlen(cell);
    if (len && (s[0] == ' ' || s[len - 1] == ' '))
        die(l->path, line, "column %s: space at the start or end of \"%s\"", col, cell);
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x20 || s[i] == 0x7F)
            die(l->path, line, "column %s: control character", col);
        size_t n = utf8_seq(s + i);
        if (!n)
            die(l->path, line, "column %s: invalid UTF-8", col);
        i += n;
    }
}

static int is_ident(const char *s, const char *extra)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              strchr(extra, *s)))
            return 0;
    return 1;
}

/* Splits line at tabs into at most max cells; returns the number found. */
static size_t split(char *line, char **cells, size_t max)
{
    size_t n = 0;
    for (char *p = line;; p++) {
        if (n < max)
            cells[n] = p;
        n++;
        p = strchr(p, '\t');
        if (!p)
            return n;
        *p = '\0';
    }
}

static void parse_header(struct list *l, char *line, size_t lineno)
{
    l->ncols = 1;
    for (const char *p = line; (p = strchr(p, '\t')); p++)
        l->ncols++;
    l->cols = xrealloc(NULL, l->ncols * sizeof(*l->cols));
    split(line, l->cols, l->ncols);
    if (strcmp(l->cols[0], "code") != 0 || l->ncols < 2 || strcmp(l->cols[1], "label_en") != 0)
        die(l->path, lineno, "the header must start with code<TAB>label_en");
    size_t k = 1;
    while (k < l->ncols && strncmp(l->cols[k], "label_", 6) == 0) {
        const char *lang = l->cols[k] + 6;
        if (strlen(lang) < 2 || strlen(lang) > 3 || !is_ident(lang, "") || strchr(lang, '_'))
            die(l->path, lineno, "column %s: want label_ and an ISO 639 code", l->cols[k]);
        k++;
    }
    l->nlangs = k - 1;
    for (; k < l->ncols; k++) {
        if (!is_ident(l->cols[k], "") || strncmp(l->cols[k], "label_", 6) == 0)
            die(l->path, lineno, "column \"%s\": attribute names are [a-z0-9_], after the labels",
                l->cols[k]);
    }
    for (size_t i = 0; i < l->ncols; i++)
        for (size_t j = i + 1; j < l->ncols; j++)
            if (strcmp(l->cols[i], l->cols[j]) == 0)
                die(l->path, lineno, "column %s appears twice", l->cols[i]);
}

static void parse_row(struct list *l, char *line, size_t lineno)
{
    if (l->nrows == MAX_ROWS)
        die(l->path, lineno, "more than %d rows", MAX_ROWS);
    l->cells = xrealloc(l->cells, (l->nrows + 1) * l->ncols * sizeof(*l->cells));
    l->lines = xrealloc(l->lines, (l->nrows + 1) * sizeof(*l->lines));
    l->lines[l->nrows] = lineno;
    char **row = &l->cells[l->nrows * l->ncols];
    size_t n = split(line, row, l->ncols);
    if (n > l->ncols)
        die(l->path, lineno, "%zu fields, the header has %zu", n, l->ncols);
    for (size_t k = n; k < l->ncols; k++)
        row[k] = (char *)empty;
    for (size_t k = 0; k < l->ncols; k++)
        check_cell(l, lineno, row[k], l->cols[k]);
    if (!is_ident(row[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ+-."))
        die(l->path, lineno, "code \"%s\": use letters, digits and _ + - .", row[0]);
    if (!*row[1])
        die(l->path, lineno, "code %s: empty label_en", row[0]);
    l->nrows++;
}

static void parse(struct list *l)
{
    size_t lineno = 0;
    int have_header = 0;
    char *next;
    for (char *line = l->text; line; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (line[0] == '#') {
            if (have_header)
                die(l->path, lineno, "comments belong above the header");
            if (strncmp(line, "# source:", 9) == 0) {
                l->source = line + 9 + strspn(line + 9, " ");
                check_cell(l, lineno, l->source, "source");
            }
            continue;
        }
        if (!have_header) {
            if (!l->source || !*l->source)
                die(l->path, lineno, "a \"# source: ...\" line must come first");
            parse_header(l, line, lineno);
            have_header = 1;
        } else {
            parse_row(l, line, lineno);
        }
    }
    if (!have_header)
        die(l->path, 0, "no header line");
    if (l->nrows == 0)
        die(l->path, 0, "no rows");
}

/* qsort has no context argument; the generator is single-threaded. */
static const struct list *sort_list;
static size_t sort_col;

static int by_cell(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    int c = strcmp(sort_list->cells[x * sort_list->ncols + sort_col],
                   sort_list->cells[y * sort_list->ncols + sort_col]);
    return c ? c : (x > y) - (x < y);
}

/* Rows with a non-empty cell in column col, sorted by (cell, row). */
static size_t sorted_rows(struct list *l, size_t col)
{
    size_t n = 0;
    for (size_t r = 0; r < l->nrows; r++)
        if (*l->cells[r * l->ncols + col])
            l->order[n++] = (uint16_t)r;
    sort_list = l;
    sort_col = col;
    qsort(l->order, n, sizeof(*l->order), by_cell);
    return n;
}

static void load(struct list *l, const char *path)
{
    memset(l, 0, sizeof(*l));
    l->path = path;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len < 5 || strcmp(base + len - 4, ".tsv") != 0)
        die(path, 0, "a code list file is named <list>.tsv");
    l->name = xrealloc(NULL, len - 3);
    memcpy(l->name, base, len - 4);
    l->name[len - 4] = '\0';
    if (!is_ident(l->name, ""))
        die(path, 0, "list names are [a-z0-9_]");
    l->text = read_file(path);
    parse(l);
    l->order = xrealloc(NULL, (l->nrows ? l->nrows : 1) * sizeof(*l->order));
    size_t n = sorted_rows(l, 0);
    for (size_t i = 1; i < n; i++)
        if (strcmp(l->cells[l->order[i] * l->ncols], l->cells[l->order[i - 1] * l->ncols]) == 0)
            die(path, l->lines[l->order[i]], "code %s is already on line %zu",
                l->cells[l->order[i] * l->ncols], l->lines[l->order[i - 1]]);
}

static void put_str(FILE *out, const char *s)
{
    if (!s || !*s) {
        fputs("NULL", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\' || *p == '?') /* '?': no trigraphs */
            fprintf(out, "\\%c", *p);
        else if (*p >= 0x80) /* octal keeps the output ASCII, never merges digits */
            fprintf(out, "\\%03o", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_strings(FILE *out, const char *type, const char *name, const char *suffix, char **v,
                        size_t n)
{
    if (n == 0)
        return;
    fprintf(out, "static const %s %s_%s[] = {\n", type, name, suffix);
    for (size_t i = 0; i < n; i++) {
        fputs("    ", out);
        put_str(out, v[i]);
        fputs(",\n", out);
    }
    fputs("};\n", out);
}

/* Cells of columns [from, from + n) of every row, row-major. */
static void put_block(FILE *out, const struct list *l, const char *suffix, size_t from, size_t n)
{
    if (n == 0)
        return;
    fprintf(out, "static const char *const %s_%s[] = {\n", l->name, suffix);
    for (size_t r = 0; r < l->nrows; r++) {
        fputs("    ", out);
        for (size_t k = from; k < from + n; k++) {
            put_str(out, l->cells[r * l->ncols + k]);
            fputs(k + 1 < from + n ? ", " : ",\n", out);
        }
    }
    fputs("};\n", out);
}

static void put_rows(FILE *out, const char *name, const uint16_t *rows, size_t n)
{
    fprintf(out, "static const uint16_t %s[] = {", name);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%u,", i % 16 ? " " : "\n    ", rows[i]);
    fputs("\n};\n", out);
}

static void emit_list(FILE *out, struct list *l, size_t li)
{
    fprintf(out, "\n/* data/codes/%s.tsv */\n", l->name);
    char **langs = xrealloc(NULL, l->nlangs * sizeof(*langs));
    for (size_t k = 0; k < l->nlangs; k++)
        langs[k] = l->cols[1 + k] + 6;
    put_strings(out, "char *const", l->name, "langs", langs, l->nlangs);
    free(langs);
    size_t nattrs = l->ncols - 1 - l->nlangs;
    put_strings(out, "char *const", l->name, "attr_names", l->cols + 1 + l->nlangs, nattrs);
    put_block(out, l, "labels", 1, l->nlangs);
    put_block(out, l, "attrs", 1 + l->nlangs, nattrs);

    fprintf(out, "static const struct ct_code %s_codes[] = {\n", l->name);
    for (size_t r = 0; r < l->nrows; r++) {
        fputs("    {", out);
        put_str(out, l->cells[r * l->ncols]);
        fprintf(out, ", %zu, &ct_codes__lists[%zu]},\n", r, li);
    }
    fputs("};\n", out);

    char name[256];
    snprintf(name, sizeof(name), "%s_by_id", l->name);
    put_rows(out, name, l->order, sorted_rows(l, 0));
    for (size_t k = 0; k < nattrs; k++) {
        size_t n = sorted_rows(l, 1 + l->nlangs + k);
        snprintf(name, sizeof(name), "%s_by_attr%zu", l->name, k);
        if (n) /* C has no empty arrays: an empty column gets a NULL index */
            put_rows(out, name, l->order, n);
    }
    if (nattrs) {
        fprintf(out, "static const struct ct_code_attr_index %s_by_attr[] = {\n", l->name);
        for (size_t k = 0; k < nattrs; k++) {
            size_t n = sorted_rows(l, 1 + l->nlangs + k);
            if (n)
                fprintf(out, "    {%s_by_attr%zu, %zu},\n", l->name, k, n);
            else
                fputs("    {NULL, 0},\n", out);
        }
        fputs("};\n", out);
    }
}

static void emit_table_row(FILE *out, const struct list *l)
{
    size_t nattrs = l->ncols - 1 - l->nlangs;
    const char *n = l->name;
    fputs("    {", out);
    put_str(out, n);
    fputs(", ", out);
    put_str(out, l->source);
    fprintf(out, ", %s_langs, %zu, ", n, l->nlangs);
    if (nattrs)
        fprintf(out, "%s_attr_names, %zu, %s_labels, %s_attrs, ", n, nattrs, n, n);
    else
        fprintf(out, "NULL, 0, %s_labels, NULL, ", n);
    fprintf(out, "%s_codes, %zu, %s_by_id, %s%s},\n", n, l->nrows, n, nattrs ? n : "NULL",
            nattrs ? "_by_attr" : "");
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct list *)a)->name, ((const struct list *)b)->name);
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[1], "-o") != 0) {
        fprintf(stderr, "usage: gen_codes -o OUT.c FILE.tsv...\n");
        return 2;
    }
    const char *outpath = argv[2];
    size_t n = (size_t)argc - 3;
    struct list *lists = xrealloc(NULL, n * sizeof(*lists));
    for (size_t i = 0; i < n; i++)
        load(&lists[i], argv[3 + i]);
    qsort(lists, n, sizeof(*lists), by_name);
    for (size_t i = 1; i < n; i++)
        if (strcmp(lists[i].name, lists[i - 1].name) == 0)
            die(lists[i].path, 0, "list %s is given twice", lists[i].name);

    size_t tmplen = strlen(outpath) + 5;
    char *tmp = xrealloc(NULL, tmplen);
    snprintf(tmp, tmplen, "%s.tmp", outpath);
    FILE *out = fopen(tmp, "w");
    if (!out)
        die(tmp, 0, "cannot create");
    fputs("/* Generated by tools/gen_codes.c from data/codes: do not edit. */\n"
          "#include <stddef.h>\n#include <stdint.h>\n\n#include \"core/codes_int.h\"\n",
          out);
    for (size_t i = 0; i < n; i++)
        emit_list(out, &lists[i], i);
    fputs("\nconst struct ct_code_list ct_codes__lists[] = {\n", out);
    for (size_t i = 0; i < n; i++)
        emit_table_row(out, &lists[i]);
    fprintf(out, "};\nconst size_t ct_codes__nlists = %zu;\n", n);
    if (fclose(out) != 0 || rename(tmp, outpath) != 0)
        die(outpath, 0, "cannot write");

    for (size_t i = 0; i < n; i++) {
        free(lists[i].name);
        free(lists[i].text);
        free(lists[i].cols);
        free(lists[i].cells);
        free(lists[i].lines);
        free(lists[i].order);
    }
    free(lists);
    free(tmp);
    return 0;
}
