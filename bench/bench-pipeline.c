/* bench-pipeline.c — the full pipeline through the C API, timed per stage:
 * read (parse) → score (impact_score_table) → reliability with item
 * analysis (impact_reliability) → agreement within teams (impact_agreement:
 * rwg(j), AD, awg, ICC(1), ICC(2), default k = 3 disclosure) → pre/post
 * change (impact_change: paired effects of every scale, RCI; no bootstrap).
 *
 * Usage:
 *   bench-pipeline CODEBOOK RESPONSES [THREADS [REPEATS]]
 *   bench-pipeline CODEBOOK RESPONSES --stream CHUNK_ROWS
 *   bench-pipeline CODEBOOK RESPONSES --flow CHUNK_ROWS WORKERS
 *
 * Memory mode reads the whole file (ImpactReadOptions.n_threads = THREADS)
 * and, with THREADS > 1, runs the four independent analyses on THREADS
 * worker threads (each takes the next one, the longest first): the
 * analyses are single-threaded inside, so that is how a program uses a
 * second core today.
 *
 * Flow mode (--flow CHUNK_ROWS WORKERS) overlaps reading with the analyses:
 * one thread reads chunks, WORKERS threads score them and feed their own
 * reliability, agreement and change accumulators, merged at the end.
 *
 * Streaming mode reads CHUNK_ROWS rows at a time with impact_reader_next()
 * and feeds the mergeable reliability and agreement accumulators and running
 * paired sums of the scale scores (impact_change has no accumulator; pre/post
 * rows of a participant may fall in different chunks, so open pairs wait in
 * a small table; the effect sizes come from impact_effect_paired_summary()),
 * so memory stays bounded whatever the file size.
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
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <time.h>

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
thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
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

/* ---- memory mode ---------------------------------------------------------- */

enum { T_SCORE, T_RELIABILITY, T_AGREEMENT, T_CHANGE, N_TASKS };
static const char *task_name[N_TASKS] = { "score", "reliability", "agreement", "change" };
/* the order the workers take them in: the longest first */
static const int task_order[N_TASKS] = { T_CHANGE, T_AGREEMENT, T_RELIABILITY, T_SCORE };

typedef struct {
    const ImpactTable *data;
    const ImpactCodebook *cb;
    gint next;                 /* index into task_order, atomically taken */
    ImpactTable *scores;
    ImpactResult *res[N_TASKS];
    double seconds[N_TASKS];
    double cpu[N_TASKS];       /* CPU seconds of the task's thread */
} Work;

static void
run_task(Work *w, int task)
{
    GError *error = NULL;
    double t0 = now(), c0 = thread_cpu();
    gboolean ok = TRUE;
    if (task == T_SCORE) {
        ok = impact_score_table(&w->scores, w->data, w->cb, "id", NULL, &error);
    } else if (task == T_RELIABILITY) {
        ok = impact_reliability(&w->res[task], w->data, w->cb, NULL, &error);
    } else if (task == T_AGREEMENT) {
        ImpactAgreementOptions ao = IMPACT_AGREEMENT_OPTIONS_INIT;
        ao.group = "team";
        ok = impact_agreement(&w->res[task], w->data, w->cb, &ao, &error);
    } else {
        ImpactChangeOptions co = IMPACT_CHANGE_OPTIONS_INIT;
        co.unit = "id";
        co.wave = "wave";
        co.pre = "pre";
        co.post = "post";
        ok = impact_change(&w->res[task], w->data, w->cb, &co, &error);
    }
    if (!ok) {
        die(error);
    }
    w->seconds[task] = now() - t0;
    w->cpu[task] = thread_cpu() - c0;
}

static gpointer
worker(gpointer p)
{
    Work *w = p;
    for (;;) {
        gint k = g_atomic_int_add(&w->next, 1);
        if (k >= N_TASKS) {
            return NULL;
        }
        run_task(w, task_order[k]);
    }
}

/* The number at "scales/S/KEY" of @r. */
static double
num(const ImpactResult *r, gsize s, const char *key)
{
    char path[128];
    g_snprintf(path, sizeof path, "scales/%zu/%s", (size_t) s, key);
    return impact_result_number(r, path);
}

static void
print_results(const ImpactResult *rel, const ImpactResult *agr, const ImpactResult *chg,
              const ImpactPairedEffect *eff, gsize n_scales)
{
    printf("results");
    for (gsize s = 0; s < n_scales; s++) {
        printf(" alpha%zu=%.15g", (size_t) s, num(rel, s, "alpha"));
    }
    for (gsize s = 0; agr && s < n_scales; s++) {
        printf(" icc1_%zu=%.15g icc2_%zu=%.15g rwg_j_mean%zu=%.15g", (size_t) s,
               num(agr, s, "icc1"), (size_t) s, num(agr, s, "icc2"),
               (size_t) s, num(agr, s, "mean_rwg_j"));
    }
    for (gsize s = 0; s < n_scales; s++) {
        double dz = chg ? num(chg, s, "arms/0/d_z") : eff[s].d_z;
        double n = chg ? num(chg, s, "arms/0/n_pairs") : eff[s].n;
        printf(" d_z%zu=%.15g n%zu=%.0f", (size_t) s, dz, (size_t) s, n);
    }
    printf("\n");
}

