/* csv.c — the one CSV tokenizer (RFC 4180) and exact number parsing/printing.
 *
 * Used by the codebook reader and the response reader. Positions in error
 * messages are "FILE:LINE:COL" with LINE the physical line (the header is
 * line 1) and COL the 1-based field number.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "impact-private.h"

void
impact_i_csv_init(ImpactCsv *csv, const char *data, gsize len, const char *name, char delim)
{
    memset(csv, 0, sizeof *csv);
    csv->p = data ? data : "";
    csv->end = csv->p + (data ? len : 0);
    /* UTF-8 byte order mark */
    if (csv->end - csv->p >= 3 && memcmp(csv->p, "\xEF\xBB\xBF", 3) == 0) {
        csv->p += 3;
    }
    csv->name = name;
    csv->line = 1;
    csv->field = 1;
    csv->delim = delim ? delim : ',';
    csv->scratch = g_string_new(NULL);
}

void
impact_i_csv_clear(ImpactCsv *csv)
{
    if (csv->scratch) {
        g_string_free(csv->scratch, TRUE);
        csv->scratch = NULL;
    }
}

gboolean
impact_i_csv_at_record(ImpactCsv *csv)
{
    while (csv->p < csv->end) {
        if (*csv->p == '\n') {
            csv->p++;
            csv->line++;
        } else if (*csv->p == '\r') {
            csv->p++;
            if (csv->p < csv->end && *csv->p == '\n') {
                csv->p++;
            }
            csv->line++;
        } else {
            csv->field = 1;
            return TRUE;
        }
    }
    return FALSE;
}

/* Consumes a line end at p, if any; returns the status for a field that
 * ended there. */
static inline ImpactCsvStatus
end_field(ImpactCsv *csv)
{
    if (csv->p >= csv->end) {
        return IMPACT_I_CSV_LAST;
    }
    char ch = *csv->p;
    if (ch == csv->delim) {
        csv->p++;
        csv->field++;
        return IMPACT_I_CSV_MORE;
    }
    /* ch is '\r' or '\n' */
    csv->p++;
    if (ch == '\r' && csv->p < csv->end && *csv->p == '\n') {
        csv->p++;
    }
    csv->line++;
    return IMPACT_I_CSV_LAST;
}

ImpactCsvStatus
impact_i_csv_field(ImpactCsv *csv, const char **s, gsize *len, GError **error)
{
    const char *p = csv->p;
    const char *end = csv->end;
    const char delim = csv->delim;

    if (p < end && *p == '"') {
        gsize start_line = csv->line;
        GString *buf = csv->scratch;
        g_string_truncate(buf, 0);
        p++;
        for (;;) {
            const char *q = memchr(p, '"', (size_t) (end - p));
            if (q == NULL) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                            "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT
                            ": unterminated quoted field (the quote opens here and never closes)",
                            csv->name, start_line, csv->field);
                return IMPACT_I_CSV_ERROR;
            }
            for (const char *r = p; r < q; r++) {
                if (*r == '\n') {
                    csv->line++;
                }
            }
            g_string_append_len(buf, p, q - p);
            p = q + 1;
            if (p < end && *p == '"') {
                g_string_append_c(buf, '"');
                p++;
                continue;
            }
            break;
        }
        if (p < end && *p != delim && *p != '\n' && *p != '\r') {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT
                        ": unexpected character '%c' after a closing quote",
                        csv->name, csv->line, csv->field, *p);
            return IMPACT_I_CSV_ERROR;
        }
        csv->p = p;
        *s = buf->str;
        *len = buf->len;
        return end_field(csv);
    }

    const char *start = p;
    while (p < end) {
        char ch = *p;
        if (ch == delim || ch == '\n' || ch == '\r') {
            break;
        }
        if (G_UNLIKELY(ch == '"')) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT
                        ": stray quote inside an unquoted field (quote the whole field "
                        "and double the quote)",
                        csv->name, csv->line, csv->field);
            return IMPACT_I_CSV_ERROR;
        }
        p++;
    }
    *s = start;
    *len = (gsize) (p - start);
    csv->p = p;
    return end_field(csv);
}

static void
trim(const char **s, gsize *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) {
        (*len)--;
    }
}

gboolean
impact_i_csv_header(ImpactCsv *csv, GStrv *out, GError **error)
{
    if (!impact_i_csv_at_record(csv)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                    "%s:1:1: empty file (a header row is required)", csv->name);
        return FALSE;
    }
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    ImpactCsvStatus st;
    do {
        const char *s;
        gsize len;
        st = impact_i_csv_field(csv, &s, &len, error);
        if (st == IMPACT_I_CSV_ERROR) {
            return FALSE;
        }
        trim(&s, &len);
        g_autofree char *name = g_strndup(s, len);
        g_strv_builder_add(b, name);
    } while (st == IMPACT_I_CSV_MORE);
    *out = g_strv_builder_end(b);
    return TRUE;
}

/* Powers of ten exactly representable as doubles. */
static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

