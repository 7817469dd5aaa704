/* bench-bootstrap.c — speed of the cluster bootstrap engine.
 *
 * 10,000 participants with a baseline and a follow-up score; statistics of
 * the paired change (mean change, SD of change, d_z); B replicates; the
 * participants are the clusters (worst case for the jackknife: 10,000
 * leave-one-out evaluations) or sit in learning sets of 8.
 *
 * Then the whole change analysis (impact_change: scoring, pairing, every
 * effect of two arms and the comparison, and their cluster bootstrap) on a
 * simulated evaluation of N participants (5-item scale, two waves, two arms).
 *
 *   bench-bootstrap [N] [B] [THREADS]     (defaults 10000 2000 2)
 *
 * Not part of `make check`: run `make -C bench bench` and write the figures
 * down. Timings are wall-clock (g_get_monotonic_time), best of 3.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <libimpact/impact.h>

typedef struct {
    gsize n_units, n_clusters;
    const double *diff;       /* post − pre per unit */
    const gsize *cluster_of;  /* unit → cluster */
    const gsize *first;       /* n_clusters + 1 offsets: units grouped by cluster */
} Data;

/* mean change, SD of change (frequency weights), d_z; units of cluster c
 * count weights[c] times. */
static gboolean
paired(double *out, const double *w, gpointer user_data)
{
    const Data *d = user_data;
    double n = 0.0, s = 0.0, ss = 0.0;
    for (gsize c = 0; c < d->n_clusters; c++) {
        double wc = w[c];
        if (wc == 0.0) {
            continue;
        }
        for (gsize i = d->first[c]; i < d->first[c + 1]; i++) {
            n += wc;
            s += wc * d->diff[i];
        }
    }
    if (n < 2.0) {
        return FALSE;
    }
    double m = s / n;
    for (gsize c = 0; c < d->n_clusters; c++) {
        double wc = w[c];
        if (wc == 0.0) {
            continue;
        }
        for (gsize i = d->first[c]; i < d->first[c + 1]; i++) {
            double e = d->diff[i] - m;
            ss += wc * e * e;
        }
    }
    double sd = sqrt(ss / (n - 1.0));
    out[0] = m;
    out[1] = sd;
    out[2] = m / sd;
    return TRUE;
}

static double
run_once(const Data *d, guint B, guint threads)
{
    ImpactBootstrapOptions o = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.replicates = B;
    o.threads = threads;
    ImpactBootstrap *b = NULL;
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    if (!impact_bootstrap_run(&b, d->n_clusters, NULL, paired, (gpointer) d, 3, &o, &err)) {
        fprintf(stderr, "bench-bootstrap: %s\n", err->message);
        exit(1);
    }
    double secs = (double) (g_get_monotonic_time() - t0) / 1e6;
    double lo, hi, blo, bhi;
    impact_bootstrap_percentile_ci(b, 2, &lo, &hi);
    impact_bootstrap_bca_ci(b, 2, &blo, &bhi);
    printf("    d_z %.4f  percentile [%.4f, %.4f]  BCa [%.4f, %.4f]\n",
           impact_bootstrap_estimate(b, 2), lo, hi, blo, bhi);
    impact_bootstrap_free(b);
    return secs;
}

