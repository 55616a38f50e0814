/* jsonl.c - JSON lines: one case object per line (contracts.md). */
#include "io_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <errno.h>
#include <string.h>

/* Longest line accepted: a case with 500 persons fits comfortably. */
enum { MAX_LINE = 4 << 20 };

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* Content key: the canonical form of the object without "_error". */
static int content_key(ct_io_reader *r, json_t *obj, ct_io_record *rec)
{
    json_t *copy = json_copy(obj);
    if (!copy)
        return CT_ENOMEM;
    json_object_del(copy, "_error");
    char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(copy);
    if (!text)
        return CT_ENOMEM;
    unsigned char hash[16];
    crypto_generichash(hash, sizeof(hash), (const unsigned char *)text, strlen(text), NULL, 0);
    free(text);
    return ct_occurrences_key(r->seen, hash, rec->import_key);
}

static int jsonl_next(ct_io_reader *r, ct_case *c, ct_io_record *rec, ct_problems *pr, ct_err *err)
{
    ssize_t n;
    for (;;) {
        errno = 0;
        n = getline(&r->line, &r->line_cap, r->f);
        if (n < 0) {
            if (ferror(r->f))
                return ct_err_set(err, CT_EIO, _("cannot read input: %s"), strerror(errno));
            return 0;
        }
        r->lineno++;
        if (!blank(r->line, (size_t)n))
            break;
    }
    rec->line = r->lineno;
    size_t len = (size_t)n;
    while (len && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r'))
        len--;
    if (ct_io_record_add_row(rec, r->line, len))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (len > MAX_LINE) {
        ct_problems_add(pr, "", _("line longer than %d bytes"), MAX_LINE);
        return CT_EINVAL;
    }
    json_error_t jerr;
    json_t *obj = json_loadb(r->line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        /* jansson's text may quote the input: report only where it failed */
        ct_problems_add(pr, "", _("not valid JSON (at column %d)"), jerr.column);
        return CT_EINVAL;
    }
    ct_case_read_opts opts = *r->opts;
    opts.allow_private = 1; /* "_error" of a corrected rejects file */
    int rc = ct_case_from_json(c, obj, &opts, pr);
    if (rc != CT_ENOMEM && !c->id && !c->source_id && content_key(r, obj, rec))
        rc = CT_ENOMEM;
    json_decref(obj);
    if (rc == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return rc ? CT_EINVAL : 1;
}

static int jsonl_reject(ct_io_reader *r, FILE *out, const ct_io_record *rec, const char *reason)
{
    (void)r;
    json_t *obj = json_loadb(rec->raw.buf, rec->raw.len, 0, NULL);
    if (!json_is_object(obj)) {
        /* not an object: keep the text whole under _raw */
        json_decref(obj);
        obj = json_pack("{s:s%}", "_raw", rec->raw.buf, rec->raw.len);
        if (!obj)
            return CT_ENOMEM;
    }
    json_object_set_new(obj, "_error", json_string(reason));
    int rc = json_dumpf(obj, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (rc || fputc('\n', out) == EOF)
        return CT_EIO;
    return 0;
}

const ct_io_format_ops ct_io_jsonl_ops = {jsonl_next, NULL, jsonl_reject, NULL};
