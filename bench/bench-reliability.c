/* bench-reliability.c — time impact_reliability() on simulated survey data.
 *
 *   bench-reliability [ROWS [ITEMS [MISSING_FRACTION [CSV_OUT]]]]
 *
 * Defaults: 1,000,000 rows × 20 items of one scale, 1-5 answers from a
 * one-factor model (loading 0.8, fixed seed), no missing answers. Times the
 * whole analysis after the table is in memory (co-moments + item analysis +
 * omega + result), best of 5 (wall clock and CPU time). With CSV_OUT the data are also written as CSV
 * so R can time psych::alpha on the very same data:
 *   x <- read.csv(CSV_OUT); system.time(psych::alpha(x))
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <libimpact/impact.h>

static guint64 state = 0x9E3779B97F4A7C15ULL;

static double
uniform(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return ((double) (state >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(2.0 * G_PI * uniform());
}

int
main(int argc, char **argv)
{
    gsize rows = argc > 1 ? (gsize) g_ascii_strtoull(argv[1], NULL, 10) : 1000000;
    gsize k = argc > 2 ? (gsize) g_ascii_strtoull(argv[2], NULL, 10) : 20;
    double miss = argc > 3 ? g_ascii_strtod(argv[3], NULL) : 0.0;
    const char *csv = argc > 4 ? argv[4] : NULL;
    GString *cbtext = g_string_new("item,scale,domain,min,max,reverse\n");
    for (gsize j = 0; j < k; j++) {
        g_string_append_printf(cbtext, "q%02zu,climate,team,1,5,%d\n", j + 1, j % 5 == 4);
    }
    GError *err = NULL;
    ImpactCodebook *cb = NULL;
    if (!impact_codebook_read_buffer(&cb, cbtext->str, cbtext->len, "bench", &err)) {
        fprintf(stderr, "%s\n", err->message);
        return 1;
    }
    double *f = g_new(double, rows);
    for (gsize i = 0; i < rows; i++) {
        f[i] = normal();
    }
    ImpactTable *t = impact_table_new();
    double *x = g_new(double, rows);
    double **cols = g_new(double *, k);
    for (gsize j = 0; j < k; j++) {
        for (gsize i = 0; i < rows; i++) {
            double v = round(3.0 + 0.8 * f[i] + 0.8 * normal());
            v = CLAMP(v, 1.0, 5.0);
            if (j % 5 == 4) {
                v = 6.0 - v; /* reverse-keyed item */
            }
            x[i] = uniform() < miss ? NAN : v;
        }
        char name[16];
        g_snprintf(name, sizeof name, "q%02zu", j + 1);
        if (!impact_table_add_numeric(t, name, x, rows, &err)) {
            fprintf(stderr, "%s\n", err->message);
            return 1;
        }
        cols[j] = (double *) impact_table_numeric(t, j);
    }
    if (csv) {
        FILE *out = fopen(csv, "w");
        for (gsize j = 0; j < k; j++) {
            fprintf(out, "%sq%02zu", j ? "," : "", j + 1);
        }
        fputc('\n', out);
        for (gsize i = 0; i < rows; i++) {
            for (gsize j = 0; j < k; j++) {
                if (j) {
                    fputc(',', out);
                }
                if (!isnan(cols[j][i])) {
                    fprintf(out, "%g", j % 5 == 4 ? 6.0 - cols[j][i] : cols[j][i]);
                } else {
                    fputs("NA", out);
                }
            }
            fputc('\n', out);
        }
        fclose(out);
        fprintf(stderr, "wrote %s (reverse items already keyed, so psych::alpha(x) needs no keys)\n", csv);
    }
    double best = INFINITY, best_cpu = INFINITY, alpha = NAN;
    for (int rep = 0; rep < 5; rep++) {
        gint64 t0 = g_get_monotonic_time();
        clock_t c0 = clock();
        ImpactResult *res = NULL;
        if (!impact_reliability(&res, t, cb, NULL, &err)) {
            fprintf(stderr, "%s\n", err->message);
            return 1;
        }
        gint64 t1 = g_get_monotonic_time();
        best = MIN(best, (double) (t1 - t0) / 1e6);
        best_cpu = MIN(best_cpu, (double) (clock() - c0) / CLOCKS_PER_SEC);
        alpha = impact_result_number(res, "scales/0/alpha");
        impact_result_free(res);
    }
    printf("impact_reliability: %zu rows x %zu items, %.0f%% missing: %.3f s wall, %.3f s CPU "
           "(best of 5), alpha %.6f\n",
           rows, k, 100 * miss, best, best_cpu, alpha);
    impact_table_free(t);
    impact_codebook_free(cb);
    g_string_free(cbtext, TRUE);
    g_free(f);
    g_free(x);
    g_free(cols);
    return 0;
}
