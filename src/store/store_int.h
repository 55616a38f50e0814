/*
 * store_int.h - what a storage backend implements. store.c dispatches the
 * public functions of store.h through ops; a backend embeds ct_store as the
 * first member of its own struct (h2o's `super`).
 */
#ifndef CT_STORE_STORE_INT_H
#define CT_STORE_STORE_INT_H

#include "store.h"
#include "store_nrm.h"

/* The NRM records (store_nrm.h), one vtable so backends add them whole. */
typedef struct ct_store_nrm_ops {
    int (*subject)(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_subject *out,
                   ct_err *err);
    int (*subject_put)(ct_store *s, const ct_nrm_subject *in, ct_err *err);
    int (*stage_set)(ct_store *s, const char *person_id, const char *stage, ct_err *err);
    int (*add)(ct_store *s, enum ct_nrm_rec k, ct_nrm_meta *rec, ct_err *err);
    int (*update)(ct_store *s, enum ct_nrm_rec k, ct_nrm_meta *rec, ct_err *err);
    int (*get)(ct_store *s, enum ct_nrm_rec k, const char *id, ct_arena *a, ct_nrm_meta *out,
               ct_err *err);
    int (*list)(ct_store *s, enum ct_nrm_rec k, const char *person_id, const char *agency,
                ct_arena *a, ct_nrm_list *out, ct_err *err);
} ct_store_nrm_ops;
#include "store_registry.h"
#include "store_review.h"

/* The child registries (store_registry.h), one vtable so backends add them whole. */
typedef struct ct_store_reg_ops {
    int (*put)(ct_store *s, ct_reg_record *r, const ct_reg_put_opts *o,
               enum ct_put_outcome *outcome, ct_err *err);
    int (*get)(ct_store *s, const char *id, ct_reg_record *out, ct_err *err);
    int (*each)(ct_store *s, const ct_reg_filter *f, int (*cb)(ct_reg_record *, void *), void *arg,
                ct_err *err);
    int (*link_rows)(ct_store *s, int (*cb)(const ct_reg_link_row *, void *), void *arg,
                     ct_err *err);
    int (*check_get)(ct_store *s, const char *type, const char *id,
                     unsigned char out[CT_REG_HASH_BYTES], ct_err *err);
    int (*check_set)(ct_store *s, const char *type, const char *id,
                     const unsigned char hash[CT_REG_HASH_BYTES], ct_err *err);
    int (*inst_counts)(ct_store *s, const char *since,
                       int (*cb)(const ct_reg_inst_counts *, void *), void *arg, ct_err *err);
    int (*flag_set)(ct_store *s, const char *institution, const char *rule, long value,
                    long threshold, int active, int *raised, ct_err *err);
    int (*flag_each)(ct_store *s, int active_only, int (*cb)(const ct_reg_flag *, void *),
                     void *arg, ct_err *err);
    int (*counts)(ct_store *s, const char *agency,
                  int (*cb)(const char *, const char *, long, void *), void *arg, ct_err *err);
    int (*victim_rows)(ct_store *s, const char *agency,
                       int (*cb)(const ct_reg_victim_row *, void *), void *arg, ct_err *err);
} ct_store_reg_ops;

/* The review queue (store_review.h). */
typedef struct ct_store_review_ops {
    int (*add)(ct_store *s, ct_review_item *item, int *added, ct_err *err);
    int (*get)(ct_store *s, const char *id, ct_review_item *out, ct_err *err);
    int (*each)(ct_store *s, const ct_review_filter *f, int (*cb)(const ct_review_item *, void *),
                void *arg, ct_err *err);
    int (*decision_add)(ct_store *s, const char *item_id, ct_review_decision *d, ct_err *err);
    int (*decisions)(ct_store *s, const char *item_id,
                     int (*cb)(const ct_review_decision *, void *), void *arg, ct_err *err);
    int (*update)(ct_store *s, ct_review_item *item, ct_err *err);
} ct_store_review_ops;

