/*
 * store_link.h - record linkage in the store (migration 009): the victims
 * as the linkage reads them, what each run has linked (a hash of the
 * compared values and the stable cluster of each record), the history of
 * the clusters, and the person keys that confirmed duplicate_person review
 * items set, with their provenance. The rules are in src/linkdb; this is
 * storage only.
 *
 * Same rules as store.h: one connection per thread, every write in the
 * caller's transaction when one is open, else in its own; CT_ENOTFOUND,
 * CT_EDB. Nothing here audits: src/linkdb does.
 */
#ifndef CT_STORE_STORE_LINK_H
#define CT_STORE_STORE_LINK_H

#include "store.h"

#define CT_LINK_HASH_BYTES 16

/* One victim as the linkage sees it; strings borrowed for the callback's
 * duration, NULL when not recorded. */
typedef struct ct_link_person_row {
    const char *id;
    const char *agency;
    const char *person_key;
    const char *given_name, *family_name;
    const char *sex;
    const char *date_of_birth; /* partial ISO */
    int age;                   /* at identification, -1 unknown */
    const char *identified;    /* the case's dates.identification (partial ISO) */
    const char *citizenship;   /* ';'-joined codes */
    const char *identifiers;   /* JSON array of {type, value, country} */
    const unsigned char *hash; /* CT_LINK_HASH_BYTES at the last run, or NULL: never linked */
    long long cluster;         /* its stable cluster, 0 when never linked */
} ct_link_person_row;

/* Every victim (role victim), in the order of their creation. */
int ct_store_link_rows(ct_store *s, int (*cb)(const ct_link_person_row *row, void *arg), void *arg,
                       ct_err *err);
/* Records that a run linked the record: its hash and cluster. */
int ct_store_link_state_set(ct_store *s, const char *person_id,
                            const unsigned char hash[CT_LINK_HASH_BYTES], long long cluster,
                            ct_err *err);
/* The largest cluster id ever given (0 when none). */
int ct_store_link_cluster_max(ct_store *s, long long *out, ct_err *err);
/* Merges cluster gone into keep (every record of gone moves to keep) and
 * appends the event, naming the record through which they merged. */
int ct_store_link_cluster_merge(ct_store *s, long long keep, long long gone, const char *person_id,
                                ct_err *err);

/* ---- person keys ----------------------------------------------------------- */

/* The person's key into out[n] ("" when none; *has 0). CT_ENOTFOUND. */
int ct_store_person_key_get(ct_store *s, const char *person_id, char *out, size_t n, int *has,
                            ct_err *err);
/* The persons (any role) holding the key. */
int ct_store_person_key_members(ct_store *s, const char *key,
                                int (*cb)(const char *person_id, void *arg), void *arg,
                                ct_err *err);

typedef struct ct_person_key_change {
    long seq;
    char person_id[CT_UUID_TEXT];
    char review_item[CT_UUID_TEXT];
    char action[8]; /* "link" or "undo" */
    char key_before[201], key_after[201];
    int had_before, has_after; /* 0: no key (NULL) */
    char by[80], agency[201], at[32];
} ct_person_key_change;

/* Sets the person's key to ch->key_after (none unless has_after), bumps the
 * person's and its case's version, and appends ch (seq, by, agency and at
 * are filled from the actor and the clock). CT_ENOTFOUND. */
int ct_store_person_key_set(ct_store *s, ct_person_key_change *ch, ct_err *err);
/* The key changes a review item made, oldest first. */
int ct_store_person_key_changes(ct_store *s, const char *review_item,
                                int (*cb)(const ct_person_key_change *ch, void *arg), void *arg,
                                ct_err *err);

#endif
