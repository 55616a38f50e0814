/*
 * codes.c - lookups over the code tables generated from data/codes/<list>.tsv
 * (layout and invariants: codes_int.h). Everything is read-only.
 */
#include "core/codes.h"

#include <string.h>
#include <strings.h>

#include "core/codes_int.h"

const ct_code_list *ct_codes_list(const char *name)
{
    if (!name)
        return NULL;
    size_t lo = 0, hi = ct_codes__nlists;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, ct_codes__lists[mid].name);
        if (c == 0)
            return &ct_codes__lists[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const ct_code *ct_codes_find(const ct_code_list *l, const char *code)
{
    if (!l || !code)
        return NULL;
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ct_code *c = &l->codes[l->by_id[mid]];
        int cmp = strcmp(code, c->id);
        if (cmp == 0)
            return c;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const ct_code *ct_codes_lookup(const char *list, const char *code)
{
    return ct_codes_find(ct_codes_list(list), code);
}

/* Column of attribute attr in l, or l->nattrs when the list has none. */
static size_t attr_column(const ct_code_list *l, const char *attr)
{
    size_t k = 0;
    while (k < l->nattrs && strcmp(l->attr_names[k], attr) != 0)
        k++;
    return k;
}

const ct_code *ct_codes_find_attr(const ct_code_list *l, const char *attr, const char *value)
{
    if (!l || !attr || !value)
        return NULL;
    size_t k = attr_column(l, attr);
    if (k == l->nattrs)
        return NULL;
    const struct ct_code_attr_index *ix = &l->by_attr[k];
    /* lower bound: the first row whose value is >= value (invariant 5) */
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->attrs[ix->rows[mid] * l->nattrs + k], value) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == ix->n || strcmp(l->attrs[ix->rows[lo] * l->nattrs + k], value) != 0)
        return NULL;
    return &l->codes[ix->rows[lo]];
}

size_t ct_code_list_size(const ct_code_list *l)
{
    return l ? l->n : 0;
}

const ct_code *ct_code_list_at(const ct_code_list *l, size_t i)
{
    return l && i < l->n ? &l->codes[i] : NULL;
}

const char *ct_code_list_name(const ct_code_list *l)
{
    return l ? l->name : NULL;
}

const char *ct_code_list_source(const ct_code_list *l)
{
    return l ? l->source : NULL;
}

const char *ct_code_list_attr_name(const ct_code_list *l, size_t i)
{
    return l && i < l->nattrs ? l->attr_names[i] : NULL;
}

const char *ct_code_list_lang(const ct_code_list *l, size_t i)
{
    return l && i < l->nlangs ? l->langs[i] : NULL;
}

size_t ct_code_list_count(void)
{
    return ct_codes__nlists;
}

const ct_code_list *ct_code_list_nth(size_t i)
{
    return i < ct_codes__nlists ? &ct_codes__lists[i] : NULL;
}

const char *ct_code_id(const ct_code *c)
{
    return c ? c->id : NULL;
}

size_t ct_code_index(const ct_code *c)
{
    return c ? c->index : 0;
}

const ct_code_list *ct_code_list_of(const ct_code *c)
{
    return c ? c->list : NULL;
}

/* Column of the language lang ("fr", "fr_FR.UTF-8", "fr-CA") in l; 0 (English)
 * when lang is NULL or unknown. */
static size_t lang_column(const ct_code_list *l, const char *lang)
{
    if (!lang)
        return 0;
    size_t len = strcspn(lang, "_-.@");
    for (size_t k = 0; k < l->nlangs; k++)
        if (strlen(l->langs[k]) == len && strncasecmp(l->langs[k], lang, len) == 0)
            return k;
    return 0;
}

const char *ct_code_label(const ct_code *c, const char *lang)
{
    if (!c)
        return NULL;
    const ct_code_list *l = c->list;
    const char *const *row = &l->labels[c->index * l->nlangs];
    const char *s = row[lang_column(l, lang)];
    return s ? s : row[0];
}

const char *ct_code_attr(const ct_code *c, const char *attr)
{
    if (!c || !attr)
        return NULL;
    const ct_code_list *l = c->list;
    size_t k = attr_column(l, attr);
    return k < l->nattrs ? l->attrs[c->index * l->nattrs + k] : NULL;
}