#include "store_link.h"

/* Record linkage in the database (store_link.h). */
typedef struct ct_store_link_ops {
    int (*rows)(ct_store *s, int (*cb)(const ct_link_person_row *, void *), void *arg, ct_err *err);
    int (*state_set)(ct_store *s, const char *person_id, const unsigned char *hash,
                     long long cluster, ct_err *err);
    int (*cluster_max)(ct_store *s, long long *out, ct_err *err);
    int (*cluster_merge)(ct_store *s, long long keep, long long gone, const char *person_id,
                         ct_err *err);
    int (*key_get)(ct_store *s, const char *person_id, char *out, size_t n, int *has, ct_err *err);
    int (*key_members)(ct_store *s, const char *key, int (*cb)(const char *, void *), void *arg,
                       ct_err *err);
    int (*key_set)(ct_store *s, ct_person_key_change *ch, ct_err *err);
    int (*key_changes)(ct_store *s, const char *review_item,
                       int (*cb)(const ct_person_key_change *, void *), void *arg, ct_err *err);
} ct_store_link_ops;

typedef struct ct_store_ops {
    void (*close)(ct_store *s);
    int (*schema_version)(ct_store *s);
    int (*begin)(ct_store *s, ct_err *err);
    int (*commit)(ct_store *s, ct_err *err);
    void (*rollback)(ct_store *s);
    int (*savepoint)(ct_store *s, ct_err *err);
    int (*savepoint_release)(ct_store *s, ct_err *err);
    void (*savepoint_rollback)(ct_store *s);
    int (*meta_get)(ct_store *s, const char *key, char *out, size_t n, ct_err *err);
    int (*meta_set)(ct_store *s, const char *key, const char *value, ct_err *err);
    int (*agency_add)(ct_store *s, ct_agency *a, ct_err *err);
    int (*agency_get)(ct_store *s, const char *name_or_id, ct_agency *out, ct_err *err);
    int (*agency_each)(ct_store *s, int (*cb)(const ct_agency *, void *), void *arg, ct_err *err);
    int (*case_put)(ct_store *s, ct_case *c, const ct_case_put_opts *opts,
                    enum ct_put_outcome *outcome, ct_err *err);
    int (*case_get)(ct_store *s, const char *id, ct_case *out, ct_err *err);
    int (*case_delete)(ct_store *s, const char *id, ct_err *err);
    int (*case_each)(ct_store *s, const ct_case_filter *f, int (*cb)(ct_case *, void *), void *arg,
                     ct_err *err);
    int (*count)(ct_store *s, long *cases, long *victims, long *suspects, ct_err *err);
    int (*audit)(ct_store *s, const ct_audit_entry *e, ct_err *err);
    int (*audit_verify)(ct_store *s, long *n, long *bad, ct_err *err);
    const ct_store_nrm_ops *nrm;
    /* server (migration 002) */
    int (*begin_read)(ct_store *s, ct_err *err);
    int (*case_query)(ct_store *s, const ct_case_query *q, int (*cb)(ct_case *, void *), void *arg,
                      ct_err *err);
    int (*user_add)(ct_store *s, ct_user *u, const char *password_hash, ct_err *err);
    int (*user_get)(ct_store *s, const char *name_or_id, ct_user *out, ct_err *err);
    int (*user_password)(ct_store *s, const char *name, ct_user *out, char *hash, size_t n,
                         ct_err *err);
    int (*user_update)(ct_store *s, ct_user *u, int if_version, ct_err *err);
    int (*user_each)(ct_store *s, const char *agency, int (*cb)(const ct_user *, void *), void *arg,
                     ct_err *err);
    int (*token_add)(ct_store *s, const char *user_id, const unsigned char *hash, const char *label,
                     char *id_out, ct_err *err);
    int (*token_user)(ct_store *s, const unsigned char *hash, ct_user *out, ct_err *err);
    int (*session_add)(ct_store *s, const char *user_id, const ct_session *sess, ct_err *err);
    int (*session_get)(ct_store *s, const unsigned char *hash, ct_session *out, ct_user *user,
                       ct_err *err);
    int (*session_touch)(ct_store *s, const unsigned char *hash, long long last_seen, ct_err *err);
    int (*session_delete)(ct_store *s, const unsigned char *hash, ct_err *err);
    int (*session_purge)(ct_store *s, long long now, long long idle, ct_err *err);
    int (*share_add)(ct_store *s, const char *case_id, const char *agency, const char *by,
                     const char *reason, ct_err *err);
    int (*share_delete)(ct_store *s, const char *case_id, const char *agency, ct_err *err);
    int (*share_each)(ct_store *s, const char *case_id, int (*cb)(const ct_share *, void *),
                      void *arg, ct_err *err);
    int (*case_relation)(ct_store *s, const char *case_id, const char *agency,
                         enum ct_case_relation *out, ct_err *err);
    int (*person_case)(ct_store *s, const char *person_id, char *case_id, ct_err *err);
    int (*proceeding_case)(ct_store *s, const char *proceeding_id, char *case_id, char *person_id,
                           ct_err *err);
    int (*person_each)(ct_store *s, const ct_person_filter *f,
                       int (*cb)(const char *, const char *, void *), void *arg, ct_err *err);
    int (*notification_add)(ct_store *s, const char *user_id, ct_notification *n, ct_err *err);
    int (*notification_each)(ct_store *s, const char *user_id, int unread_only,
                             const char *before_id, long limit,
                             int (*cb)(const ct_notification *, void *), void *arg, ct_err *err);
    int (*notification_read)(ct_store *s, const char *user_id, const char *id, ct_err *err);
    int (*audit_each)(ct_store *s, const ct_audit_filter *f,
                      int (*cb)(const ct_audit_row *, void *), void *arg, ct_err *err);
    /* statistics (sqlite_stats.c) */
    int (*victims_each)(ct_store *s, const ct_case_filter *f,
                        int (*cb)(const ct_stat_victim *, void *), void *arg, ct_err *err);
    int (*suspects_each)(ct_store *s, const ct_case_filter *f,
                         int (*cb)(const ct_stat_suspect *, void *), void *arg, ct_err *err);
    int (*cases_count_each)(ct_store *s, const ct_case_filter *f,
                            int (*cb)(const char *, int, long, void *), void *arg, ct_err *err);
    /* estimation (sqlite_stats.c) */
    int (*captures_each)(ct_store *s, const ct_case_filter *f,
                         int (*cb)(const ct_capture_row *, void *), void *arg, ct_err *err);
    const ct_store_reg_ops *reg;
    const ct_store_review_ops *review;
    const ct_store_link_ops *link;
} ct_store_ops;

struct ct_store {
    const ct_store_ops *ops;
    ct_actor actor;
    int in_tx; /* an explicit transaction (ct_store_begin) is open */
};

/* Backends. */
int ct_store_sqlite_open(const char *path, unsigned flags, ct_store **out, ct_err *err);

/* The audit chain: hash of one entry given the previous hash (32 bytes). */
#define CT_AUDIT_HASH_BYTES 32
void ct_audit_hash(const unsigned char prev[CT_AUDIT_HASH_BYTES], const char *const fields[],
                   size_t nfields, unsigned char out[CT_AUDIT_HASH_BYTES]);

/* Content hash of a case (ids and store metadata excluded), for "unchanged". */
#define CT_CONTENT_HASH_BYTES 16
int ct_case_content_hash(const ct_case *c, unsigned char out[CT_CONTENT_HASH_BYTES]);

/* "2026-11-25T11:43:52.123Z" */
void ct_store_now(char out[32]);

#endif
