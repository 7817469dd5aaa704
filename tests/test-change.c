/* test-change.c — the change analysis on real pre/post data against R.
 *
 * Fixtures (tests/data/change-make-fixtures.R): R's sleep, MASS::anorexia
 * (pre/post with a control arm), multilevel::univbct (soldiers in companies
 * and battalions, three waves, missing scores). Reference values:
 * tests/data/change-reference.R (R 4.2.2, effectsize 0.8.3), whose output
 * labels are quoted beside each number. "exact ncp" limits are R's uniroot on
 * pt() (tol 1e-15); effectsize 0.8.3's own limits come from optim(abstol
 * 1e-9) and agree with them only to ~1e-7 (checked at 5e-7). */
#include "config.h"
#include <string.h>
#include "testutil.h"

static ImpactCodebook *cb_sleep, *cb_anorexia, *cb_univbct;
static ImpactTable *t_sleep, *t_anorexia, *t_univbct;

static int
init(void)
{
    test_load_fixtures("change-sleep-codebook.csv", "change-sleep.csv", &cb_sleep, &t_sleep);
    test_load_fixtures("change-anorexia-codebook.csv", "change-anorexia.csv", &cb_anorexia, &t_anorexia);
    test_load_fixtures("change-univbct-codebook.csv", "change-univbct.csv", &cb_univbct, &t_univbct);
    return t_sleep && t_anorexia && t_univbct ? 0 : 1;
}

static int
cleanup(void)
{
    impact_table_free(t_sleep);
    impact_table_free(t_anorexia);
    impact_table_free(t_univbct);
    impact_codebook_free(cb_sleep);
    impact_codebook_free(cb_anorexia);
    impact_codebook_free(cb_univbct);
    return 0;
}

static ImpactResult *
change(const ImpactTable *t, const ImpactCodebook *cb, const ImpactChangeOptions *o)
{
    ImpactResult *r = NULL;
    GError *err = NULL;
    if (!impact_change(&r, t, cb, o, &err)) {
        fprintf(stderr, "impact_change: %s\n", err->message);
        g_error_free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return r;
}

static double
num(const ImpactResult *r, const char *path)
{
    return impact_result_number(r, path);
}

#define AT(r, prefix, key) num((r), prefix "/" key)

static void
test_sleep(void)
{
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "id";
    o.wave = "wave";
    o.pre = "pre";
    o.reliability = 0.8;
    ImpactResult *r = change(t_sleep, cb_sleep, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales"), 1);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/scale"), "sleep");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/domain"), "individual");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/post"), "post");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "posts/0"), "post");
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/arms"), 1);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/controlled"), 0);
    CU_ASSERT_EQUAL(impact_result_type(r, "bootstrap"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(num(r, "n_units"), 10);
#define A "scales/0/arms/0"
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, A "/arm"), "all");
    CU_ASSERT_EQUAL(AT(r, A, "n_pairs"), 10);
    CU_ASSERT_EQUAL(AT(r, A, "n_pre_only"), 0);
    CU_ASSERT_EQUAL(AT(r, A, "n_post_only"), 0);
    /* "sleep n, mean_pre, mean_post", "sleep sd_pre, sd_post, sd_change, r" */
    ASSERT_CLOSE(AT(r, A, "mean_pre"), 0.75, 1e-14);
    ASSERT_CLOSE(AT(r, A, "mean_post"), 2.3300000000000001, 1e-14);
    ASSERT_CLOSE(AT(r, A, "mean_change"), 1.58, 1e-14);
    ASSERT_CLOSE(AT(r, A, "sd_pre"), 1.78900965775916254, 1e-13);
    ASSERT_CLOSE(AT(r, A, "sd_change"), 1.22999548327987318, 1e-13);
    ASSERT_CLOSE(AT(r, A, "r"), 0.79517020583357778, 1e-13);
    /* "sleep t, df, p", "sleep change CI": t.test(post, pre, paired = TRUE) */
    ASSERT_CLOSE(AT(r, A, "t"), 4.0621276833820365582, 1e-13);
    CU_ASSERT_EQUAL(AT(r, A, "df"), 9);
    ASSERT_CLOSE(AT(r, A, "p"), 0.0028328901973842702, 1e-11);
    ASSERT_CLOSE(AT(r, A, "mean_change_ci/0"), 0.70011423672301754, 1e-13);
    ASSERT_CLOSE(AT(r, A, "mean_change_ci/1"), 2.45988576327698238, 1e-13);
    /* "sleep cohens_d(paired) d, CI", "sleep d_z exact ncp CI" */
    ASSERT_CLOSE(AT(r, A, "d_z"), 1.2845575625910546, 1e-13);
    ASSERT_CLOSE(AT(r, A, "d_z_ci/0"), 0.4146276676673542, 5e-7);
    ASSERT_CLOSE(AT(r, A, "d_z_ci/0"), 0.41462775638014437, 1e-9);
    ASSERT_CLOSE(AT(r, A, "d_z_ci/1"), 2.11801651397706747, 1e-9);
    /* "sleep d_rm, d_av, d_b, g_av" */
    ASSERT_CLOSE(AT(r, A, "d_rm"), 0.82217663838630950, 1e-13);
    ASSERT_CLOSE(AT(r, A, "d_av"), 0.83218108134953972, 1e-13);
    ASSERT_CLOSE(AT(r, A, "d_b"), 0.88317019036053779, 1e-13);
    ASSERT_CLOSE(AT(r, A, "g_av"), 0.76050939567011999, 1e-13);
    /* REFERENCE.md 2.9 (effectsize 1.0.3 rm_d, adjust = TRUE): g_rm CI */
    ASSERT_CLOSE(AT(r, A, "g_rm_ci/0"), 0.33202071, 1e-8);
    ASSERT_CLOSE(AT(r, A, "g_rm_ci/1"), 1.17071247, 1e-8);
    /* "sleep RCI S_diff, improved/unch/det" with r_xx = 0.8 */
    ASSERT_CLOSE(AT(r, A, "rci/s_diff"), 1.1314690549114554, 1e-14);
    CU_ASSERT_EQUAL(AT(r, A, "rci/improved"), 2);
    CU_ASSERT_EQUAL(AT(r, A, "rci/unchanged"), 8);
    CU_ASSERT_EQUAL(AT(r, A, "rci/deteriorated"), 0);
    CU_ASSERT_EQUAL(AT(r, A, "rci_improved"), 2);
    ASSERT_CLOSE(AT(r, A, "rci/share_improved"), 0.2, 1e-15);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/reliability_source"), "given");
