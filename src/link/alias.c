/*
 * alias.c - nickname lists (data/link/nicknames.txt).
 *
 * A pair is an alias only when one name is listed on the other's line
 * (FULL: NICK ...). The relation is stored as a set of unordered pairs, so it
 * is symmetric but deliberately not transitive: "rob" is an alias of
 * "robert" and of "robin", and "robin" is still not one of "robert".
 */
#include "link_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static uint64_t *pairs; /* sorted hashes of unordered pairs */
static size_t npairs;
static uint64_t *names; /* sorted hashes of every name listed */
static size_t nnames;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint64_t pair_hash(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    if (c > 0 || (c == 0 && na > nb)) { /* order the pair: {a,b} == {b,a} */
        const char *t = a;
        a = b;
        b = t;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    return ct_link_hash(b, nb, ct_link_hash(a, na, na));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Adds the pairs of one "FULL: NICK NICK" line. */
static void add_line(const char *p, const char *end)
{
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon || *p == '#')
        return;
    size_t nfull = (size_t)(colon - p);
    names[nnames++] = ct_link_hash(p, nfull, 3);
    for (const char *q = colon + 1; q < end;) {
        while (q < end && *q == ' ')
            q++;
        const char *e = q;
        while (e < end && *e != ' ')
            e++;
        if (e > q) {
            pairs[npairs++] = pair_hash(p, nfull, q, (size_t)(e - q));
            names[nnames++] = ct_link_hash(q, (size_t)(e - q), 3);
        }
        q = e;
    }
}

static void load(void)
{
    const char *p = link_nicknames_nicknames_txt, *end = p + link_nicknames_nicknames_txt_len;
    size_t cap = 0;
    for (const char *s = p; s < end; s++)
        cap += *s == ' ' || *s == '\n';
    pairs = malloc((cap + 1) * sizeof(*pairs)); /* both live for the process */
    names = malloc((2 * cap + 1) * sizeof(*names));
    if (!pairs || !names) {
        free(pairs);
        pairs = NULL;
        return;
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        add_line(p, nl);
        p = nl + 1;
    }
    qsort(pairs, npairs, sizeof(*pairs), cmp_u64);
    qsort(names, nnames, sizeof(*names), cmp_u64);
}

int ct_link_alias_known(const char *s, size_t n)
{
    pthread_once(&once, load);
    uint64_t h = ct_link_hash(s, n, 3);
    return pairs && bsearch(&h, names, nnames, sizeof(h), cmp_u64) != NULL;
}

int ct_link_is_alias(const char *a, const char *b)
{
    pthread_once(&once, load);
    if (!pairs || !a || !b || !*a || !*b || strcmp(a, b) == 0)
        return 0;
    uint64_t h = pair_hash(a, strlen(a), b, strlen(b));
    return bsearch(&h, pairs, npairs, sizeof(h), cmp_u64) != NULL;
}
