#include "arena.h"

#include "alloc.h"

#include <stdint.h>
#include <string.h>

struct ct_arena_block {
    ct_arena_block *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

void ct_arena_init(ct_arena *a, size_t block_size)
{
    a->head = NULL;
    a->used = 0;
    a->block_size = block_size ? block_size : 8192;
}

static ct_arena_block *new_block(size_t size)
{
    ct_arena_block *b = ct_malloc(sizeof(*b) + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    return b;
}

void *ct_arena_alloc(ct_arena *a, size_t n)
{
    if (!a->block_size)
        a->block_size = 8192;
    n = (n + 7) & ~(size_t)7;
    if (n == 0)
        n = 8;
    if (!a->head || a->used + n > a->head->size) {
        size_t size = n > a->block_size ? n : a->block_size;
        ct_arena_block *b = new_block(size);
        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
        a->used = 0;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *ct_arena_strndup(ct_arena *a, const char *s, size_t n)
{
    char *d = ct_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ct_arena_strdup(ct_arena *a, const char *s)
{
    return ct_arena_strndup(a, s, strlen(s));
}

void ct_arena_reset(ct_arena *a)
{
    if (!a->head)
        return;
    /* keep the oldest block: it is the one of ordinary size */
    ct_arena_block *b = a->head;
    while (b->next) {
        ct_arena_block *next = b->next;
        ct_free(b);
        b = next;
    }
    a->head = b;
    a->used = 0;
}

void ct_arena_release(ct_arena *a)
{
    ct_arena_block *b = a->head;
    while (b) {
        ct_arena_block *next = b->next;
        ct_free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}