#undef A
    impact_result_free(r);
}

static void
test_anorexia(void)
{
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "id";
    o.wave = "wave";
    o.pre = "pre";
    o.post = "post";
    o.arm = "arm";
    o.control = "Cont";
    o.reliability = 0.9;
    ImpactResult *r = change(t_anorexia, cb_anorexia, &o);
    /* arms in order of first appearance in the data: Cont, CBT, FT */
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/arms"), 3);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/arms/0/arm"), "Cont");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/arms/1/arm"), "CBT");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/arms/2/arm"), "FT");
    /* "anorexia Cont ..." */
    CU_ASSERT_EQUAL(num(r, "scales/0/arms/0/n_pairs"), 26);
    ASSERT_CLOSE(num(r, "scales/0/arms/0/t"), -0.28722539101502548, 1e-11);
    ASSERT_CLOSE(num(r, "scales/0/arms/0/mean_change_ci/0"), -3.6767075882943057, 1e-12);
    ASSERT_CLOSE(num(r, "scales/0/arms/0/d_z_ci/0"), -0.44046438966139884, 1e-9);
    ASSERT_CLOSE(num(r, "scales/0/arms/0/d_b"), -0.078849699862782799, 1e-12);
    CU_ASSERT_EQUAL(num(r, "scales/0/arms/0/rci/improved"), 6);
    CU_ASSERT_EQUAL(num(r, "scales/0/arms/0/rci/unchanged"), 11);
    CU_ASSERT_EQUAL(num(r, "scales/0/arms/0/rci/deteriorated"), 9);
    /* "anorexia CBT ..." */
    ASSERT_CLOSE(num(r, "scales/0/arms/1/p"), 0.035022597562188812, 1e-10);
    ASSERT_CLOSE(num(r, "scales/0/arms/1/d_z"), 0.411424333939763021, 1e-12);
    ASSERT_CLOSE(num(r, "scales/0/arms/1/d_z_ci/1"), 0.787484857289912021, 1e-9);
    ASSERT_CLOSE(num(r, "scales/0/arms/1/d_rm"), 0.41471518530034757, 1e-12);
    ASSERT_CLOSE(num(r, "scales/0/arms/1/rci/s_diff"), 2.1669710535210274, 1e-13);
    CU_ASSERT_EQUAL(num(r, "scales/0/arms/1/rci/improved"), 7);
    CU_ASSERT_EQUAL(num(r, "scales/0/arms/1/rci/deteriorated"), 2);
    /* "anorexia FT ..." */
    ASSERT_CLOSE(num(r, "scales/0/arms/2/sd_post"), 8.47507157700122882, 1e-13);
    ASSERT_CLOSE(num(r, "scales/0/arms/2/g_av"), 0.99337501052551258, 1e-12);
    CU_ASSERT_EQUAL(num(r, "scales/0/arms/2/rci/improved"), 12);

    /* controlled: CBT then FT against Cont */
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/controlled"), 2);
#define F "scales/0/controlled/1"
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, F "/treated"), "FT");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, F "/control"), "Cont");
    CU_ASSERT_EQUAL(AT(r, F, "n_treated"), 17);
    CU_ASSERT_EQUAL(AT(r, F, "n_control"), 26);
    /* "anorexia FT DiD, CI, df": t.test(cT, cC) (Welch) */
    ASSERT_CLOSE(AT(r, F, "did"), 7.7147058823529413, 1e-13);
    ASSERT_CLOSE(AT(r, F, "did_ci/0"), 2.9765966415247678, 1e-12);
    ASSERT_CLOSE(AT(r, F, "did_ci/1"), 12.4528151231811144, 1e-12);
    ASSERT_CLOSE(AT(r, F, "did_df"), 36.9788639294643033, 1e-12);
    /* "anorexia FT d_ppc2, rho, CI" (MDMA ρ over pooled rows) */
    ASSERT_CLOSE(AT(r, F, "d_ppc2"), 1.38998245698661194, 1e-13);
    ASSERT_CLOSE(AT(r, F, "rho"), 0.23157305041366352, 1e-13);
    ASSERT_CLOSE(AT(r, F, "d_ppc2_ci/0"), 0.56668148893151160, 1e-12);
    ASSERT_CLOSE(AT(r, F, "d_ppc2_ci/1"), 2.21328342504171216, 1e-12);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, F "/rho_method"), "pooled_rows");
    /* "anorexia FT d_ppc2 with exact J": J(41)·d/c_p */
    ASSERT_CLOSE(AT(r, F, "d_ppc2_exact_j"), 1.3899556720492996, 1e-13);
    /* "anorexia FT d_post, exact CI, g_post" */
    ASSERT_CLOSE(AT(r, F, "d_post"), 1.45261132887418198, 1e-13);
    ASSERT_CLOSE(AT(r, F, "d_post_ci/0"), 0.75856407773413359, 1e-9);
    ASSERT_CLOSE(AT(r, F, "d_post_ci/1"), 2.13253679767932436, 1e-9);
    ASSERT_CLOSE(AT(r, F, "g_post"), 1.42584867443398111, 1e-13);
