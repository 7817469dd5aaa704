/* bench-agreement.c — time impact_agreement() on a synthetic staff survey:
 * 200,000 respondents × 40 items (4 scales of 10 items on 1..5) in 5,000
 * teams (within 100 organisations), data already in memory (no parsing).
 *
 *   bench/bench-agreement [respondents] [teams] [repeats]
 *
 * Prints the best and median wall time of `repeats` runs of the whole
 * analysis (accumulate, then every statistic, disclosure and the result
 * tree), without and with --within. Not part of `make check`.
 */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <libimpact/impact.h>

static int
cmp(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double
cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Best wall time; *median wall; *cpu the best process CPU time (the machine
 * is shared: CPU time is what the code costs, wall time what load adds). */
static double
run(const ImpactTable *t, const ImpactCodebook *cb, const char *within, int repeats,
    double *median, double *cpu)
{
    double *times = g_new(double, repeats);
    *cpu = 1e9;
    for (int r = 0; r < repeats; r++) {
        ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
        o.group = "team";
        o.within = within;
        ImpactResult *res = NULL;
        GError *err = NULL;
        gint64 t0 = g_get_monotonic_time();
        double c0 = cpu_now();
        if (!impact_agreement(&res, t, cb, &o, &err)) {
            fprintf(stderr, "bench-agreement: %s\n", err->message);
            exit(1);
        }
        *cpu = MIN(*cpu, cpu_now() - c0);
        times[r] = (double) (g_get_monotonic_time() - t0) / 1e6;
        impact_result_free(res);
    }
    qsort(times, (size_t) repeats, sizeof(double), cmp);
    double best = times[0];
    *median = times[repeats / 2];
    g_free(times);
    return best;
}

int
main(int argc, char **argv)
{
    gsize n = argc > 1 ? (gsize) atol(argv[1]) : 200000;
    gsize teams = argc > 2 ? (gsize) atol(argv[2]) : 5000;
    int repeats = argc > 3 ? atoi(argv[3]) : 5;
    const gsize n_scales = 4, per_scale = 10, orgs = MAX(teams / 50, 1);
    ImpactCodebook *cb = impact_codebook_new();
    ImpactTable *t = impact_table_new();
    GRand *rng = g_rand_new_with_seed(42);
    char **team = g_new0(char *, n + 1);
    char **org = g_new0(char *, n + 1);
    double *effect = g_new(double, teams * n_scales);
    for (gsize i = 0; i < teams * n_scales; i++) {
        effect[i] = g_rand_double_range(rng, -0.6, 0.6);
    }
    for (gsize i = 0; i < n; i++) {
        gsize g = (gsize) g_rand_int_range(rng, 0, (gint32) teams);
        team[i] = g_strdup_printf("T%05zu", g);
        org[i] = g_strdup_printf("O%03zu", g % orgs);
    }
    impact_table_add_text(t, "team", (const char *const *) team, n, NULL);
    impact_table_add_text(t, "org", (const char *const *) org, n, NULL);
    double *x = g_new(double, n);
    for (gsize s = 0; s < n_scales; s++) {
        g_autofree char *scale = g_strdup_printf("scale%zu", s + 1);
        for (gsize j = 0; j < per_scale; j++) {
            g_autofree char *item = g_strdup_printf("s%zu_i%02zu", s + 1, j + 1);
            impact_codebook_add_item(cb, item, scale, IMPACT_DOMAIN_TEAM, 1, 5, j == 3, 1.0, NULL,
                                     NULL);
            for (gsize i = 0; i < n; i++) {
                gsize g = (gsize) atol(team[i] + 1);
                double v = 3.0 + effect[g * n_scales + s] + g_rand_double_range(rng, -1.5, 1.5);
                v = CLAMP(floor(v + 0.5), 1.0, 5.0);
                /* 2% missing answers */
                x[i] = g_rand_int_range(rng, 0, 50) == 0 ? NAN : v;
            }
            impact_table_add_numeric(t, item, x, n, NULL);
        }
    }
    double med = 0;
    {
        /* phases: accumulate, then statistics + disclosure + result tree */
        ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
        o.group = "team";
        double add_best = 1e9, res_best = 1e9, add_cpu = 1e9, res_cpu = 1e9;
        for (int r = 0; r < repeats; r++) {
            ImpactAgreementAcc *acc = impact_agreement_acc_new(cb, &o);
            gint64 t0 = g_get_monotonic_time();
            double c0 = cpu_now();
            impact_agreement_acc_add(acc, t, NULL);
            gint64 t1 = g_get_monotonic_time();
            double c1 = cpu_now();
            ImpactResult *res = NULL;
            impact_agreement_acc_result(&res, acc, NULL);
            gint64 t2 = g_get_monotonic_time();
            double c2 = cpu_now();
            add_cpu = MIN(add_cpu, c1 - c0);
            res_cpu = MIN(res_cpu, c2 - c1);
            add_best = MIN(add_best, (double) (t1 - t0) / 1e6);
            res_best = MIN(res_best, (double) (t2 - t1) / 1e6);
            impact_result_free(res);
            impact_agreement_acc_free(acc);
        }
        printf("  phases (best of %d): accumulate %.4f s wall / %.4f s CPU; statistics + "
               "disclosure + result tree %.4f s wall / %.4f s CPU\n",
               repeats, add_best, add_cpu, res_best, res_cpu);
    }
    printf("bench-agreement: %zu respondents x %zu items (%zu scales) in %zu teams, %zu orgs\n", n,
           n_scales * per_scale, n_scales, teams, orgs);
    double cpu = 0;
    double best = run(t, cb, NULL, repeats, &med, &cpu);
    printf("  impact_agreement --group team:              best %.4f s, median %.4f s wall; "
           "best %.4f s CPU (%d runs)\n",
           best, med, cpu, repeats);
    best = run(t, cb, "org", repeats, &med, &cpu);
    printf("  impact_agreement --group team --within org: best %.4f s, median %.4f s wall; "
           "best %.4f s CPU (%d runs)\n",
           best, med, cpu, repeats);
    for (gsize i = 0; i < n; i++) {
        g_free(team[i]);
        g_free(org[i]);
    }
    g_free(team);
    g_free(org);
    g_free(effect);
    g_free(x);
    g_rand_free(rng);
    impact_table_free(t);
    impact_codebook_free(cb);
    return 0;
}
