/* store_nrm.c - dispatch of store_nrm.h to the backend's NRM vtable. */
#include "store_int.h"

int ct_store_nrm_subject(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_subject *out,
                         ct_err *err)
{
    return s->ops->nrm->subject(s, person_id, a, out, err);
}

int ct_store_nrm_subject_put(ct_store *s, const ct_nrm_subject *in, ct_err *err)
{
    return s->ops->nrm->subject_put(s, in, err);
}

int ct_store_nrm_stage_set(ct_store *s, const char *person_id, const char *stage, ct_err *err)
{
    return s->ops->nrm->stage_set(s, person_id, stage, err);
}

int ct_store_nrm_add(ct_store *s, enum ct_nrm_rec k, ct_nrm_meta *rec, ct_err *err)
{
    return s->ops->nrm->add(s, k, rec, err);
}

int ct_store_nrm_update(ct_store *s, enum ct_nrm_rec k, ct_nrm_meta *rec, ct_err *err)
{
    return s->ops->nrm->update(s, k, rec, err);
}

int ct_store_nrm_get(ct_store *s, enum ct_nrm_rec k, const char *id, ct_arena *a, ct_nrm_meta *out,
                     ct_err *err)
{
    return s->ops->nrm->get(s, k, id, a, out, err);
}

int ct_store_nrm_list(ct_store *s, enum ct_nrm_rec k, const char *person_id, const char *agency,
                      ct_arena *a, ct_nrm_list *out, ct_err *err)
{
    return s->ops->nrm->list(s, k, person_id, agency, a, out, err);
}