#undef F
    /* "anorexia CBT DiD, CI, df", "anorexia CBT d_ppc2, rho, CI" */
    ASSERT_CLOSE(num(r, "scales/0/controlled/0/did"), 3.4568965517241370, 1e-13);
    ASSERT_CLOSE(num(r, "scales/0/controlled/0/did_ci/0"), -0.7044631926357503, 1e-12);
    ASSERT_CLOSE(num(r, "scales/0/controlled/0/d_ppc2"), 0.646695630510824349, 1e-13);
    ASSERT_CLOSE(num(r, "scales/0/controlled/0/d_ppc2_ci/0"), -0.015104248629025818, 1e-12);
    ASSERT_CLOSE(num(r, "scales/0/controlled/0/d_post_ci/0"), 0.11881692140307329, 1e-9);
    impact_result_free(r);

    /* pooled within-arm ρ: effect-reference.R "FT within-arm rho, var" */
    o.rho = IMPACT_RHO_WITHIN_ARM;
    r = change(t_anorexia, cb_anorexia, &o);
    ASSERT_CLOSE(num(r, "scales/0/controlled/1/rho"), 0.17795973781366783, 1e-13);
    ASSERT_CLOSE(num(r, "scales/0/controlled/1/d_ppc2_var"), 0.18701629992116686, 1e-12);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "rho_method"), "within_arm");
    impact_result_free(r);
}

static void
test_univbct(void)
{
    /* soldiers; waves 1 and 2 each against 0; all three scales */
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "subnum";
    o.wave = "time";
    o.pre = "0";
    o.reliability = 0.7;
    const char *const only[] = { "job_satisfaction", NULL };
    o.scales = only;
    ImpactResult *r = change(t_univbct, cb_univbct, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales"), 2);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/post"), "1");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/1/post"), "2");
    CU_ASSERT_EQUAL(num(r, "n_units"), 495);
    /* "univbct jsat 0-1 pre_only, post_only" 27 24; n 441 */
