/*
 * svg.c - the report's charts as inline SVG (no script): horizontal bars,
 * stacked columns by year and the proceedings funnel. Values come from the
 * published (protected) tables: a masked cell draws no bar and shows its
 * symbol instead of a number.
 */
#include "stats_int.h"

#include <string.h>

static const char *const palette[] = {"#1f5a96", "#d9822b", "#6a9f3b", "#a23b72",
                                      "#7f7f7f", "#b8b8b8", "#3c8d93", "#c4b23a"};

void st_html_escape(ct_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            ct_buf_adds(b, "&lt;");
            break;
        case '>':
            ct_buf_adds(b, "&gt;");
            break;
        case '&':
            ct_buf_adds(b, "&amp;");
            break;
        case '"':
            ct_buf_adds(b, "&quot;");
            break;
        default:
            ct_buf_addc(b, *s);
        }
    }
}

/* A label cut to at most max characters (UTF-8), with an ellipsis. */
static void label_escape(ct_buf *b, const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    for (; s[i] && chars < max; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    char cut[512];
    snprintf(cut, sizeof(cut), "%.*s%s", (int)(i < 500 ? i : 500), s, s[i] ? "…" : "");
    st_html_escape(b, cut);
}

/* Horizontal bars: one per item; text[i] is what is written after the bar. */
void st_svg_hbars(ct_buf *b, const char *title, const char *const *labels, const long *values,
                  const char *const *text, size_t n, int color)
{
    long max = 1;
    for (size_t i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    const int lw = 320, bw = 290, rh = 24, h = (int)n * rh + 36;
    ct_buf_addf(b,
                "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 680 %d\" width=\"680\" "
                "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
                h, h);
    st_html_escape(b, title);
    ct_buf_adds(b, "</title>\n");
    for (size_t i = 0; i < n; i++) {
        int y = 10 + (int)i * rh;
        int w = values[i] > 0 ? (int)((double)values[i] / (double)max * bw) : 0;
        if (values[i] > 0 && w < 1)
            w = 1;
        ct_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", lw - 8,
                    y + 16);
        label_escape(b, labels[i], 46);
        ct_buf_addf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
                    lw, y + 3, w, rh - 8, palette[color % 8]);
        ct_buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"val\">", lw + w + 6, y + 16);
        st_html_escape(b, text[i]);
        ct_buf_adds(b, "</text>\n");
    }
    ct_buf_adds(b, "</svg>\n");
}

/* Stacked columns: ncols groups (years) of nseries values (row-major
 * values[g * nseries + s]); the legend names the series. */
void st_svg_stacked(ct_buf *b, const char *title, const char *const *groups, size_t ngroups,
                    const char *const *series, size_t nseries, const long *values,
                    const char *const *totals)
{
    long max = 1;
    for (size_t g = 0; g < ngroups; g++) {
        long s = 0;
        for (size_t k = 0; k < nseries; k++)
            s += values[g * nseries + k] > 0 ? values[g * nseries + k] : 0;
        if (s > max)
            max = s;
    }
    const int ch = 220, top = 24, left = 40, gw = 90;
    int w = left + (int)ngroups * gw + 180;
    ct_buf_addf(b,
                "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
                w, ch + top + 40, w, ch + top + 40);
    st_html_escape(b, title);
    ct_buf_adds(b, "</title>\n");
    ct_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", left,
                top + ch, left + (int)ngroups * gw, top + ch);
    for (size_t g = 0; g < ngroups; g++) {
        int x = left + (int)g * gw + 20, y = top + ch;
        for (size_t k = 0; k < nseries; k++) {
            long v = values[g * nseries + k];
            int hh = v > 0 ? (int)((double)v / (double)max * ch) : 0;
            if (!hh)
                continue;
            y -= hh;
            ct_buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"50\" height=\"%d\" fill=\"%s\"/>\n", x,
                        y, hh, palette[k % 8]);
        }
        ct_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"val\">", x + 25,
                    y - 5);
        st_html_escape(b, totals[g]);
        ct_buf_addf(b, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"lbl\">",
                    x + 25, top + ch + 18);
        st_html_escape(b, groups[g]);
        ct_buf_adds(b, "</text>\n");
    }
    int lx = left + (int)ngroups * gw + 20;
    for (size_t k = 0; k < nseries; k++) {
        ct_buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx,
                    top + (int)k * 20, palette[k % 8]);
        ct_buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"lbl\">", lx + 18, top + (int)k * 20 + 11);
        st_html_escape(b, series[k]);
        ct_buf_adds(b, "</text>\n");
    }
    ct_buf_adds(b, "</svg>\n");
}

/* A funnel: centred bars, widest first. */
void st_svg_funnel(ct_buf *b, const char *title, const char *const *labels, const long *values,
                   const char *const *text, size_t n)
{
    long max = 1;
    for (size_t i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    const int cx = 250, full = 400, rh = 44;
    int h = (int)n * rh + 10;
    ct_buf_addf(b,
                "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 680 %d\" width=\"680\" "
                "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
                h, h);
    st_html_escape(b, title);
    ct_buf_adds(b, "</title>\n");
    for (size_t i = 0; i < n; i++) {
        int w = values[i] > 0 ? (int)((double)values[i] / (double)max * full) : 0;
        if (values[i] > 0 && w < 4)
            w = 4;
        int y = 5 + (int)i * rh;
        ct_buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
                    cx - w / 2, y, w, rh - 10, palette[i % 8]);
        ct_buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"lbl\">", cx + full / 2 + 14, y + 21);
        st_html_escape(b, labels[i]);
        ct_buf_adds(b, ": ");
        st_html_escape(b, text[i]);
        ct_buf_adds(b, "</text>\n");
    }
    ct_buf_adds(b, "</svg>\n");
}
