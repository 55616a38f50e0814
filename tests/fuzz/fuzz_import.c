/* libFuzzer target: the case-file readers (JSON lines when the input starts
 * with '{', else CSV: ctip's flat CSV or a CTDC dialect, from the header;
 * seeds of each in corpus/fuzz_import) and the rejects writer must never
 * crash, leak or accept a record with problems. */
#include "core/case_json.h"
#include "io/io.h"

#include <assert.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready)
        ready = sodium_init() >= 0;
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    ct_io_format fmt = size && data[0] == '{' ? CT_FMT_JSONL : CT_FMT_AUTO;
    ct_case_read_opts opts = {{2026, 11, 25}, "local", 0};
    ct_err err = CT_ERR_INIT;
    ct_io_reader *r;
    if (ct_io_open_stream(f, fmt, &opts, &r, &err) == 0) {
        ct_case c;
        ct_case_init(&c);
        ct_io_record rec;
        ct_io_record_init(&rec);
        ct_problems pr = CT_PROBLEMS_INIT;
        FILE *sink = fopen("/dev/null", "wb");
        ct_io_write_rejects_header(r, sink);
        for (int n = 0; n < 10000; n++) {
            ct_case_reset(&c);
            ct_problems_clear(&pr);
            int rc = ct_io_next(r, &c, &rec, &pr, &err);
            if (rc == 0 || (rc < 0 && rc != CT_EINVAL))
                break;
            assert(rc == 1 ? pr.total == 0 : pr.total > 0);
            if (rc == CT_EINVAL)
                ct_io_write_reject(r, sink, &rec, "reason");
            else
                json_decref(ct_case_to_json(&c, 0, 1));
        }
        fclose(sink);
        ct_problems_release(&pr);
        ct_io_record_release(&rec);
        ct_case_release(&c);
        ct_io_close(r);
    }
    fclose(f);
    return 0;
}