#define A "scales/0/arms/0"
    CU_ASSERT_EQUAL(AT(r, A, "n_pairs"), 441);
    CU_ASSERT_EQUAL(AT(r, A, "n_pre_only"), 27);
    CU_ASSERT_EQUAL(AT(r, A, "n_post_only"), 24);
    CU_ASSERT_EQUAL(num(r, "scales/0/n_units_pre_only"), 27);
    ASSERT_CLOSE(AT(r, A, "mean_pre"), 3.2403628140589569, 1e-13);
    ASSERT_CLOSE(AT(r, A, "t"), 0.44119318543990255, 1e-11);
    ASSERT_CLOSE(AT(r, A, "p"), 0.65928985866891876, 1e-11);
    ASSERT_CLOSE(AT(r, A, "d_z_ci/0"), -0.07234466594012548, 1e-9);
    ASSERT_CLOSE(AT(r, A, "d_z_ci/1"), 0.11433920226843156, 1e-9);
    ASSERT_CLOSE(AT(r, A, "d_av"), 0.019828505292548530, 1e-11);
    CU_ASSERT_EQUAL(AT(r, A, "rci/improved"), 21);
    CU_ASSERT_EQUAL(AT(r, A, "rci/unchanged"), 398);
    CU_ASSERT_EQUAL(AT(r, A, "rci/deteriorated"), 22);
#undef A
#define A "scales/1/arms/0"
    /* "univbct jsat 0-2 ..." */
    CU_ASSERT_EQUAL(AT(r, A, "n_pairs"), 442);
    CU_ASSERT_EQUAL(AT(r, A, "n_pre_only"), 26);
    CU_ASSERT_EQUAL(AT(r, A, "n_post_only"), 21);
    ASSERT_CLOSE(AT(r, A, "t"), 1.915484404518520867, 1e-12);
    ASSERT_CLOSE(AT(r, A, "d_z"), 0.0911103019038865813, 1e-12);
    ASSERT_CLOSE(AT(r, A, "d_z_ci/0"), -0.0023607071259240226, 1e-9);
    ASSERT_CLOSE(AT(r, A, "d_b"), 0.095195104832555957, 1e-12);
    CU_ASSERT_EQUAL(AT(r, A, "rci/improved"), 37);
    CU_ASSERT_EQUAL(AT(r, A, "rci/deteriorated"), 21);
#undef A
    impact_result_free(r);

    /* teams: a team's wave score is the mean of its members' scores */
    o.unit = "team";
    o.post = "1";
    o.reliability = NAN;
    r = change(t_univbct, cb_univbct, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales"), 1);
#define A "scales/0/arms/0"
    /* "univbct teams jsat 0-1 ..." */
    CU_ASSERT_EQUAL(AT(r, A, "n_pairs"), 43);
    ASSERT_CLOSE(AT(r, A, "mean_pre"), 3.3831530199408419, 1e-13);
    ASSERT_CLOSE(AT(r, A, "mean_post"), 3.2899952232374519, 1e-13);
    ASSERT_CLOSE(AT(r, A, "sd_change"), 0.41545616275977243, 1e-12);
    ASSERT_CLOSE(AT(r, A, "t"), -1.47037540828375590, 1e-11);
    ASSERT_CLOSE(AT(r, A, "d_z_ci/0"), -0.525622297381285741, 1e-9);
    ASSERT_CLOSE(AT(r, A, "d_rm"), -0.14436866894640044, 1e-11);
#undef A
    impact_result_free(r);
}

/* The bootstrap: bit-identical JSON whatever the thread count; estimates
 * equal to the point estimates; intervals around them. */
