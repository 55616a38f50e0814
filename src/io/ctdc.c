/* ctdc.c - the CTDC dialects (domain.md §3). */
#include "io_int.h"

#include "core/i18n.h"

/* NEEDSWORK: the CTDC global and synthetic dialects are being written;
 * until then such files are refused with a clear message. */
static int ctdc_next(ct_io_reader *r, ct_case *c, ct_io_record *rec, ct_problems *pr, ct_err *err)
{
    (void)r, (void)c, (void)rec, (void)pr;
    return ct_err_set(err, CT_EUNSUPPORTED, "%s", _("CTDC files are not supported yet"));
}

static int ctdc_reject(ct_io_reader *r, FILE *out, const ct_io_record *rec, const char *reason)
{
    (void)r, (void)out, (void)rec, (void)reason;
    return CT_EUNSUPPORTED;
}

const ct_io_format_ops ct_io_ctdc_ops = {ctdc_next, NULL, ctdc_reject, NULL};

int ct_io_ctdc_open(ct_io_reader *r, const ct_csv_record *h, ct_err *err)
{
    (void)r, (void)h;
    return ct_err_set(err, CT_EUNSUPPORTED, "%s", _("CTDC files are not supported yet"));
}