static int
run_memory(const ImpactCodebook *cb, const char *path, int threads, int reps)
{
    gsize n_scales = impact_codebook_n_scales(cb);
    double *t[N_TASKS + 2], *cpu[N_TASKS];
    for (int k = 0; k < N_TASKS; k++) {
        cpu[k] = g_new(double, reps);
    }
    for (int k = 0; k < N_TASKS + 2; k++) {
        t[k] = g_new(double, reps);
    }
    ImpactResult *last[N_TASKS] = { NULL };
    gsize rows = 0;
    for (int r = 0; r < reps; r++) {
        GError *error = NULL;
        ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
        ro.n_threads = (guint) threads;
        ImpactTable *data = NULL;
        double t0 = now();
        if (!impact_responses_read(&data, path, cb, &ro, &error)) {
            die(error);
        }
        double t1 = now();
        Work w = { data, cb, 0, NULL, { NULL }, { 0 }, { 0 } };
        GThread **th = g_new0(GThread *, threads);
        for (int i = 1; i < threads; i++) {
            th[i] = g_thread_new("stage", worker, &w);
        }
        worker(&w);
        for (int i = 1; i < threads; i++) {
            g_thread_join(th[i]);
        }
        g_free(th);
        double t2 = now();
        t[N_TASKS][r] = t1 - t0;     /* read */
        t[N_TASKS + 1][r] = t2 - t0; /* pipeline */
        for (int k = 0; k < N_TASKS; k++) {
            t[k][r] = w.seconds[k];
            cpu[k][r] = w.cpu[k];
            impact_result_free(last[k]);
            last[k] = w.res[k];
        }
        rows = impact_table_n_rows(data);
        impact_table_free(w.scores);
        impact_table_free(data);
    }
    printf("stage=read threads=%d median=%.4f rows=%zu\n", threads, median(t[N_TASKS], reps),
           (size_t) rows);
    for (int k = 0; k < N_TASKS; k++) {
        printf("stage=%s threads=%d median=%.4f cpu=%.4f\n", task_name[k], threads,
               median(t[k], reps), median(cpu[k], reps));
    }
    printf("stage=pipeline threads=%d median=%.4f\n", threads, median(t[N_TASKS + 1], reps));
    printf("peak_rss_mb=%.1f numeric_mb=%.1f\n", peak_rss_mb(),
           (double) rows * (double) impact_codebook_n_items(cb) * 8.0 / 1e6);
    print_results(last[T_RELIABILITY], last[T_AGREEMENT], last[T_CHANGE], NULL, n_scales);
    for (int k = 0; k < N_TASKS; k++) {
        impact_result_free(last[k]);
    }
    for (int k = 0; k < N_TASKS + 2; k++) {
        g_free(t[k]);
    }
    for (int k = 0; k < N_TASKS; k++) {
        g_free(cpu[k]);
    }
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
    ImpactAgreementOptions ao = IMPACT_AGREEMENT_OPTIONS_INIT;
    ao.group = "team";
    ImpactAgreementAcc *aacc = impact_agreement_acc_new(cb, &ao);
    Pairs *pairs = g_new0(Pairs, n_scales);
    /* open pairs: id → the scale scores of the wave seen first, and which */
    GHashTable *open = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    gsize rows = 0, chunks = 0;
    double t_read = 0, t_score = 0, t_rel = 0, t_agr = 0, t_change = 0;
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
        double d0 = now();
        if (!impact_agreement_acc_add(aacc, t, &error)) {
            die(error);
        }
        double d = now();
        t_agr += d - d0;
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
        t_rel += d0 - c;
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
    ImpactResult *agr = NULL;
    e = now();
    if (!impact_agreement_acc_result(&agr, aacc, &error)) {
        die(error);
    }
    t_agr += now() - e;
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
    printf("stage=stream-agreement median=%.4f\n", t_agr);
    printf("stage=stream-change median=%.4f\n", t_change);
    printf("stage=stream-pipeline median=%.4f\n", total);
    printf("peak_rss_mb=%.1f open_pairs=%u\n", peak_rss_mb(), g_hash_table_size(open));
    print_results(rel, agr, NULL, eff, n_scales);
    impact_result_free(rel);
    impact_result_free(agr);
    impact_agreement_acc_free(aacc);
    g_free(eff);
    g_free(pairs);
    g_hash_table_unref(open);
    impact_reliability_acc_free(acc);
    impact_reader_free(reader);
    return 0;
}

