/* libFuzzer target: the .clk reader and the schema parser must never crash
 * or leak; what the reader returns keeps its invariants. An input starting
 * with '{' goes to the schema parser, anything else to the .clk reader. */
#include "link/pprl.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

static void fuzz_schema(const char *p, size_t n)
{
    ct_err err = CT_ERR_INIT;
    ct_pprl_schema *s = ct_pprl_schema_parse(p, n, &err);
    if (!s) {
        assert(err.msg[0]);
        return;
    }
    size_t bits = ct_pprl_schema_bits(s);
    assert(bits >= 64 && bits % 64 == 0);
    ct_pprl_encoder *e =
        ct_pprl_encoder_new(s, (const unsigned char *)"fuzzing secret, long enough", 27, &err);
    if (e) {
        const char *v[64];
        for (size_t i = 0; i < 64; i++)
            v[i] = i % 2 ? "Anna-Maria" : "1990-01-02";
        uint64_t out[2048];
        ct_err e2 = CT_ERR_INIT;
        (void)ct_pprl_encode(e, v, out, &e2);
        ct_pprl_encoder_free(e);
    }
    ct_pprl_schema_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    if (size && p[0] == '{') {
        fuzz_schema(p, size);
        return 0;
    }
    ct_err err = CT_ERR_INIT;
    ct_clk_set *s = ct_clk_read_mem("fuzz.clk", p, size, &err);
    if (!s) {
        assert(err.msg[0]);
        return 0;
    }
    size_t words = ct_clk_set_bits(s) / 64;
    for (size_t i = 0; i < ct_clk_set_count(s); i++) {
        assert(ct_clk_set_id(s, i)[0]);
        double d = ct_pprl_dice(ct_clk_set_clk(s, i), ct_clk_set_clk(s, 0), words);
        assert(d >= 0 && d <= 1);
    }
    ct_clk_set_free(s);
    return 0;
}
