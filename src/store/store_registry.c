/* store_registry.c - dispatch of store_registry.h to the backend's vtable. */
#include "store_int.h"

int ct_store_reg_put(ct_store *s, ct_reg_record *r, const ct_reg_put_opts *o,
                     enum ct_put_outcome *outcome, ct_err *err)
{
    enum ct_put_outcome ignored;
    return s->ops->reg->put(s, r, o, outcome ? outcome : &ignored, err);
}

int ct_store_reg_get(ct_store *s, const char *id, ct_reg_record *out, ct_err *err)
{
    return s->ops->reg->get(s, id, out, err);
}

int ct_store_reg_each(ct_store *s, const ct_reg_filter *f, int (*cb)(ct_reg_record *r, void *arg),
                      void *arg, ct_err *err)
{
    return s->ops->reg->each(s, f, cb, arg, err);
}

int ct_store_reg_link_rows(ct_store *s, int (*cb)(const ct_reg_link_row *row, void *arg), void *arg,
                           ct_err *err)
{
    return s->ops->reg->link_rows(s, cb, arg, err);
}

int ct_store_reg_check_get(ct_store *s, const char *type, const char *id,
                           unsigned char out[CT_REG_HASH_BYTES], ct_err *err)
{
    return s->ops->reg->check_get(s, type, id, out, err);
}

int ct_store_reg_check_set(ct_store *s, const char *type, const char *id,
                           const unsigned char hash[CT_REG_HASH_BYTES], ct_err *err)
{
    return s->ops->reg->check_set(s, type, id, hash, err);
}

int ct_store_reg_inst_counts(ct_store *s, const char *since,
                             int (*cb)(const ct_reg_inst_counts *c, void *arg), void *arg,
                             ct_err *err)
{
    return s->ops->reg->inst_counts(s, since, cb, arg, err);
}

int ct_store_reg_flag_set(ct_store *s, const char *institution, const char *rule, long value,
                          long threshold, int active, int *raised, ct_err *err)
{
    return s->ops->reg->flag_set(s, institution, rule, value, threshold, active, raised, err);
}

int ct_store_reg_flag_each(ct_store *s, int active_only, int (*cb)(const ct_reg_flag *f, void *arg),
                           void *arg, ct_err *err)
{
    return s->ops->reg->flag_each(s, active_only, cb, arg, err);
}

int ct_store_reg_counts(ct_store *s, const char *agency,
                        int (*cb)(const char *group, const char *code, long n, void *arg),
                        void *arg, ct_err *err)
{
    return s->ops->reg->counts(s, agency, cb, arg, err);
}

int ct_store_reg_victim_rows(ct_store *s, const char *agency,
                             int (*cb)(const ct_reg_victim_row *row, void *arg), void *arg,
                             ct_err *err)
{
    return s->ops->reg->victim_rows(s, agency, cb, arg, err);
}