gboolean
impact_i_parse_double(const char *s, gsize len, double *out)
{
    trim(&s, &len);
    if (len == 0) {
        return FALSE;
    }
    const char *p = s;
    const char *end = s + len;
    gboolean neg = FALSE;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    guint64 mant = 0;
    int digits = 0;     /* significant digits accumulated */
    int frac = 0;       /* digits after the point */
    gboolean any = FALSE;
    while (p < end && *p >= '0' && *p <= '9') {
        if (mant == 0 && *p == '0') {
            any = TRUE;
            p++;
            continue;
        }
        mant = mant * 10 + (guint64) (*p - '0');
        digits++;
        any = TRUE;
        p++;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            if (!(mant == 0 && *p == '0')) {
                mant = mant * 10 + (guint64) (*p - '0');
                digits++;
            }
            frac++;
            any = TRUE;
            p++;
        }
    }
    if (any && p == end && digits <= 15 && frac <= 22) {
        /* mant < 10^15 < 2^53 and 10^frac exact: one correctly rounded
         * division (Clinger's fast path). */
        double v = (double) mant;
        if (frac > 0) {
            v /= pow10_exact[frac];
        }
        *out = neg ? -v : v;
        return TRUE;
    }
    /* Exponents, long mantissas: the C library's correctly rounded parser. */
    char stackbuf[64];
    char *buf = len < sizeof stackbuf ? stackbuf : g_malloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *stop = NULL;
    double v = g_ascii_strtod(buf, &stop);
    gboolean ok = stop == buf + len && isfinite(v) && len > 0 &&
                  /* reject hex, inf, nan spelled out */
                  strpbrk(buf, "xXnNiI") == NULL;
    if (buf != stackbuf) {
        g_free(buf);
    }
    if (ok) {
        *out = v;
    }
    return ok;
}

/* The "%.15g" text of @x for 1e-3 <= |x| < 1e15, non-integer, when it reads
 * back to @x, written into @buf (>= 24 bytes); FALSE otherwise (then the
 * caller uses printf). Exact: x = m·2^e with m < 2^53 and -62 <= e < 0, so
 * m·10^p (p <= 17) fits in 128 bits and the 15 significant digits are
 * rounded half-even on the exact binary value, as glibc's printf does; the
 * text has at most 15 digits and a power of ten <= 10^17, so reading it
 * back is one correctly rounded division (Clinger), the same as strtod. */
static gboolean
format_15(char *buf, double x)
{
#if defined(__SIZEOF_INT128__)
    double ax = fabs(x);
    if (!(ax >= 1e-3 && ax < 1e15)) {
        return FALSE;
    }
    int E;
    double f = frexp(ax, &E);                 /* ax = f·2^E, f in [0.5, 1) */
    guint64 m = (guint64) ldexp(f, 53);       /* exact */
    int e = E - 53;                           /* ax = m·2^e */
    if (e >= 0 || e < -120) {
        return FALSE;
    }
    int d = 0;                                /* ax in [10^d, 10^(d+1)) */
    static const double p10[] = { 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
                                  1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
    for (d = -3; d < 14 && ax >= p10[d + 4]; d++) {
    }
    /* 1e-3 etc. are not exact: settle the decade on the exact value below */
    int p = 14 - d;                           /* 0 <= p <= 17 */
    unsigned __int128 pw = 1;
    for (int i = 0; i < p; i++) {
        pw *= 10;
    }
    unsigned __int128 n = (unsigned __int128) m * pw;
    int sh = -e;
    unsigned __int128 q = n >> sh, rem = n - (q << sh), half = (unsigned __int128) 1 << (sh - 1);
    if (rem > half || (rem == half && (q & 1))) {
        q++;
    }
    const guint64 lo15 = G_GUINT64_CONSTANT(100000000000000), hi15 = lo15 * 10;
    if (q >= hi15 || q < lo15) {
        return FALSE; /* the decade guess was off by one: leave it to printf */
    }
    guint64 digits = (guint64) q;
    /* read back: digits / 10^p, correctly rounded */
    if ((double) digits / pow10_exact[p] != ax) {
        return FALSE;
    }
    char tmp[16];
    for (int i = 14; i >= 0; i--) {
        tmp[i] = (char) ('0' + digits % 10);
        digits /= 10;
    }
    int last = 14; /* drop trailing zeros */
    while (last > 0 && tmp[last] == '0') {
        last--;
    }
    char *o = buf;
    if (x < 0) {
        *o++ = '-';
    }
    if (d >= 0) {
        for (int i = 0; i <= d; i++) {
            *o++ = tmp[i];
        }
        if (last > d) {
            *o++ = '.';
            for (int i = d + 1; i <= last; i++) {
                *o++ = tmp[i];
            }
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -d - 1; i++) {
            *o++ = '0';
        }
        for (int i = 0; i <= last; i++) {
            *o++ = tmp[i];
        }
    }
    *o = '\0';
    return TRUE;
#else
    (void) buf;
    (void) x;
    return FALSE;
#endif
}

void
impact_i_format_double(char *buf, gsize size, double x)
{
    if (isnan(x)) {
        g_strlcpy(buf, "NA", size);
        return;
    }
    if (x == floor(x) && fabs(x) < 1e15) {
        g_snprintf(buf, size, "%.0f", x);
        return;
    }
    if (size >= 24 && format_15(buf, x)) {
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        g_ascii_formatd(buf, size, prec == 15 ? "%.15g" : prec == 16 ? "%.16g" : "%.17g", x);
        if (prec == 17 || g_ascii_strtod(buf, NULL) == x) {
            return;
        }
    }
}
