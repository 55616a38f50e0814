/*
 * normalise.c - names and texts to comparable form.
 *
 * Steps (docs/linkage.md "Normalisation"): utf8proc NFKC with case folding
 * and combining marks stripped (so "Ｊosé" and "JOSE" agree), then each
 * code point through the transliteration table data/link/translit.tsv
 * (Cyrillic, Greek, Arabic, Hebrew, Georgian, Armenian and Latin letters
 * that have no decomposition), then every code point that is not a letter
 * or digit becomes a space, and spaces are collapsed.
 *
 * Comparisons work on the bytes of the result: for the scripts in the table
 * that is ASCII; other scripts (CJK, Indic) keep their UTF-8, where
 * Jaro-Winkler is computed on bytes (a documented approximation).
 */
#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef struct translit {
    uint32_t cp;
    char latin[7];
    unsigned char len;
} translit;

static translit *table;
static size_t table_n;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static int translit_cmp(const void *a, const void *b)
{
    uint32_t x = ((const translit *)a)->cp, y = ((const translit *)b)->cp;
    return x < y ? -1 : x > y;
}

/* Parses one "HEX<TAB>LATIN" line; 0 when it is a comment or malformed
 * (the file is ours, embedded at build time, and tested row by row). */
static int parse_line(const char *p, const char *end, translit *t)
{
    if (p == end || *p == '#')
        return 0;
    char *q;
    unsigned long cp = strtoul(p, &q, 16);
    if (q == p || q >= end || *q != '\t')
        return 0;
    size_t n = (size_t)(end - q - 1);
    if (n >= sizeof(t->latin))
        return 0;
    t->cp = (uint32_t)cp;
    memcpy(t->latin, q + 1, n);
    t->latin[n] = '\0';
    t->len = (unsigned char)n;
    return 1;
}

static void load_table(void)
{
    const char *p = link_translit_translit_tsv, *end = p + link_translit_translit_tsv_len;
    size_t cap = 0;
    for (const char *s = p; s < end; s++)
        cap += *s == '\n';
    table = malloc((cap + 1) * sizeof(*table)); /* lives for the process */
    if (!table)
        return;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if (parse_line(p, nl, &table[table_n]))
            table_n++;
        p = nl + 1;
    }
    qsort(table, table_n, sizeof(*table), translit_cmp);
}

static const translit *lookup(uint32_t cp)
{
    translit key = {.cp = cp};
    return table ? bsearch(&key, table, table_n, sizeof(*table), translit_cmp) : NULL;
}

static int is_word_cp(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MC: /* vowel signs of Indic scripts */
        return 1;
    default:
        return 0;
    }
}

/* Appends cp's Latin form, or a space for a separator. */
static void emit_cp(ct_buf *out, utf8proc_int32_t cp)
{
    const translit *t = lookup((uint32_t)cp);
    if (t) {
        ct_buf_add(out, t->latin, t->len);
        return;
    }
    if (cp < 128) {
        char c = (char)cp;
        int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        ct_buf_addc(out, word ? c : ' ');
        return;
    }
    if (!is_word_cp(cp)) {
        ct_buf_addc(out, ' ');
        return;
    }
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);
    ct_buf_add(out, enc, (size_t)n);
}

/* Collapses runs of spaces in out[from..] and trims both ends. */
static void collapse(ct_buf *out, size_t from)
{
    size_t w = from;
    int space = 1;
    for (size_t r = from; r < out->len; r++) {
        char c = out->buf[r];
        if (c == ' ' && space)
            continue;
        space = c == ' ';
        out->buf[w++] = c;
    }
    if (w > from && out->buf[w - 1] == ' ')
        w--;
    ct_buf_truncate(out, w);
}

int ct_link_normalise(const char *s, size_t n, ct_buf *out, ct_err *err)
{
    pthread_once(&table_once, load_table);
    if (!table)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (n == 0)
        return 0;
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t m =
        utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
                     UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                         UTF8PROC_IGNORE | UTF8PROC_STRIPCC | UTF8PROC_LUMP);
    if (m < 0) {
        if (m == UTF8PROC_ERROR_NOMEM)
            return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        return ct_err_set(err, CT_EINVAL, "%s", _("not valid UTF-8"));
    }
    size_t from = out->len;
    for (utf8proc_ssize_t i = 0; i < m;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(mapped + i, m - i, &cp);
        if (k <= 0)
            break; /* cannot happen: utf8proc_map produced it */
        emit_cp(out, cp);
        i += k;
    }
    free(mapped); /* allocated by utf8proc with malloc */
    collapse(out, from);
    if (out->oom)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return 0;
}

static int cmp_token(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ct_link_normalise_sorted(const char *s, size_t n, ct_buf *out, ct_err *err)
{
    ct_buf tmp = CT_BUF_INIT;
    int r = ct_link_normalise(s, n, &tmp, err);
    if (r || tmp.len == 0)
        goto out;
    size_t ntok = 1;
    for (size_t i = 0; i < tmp.len; i++)
        ntok += tmp.buf[i] == ' ';
    char **tok = ct_malloc(ntok * sizeof(*tok));
    if (!tok) {
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        goto out;
    }
    size_t k = 0;
    char *save = NULL; /* strtok_r: blocking builds keys on several threads */
    for (char *p = strtok_r(tmp.buf, " ", &save); p; p = strtok_r(NULL, " ", &save))
        tok[k++] = p;
    qsort(tok, k, sizeof(*tok), cmp_token);
    for (size_t i = 0; i < k; i++) {
        if (i)
            ct_buf_addc(out, ' ');
        ct_buf_adds(out, tok[i]);
    }
    ct_free(tok);
    if (out->oom)
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
out:
    ct_buf_release(&tmp);
    return r;
}
