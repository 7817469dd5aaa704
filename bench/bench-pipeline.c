/* bench-pipeline.c — the full pipeline through the C API, timed per stage:
 * read (parse) → score → reliability with item analysis → agreement within
 * teams (when the agreement module is in the library) → pre/post change
 * (paired effect sizes of every scale's score).
 *
 * Usage:
 *   bench-pipeline CODEBOOK RESPONSES [THREADS [REPEATS]]
 *   bench-pipeline CODEBOOK RESPONSES --stream CHUNK_ROWS
 *
 * Memory mode reads the whole file (ImpactReadOptions.n_threads = THREADS)
 * and, with THREADS > 1, runs the independent stages concurrently (score +
 * change on one thread, reliability on another): the library's stages are
 * single-threaded, so that is how a program uses a second core today.
 *
 * Streaming mode reads CHUNK_ROWS rows at a time with impact_reader_next()
 * and feeds the mergeable reliability accumulator and running paired sums
 * (pre/post rows of a participant may fall in different chunks; open pairs
 * wait in a small table), so memory stays bounded whatever the file size.
 *
 * The data columns are those of bench/gen-data: id, team, wave (pre/post).
 * Prints "stage=NAME median=SECONDS ..." lines, the peak RSS, and a line of
 * key results (alpha and d_z per scale) so that runs can be compared.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include <glib.h>
#include <libimpact/impact.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
    qsort(v, (size_t) n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double
now(void)
{
    return (double) g_get_monotonic_time() / 1e6;
}

static void
die(GError *error)
{
    fprintf(stderr, "bench-pipeline: %s\n", error ? error->message : "failed");
    exit(1);
}

static double
peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double) ru.ru_maxrss / 1e3;
}

/* ---- pre/post pairing ---------------------------------------------------- */

/* The paired effect of every scale: scores of "pre" and "post" rows of the
 * same id. */
static void
change_memory(ImpactPairedEffect *out, const ImpactTable *data, const ImpactTable *scores,
              gsize n_scales)
{
    gssize id = impact_table_column_index(data, "id");
    gssize wave = impact_table_column_index(data, "wave");
    if (id < 0 || wave < 0) {
        die(NULL);
    }
    gsize n = impact_table_n_rows(data);
    gsize n_ids = impact_table_n_levels(data, (gsize) id);
    const guint32 *idc = impact_table_codes(data, (gsize) id);
    const guint32 *wc = impact_table_codes(data, (gsize) wave);
    guint32 pre_code = G_MAXUINT32, post_code = G_MAXUINT32;
    for (guint32 l = 0; l < impact_table_n_levels(data, (gsize) wave); l++) {
        const char *lv = impact_table_level(data, (gsize) wave, l);
        if (strcmp(lv, "pre") == 0) {
            pre_code = l;
        } else if (strcmp(lv, "post") == 0) {
            post_code = l;
        }
    }
    double *pre = g_new(double, MAX(n_ids, 1)), *post = g_new(double, MAX(n_ids, 1));
    for (gsize s = 0; s < n_scales; s++) {
        const double *x = impact_table_numeric(scores, s + 1); /* column 0 is the id */
        for (gsize i = 0; i < n_ids; i++) {
            pre[i] = post[i] = NAN;
        }
        for (gsize i = 0; i < n; i++) {
            if (idc[i] == IMPACT_TABLE_NA) {
                continue;
            }
            if (wc[i] == pre_code) {
                pre[idc[i]] = x[i];
            } else if (wc[i] == post_code) {
                post[idc[i]] = x[i];
            }
        }
        impact_effect_paired(&out[s], pre, post, n_ids, 0.95);
    }
    g_free(pre);
    g_free(post);
}

/* ---- memory mode ---------------------------------------------------------- */

typedef struct {
    const ImpactTable *data;
    const ImpactCodebook *cb;
    ImpactResult *rel;
    double seconds;
} RelJob;

static gpointer
rel_job(gpointer p)
{
    RelJob *j = p;
    GError *error = NULL;
    double t0 = now();
    if (!impact_reliability(&j->rel, j->data, j->cb, NULL, &error)) {
        die(error);
    }
    j->seconds = now() - t0;
    return NULL;
}

