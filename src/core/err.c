#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ct_err_set(ct_err *err, int code, const char *fmt, ...)
{
    if (!err || err->code)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->code = code;
    err->field[0] = '\0';
    return code;
}

int ct_err_set_field(ct_err *err, int code, const char *field, const char *fmt, ...)
{
    if (!err || err->code)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->code = code;
    snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    return code;
}

void ct_err_prefix(ct_err *err, const char *fmt, ...)
{
    if (!err || !err->code)
        return;
    char msg[CT_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t used = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
    size_t rest = strnlen(err->msg, sizeof(err->msg));
    if (used + rest >= sizeof(msg))
        rest = sizeof(msg) - 1 - used; /* the message is cut, never overrun */
    memcpy(msg + used, err->msg, rest);
    msg[used + rest] = '\0';
    memcpy(err->msg, msg, sizeof(msg));
}

void ct_err_clear(ct_err *err)
{
    if (!err)
        return;
    err->code = 0;
    err->field[0] = '\0';
    err->msg[0] = '\0';
}

/* Names are the JSON "code" of API errors: lower-case, stable, documented. */
const char *ct_err_name(int code)
{
    switch (code) {
    case CT_OK:
        return "ok";
    case CT_ENOMEM:
        return "out_of_memory";
    case CT_EIO:
        return "io_error";
    case CT_EUSAGE:
        return "bad_request";
    case CT_EINVAL:
        return "invalid_input";
    case CT_ENOTFOUND:
        return "not_found";
    case CT_ECONFLICT:
        return "conflict";
    case CT_ESTALE:
        return "stale_version";
    case CT_EPERM:
        return "forbidden";
    case CT_EAUTH:
        return "unauthenticated";
    case CT_ETOOBIG:
        return "too_large";
    case CT_ENORESULT:
        return "no_result";
    case CT_EREJECTED:
        return "rejected_records";
    case CT_EDB:
        return "database_error";
    case CT_EBUSY:
        return "busy";
    case CT_ERATE:
        return "rate_limited";
    case CT_EUNSUPPORTED:
        return "unsupported_media_type";
    case CT_EINTERNAL:
        return "internal_error";
    case CT_EPRECOND:
        return "precondition_required";
    case CT_EMETHOD:
        return "method_not_allowed";
    }
    return "unknown_error";
}

int ct_err_http_status(int code)
{
    switch (code) {
    case CT_OK:
        return 200;
#define CT_ERR_HTTP(name, value, http, exitcode)                                                   \
    case value:                                                                                    \
        return http;
        CT_ERR_MAP(CT_ERR_HTTP)
#undef CT_ERR_HTTP
    }
    return 500;
}

int ct_err_exit_status(int code)
{
    switch (code) {
    case CT_OK:
        return 0;
#define CT_ERR_EXIT(name, value, http, exitcode)                                                   \
    case value:                                                                                    \
        return exitcode;
        CT_ERR_MAP(CT_ERR_EXIT)
#undef CT_ERR_EXIT
    }
    return 1;
}

void ct_bug(const char *file, int line, const char *msg)
{
    fprintf(stderr, "ctip: BUG at %s:%d: %s\n", file, line, msg);
    abort();
}
