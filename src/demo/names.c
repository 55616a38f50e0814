/*
 * names.c - typing errors, the commonest difference between two records of
 * one name after spelling variants and transliterations (which come from
 * the name pool itself). One error per affected name, of the four kinds
 * Damerau counted as covering most misspellings (1964): a letter left out,
 * doubled, two letters swapped, or a neighbouring key struck instead.
 */
#include "demo_int.h"

#include <stdio.h>
#include <string.h>

/* Neighbours on a QWERTY keyboard, for substitutions of ASCII letters. */
static const char *const keys[26] = {
    "qwsz",   "vghn",  "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
    "huikmn", "jiolm", "kop",  "njk",    "bhjm", "iklp",   "ol",     "wa",     "edft",
    "awedxz", "rfgy",  "yhji", "cfgb",   "qase", "zsdc",   "tghu",   "asx",
};

/* Byte offsets of the code points of s (at most max); returns the count. */
static size_t code_points(const char *s, size_t *off, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; s[i] && n < max; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            off[n++] = i;
    return n;
}

static void put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
    if (*len + n < cap) {
        memcpy(out + *len, s, n);
        *len += n;
    }
}

void dm_typo(dm_rng *r, const char *s, char *out, size_t cap)
{
    size_t off[65], slen = strlen(s);
    size_t n = code_points(s, off, 64);
    snprintf(out, cap, "%s", s);
    if (n < 3 || n == 64)
        return;
    off[n] = slen;
    /* a position past the first character that is not a space, nor next to one */
    size_t i = 1 + dm_rng_below(r, (uint32_t)(n - 2));
    if (s[off[i]] == ' ' || s[off[i + 1]] == ' ' || s[off[i - 1]] == ' ')
        return;
    size_t len = 0, cl = off[i + 1] - off[i];
    int op = (int)dm_rng_below(r, 4);
    unsigned char ch = (unsigned char)s[off[i]];
    if (op == 3 && !((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))
        op = 1; /* substitutions only where a keyboard neighbour is known */
    put(out, cap, &len, s, off[i]);
    switch (op) {
    case 0: /* left out */
        break;
    case 1: /* doubled */
        put(out, cap, &len, s + off[i], cl);
        put(out, cap, &len, s + off[i], cl);
        break;
    case 2: /* swapped with the next one */
        put(out, cap, &len, s + off[i + 1], off[i + 2] - off[i + 1]);
        put(out, cap, &len, s + off[i], cl);
        cl = off[i + 2] - off[i];
        break;
    default: { /* a neighbouring key, in the same case */
        const char *k = keys[(ch | 0x20) - 'a'];
        char c = k[dm_rng_below(r, (uint32_t)strlen(k))];
        if (ch < 'a')
            c = (char)(c - 0x20);
        put(out, cap, &len, &c, 1);
        break;
    }
    }
    put(out, cap, &len, s + off[i] + cl, slen - off[i] - cl);
    out[len] = '\0';
}