static void
print_results(const ImpactResult *rel, const ImpactPairedEffect *eff, gsize n_scales)
{
    printf("results");
    for (gsize s = 0; s < n_scales; s++) {
        char path[64];
        g_snprintf(path, sizeof path, "scales/%zu/alpha", (size_t) s);
        printf(" alpha%zu=%.15g", (size_t) s, impact_result_number(rel, path));
    }
    for (gsize s = 0; s < n_scales; s++) {
        printf(" d_z%zu=%.15g n%zu=%.0f", (size_t) s, eff[s].d_z, (size_t) s, eff[s].n);
    }
    printf("\n");
}

static int
run_memory(const ImpactCodebook *cb, const char *path, int threads, int reps)
{
    gsize n_scales = impact_codebook_n_scales(cb);
    double *t_read = g_new(double, reps), *t_score = g_new(double, reps);
    double *t_rel = g_new(double, reps), *t_change = g_new(double, reps);
    double *t_total = g_new(double, reps);
    ImpactPairedEffect *eff = g_new0(ImpactPairedEffect, n_scales);
    ImpactResult *last_rel = NULL;
    gsize rows = 0;
    for (int r = 0; r < reps; r++) {
        GError *error = NULL;
        ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
        ro.n_threads = (guint) threads;
        ImpactTable *data = NULL, *scores = NULL;
        double t0 = now();
        if (!impact_responses_read(&data, path, cb, &ro, &error)) {
            die(error);
        }
        double t1 = now();
        RelJob job = { data, cb, NULL, 0.0 };
        GThread *th = NULL;
        if (threads > 1) {
            th = g_thread_new("reliability", rel_job, &job);
        }
        double t2 = now();
        if (!impact_score_table(&scores, data, cb, "id", NULL, &error)) {
            die(error);
        }
        double t3 = now();
        change_memory(eff, data, scores, n_scales);
        double t4 = now();
        if (th) {
            g_thread_join(th);
        } else {
            rel_job(&job);
        }
        double t5 = now();
        t_read[r] = t1 - t0;
        t_score[r] = t3 - t2;
        t_change[r] = t4 - t3;
        t_rel[r] = job.seconds;
        t_total[r] = t5 - t0;
        rows = impact_table_n_rows(data);
        impact_result_free(last_rel);
        last_rel = job.rel;
        impact_table_free(scores);
        impact_table_free(data);
    }
    printf("stage=read threads=%d median=%.4f rows=%zu\n", threads, median(t_read, reps),
           (size_t) rows);
    printf("stage=score threads=%d median=%.4f\n", threads, median(t_score, reps));
    printf("stage=reliability threads=%d median=%.4f\n", threads, median(t_rel, reps));
    printf("stage=agreement threads=%d median=nan (no agreement module in this build)\n",
           threads);
    printf("stage=change threads=%d median=%.4f\n", threads, median(t_change, reps));
    printf("stage=pipeline threads=%d median=%.4f\n", threads, median(t_total, reps));
    printf("peak_rss_mb=%.1f numeric_mb=%.1f\n", peak_rss_mb(),
           (double) rows * (double) impact_codebook_n_items(cb) * 8.0 / 1e6);
    print_results(last_rel, eff, n_scales);
    impact_result_free(last_rel);
    g_free(eff);
    g_free(t_read);
    g_free(t_score);
    g_free(t_rel);
    g_free(t_change);
    g_free(t_total);
    return 0;
}

/* ---- streaming mode ------------------------------------------------------- */

/* Running co-moments of (pre, post) pairs of one scale (Welford/Chan). */
typedef struct {
    double n, mx, my, sxx, syy, sxy;
} Pairs;

static void
pairs_add(Pairs *p, double x, double y)
{
    p->n += 1.0;
    double dx = x - p->mx;
    p->mx += dx / p->n;
    double dy = y - p->my;
    p->my += dy / p->n;
    p->sxx += dx * (x - p->mx);
    p->syy += dy * (y - p->my);
    p->sxy += dx * (y - p->my);
}