static void
test_bootstrap(void)
{
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "subnum";
    o.wave = "time";
    o.pre = "0";
    o.post = "2";
    o.cluster = "btn";
    o.bootstrap = 400;
    o.seed = 42;
    o.reliability = 0.7;
    char *json[3];
    guint threads[3] = { 1, 2, 4 };
    for (int i = 0; i < 3; i++) {
        o.threads = threads[i];
        ImpactResult *r = change(t_univbct, cb_univbct, &o);
        json[i] = impact_result_to_json(r, FALSE);
        if (i == 0) {
            CU_ASSERT_EQUAL(num(r, "bootstrap/replicates"), 400);
            CU_ASSERT_EQUAL(num(r, "bootstrap/seed"), 42);
            /* univbct has 16 battalions (R: length(unique(univbct$BTN))) */
            CU_ASSERT_EQUAL(num(r, "bootstrap/clusters"), 16);
            /* per arm: 9 effects; the bootstrap estimate is the point estimate */
            for (gsize s = 0; s < 3; s++) {
                g_autofree char *base = g_strdup_printf("scales/%" G_GSIZE_FORMAT "/arms/0", s);
                g_autofree char *bp = g_strdup_printf("%s/bootstrap", base);
                CU_ASSERT_EQUAL(impact_result_length(r, bp), 9);
                const char *names[] = { "mean_change", "d_z", "g_z", "d_av", "g_b" };
                for (int k = 0; k < 5; k++) {
                    gsize idx = k < 3 ? (gsize) k : k == 3 ? 5 : 8;
                    g_autofree char *ep = g_strdup_printf("%s/%" G_GSIZE_FORMAT "/effect", bp, idx);
                    CU_ASSERT_STRING_EQUAL(impact_result_string(r, ep), names[k]);
                    g_autofree char *est = g_strdup_printf("%s/%" G_GSIZE_FORMAT "/estimate", bp, idx);
                    g_autofree char *pt = g_strdup_printf("%s/%s", base, names[k]);
                    ASSERT_CLOSE(num(r, est), num(r, pt), 1e-12);
                    g_autofree char *lo = g_strdup_printf("%s/%" G_GSIZE_FORMAT "/percentile_ci/0", bp, idx);
                    g_autofree char *hi = g_strdup_printf("%s/%" G_GSIZE_FORMAT "/percentile_ci/1", bp, idx);
                    CU_ASSERT(num(r, lo) < num(r, pt) && num(r, pt) < num(r, hi));
                    g_autofree char *blo = g_strdup_printf("%s/%" G_GSIZE_FORMAT "/bca_ci/0", bp, idx);
                    CU_ASSERT(isfinite(num(r, blo)));
                }
            }
        }
        impact_result_free(r);
    }
    CU_ASSERT_STRING_EQUAL(json[0], json[1]);
    CU_ASSERT_STRING_EQUAL(json[0], json[2]);
    for (int i = 0; i < 3; i++) {
        g_free(json[i]);
    }

    /* with arms and a control: stratified by arm, 4 controlled effects */
    ImpactChangeOptions a = IMPACT_CHANGE_OPTIONS_INIT;
    a.unit = "id";
    a.wave = "wave";
    a.pre = "pre";
    a.arm = "arm";
    a.control = "Cont";
    a.bootstrap = 500;
    a.threads = 2;
    ImpactResult *r = change(t_anorexia, cb_anorexia, &a);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/controlled/1/bootstrap"), 4);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/controlled/1/bootstrap/1/effect"),
                           "d_ppc2");
    ASSERT_CLOSE(num(r, "scales/0/controlled/1/bootstrap/1/estimate"),
                 num(r, "scales/0/controlled/1/d_ppc2"), 1e-12);
    ASSERT_CLOSE(num(r, "scales/0/controlled/1/bootstrap/0/estimate"),
                 num(r, "scales/0/controlled/1/did"), 1e-12);
    ASSERT_CLOSE(num(r, "scales/0/controlled/1/bootstrap/3/estimate"),
                 num(r, "scales/0/controlled/1/g_post"), 1e-12);
    /* the bootstrap SE of the DiD is near Welch's (units are the clusters):
     * 2.338 by R: sqrt(var(cT)/17 + var(cC)/26); within 15% with 500 replicates */
    ASSERT_CLOSE(num(r, "scales/0/controlled/1/bootstrap/0/se"),
                 num(r, "scales/0/controlled/1/did_se"), 0.15 * 2.338);
    CU_ASSERT_EQUAL(num(r, "bootstrap/clusters"), 72);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "bootstrap/strata"), "arm");
    impact_result_free(r);
}

/* Seeded coverage simulation through impact_change: 2 arms × 40 learning
 * sets of 5 participants; pre = u_c + a_i + e, post = pre-level + v_c + δ·T
 * + e', with a cluster-level change effect v_c ~ N(0, 0.5²) (ICC of change
 * 0.25/(0.25 + 2·0.25) = 1/3, design effect 1 + 4/3 = 2.3), δ = 0.4. Over
 * 300 evaluations (999 replicates each) the 95% cluster-bootstrap intervals
 * of the DiD should cover δ in 95% ± 3.8% (3 binomial SEs, √(.95·.05/300) =
 * 0.0126); Welch's interval, which treats participants as independent,
 * must cover visibly less (≈ 2Φ(1.96/√2.3) − 1 = 0.80). */
