/*
 * h_codes.c - /api/v1/codes: the code lists of src/core/codes.h (acts,
 * means, purposes, countries, ...) with labels in the request's language,
 * so clients never hard-code a vocabulary.
 */
#include "http_int.h"

#include "core/codes.h"
#include "core/i18n.h"

CT_HANDLER(h_codes_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    json_t *a = json_array();
    for (size_t i = 0; a && i < ct_code_list_count(); i++) {
        const ct_code_list *l = ct_code_list_nth(i);
        json_t *o = json_pack("{s:s, s:s, s:I}", "name", ct_code_list_name(l), "source",
                              ct_code_list_source(l) ? ct_code_list_source(l) : "", "size",
                              (json_int_t)ct_code_list_size(l));
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    if (!a)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return ct_req_reply_json(r, 200, json_pack("{s:o}", "lists", a));
}

static json_t *entry_json(const ct_code_list *l, const ct_code *c, const char *lang)
{
    json_t *o = json_pack("{s:s, s:s}", "code", ct_code_id(c), "label", ct_code_label(c, lang));
    json_t *attrs = json_object();
    for (size_t k = 0; o && attrs; k++) {
        const char *name = ct_code_list_attr_name(l, k);
        if (!name)
            break;
        const char *v = ct_code_attr(c, name);
        if (v)
            json_object_set_new(attrs, name, json_string(v));
    }
    if (o && attrs && json_object_size(attrs))
        json_object_set_new(o, "attributes", attrs);
    else
        json_decref(attrs);
    return o;
}

CT_HANDLER(h_codes_get)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    const ct_code_list *l = ct_codes_list(ct_req_param(r, 0));
    if (!l)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such code list"));
    json_t *a = json_array();
    for (size_t i = 0; a && i < ct_code_list_size(l); i++) {
        json_t *o = entry_json(l, ct_code_list_at(l, i), r->lang);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    if (!a)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "name", ct_code_list_name(l), "source",
                             ct_code_list_source(l) ? ct_code_list_source(l) : "", "language",
                             r->lang, "entries", a);
    return ct_req_reply_json(r, 200, body);
}