static int
run_stream(const ImpactCodebook *cb, const char *path, gsize chunk)
{
    gsize n_scales = impact_codebook_n_scales(cb);
    GError *error = NULL;
    double t0 = now();
    ImpactReader *reader = impact_reader_open(path, cb, NULL, &error);
    if (reader == NULL) {
        die(error);
    }
    ImpactReliabilityAcc *acc = impact_reliability_acc_new(cb, IMPACT_MISSING_PAIRWISE);
    Pairs *pairs = g_new0(Pairs, n_scales);
    /* open pairs: id → the scale scores of the wave seen first, and which */
    GHashTable *open = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    gsize rows = 0, chunks = 0;
    double t_read = 0, t_score = 0, t_rel = 0, t_change = 0;
    for (;;) {
        ImpactTable *t = NULL, *scores = NULL;
        double a = now();
        if (!impact_reader_next(reader, &t, chunk, &error)) {
            die(error);
        }
        double b = now();
        t_read += b - a;
        if (t == NULL) {
            break;
        }
        if (!impact_score_table(&scores, t, cb, "id", NULL, &error)) {
            die(error);
        }
        double c = now();
        if (!impact_reliability_acc_add(acc, t, &error)) {
            die(error);
        }
        double d = now();
        gssize id = impact_table_column_index(t, "id");
        gssize wave = impact_table_column_index(t, "wave");
        const guint32 *idc = impact_table_codes(t, (gsize) id);
        const guint32 *wc = impact_table_codes(t, (gsize) wave);
        for (gsize i = 0; i < impact_table_n_rows(t); i++) {
            if (idc[i] == IMPACT_TABLE_NA || wc[i] == IMPACT_TABLE_NA) {
                continue;
            }
            const char *key = impact_table_level(t, (gsize) id, idc[i]);
            gboolean is_pre = strcmp(impact_table_level(t, (gsize) wave, wc[i]), "pre") == 0;
            double *prev = g_hash_table_lookup(open, key);
            if (prev == NULL) {
                double *v = g_new(double, n_scales + 1);
                v[0] = is_pre ? 1.0 : 0.0;
                for (gsize s = 0; s < n_scales; s++) {
                    v[s + 1] = impact_table_numeric(scores, s + 1)[i];
                }
                g_hash_table_insert(open, g_strdup(key), v);
                continue;
            }
            for (gsize s = 0; s < n_scales; s++) {
                double x = impact_table_numeric(scores, s + 1)[i];
                double pre = prev[0] == 1.0 ? prev[s + 1] : x;
                double post = prev[0] == 1.0 ? x : prev[s + 1];
                if (!isnan(pre) && !isnan(post)) {
                    pairs_add(&pairs[s], pre, post);
                }
            }
            g_hash_table_remove(open, key);
        }
        t_change += now() - d;
        t_score += c - b;
        t_rel += d - c;
        rows += impact_table_n_rows(t);
        chunks++;
        impact_table_free(scores);
        impact_table_free(t);
    }
    ImpactResult *rel = NULL;
    double e = now();
    if (!impact_reliability_acc_result(&rel, acc, NULL, &error)) {
        die(error);
    }
    t_rel += now() - e;
    ImpactPairedEffect *eff = g_new0(ImpactPairedEffect, n_scales);
    for (gsize s = 0; s < n_scales; s++) {
        Pairs *p = &pairs[s];
        impact_effect_paired_summary(&eff[s], p->n, p->mx, p->my, p->sxx / (p->n - 1),
                                     p->syy / (p->n - 1), p->sxy / (p->n - 1), 0.95);
    }
    double total = now() - t0;
    printf("stage=stream-read median=%.4f rows=%zu chunks=%zu chunk_rows=%zu\n", t_read,
           (size_t) rows, (size_t) chunks, (size_t) chunk);
    printf("stage=stream-score median=%.4f\n", t_score);
    printf("stage=stream-reliability median=%.4f\n", t_rel);
    printf("stage=stream-change median=%.4f\n", t_change);
    printf("stage=stream-pipeline median=%.4f\n", total);
    printf("peak_rss_mb=%.1f open_pairs=%u\n", peak_rss_mb(), g_hash_table_size(open));
    print_results(rel, eff, n_scales);
    impact_result_free(rel);
    g_free(eff);
    g_free(pairs);
    g_hash_table_unref(open);
    impact_reliability_acc_free(acc);
    impact_reader_free(reader);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr,
                "usage: %s CODEBOOK RESPONSES [THREADS [REPEATS]] | --stream CHUNK_ROWS\n",
                argv[0]);
        return 2;
    }
    GError *error = NULL;
    ImpactCodebook *cb = NULL;
    if (!impact_codebook_read_csv(&cb, argv[1], &error)) {
        die(error);
    }
    int rc;
    if (argc > 4 && strcmp(argv[3], "--stream") == 0) {
        rc = run_stream(cb, argv[2], (gsize) g_ascii_strtoull(argv[4], NULL, 10));
    } else {
        int threads = argc > 3 ? atoi(argv[3]) : 1;
        int reps = argc > 4 ? atoi(argv[4]) : 3;
        rc = run_memory(cb, argv[2], MAX(threads, 1), MAX(reps, 1));
    }
    impact_codebook_free(cb);
    return rc;
}
