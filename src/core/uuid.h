/*
 * uuid.h - record identifiers: UUID version 7 (RFC 9562), time-ordered so
 * that new rows land at the end of the primary-key index instead of at
 * random pages (inserting a million records stays fast), with 74 random
 * bits from libsodium so ids cannot be guessed from one another.
 */
#ifndef CT_CORE_UUID_H
#define CT_CORE_UUID_H

#include <stddef.h>

#define CT_UUID_TEXT 37 /* 36 characters and the NUL */

/* Writes a new UUIDv7 in lower-case text form. Needs sodium_init() done. */
void ct_uuid_new(char out[CT_UUID_TEXT]);
/* Whether s[0..n) is a UUID in canonical text form (any version). */
int ct_uuid_valid(const char *s, size_t n);

#endif
