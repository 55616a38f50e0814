/*
 * arena.h - a bump allocator for objects that live and die together: one
 * case being imported, one HTTP request (h2o's per-request pool).
 *
 * Allocations are never freed one by one; ct_arena_reset keeps the first
 * block for reuse (a loop over a million records allocates almost nothing),
 * ct_arena_release frees everything. Secrets never go into an arena.
 */
#ifndef CT_CORE_ARENA_H
#define CT_CORE_ARENA_H

#include <stddef.h>

typedef struct ct_arena_block ct_arena_block;

typedef struct ct_arena {
    ct_arena_block *head; /* current block; older blocks follow */
    size_t used;          /* bytes used in head */
    size_t block_size;    /* size of ordinary blocks */
} ct_arena;

#define CT_ARENA_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void ct_arena_init(ct_arena *a, size_t block_size);
/* Returns 8-byte aligned zeroed memory, or NULL when out of memory. */
void *ct_arena_alloc(ct_arena *a, size_t n);
char *ct_arena_strdup(ct_arena *a, const char *s);
char *ct_arena_strndup(ct_arena *a, const char *s, size_t n);
/* Frees all but the first block; every pointer from the arena is invalid. */
void ct_arena_reset(ct_arena *a);
void ct_arena_release(ct_arena *a);

#endif
