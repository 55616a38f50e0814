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

static double jaro_from(size_t m, size_t t, size_t na, size_t nb)
{
    if (m == 0)
        return 0.0;
    /* m/na + m/nb + (m - t/2)/m over one common denominator: one division */
    double dm = (double)m, a = (double)na, b = (double)nb;
    return (dm * dm * (a + b) + (dm - (double)t / 2.0) * a * b) / (3.0 * dm * a * b);
}

/*
 * pos[c] holds the positions of byte c in b. The table lives on the stack
 * uninitialised: only the entries of a's bytes are read, so only they are
 * zeroed first (na + nb writes instead of clearing 2 KiB). The match window
 * slides one position per byte of a, so its mask is shifted, not rebuilt.
 */
static double jaro_short(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    uint64_t pos[256];
    for (size_t i = 0; i < na; i++)
        pos[a[i]] = 0;
    for (size_t j = 0; j < nb; j++)
        pos[b[j]] |= 1ULL << j;
    size_t w = (na > nb ? na : nb) / 2;
    w = w ? w - 1 : 0;
    uint64_t valid = nb == 64 ? ~0ULL : (1ULL << nb) - 1;
    /* window of i = 0: positions 0..w */
    uint64_t window = (w + 1 >= 64 ? ~0ULL : (2ULL << w) - 1) & valid;
    uint64_t flag_a = 0, flag_b = 0;
    for (size_t i = 0; i < na; i++) {
        /* branch-free: whether a[i] matches is data, not a pattern to predict */
        uint64_t x = pos[a[i]] & window & ~flag_b;
        flag_b |= x & (~x + 1);
        flag_a |= (uint64_t)(x != 0) << i;
        /* next window: drop i - w, add i + 1 + w */
        if (i >= w)
            window &= ~(1ULL << (i - w));
        if (i + 1 + w < nb)
            window |= 1ULL << (i + 1 + w);
    }
    size_t m = (size_t)__builtin_popcountll(flag_a), t = 0;
    while (flag_a) {
        int i = __builtin_ctzll(flag_a), j = __builtin_ctzll(flag_b);
        t += a[i] != b[j];
        flag_a &= flag_a - 1;
        flag_b &= flag_b - 1;
    }
    return jaro_from(m, t, na, nb);
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* b of at most 16 bytes (most names): the positions of a[i] in b come from
 * one SSE2 byte comparison, so no table has to be built or cleared. */
static double jaro_sse2(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    unsigned char bb[16] = {0};
    memcpy(bb, b, nb);
    __m128i bv = _mm_loadu_si128((const __m128i *)bb);
    size_t w = (na > nb ? na : nb) / 2;
    w = w ? w - 1 : 0;
    uint64_t valid = (1ULL << nb) - 1;
    uint64_t window = (w + 1 >= 64 ? ~0ULL : (2ULL << w) - 1) & valid;
    uint64_t flag_a = 0, flag_b = 0;
    for (size_t i = 0; i < na; i++) {
        uint64_t eq = (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(bv, _mm_set1_epi8((char)a[i])));
        uint64_t x = eq & window & ~flag_b;
        flag_b |= x & (~x + 1);
        flag_a |= (uint64_t)(x != 0) << i;
        if (i >= w)
            window &= ~(1ULL << (i - w));
        if (i + 1 + w < nb)
            window |= 1ULL << (i + 1 + w);
    }
    size_t m = (size_t)__builtin_popcountll(flag_a), t = 0;
    while (flag_a) {
        int i = __builtin_ctzll(flag_a), j = __builtin_ctzll(flag_b);
        t += a[i] != b[j];
        flag_a &= flag_a - 1;
        flag_b &= flag_b - 1;
    }
    return jaro_from(m, t, na, nb);
}
#endif

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
    double j;
#if defined(__SSE2__)
    if (nb <= 16 && na <= 64)
        j = jaro_sse2(a, na, b, nb);
    else
#endif
        j = na <= 64 && nb <= 64 ? jaro_short(a, na, b, nb) : jaro_long(a, na, b, nb);
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
