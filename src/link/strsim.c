/*
 * strsim.c - string similarity kernels: Jaro-Winkler and bounded
 * Levenshtein. They run on every candidate pair, so both are written for
 * short strings (names) first.
 *
 * Jaro-Winkler is bit-parallel for strings up to 64 bytes (the approach of
 * rapidfuzz): a mask of the positions of each byte of b is built once per
 * call, then each byte of a finds its first unmatched partner in the match
 * window with one AND and one lowest-bit extraction, instead of a scan.
 * Longer strings use the textbook loop.
 */
#include "link_int.h"

#include <string.h>

enum { LONG_MAX_BYTES = 1024 };

/* Positions of each byte value in b; entries are cleared after each use, so
 * the table stays zero between calls (one per thread). */
static _Thread_local uint64_t pos_mask[256];

static double jaro_from(size_t m, size_t t, size_t na, size_t nb)
{
    if (m == 0)
        return 0.0;
    double dm = (double)m;
    return (dm / (double)na + dm / (double)nb + (dm - (double)t / 2.0) / dm) / 3.0;
}

static double jaro_short(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    size_t w = (na > nb ? na : nb) / 2;
    w = w ? w - 1 : 0;
    for (size_t j = 0; j < nb; j++)
        pos_mask[b[j]] |= 1ULL << j;
    uint64_t flag_a = 0, flag_b = 0;
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > w ? i - w : 0, hi = i + w < nb - 1 ? i + w : nb - 1;
        if (lo > hi)
            break; /* i is past the end of b's windows */
        size_t span = hi - lo + 1;
        uint64_t window = (span == 64 ? ~0ULL : ((1ULL << span) - 1)) << lo;
        uint64_t x = pos_mask[a[i]] & window & ~flag_b;
        if (x) {
            flag_b |= x & (~x + 1);
            flag_a |= 1ULL << i;
            m++;
        }
    }
    for (size_t j = 0; j < nb; j++)
        pos_mask[b[j]] = 0;
    size_t t = 0;
    while (flag_a) {
        int i = __builtin_ctzll(flag_a), j = __builtin_ctzll(flag_b);
        t += a[i] != b[j];
        flag_a &= flag_a - 1;
        flag_b &= flag_b - 1;
    }
    return jaro_from(m, t, na, nb);
}

static double jaro_long(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    unsigned char fa[LONG_MAX_BYTES] = {0}, fb[LONG_MAX_BYTES] = {0};
    size_t w = (na > nb ? na : nb) / 2;
    w = w ? w - 1 : 0;
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > w ? i - w : 0, hi = i + w + 1 < nb ? i + w + 1 : nb;
        for (size_t j = lo; j < hi; j++) {
            if (fb[j] || a[i] != b[j])
                continue;
            fa[i] = fb[j] = 1;
            m++;
            break;
        }
    }
    size_t t = 0, j = 0;
    for (size_t i = 0; i < na; i++) {
        if (!fa[i])
            continue;
        while (!fb[j])
            j++;
        t += a[i] != b[j++];
    }
    return jaro_from(m, t, na, nb);
}

double ct_link_jaro_winkler(const char *sa, size_t na, const char *sb, size_t nb)
{
    const unsigned char *a = (const unsigned char *)sa, *b = (const unsigned char *)sb;
    if (na == 0 || nb == 0)
        return na == nb ? 1.0 : 0.0;
    if (na > LONG_MAX_BYTES)
        na = LONG_MAX_BYTES;
    if (nb > LONG_MAX_BYTES)
        nb = LONG_MAX_BYTES;
    double j = na <= 64 && nb <= 64 ? jaro_short(a, na, b, nb) : jaro_long(a, na, b, nb);
    if (j <= 0.7)
        return j; /* Winkler's boost only for similar strings (rapidfuzz) */
    size_t l = 0;
    while (l < 4 && l < na && l < nb && a[l] == b[l])
        l++;
    return j + (double)l * 0.1 * (1.0 - j);
}

unsigned ct_link_levenshtein(const char *a, size_t na, const char *b, size_t nb, unsigned max)
{
    enum { MAXN = 256 };
    if (na > nb) {
        const char *t = a;
        a = b;
        b = t;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    if (nb - na > max)
        return max + 1;
    if (nb > MAXN)
        nb = MAXN, na = na > MAXN ? MAXN : na;
    unsigned row[2][MAXN + 1], cap = max + 1;
    for (size_t j = 0; j <= nb; j++)
        row[0][j] = j < cap ? (unsigned)j : cap;
    for (size_t i = 1; i <= na; i++) {
        unsigned *prev = row[(i - 1) & 1], *cur = row[i & 1];
        size_t lo = i > max ? i - max : 1, hi = i + max < nb ? i + max : nb;
        cur[lo - 1] = lo == 1 ? (i < cap ? (unsigned)i : cap) : cap;
        unsigned best = cur[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            unsigned v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            cur[j] = v < cap ? v : cap;
            best = cur[j] < best ? cur[j] : best;
        }
        if (hi < nb)
            cur[hi + 1] = cap;
        if (best >= cap)
            return cap;
    }
    unsigned d = row[na & 1][nb];
    return d < cap ? d : cap;
}
