/*
 * err.h - ctip's error codes and the error carrier every fallible call takes.
 *
 * One X-macro (CT_ERR_MAP) yields the enum, a stable name (used as the
 * "code" of JSON errors), the HTTP status and the CLI exit status, so the
 * three never drift apart (libuv's UV_ERRNO_MAP). Exit statuses follow
 * contracts.md: 0 ok, 1 usage or I/O, 2 invalid input, 3 rejected records,
 * 4 no result.
 *
 * A fallible function returns 0 or a negative CT_E* code and fills the
 * ct_err passed last. The first error wins: ct_err_set leaves an error that
 * is already set untouched, so a chain of calls can be checked once (git).
 * Messages are for people, already translated, and never contain personal
 * data: callers name the file, line and field, not the value.
 */
#ifndef CT_CORE_ERR_H
#define CT_CORE_ERR_H

#include <stddef.h>

/*     name          value  http  exit */
#define CT_ERR_MAP(X)                                                                              \
    X(ENOMEM, -1, 500, 1)                                                                          \
    X(EIO, -2, 500, 1)                                                                             \
    X(EUSAGE, -3, 400, 1)                                                                          \
    X(EINVAL, -4, 400, 2)                                                                          \
    X(ENOTFOUND, -5, 404, 1)                                                                       \
    X(ECONFLICT, -6, 409, 1)                                                                       \
    X(ESTALE, -7, 412, 1)                                                                          \
    X(EPERM, -8, 403, 1)                                                                           \
    X(EAUTH, -9, 401, 1)                                                                           \
    X(ETOOBIG, -10, 413, 2)                                                                        \
    X(ENORESULT, -11, 422, 4)                                                                      \
    X(EREJECTED, -12, 422, 3)                                                                      \
    X(EDB, -13, 500, 1)                                                                            \
    X(EBUSY, -14, 503, 1)                                                                          \
    X(ERATE, -15, 429, 1)                                                                          \
    X(EUNSUPPORTED, -16, 415, 1)                                                                   \
    X(EINTERNAL, -17, 500, 1)                                                                      \
    X(EPRECOND, -18, 428, 1)                                                                       \
    X(EMETHOD, -19, 405, 1)

enum ct_err_code {
    CT_OK = 0,
#define CT_ERR_ENUM(name, value, http, exitcode) CT_##name = value,
    CT_ERR_MAP(CT_ERR_ENUM)
#undef CT_ERR_ENUM
};

#define CT_ERR_MSG_MAX   512
#define CT_ERR_FIELD_MAX 64

typedef struct ct_err {
    int code;                     /* 0 or a CT_E* value */
    char field[CT_ERR_FIELD_MAX]; /* the input field at fault, "" when none */
    char msg[CT_ERR_MSG_MAX];     /* translated, for people, no personal data */
} ct_err;

#define CT_ERR_INIT                                                                                \
    {                                                                                              \
        0, "", ""                                                                                  \
    }

/* Sets err (when err is not NULL and holds no error yet); returns code. */
int ct_err_set(ct_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* As ct_err_set, also naming the input field at fault. */
int ct_err_set_field(ct_err *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefixes an existing message with context ("FILE:LINE: "); no-op when clear. */
void ct_err_prefix(ct_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ct_err_clear(ct_err *err);

/* Stable lower-case name of a code, e.g. CT_EINVAL -> "invalid_input". */
const char *ct_err_name(int code);
int ct_err_http_status(int code);
int ct_err_exit_status(int code);

/* Broken invariant: a bug in ctip, never a reaction to input. */
#define CT_BUG(msg) ct_bug(__FILE__, __LINE__, (msg))
void ct_bug(const char *file, int line, const char *msg) __attribute__((noreturn));

#endif
