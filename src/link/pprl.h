/*
 * pprl.h - privacy-preserving record linkage with Bloom-filter encodings
 * (CLKs, Schnell et al. 2009/2011), docs/pprl.md.
 *
 * An agency encodes its list with a schema and a secret shared with the
 * other agencies (never with the linkage unit); only encodings leave it.
 * Encodings are compared by the Dice coefficient; with one-to-one
 * assignment they give links, across several lists capture histories.
 *
 * Secrets live in sodium_malloc memory and are wiped when freed. Messages
 * never contain values or ids.
 */
#ifndef CT_LINK_PPRL_H
#define CT_LINK_PPRL_H

#include "link.h"

#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------- encoding */

typedef struct ct_pprl_schema ct_pprl_schema;

/* Parses a linkage schema (clkhash v3 layout, docs/pprl.md). Returns NULL
 * with CT_EINVAL (err->field names the JSON member) or CT_ENOMEM. */
ct_pprl_schema *ct_pprl_schema_parse(const char *json, size_t len, ct_err *err);
void ct_pprl_schema_free(ct_pprl_schema *s);
/* Bits of each encoding after folding and balancing. */
size_t ct_pprl_schema_bits(const ct_pprl_schema *s);
size_t ct_pprl_schema_nfeatures(const ct_pprl_schema *s);
/* Identifier (input column) of feature i; NULL for an ignored feature. */
const char *ct_pprl_schema_feature(const ct_pprl_schema *s, size_t i);
/* Hex digest of the schema text: encodings are comparable only when made
 * with the same schema (and secret). Borrowed. */
const char *ct_pprl_schema_id(const ct_pprl_schema *s);

typedef struct ct_pprl_encoder ct_pprl_encoder;
/* Derives the per-feature keys from the secret (at least 16 bytes). The
 * schema must outlive the encoder. */
ct_pprl_encoder *ct_pprl_encoder_new(const ct_pprl_schema *s, const unsigned char *secret,
                                     size_t len, ct_err *err);
void ct_pprl_encoder_free(ct_pprl_encoder *e);
/* Encodes one record: values[i] for feature i (NULL or "" = missing; the
 * value of an ignored feature is not read). out has bits/64 words. Returns
 * 0, CT_EINVAL (bad value, err->field = identifier), CT_ENOMEM. */
int ct_pprl_encode(const ct_pprl_encoder *e, const char *const *values, uint64_t *out, ct_err *err);

/* ------------------------------------------------------------ CLK files */

typedef struct ct_clk_set ct_clk_set;

ct_clk_set *ct_clk_set_new(size_t bits, const char *schema_id, ct_err *err);
void ct_clk_set_free(ct_clk_set *s);
int ct_clk_set_add(ct_clk_set *s, const char *id, const uint64_t *clk, ct_err *err);
size_t ct_clk_set_count(const ct_clk_set *s);
size_t ct_clk_set_bits(const ct_clk_set *s);
const char *ct_clk_set_id(const ct_clk_set *s, size_t i);
const char *ct_clk_set_schema(const ct_clk_set *s);
const uint64_t *ct_clk_set_clk(const ct_clk_set *s, size_t i);

/*
 * The .clk format (docs/pprl.md): a first line
 *   ctip-clk 1 bits=1024 schema=HEX
 * then CSV with the header "id,clk" and one record per line, clk in
 * base64. Writing returns 0 or CT_EIO. Reading names problems as
 * NAME:LINE: reason and returns NULL with CT_EINVAL, CT_EIO or CT_ENOMEM.
 */
int ct_clk_write(const ct_clk_set *s, FILE *f, ct_err *err);
ct_clk_set *ct_clk_read(const char *name, FILE *f, ct_err *err);
ct_clk_set *ct_clk_read_mem(const char *name, const char *data, size_t len, ct_err *err);

/* ------------------------------------------------------------- matching */

/* Dice coefficient 2|a & b| / (|a| + |b|) of two encodings of `words`
 * 64-bit words (0 when both are empty). */
double ct_pprl_dice(const uint64_t *a, const uint64_t *b, size_t words);

/*
 * All pairs with Dice >= threshold between a and b (a before b: pair.a is
 * an index of a, pair.b of b), sorted by decreasing Dice (in prob and
 * weight). Pairs whose popcounts alone rule the threshold out are never
 * compared (anonlink's pruning). *out is allocated (ct_free). Returns 0,
 * CT_EINVAL (different lengths or schemas), CT_ENOMEM. Thread-safe.
 */
int ct_pprl_match(const ct_clk_set *a, const ct_clk_set *b, double threshold, int threads,
                  ct_link_pair **out, size_t *n, uint64_t *compared, ct_err *err);

/*
 * Persons across k lists (2 to 16): lists are linked pairwise (one-to-one at
 * the threshold) and the links joined. Records are numbered list after
 * list; person[x] is the smallest record number of x's person. The capture
 * histories are then built by src/estimate (ct_estimate_histories_build)
 * with that number as the person key. Returns 0, CT_EINVAL, CT_ENOMEM.
 */
int ct_pprl_overlaps(ct_clk_set *const *lists, size_t k, double threshold, int threads,
                     uint32_t *person, ct_err *err);

#endif