/* N participants × 2 waves, items q1..q5 (1..5), arm T/C, learning sets of 8 */
static void
bench_change(gsize n, guint B, guint threads)
{
    ImpactCodebook *cb = impact_codebook_new();
    for (int k = 0; k < 5; k++) {
        char name[8];
        g_snprintf(name, sizeof name, "q%d", k + 1);
        impact_codebook_add_item(cb, name, "s", IMPACT_DOMAIN_INDIVIDUAL, 1, 5, FALSE, 1, NULL, NULL);
    }
    gsize rows = 2 * n;
    char **unit = g_new0(char *, rows), **wave = g_new0(char *, rows), **arm = g_new0(char *, rows),
         **set = g_new0(char *, rows);
    double *q[5];
    ImpactRng rng;
    impact_rng_init(&rng, 2, 0);
    for (int k = 0; k < 5; k++) {
        q[k] = g_new(double, rows);
    }
    for (gsize i = 0; i < n; i++) {
        double trait = impact_rng_normal(&rng);
        gboolean treated = (i / 8) % 2 == 0;
        for (int w = 0; w < 2; w++) {
            gsize r = 2 * i + (gsize) w;
            unit[r] = g_strdup_printf("p%" G_GSIZE_FORMAT, i);
            wave[r] = g_strdup(w ? "post" : "pre");
            arm[r] = g_strdup(treated ? "T" : "C");
            set[r] = g_strdup_printf("ls%" G_GSIZE_FORMAT, i / 8);
            for (int k = 0; k < 5; k++) {
                double x = 3 + trait + (w && treated ? 0.3 : 0) + 0.8 * impact_rng_normal(&rng);
                q[k][r] = CLAMP(round(x), 1, 5);
            }
        }
    }
    ImpactTable *t = impact_table_new();
    impact_table_add_text(t, "unit", (const char *const *) unit, rows, NULL);
    impact_table_add_text(t, "wave", (const char *const *) wave, rows, NULL);
    impact_table_add_text(t, "arm", (const char *const *) arm, rows, NULL);
    impact_table_add_text(t, "set", (const char *const *) set, rows, NULL);
    for (int k = 0; k < 5; k++) {
        char name[8];
        g_snprintf(name, sizeof name, "q%d", k + 1);
        impact_table_add_numeric(t, name, q[k], rows, NULL);
    }
    for (int layout = 0; layout < 2; layout++) {
        ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
        o.unit = "unit";
        o.wave = "wave";
        o.pre = "pre";
        o.arm = "arm";
        o.control = "C";
        o.cluster = layout ? "set" : NULL;
        o.bootstrap = B;
        o.threads = threads;
        double best = G_MAXDOUBLE;
        for (int rep = 0; rep < 3; rep++) {
            ImpactResult *res = NULL;
            GError *err = NULL;
            gint64 t0 = g_get_monotonic_time();
            if (!impact_change(&res, t, cb, &o, &err)) {
                fprintf(stderr, "bench-bootstrap: %s\n", err->message);
                exit(1);
            }
            double secs = (double) (g_get_monotonic_time() - t0) / 1e6;
            best = MIN(best, secs);
            if (rep == 0) {
                printf("    d_ppc2 %.4f  bootstrap BCa [%.4f, %.4f]\n",
                       impact_result_number(res, "scales/0/controlled/0/d_ppc2"),
                       impact_result_number(res, "scales/0/controlled/0/bootstrap/1/bca_ci/0"),
                       impact_result_number(res, "scales/0/controlled/0/bootstrap/1/bca_ci/1"));
            }
            impact_result_free(res);
        }
        printf("impact_change, %" G_GSIZE_FORMAT " participants, two arms, clusters = %s, "
               "%u replicates, %u threads: best of 3 %.3f s\n",
               n, layout ? "learning sets of 8" : "participants", B, threads, best);
    }
    impact_table_free(t);
    impact_codebook_free(cb);
    for (gsize r = 0; r < rows; r++) {
        g_free(unit[r]);
        g_free(wave[r]);
        g_free(arm[r]);
        g_free(set[r]);
    }
    g_free(unit);
    g_free(wave);
    g_free(arm);
    g_free(set);
    for (int k = 0; k < 5; k++) {
        g_free(q[k]);
    }
}

int
main(int argc, char **argv)
{
    gsize n = argc > 1 ? (gsize) g_ascii_strtoull(argv[1], NULL, 10) : 10000;
    guint B = argc > 2 ? (guint) g_ascii_strtoull(argv[2], NULL, 10) : 2000;
    guint threads = argc > 3 ? (guint) g_ascii_strtoull(argv[3], NULL, 10) : 2;
    double *diff = g_new(double, n);
    ImpactRng rng;
    impact_rng_init(&rng, 1, 0);
    for (gsize i = 0; i < n; i++) {
        diff[i] = 0.3 + impact_rng_normal(&rng);
    }
    for (int layout = 0; layout < 2; layout++) {
        gsize size = layout == 0 ? 1 : 8;
        gsize G = (n + size - 1) / size;
        gsize *first = g_new(gsize, G + 1);
        for (gsize c = 0; c <= G; c++) {
            first[c] = MIN(c * size, n);
        }
        Data d = { n, G, diff, NULL, first };
        printf("%" G_GSIZE_FORMAT " participants in %" G_GSIZE_FORMAT
               " clusters, %u replicates, %u threads:\n",
               n, G, B, threads);
        double best = G_MAXDOUBLE;
        for (int rep = 0; rep < 3; rep++) {
            double t = run_once(&d, B, threads);
            best = MIN(best, t);
        }
        printf("  best of 3: %.3f s (bootstrap + %" G_GSIZE_FORMAT " jackknife evaluations)\n",
               best, MIN(G, (gsize) 2000));
        g_free(first);
    }
    g_free(diff);
    bench_change(n, B, threads);
    return 0;
}
