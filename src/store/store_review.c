/* store_review.c - dispatch of store_review.h to the backend's vtable. */
#include "store_int.h"

int ct_store_review_add(ct_store *s, ct_review_item *item, int *added, ct_err *err)
{
    int ignored;
    return s->ops->review->add(s, item, added ? added : &ignored, err);
}

int ct_store_review_get(ct_store *s, const char *id, ct_review_item *out, ct_err *err)
{
    return s->ops->review->get(s, id, out, err);
}

int ct_store_review_each(ct_store *s, const ct_review_filter *f,
                         int (*cb)(const ct_review_item *it, void *arg), void *arg, ct_err *err)
{
    return s->ops->review->each(s, f, cb, arg, err);
}

int ct_store_review_decision_add(ct_store *s, const char *item_id, ct_review_decision *d,
                                 ct_err *err)
{
    return s->ops->review->decision_add(s, item_id, d, err);
}

int ct_store_review_decisions(ct_store *s, const char *item_id,
                              int (*cb)(const ct_review_decision *d, void *arg), void *arg,
                              ct_err *err)
{
    return s->ops->review->decisions(s, item_id, cb, arg, err);
}

int ct_store_review_update(ct_store *s, ct_review_item *item, ct_err *err)
{
    return s->ops->review->update(s, item, err);
}