static void
test_coverage(void)
{
    enum { G = 80, M = 5, SIMS = 300 };
    const gsize n = G * M, rows = 2 * n;
    const double delta = 0.4;
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\ny,s,individual,-100,100\n");
    char **unit = g_new0(char *, rows), **wave = g_new0(char *, rows);
    char **arm = g_new0(char *, rows), **set = g_new0(char *, rows);
    double *y = g_new(double, rows);
    for (gsize i = 0; i < n; i++) {
        for (int w = 0; w < 2; w++) {
            gsize r = 2 * i + (gsize) w;
            unit[r] = g_strdup_printf("p%" G_GSIZE_FORMAT, i);
            wave[r] = g_strdup(w ? "post" : "pre");
            arm[r] = g_strdup(i / M < G / 2 ? "T" : "C");
            set[r] = g_strdup_printf("s%" G_GSIZE_FORMAT, i / M);
        }
    }
    int cover_pct = 0, cover_bca = 0, cover_welch = 0;
    for (int k = 0; k < SIMS; k++) {
        ImpactRng rng;
        impact_rng_init(&rng, 777, (guint64) k);
        for (gsize c = 0; c < G; c++) {
            double u = 0.5 * impact_rng_normal(&rng), v = 0.5 * impact_rng_normal(&rng);
            for (gsize j = 0; j < M; j++) {
                gsize i = c * M + j;
                double a = impact_rng_normal(&rng);
                y[2 * i] = u + a + 0.5 * impact_rng_normal(&rng);
                y[2 * i + 1] = u + a + v + (c < G / 2 ? delta : 0) + 0.5 * impact_rng_normal(&rng);
            }
        }
        ImpactTable *t = impact_table_new();
        CU_ASSERT_TRUE_FATAL(impact_table_add_text(t, "unit", (const char *const *) unit, rows, NULL));
        CU_ASSERT_TRUE_FATAL(impact_table_add_text(t, "wave", (const char *const *) wave, rows, NULL));
        CU_ASSERT_TRUE_FATAL(impact_table_add_text(t, "arm", (const char *const *) arm, rows, NULL));
        CU_ASSERT_TRUE_FATAL(impact_table_add_text(t, "set", (const char *const *) set, rows, NULL));
        CU_ASSERT_TRUE_FATAL(impact_table_add_numeric(t, "y", y, rows, NULL));
        ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
        o.unit = "unit";
        o.wave = "wave";
        o.pre = "pre";
        o.arm = "arm";
        o.control = "C";
        o.cluster = "set";
        o.bootstrap = 999;
        o.seed = (guint64) k + 1;
        o.reliability = 0.8;
        ImpactResult *r = change(t, cb, &o);
#define C "scales/0/controlled/0/"
        double lo = num(r, C "bootstrap/0/percentile_ci/0"), hi = num(r, C "bootstrap/0/percentile_ci/1");
        cover_pct += lo <= delta && delta <= hi;
        lo = num(r, C "bootstrap/0/bca_ci/0");
        hi = num(r, C "bootstrap/0/bca_ci/1");
        cover_bca += lo <= delta && delta <= hi;
        cover_welch += num(r, C "did_ci/0") <= delta && delta <= num(r, C "did_ci/1");
#undef C
        impact_result_free(r);
        impact_table_free(t);
    }
    double p = cover_pct / (double) SIMS, q = cover_bca / (double) SIMS;
    double w = cover_welch / (double) SIMS;
    printf("\n    DiD coverage over %d evaluations: bootstrap percentile %.3f, BCa %.3f, "
           "Welch %.3f\n",
           SIMS, p, q, w);
    CU_ASSERT(fabs(p - 0.95) <= 0.038);
    CU_ASSERT(fabs(q - 0.95) <= 0.038);
    CU_ASSERT(w < 0.88);
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
    g_free(y);
    impact_codebook_free(cb);
}

static gboolean
stop_now(double fraction, gpointer data)
{
    return FALSE;
}

/* r_xx = raw alpha of the scale on the baseline rows (reliability module),
 * change-reference.R "bfi agreeableness ..." (psych 2.2.9 alpha) */
static void
test_alpha_at_baseline(void)
{
    g_autofree char *cbp = test_fixture("bfi-codebook.csv");
    g_autofree char *dp = test_fixture("change-bfi.csv");
    ImpactCodebook *cb = NULL;
    ImpactTable *t = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE_FATAL(impact_codebook_read_csv(&cb, cbp, &err));
    CU_ASSERT_TRUE_FATAL(impact_responses_read(&t, dp, cb, NULL, &err));
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "unit";
    o.wave = "wave";
    o.pre = "pre";
    const char *const only[] = { "agreeableness", NULL };
    o.scales = only;
    ImpactResult *r = change(t, cb, &o);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/reliability_source"),
                           "raw alpha at baseline");
    ASSERT_CLOSE(num(r, "scales/0/reliability"), 0.71600359111148038, 1e-12);
#define A "scales/0/arms/0"
    CU_ASSERT_EQUAL(AT(r, A, "n_pairs"), 150);
    ASSERT_CLOSE(AT(r, A, "mean_pre"), 4.5549999999999997, 1e-14);
    ASSERT_CLOSE(AT(r, A, "t"), 1.00917111435310569, 1e-11);
    ASSERT_CLOSE(AT(r, A, "d_z_ci/1"), 0.242563939036142678, 1e-9);
    ASSERT_CLOSE(AT(r, A, "rci/s_diff"), 0.70575806045086942, 1e-11);
    CU_ASSERT_EQUAL(AT(r, A, "rci/improved"), 25);
    CU_ASSERT_EQUAL(AT(r, A, "rci/unchanged"), 105);
    CU_ASSERT_EQUAL(AT(r, A, "rci/deteriorated"), 20);
