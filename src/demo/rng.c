/*
 * rng.c - the generator's random numbers: xoshiro256** (Blackman and
 * Vigna, "Scrambled linear pseudorandom number generators", 2018, public
 * domain reference code), seeded through splitmix64. Small, fast and the
 * same on every platform, so a seed names one data set everywhere. Not for
 * secrets: ids that must not be guessed come from libsodium elsewhere.
 */
#include "demo_int.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void dm_rng_seed(dm_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t dm_rng_next(dm_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double dm_rng_unit(dm_rng *r)
{
    return (double)(dm_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Lemire's multiply-shift: unbiased enough for n far below 2^32 (the bias
 * is below n / 2^32), and exact the same on every platform. */
uint32_t dm_rng_below(dm_rng *r, uint32_t n)
{
    return (uint32_t)(((dm_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int dm_rng_range(dm_rng *r, int lo, int hi)
{
    return lo + (int)dm_rng_below(r, (uint32_t)(hi - lo + 1));
}

int dm_rng_chance(dm_rng *r, double p)
{
    return dm_rng_unit(r) < p;
}
