/* bench-read.c — times the C API on one response file: read (parse) and
 * score, repeated, reporting the median, the minimum and the throughput.
 *
 * Usage: bench-read CODEBOOK RESPONSES [REPEATS [THREADS]]
 *
 * Prints one line per stage, in a form the harness (bench/run-bench) reads:
 *   stage=read median=0.412 min=0.405 mb_s=243.1 rows=1000000
 * and at the end the peak resident memory (getrusage) and the size of the
 * numeric data (rows × items × 8 bytes), whose ratio the issue bounds by 2.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include <glib.h>
#include <libimpact/impact.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/stat.h>
#include <time.h>

static double
cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

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

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s CODEBOOK RESPONSES [REPEATS [THREADS]]\n", argv[0]);
        return 2;
    }
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    int threads = argc > 4 ? atoi(argv[4]) : 1;
    if (reps < 1) {
        reps = 1;
    }
#if defined(__GLIBC__)
    /* Every repetition gets fresh memory, as a one-shot run of the CLI does:
     * without this, glibc raises its mmap threshold after the first free and
     * later repetitions reuse pages that are already mapped (no page faults),
     * which flatters whichever reader allocates exactly. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
    GError *error = NULL;
    ImpactCodebook *cb = NULL;
    if (!impact_codebook_read_csv(&cb, argv[1], &error)) {
        fprintf(stderr, "bench-read: %s\n", error->message);
        return 1;
    }
    struct stat st;
    if (stat(argv[2], &st) != 0) {
        perror(argv[2]);
        return 1;
    }
    double mb = (double) st.st_size / 1e6;
    double *tread = g_new(double, reps), *tscore = g_new(double, reps);
    double *cread = g_new(double, reps);
    gsize rows = 0;
    for (int r = 0; r < reps; r++) {
        ImpactTable *t = NULL, *scores = NULL;
        double c0 = cpu_now();
        gint64 t0 = g_get_monotonic_time();
        gboolean ok;
        if (threads == 1) {
            ok = impact_responses_read(&t, argv[2], cb, NULL, &error);
        } else {
            ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
            ro.n_threads = (guint) threads;
            ok = impact_responses_read(&t, argv[2], cb, &ro, &error);
        }
        if (!ok) {
            fprintf(stderr, "bench-read: %s\n", error->message);
            return 1;
        }
        gint64 t1 = g_get_monotonic_time();
        cread[r] = cpu_now() - c0;
        const char *id = impact_table_column_index(t, "id") >= 0 ? "id" : NULL;
        if (!impact_score_table(&scores, t, cb, id, NULL, &error)) {
            fprintf(stderr, "bench-read: %s\n", error->message);
            return 1;
        }
        gint64 t2 = g_get_monotonic_time();
        tread[r] = (double) (t1 - t0) / 1e6;
        tscore[r] = (double) (t2 - t1) / 1e6;
        rows = impact_table_n_rows(t);
        impact_table_free(scores);
        impact_table_free(t);
    }
    double *tr = g_new(double, reps), *ts = g_new(double, reps), *tt = g_new(double, reps);
    for (int r = 0; r < reps; r++) {
        tr[r] = tread[r];
        ts[r] = tscore[r];
        tt[r] = tread[r] + tscore[r];
    }
    double mr = median(tr, reps), ms = median(ts, reps), mt = median(tt, reps);
    printf("stage=read threads=%d median=%.4f min=%.4f mb_s=%.1f rows=%zu\n", threads, mr, tr[0],
           mb / mr, (size_t) rows);
    printf("stage=read-cpu threads=%d median=%.4f (CPU seconds, all threads)\n", threads,
           median(cread, reps));
    printf("stage=score threads=%d median=%.4f min=%.4f\n", threads, ms, ts[0]);
    printf("stage=read+score threads=%d median=%.4f min=%.4f mb_s=%.1f\n", threads, mt, tt[0],
           mb / mt);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double numeric = (double) rows * (double) impact_codebook_n_items(cb) * 8.0 / 1e6;
    printf("peak_rss_mb=%.1f numeric_mb=%.1f ratio=%.2f file_mb=%.1f\n",
           (double) ru.ru_maxrss / 1e3, numeric, (double) ru.ru_maxrss / 1e3 / numeric, mb);
    g_free(tread);
    g_free(cread);
    g_free(tr);
    g_free(ts);
    g_free(tt);
    g_free(tscore);
    impact_codebook_free(cb);
    return 0;
}
