/*
 * utf8.h - small UTF-8 checks used by every parser of outside input.
 * Normalisation and case folding of names live in src/link (utf8proc).
 */
#ifndef CT_CORE_UTF8_H
#define CT_CORE_UTF8_H

#include <stddef.h>

/* Returns the byte offset of the first invalid sequence (overlong forms,
 * surrogates and code points above U+10FFFF are invalid), or n when s[0..n)
 * is valid UTF-8. */
size_t ct_utf8_invalid_at(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t ct_utf8_length(const char *s, size_t n);

#endif