#undef A
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);

    /* a one-item scale has no alpha: the RCI is null, the reason given */
    o.unit = "id";
    o.scales = NULL;
    r = change(t_sleep, cb_sleep, &o);
    CU_ASSERT(g_str_has_prefix(impact_result_string(r, "scales/0/reliability_source"),
                               "raw alpha at baseline undefined: "));
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/reliability"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/arms/0/rci/improved"), IMPACT_VALUE_NULL);
    impact_result_free(r);
}

static void
test_errors(void)
{
    ImpactResult *r = NULL;
    GError *err = NULL;
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit option is required");
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit option is required");
    o.unit = "id";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "wave option");
    o.wave = "wave";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "pre option");
    o.pre = "pre";
    o.version = 7;
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "version");
    o.version = 1;
    o.control = "x";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "needs an arm column");
    o.control = NULL;
    o.post = "pre";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "is the baseline");
    o.post = NULL;
    o.level = 95;
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "level");
    o.level = 0.95;
    o.reliability = 1.0;
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "reliability 1");
    o.reliability = NAN;
    o.rho = (ImpactRhoMethod) 9;
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "rho");
    o.rho = IMPACT_RHO_POOLED_ROWS;
    const char *const bad[] = { "sleep", "dreams", NULL };
    o.scales = bad;
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "no scale 'dreams'");
    o.scales = NULL;
    /* data errors */
    o.unit = "person";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "unknown column 'person'");
    o.unit = "id";
    o.pre = "baseline";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "baseline wave 'baseline' not found in column 'wave' "
                                          "(waves are: 'pre', 'post')");
    o.pre = "pre";
    o.post = "later";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "follow-up wave 'later'");
    o.post = NULL;
    o.arm = "wave";
    o.control = "placebo";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "unit 'p1' is in arm 'post' but in arm 'pre'");
    o.arm = NULL;
    o.control = NULL;
    o.cluster = "wave";
    CU_ASSERT_FALSE(impact_change(&r, t_sleep, cb_sleep, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "unit 'p1' is in cluster 'post' but in cluster 'pre'");
    o.cluster = NULL;
    CU_ASSERT_PTR_NULL(r);

    /* control label absent; cluster across arms; missing arm / cluster;
     * one wave only; cancelled bootstrap */
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\nq,s,team,1,5\n");
    ImpactTable *t = test_table("u,w,arm,cl,q\n"
                                "a,0,T,c1,1\nb,0,C,c1,2\na,1,T,c1,3\nb,1,C,c1,4\n"
                                "c,0,,c2,2\nd,0,T,,2\n",
                                cb);
    ImpactChangeOptions x = IMPACT_CHANGE_OPTIONS_INIT;
    x.unit = "u";
    x.wave = "w";
    x.pre = "0";
    x.arm = "arm";
    x.control = "Z";
    CU_ASSERT_FALSE(impact_change(&r, t, cb, &x, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "row 5: unit 'c' has no value in arm column 'arm'");
    x.unit = "cl"; /* rows with a missing unit are skipped; c2 has no arm */
    CU_ASSERT_FALSE(impact_change(&r, t, cb, &x, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "unit 'c1' is in arm 'C' but in arm 'T'");
    impact_table_free(t);
    t = test_table("u,w,arm,cl,q\n"
                   "a,0,T,c1,1\nb,0,C,c1,2\na,1,T,c1,3\nb,1,C,c1,4\nd,0,T,,2\n",
                   cb);
    x.unit = "u";
    CU_ASSERT_FALSE(impact_change(&r, t, cb, &x, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "control arm 'Z' has no unit");
    x.control = "C";
    x.cluster = "cl";
    CU_ASSERT_FALSE(impact_change(&r, t, cb, &x, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "row 5: unit 'd' has no value in cluster column 'cl'");
    impact_table_free(t);
    t = test_table("u,w,arm,cl,q\na,0,T,c1,1\nb,0,C,c1,2\na,1,T,c1,3\nb,1,C,c1,4\n", cb);
    CU_ASSERT_FALSE(impact_change(&r, t, cb, &x, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "cluster 'c1' holds unit 'a' of arm 'T' and unit 'b' of arm 'C'");
    x.cluster = NULL;
    x.bootstrap = 100;
    x.progress = stop_now;
    CU_ASSERT_FALSE(impact_change(&r, t, cb, &x, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_CANCELLED, "cancelled");
    impact_table_free(t);
    t = test_table("u,w,q\na,0,1\nb,0,2\n", cb);
    ImpactChangeOptions y = IMPACT_CHANGE_OPTIONS_INIT;
    y.unit = "u";
    y.wave = "w";
    y.pre = "0";
    CU_ASSERT_FALSE(impact_change(&r, t, cb, &y, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "only the baseline wave '0'");
    impact_table_free(t);
    t = test_table("u,w,q\n,0,1\n,1,2\n", cb);
    CU_ASSERT_FALSE(impact_change(&r, t, cb, &y, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "no row has a unit");
    impact_table_free(t);
    CU_ASSERT_PTR_NULL(r);
    impact_codebook_free(cb);
}

static void
test_degenerate(void)
{
    /* hand-made: units seen once, a unit with two rows in a wave (mean),
     * rows without a score, an arm with a single pair, numeric unit ids */
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\nq1,s,team,1,5\nq2,s,team,1,5\n");
    ImpactTable *t = test_table("team,w,arm,q1,q2\n"
                                "1,pre,T,1,3\n"   /* team 1 pre: rows 2 and 4 → mean(2, 4) = 3 */
                                "1,post,T,4,4\n"  /* team 1 post: 4 */
                                "1,pre,T,4,4\n"
                                "2,pre,T,2,2\n"   /* team 2 pre only */
                                "3,post,T,5,5\n"  /* team 3 post only */
                                "4,pre,C,3,3\n"   /* team 4: the control's only pair */
                                "4,post,C,2,2\n"
                                "5,pre,C,,\n"     /* no score: not counted anywhere */
                                "5,mid,C,5,5\n",  /* a third wave, not asked for */
                                cb);
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "team";
    o.wave = "w";
    o.pre = "pre";
    o.post = "post";
    o.arm = "arm";
    o.control = "C";
    o.bootstrap = 50;
    ImpactResult *r = change(t, cb, &o);
#define A "scales/0/arms/0"
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, A "/arm"), "T");
    CU_ASSERT_EQUAL(AT(r, A, "n_pairs"), 1);
    CU_ASSERT_EQUAL(AT(r, A, "n_pre_only"), 1);
    CU_ASSERT_EQUAL(AT(r, A, "n_post_only"), 1);
    ASSERT_CLOSE(AT(r, A, "mean_pre"), 3.0, 1e-15);
    ASSERT_CLOSE(AT(r, A, "mean_change"), 1.0, 1e-15);
    CU_ASSERT_EQUAL(impact_result_type(r, A "/sd_change"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, A "/d_z"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, A "/df"), IMPACT_VALUE_NULL);
    /* one pair: no baseline SD, so no S_diff: RCI counts are null */
    CU_ASSERT_EQUAL(impact_result_type(r, A "/rci/improved"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, A "/rci_improved"), IMPACT_VALUE_NULL);
#undef A
    CU_ASSERT_EQUAL(num(r, "scales/0/arms/1/n_pairs"), 1);
    CU_ASSERT_EQUAL(num(r, "scales/0/n_units_pre_only"), 1);
    CU_ASSERT_EQUAL(num(r, "scales/0/n_units_post_only"), 1);
    CU_ASSERT_EQUAL(num(r, "n_units"), 5);
    /* DiD with one pair per arm: the difference only */
    ASSERT_CLOSE(num(r, "scales/0/controlled/0/did"), 2.0, 1e-15); /* 1 − (−1) */
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/controlled/0/did_ci"), IMPACT_VALUE_ARRAY);
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/controlled/0/did_ci/0"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/controlled/0/d_ppc2"), IMPACT_VALUE_NULL);
    /* bootstrap of two clusters in two strata: every replicate is the
     * sample, so the percentile interval of the DiD is the point; BCa null */
    ASSERT_CLOSE(num(r, "scales/0/controlled/0/bootstrap/0/percentile_ci/0"), 2.0, 1e-15);
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/controlled/0/bootstrap/0/bca_ci/0"),
                    IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(num(r, "bootstrap/clusters"), 2);
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static CU_TestInfo tests[] = {
    { "sleep: one arm against t.test, cohens_d and the rm_d formulas", test_sleep },
    { "anorexia: three arms, DiD, d_ppc2, d_post against a control", test_anorexia },
    { "univbct: soldiers and teams, two follow-ups, units seen once", test_univbct },
    { "cluster bootstrap: identical for 1, 2, 4 threads; estimates", test_bootstrap },
    { "RCI with raw alpha at baseline (bfi)", test_alpha_at_baseline },
    { "seeded coverage of the clustered DiD intervals", test_coverage },
    { "errors", test_errors },
    { "degenerate: single pairs, team means, unscored rows", test_degenerate },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "change", init, cleanup, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
