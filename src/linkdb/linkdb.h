/*
 * linkdb.h - record linkage over the database: duplicate victims found by
 * the engine (src/link) go to the review queue (src/review), and a
 * confirmed duplicate sets the person key (docs/linkage.md "Database").
 *
 * ct_linkdb_dedupe reads the victims through the store (a snapshot), runs
 * the engine in incremental mode outside any transaction and then, in one
 * write transaction:
 *   - keeps each record's stable cluster (connected components of the
 *     pairs at or above the threshold; a merge keeps the smaller, older id;
 *     every merge is recorded);
 *   - queues as duplicate_person the pairs at or above the review threshold
 *     whose person keys differ, with the evidence (each field's comparison
 *     level and weight, the probability and the weight);
 *   - marks the records linked with a hash of their compared values.
 * A record whose hash is unchanged since the last run is old: only
 * new-old and new-new pairs are scored, so nothing is proposed twice and a
 * second run adds nothing. A record whose compared values changed is linked
 * again as new. A killed run changes nothing. When another run wrote
 * between this run's reading and writing, this one writes nothing and
 * returns CT_EBUSY.
 *
 * The effect of the review kind duplicate_person (review.c's table): a
 * confirmation gives both records, and everyone sharing either's key, one
 * key (the larger group's; a new one when neither has a key), recording
 * every change (person_key_change: who, when, which item, the previous
 * key); undoing it restores the previous keys of the persons whose key is
 * still the one it set, then applies again the other confirmed
 * duplicate_person items of those persons, so every confirmed link still
 * holds. Both are audited ("link.key_set", "link.key_restore").
 *
 * Thread safety: as the store (one per thread). No personal data in
 * messages or audit entries (record ids and counts only).
 */
#ifndef CT_LINKDB_LINKDB_H
#define CT_LINKDB_LINKDB_H

#include "link/link.h"
#include "store/store_review.h"

typedef struct ct_linkdb_opts {
    double threshold;        /* clusters: pairs with probability >= this; 0 means 0.9 */
    double review_threshold; /* review queue: pairs >= this; 0 means the threshold */
    int threads;             /* 0 means 2 */
    size_t max_block;        /* 0: the engine's default */
    /* optional: called (inside the run's transaction) for each pair of this
     * run at or above the threshold, with its explanation; a non-zero
     * return stops the run, which then changes nothing */
    int (*on_pair)(void *ctx, const char *id_a, const char *id_b, double probability,
                   const char *explanation);
    void *ctx;
} ct_linkdb_opts;

typedef struct ct_linkdb_stats {
    long records;     /* victims read */
    long nameless;    /* of them without any name: not compared */
    long new_records; /* new or changed since the last run */
    int engine_ran;   /* 0 when there was nothing new to link */
    ct_link_stats engine;
    long pairs;      /* pairs scored at or above the lower threshold */
    long linked;     /* of them at or above the threshold */
    long merges;     /* clusters merged */
    long candidates; /* pairs at or above the review threshold with different keys */
    long same_key;   /* pairs at or above the review threshold already sharing a key */
    long queued;     /* candidates added to the review queue */
    long known;      /* candidates already in the queue */
} ct_linkdb_stats;

/* Runs one linkage of the database's victims; see above. Opens its own
 * transactions (none may be open). Returns 0, CT_EUSAGE (bad thresholds),
 * CT_ENOMEM, CT_EDB, CT_EBUSY (another run meanwhile, or the database
 * locked), or what opts->on_pair returned. */
int ct_linkdb_dedupe(ct_store *s, const ct_linkdb_opts *opts, ct_linkdb_stats *st, ct_err *err);

/* The duplicate_person effects (run by ct_review_decide in its
 * transaction). */
int ct_linkdb_on_confirm(ct_store *s, const ct_review_item *it, ct_err *err);
int ct_linkdb_on_unconfirm(ct_store *s, const ct_review_item *it, ct_err *err);

#endif
