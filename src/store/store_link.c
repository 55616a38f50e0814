/* store_link.c - dispatch of store_link.h to the backend's vtable. */
#include "store_int.h"

int ct_store_link_rows(ct_store *s, int (*cb)(const ct_link_person_row *row, void *arg), void *arg,
                       ct_err *err)
{
    return s->ops->link->rows(s, cb, arg, err);
}

int ct_store_link_state_set(ct_store *s, const char *person_id,
                            const unsigned char hash[CT_LINK_HASH_BYTES], long long cluster,
                            ct_err *err)
{
    return s->ops->link->state_set(s, person_id, hash, cluster, err);
}

int ct_store_link_cluster_max(ct_store *s, long long *out, ct_err *err)
{
    return s->ops->link->cluster_max(s, out, err);
}

int ct_store_link_cluster_merge(ct_store *s, long long keep, long long gone, const char *person_id,
                                ct_err *err)
{
    return s->ops->link->cluster_merge(s, keep, gone, person_id, err);
}

int ct_store_person_key_get(ct_store *s, const char *person_id, char *out, size_t n, int *has,
                            ct_err *err)
{
    int ignored;
    return s->ops->link->key_get(s, person_id, out, n, has ? has : &ignored, err);
}

int ct_store_person_key_members(ct_store *s, const char *key,
                                int (*cb)(const char *person_id, void *arg), void *arg, ct_err *err)
{
    return s->ops->link->key_members(s, key, cb, arg, err);
}

int ct_store_person_key_set(ct_store *s, ct_person_key_change *ch, ct_err *err)
{
    return s->ops->link->key_set(s, ch, err);
}

int ct_store_person_key_changes(ct_store *s, const char *review_item,
                                int (*cb)(const ct_person_key_change *ch, void *arg), void *arg,
                                ct_err *err)
{
    return s->ops->link->key_changes(s, review_item, cb, arg, err);
}
