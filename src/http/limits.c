/*
 * limits.c - per-client request rate (token bucket) and failed-login
 * counting, in one fixed-size table each: memory does not grow with the
 * number of clients.
 *
 * Keys (client addresses, user names) are hashed with SipHash under a key
 * drawn at start-up, so nobody can aim two keys at the same slot. A slot
 * taken by another key is reused: the worst a flood of new clients does is
 * forget some old counts, never block a client it does not share a slot
 * with.
 */
#include "http_int.h"

#include "core/alloc.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

#define MAX_BLOCK 900.0 /* seconds: the longest wait after failed logins */

typedef struct slot {
    uint64_t key;
    double tokens; /* rate: tokens left; logins: failures */
    double at;     /* rate: last refill; logins: last failure */
} slot;

struct ct_limiter {
    pthread_mutex_t lock;
    unsigned char hashkey[crypto_shorthash_KEYBYTES];
    size_t n;
    slot slots[];
};

ct_limiter *ct_limiter_new(size_t slots)
{
    ct_limiter *l = ct_calloc(1, sizeof(*l) + slots * sizeof(slot));
    if (!l)
        return NULL;
    pthread_mutex_init(&l->lock, NULL);
    crypto_shorthash_keygen(l->hashkey);
    l->n = slots;
    return l;
}

void ct_limiter_free(ct_limiter *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    ct_free(l);
}

/* The key's slot; a slot held by another key is taken over when create,
 * else NULL is returned. */
static slot *find(ct_limiter *l, const char *key, int *fresh, int create)
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)key, strlen(key), l->hashkey);
    uint64_t k;
    memcpy(&k, h, sizeof(k));
    k |= 1; /* 0 marks an empty slot */
    slot *s = &l->slots[k % l->n];
    *fresh = s->key != k;
    if (*fresh && !create)
        return NULL;
    if (*fresh) {
        s->key = k;
        s->tokens = 0;
        s->at = 0;
    }
    return s;
}

double ct_limiter_take(ct_limiter *l, const char *key, double rate, double burst, double now)
{
    pthread_mutex_lock(&l->lock);
    int fresh;
    slot *s = find(l, key, &fresh, 1);
    if (fresh) {
        s->tokens = burst;
        s->at = now;
    }
    s->tokens = fmin(burst, s->tokens + (now - s->at) * rate);
    s->at = now;
    double wait = 0;
    if (s->tokens >= 1)
        s->tokens -= 1;
    else
        wait = (1 - s->tokens) / rate;
    pthread_mutex_unlock(&l->lock);
    return wait;
}

double ct_limiter_blocked(ct_limiter *l, const char *key, unsigned free_failures, double now)
{
    pthread_mutex_lock(&l->lock);
    int fresh;
    slot *s = find(l, key, &fresh, 0);
    double wait = 0;
    if (s && s->tokens > free_failures) {
        double block = fmin(MAX_BLOCK, pow(2.0, s->tokens - free_failures));
        wait = s->at + block - now;
    }
    pthread_mutex_unlock(&l->lock);
    return wait > 0 ? wait : 0;
}

void ct_limiter_fail(ct_limiter *l, const char *key, double now)
{
    pthread_mutex_lock(&l->lock);
    int fresh;
    slot *s = find(l, key, &fresh, 1);
    /* a day without failures forgets the count */
    if (now - s->at > 86400)
        s->tokens = 0;
    s->tokens += 1;
    s->at = now;
    pthread_mutex_unlock(&l->lock);
}

void ct_limiter_clear(ct_limiter *l, const char *key)
{
    pthread_mutex_lock(&l->lock);
    int fresh;
    slot *s = find(l, key, &fresh, 0);
    if (s) {
        s->tokens = 0;
        s->at = 0;
    }
    pthread_mutex_unlock(&l->lock);
}