/* ---- pipelined mode (--flow) ---------------------------------------------- */

/* Parsing overlapped with the analyses: the calling thread reads chunks with
 * impact_reader_next() and hands them to WORKERS threads (at most 2 chunks per worker in flight, so memory stays
 * bounded whatever the file size). Each worker scores its chunks and adds
 * them to its own reliability, agreement and change accumulators; at the end
 * the accumulators are merged (impact_*_acc_merge) and give the results of
 * the whole file. With WORKERS = 0 the calling thread does everything in
 * turn. Pre and post rows of a participant may fall in different chunks or
 * workers: the change accumulator pairs them when merged. Memory: the
 * chunks in flight plus the accumulators; the change accumulator keeps the
 * scale sums of every unit and wave (O(units)), which the bounded --stream
 * mode avoids with its running pairs. */

typedef struct {
    GAsyncQueue *queue;       /* ImpactTable * chunks; the queue itself as end marker */
    GMutex lock;
    GCond room;
    guint in_flight, max_in_flight;
} Flow;

typedef struct {
    const ImpactCodebook *cb;
    Flow *flow;
    ImpactReliabilityAcc *rel;
    ImpactAgreementAcc *agr;
    ImpactChangeAcc *chg;
    double cpu[N_TASKS];      /* thread CPU seconds per stage */
    gsize rows;
} Stream;

static void
stream_init(Stream *s, const ImpactCodebook *cb, Flow *flow)
{
    GError *error = NULL;
    memset(s, 0, sizeof *s);
    s->cb = cb;
    s->flow = flow;
    s->rel = impact_reliability_acc_new(cb, IMPACT_MISSING_PAIRWISE);
    ImpactAgreementOptions ao = IMPACT_AGREEMENT_OPTIONS_INIT;
    ao.group = "team";
    s->agr = impact_agreement_acc_new(cb, &ao);
    ImpactChangeOptions co = IMPACT_CHANGE_OPTIONS_INIT;
    co.unit = "id";
    co.wave = "wave";
    co.pre = "pre";
    co.post = "post";
    s->chg = impact_change_acc_new(cb, &co, &error);
    if (s->chg == NULL) {
        die(error);
    }
}

static void
stream_clear(Stream *s)
{
    impact_reliability_acc_free(s->rel);
    impact_agreement_acc_free(s->agr);
    impact_change_acc_free(s->chg);
}

/* Scores @t and adds it to @s's accumulators; frees @t. */
static void
stream_chunk(Stream *s, ImpactTable *t)
{
    GError *error = NULL;
    ImpactTable *scores = NULL;
    double c0 = thread_cpu();
    if (!impact_score_table(&scores, t, s->cb, "id", NULL, &error)) {
        die(error);
    }
    double c1 = thread_cpu();
    if (!impact_reliability_acc_add(s->rel, t, &error)) {
        die(error);
    }
    double c2 = thread_cpu();
    if (!impact_agreement_acc_add(s->agr, t, &error)) {
        die(error);
    }
    double c3 = thread_cpu();
    if (!impact_change_acc_add(s->chg, t, &error)) {
        die(error);
    }
    double c4 = thread_cpu();
    s->cpu[T_SCORE] += c1 - c0;
    s->cpu[T_RELIABILITY] += c2 - c1;
    s->cpu[T_AGREEMENT] += c3 - c2;
    s->cpu[T_CHANGE] += c4 - c3;
    s->rows += impact_table_n_rows(t);
    impact_table_free(scores);
    impact_table_free(t);
}

static gpointer
stream_worker(gpointer p)
{
    Stream *s = p;
    Flow *f = s->flow;
    for (;;) {
        gpointer item = g_async_queue_pop(f->queue);
        if (item == (gpointer) f->queue) {
            return NULL;
        }
        stream_chunk(s, item);
        g_mutex_lock(&f->lock);
        f->in_flight--;
        g_cond_signal(&f->room);
        g_mutex_unlock(&f->lock);
    }
}

static int
run_flow(const ImpactCodebook *cb, const char *path, gsize chunk, int workers)
{
    gsize n_scales = impact_codebook_n_scales(cb);
    GError *error = NULL;
    double t0 = now();
    ImpactReader *reader = impact_reader_open(path, cb, NULL, &error);
    if (reader == NULL) {
        die(error);
    }
    int nw = MAX(workers, 1);
    Flow f = { g_async_queue_new(), { 0 }, { 0 }, 0, 2 * (guint) nw };
    g_mutex_init(&f.lock);
    g_cond_init(&f.room);
    Stream *s = g_new(Stream, nw);
    for (int i = 0; i < nw; i++) {
        stream_init(&s[i], cb, &f);
    }
    GThread **th = g_new0(GThread *, nw);
    for (int i = 0; workers > 0 && i < nw; i++) {
        th[i] = g_thread_new("stream", stream_worker, &s[i]);
    }
    gsize chunks = 0;
    double read_cpu = 0;
    for (;;) {
        if (workers > 0) {
            g_mutex_lock(&f.lock);
            while (f.in_flight >= f.max_in_flight) {
                g_cond_wait(&f.room, &f.lock);
            }
            g_mutex_unlock(&f.lock);
        }
        ImpactTable *t = NULL;
        double a = thread_cpu();
        if (!impact_reader_next(reader, &t, chunk, &error)) {
            die(error);
        }
        read_cpu += thread_cpu() - a;
        if (t == NULL) {
            break;
        }
        chunks++;
        if (workers == 0) {
            stream_chunk(&s[0], t);
            continue;
        }
        g_mutex_lock(&f.lock);
        f.in_flight++;
        g_mutex_unlock(&f.lock);
        g_async_queue_push(f.queue, t);
    }
    for (int i = 0; workers > 0 && i < nw; i++) {
        g_async_queue_push(f.queue, f.queue);
    }
    for (int i = 0; workers > 0 && i < nw; i++) {
        g_thread_join(th[i]);
    }
    /* merge every worker's accumulators into the first's, then the results */
    double m0 = thread_cpu();
    gsize rows = s[0].rows;
    for (int i = 1; i < nw; i++) {
        if (!impact_reliability_acc_merge(s[0].rel, s[i].rel, &error) ||
            !impact_agreement_acc_merge(s[0].agr, s[i].agr, &error) ||
            !impact_change_acc_merge(s[0].chg, s[i].chg, &error)) {
            die(error);
        }
        rows += s[i].rows;
        for (int k = 0; k < N_TASKS; k++) {
            s[0].cpu[k] += s[i].cpu[k];
        }
    }
    ImpactResult *rel = NULL, *agr = NULL, *chg = NULL;
    if (!impact_reliability_acc_result(&rel, s[0].rel, NULL, &error) ||
        !impact_agreement_acc_result(&agr, s[0].agr, &error) ||
        !impact_change_acc_result(&chg, s[0].chg, &error)) {
        die(error);
    }
    double finish_cpu = thread_cpu() - m0;
    double total = now() - t0;
    printf("stage=flow-read median=%.4f rows=%zu chunks=%zu chunk_rows=%zu workers=%d "
           "(CPU seconds of the reading thread)\n",
           read_cpu, (size_t) rows, (size_t) chunks, (size_t) chunk, workers);
    for (int k = 0; k < N_TASKS; k++) {
        printf("stage=flow-%s median=%.4f (CPU seconds, all workers)\n", task_name[k],
               s[0].cpu[k]);
    }
    printf("stage=flow-finish median=%.4f (merge and results, CPU seconds)\n", finish_cpu);
    printf("stage=flow-pipeline median=%.4f workers=%d\n", total, workers);
    printf("peak_rss_mb=%.1f\n", peak_rss_mb());
    print_results(rel, agr, chg, NULL, n_scales);
    impact_result_free(rel);
    impact_result_free(agr);
    impact_result_free(chg);
    g_mutex_clear(&f.lock);
    g_cond_clear(&f.room);
    for (int i = 0; i < nw; i++) {
        stream_clear(&s[i]);
    }
    g_free(th);
    g_free(s);
    g_async_queue_unref(f.queue);
    impact_reader_free(reader);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr,
                "usage: %s CODEBOOK RESPONSES [THREADS [REPEATS]] | --stream CHUNK_ROWS\n"
                "       | --flow CHUNK_ROWS WORKERS\n",
                argv[0]);
        return 2;
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
        die(error);
    }
    int rc;
    if (argc > 4 && strcmp(argv[3], "--stream") == 0) {
        rc = run_stream(cb, argv[2], (gsize) g_ascii_strtoull(argv[4], NULL, 10));
    } else if (argc > 4 && strcmp(argv[3], "--flow") == 0) {
        rc = run_flow(cb, argv[2], (gsize) g_ascii_strtoull(argv[4], NULL, 10),
                      argc > 5 ? atoi(argv[5]) : 0);
    } else {
        int threads = argc > 3 ? atoi(argv[3]) : 1;
        int reps = argc > 4 ? atoi(argv[4]) : 3;
        rc = run_memory(cb, argv[2], MAX(threads, 1), MAX(reps, 1));
    }
    impact_codebook_free(cb);
    return rc;
}
