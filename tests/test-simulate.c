/* test-simulate.c — the simulator: determinism, structure, files that read back. */
#include "config.h"
#include <string.h>
#include <glib/gstdio.h>
#include "testutil.h"

static ImpactSimulation *
sim_ok(const ImpactSimulateOptions *o)
{
    ImpactSimulation *s = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_simulate(&s, o, &err));
    if (err) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    return s;
}

static void
test_determinism(void)
{
    ImpactSimulateOptions o = IMPACT_SIMULATE_OPTIONS_INIT;
    o.participants = 20;
    o.organisations = 4;
    ImpactSimulation *a = sim_ok(&o), *b = sim_ok(&o);
    o.seed = 2;
    ImpactSimulation *c = sim_ok(&o);
    char *ta = impact_table_to_csv(impact_simulation_responses(a));
    char *tb = impact_table_to_csv(impact_simulation_responses(b));
    char *tc = impact_table_to_csv(impact_simulation_responses(c));
    CU_ASSERT_STRING_EQUAL(ta, tb);
    CU_ASSERT(strcmp(ta, tc) != 0);
    g_free(ta);
    g_free(tb);
    g_free(tc);
    impact_simulation_free(a);
    impact_simulation_free(b);
    impact_simulation_free(c);
    impact_simulation_free(NULL);
}

static void
test_structure(void)
{
    ImpactSimulateOptions o = IMPACT_SIMULATE_OPTIONS_INIT;
    o.dropout = 0;
    o.form_missing = 0;
    o.missing = 0;
    ImpactSimulation *s = sim_ok(&o);
    const ImpactTable *t = impact_simulation_responses(s);
    const ImpactCodebook *cb = impact_simulation_codebook(s);
    /* no dropout, no missing forms: per wave 150 × (1 self + 1 manager + 3
     * peers + 3 reports) 360 forms, 10 × 30 staff forms, and 4..8 team
     * members per team */
    gsize form = (gsize) impact_table_column_index(t, "form");
    const guint32 *fc = impact_table_codes(t, form);
    gsize n360 = 0, nstaff = 0, nteam = 0;
    for (gsize i = 0; i < impact_table_n_rows(t); i++) {
        const char *f = impact_table_level(t, form, fc[i]);
        n360 += strcmp(f, "360") == 0;
        nstaff += strcmp(f, "staff") == 0;
        nteam += strcmp(f, "team") == 0;
    }
    CU_ASSERT_EQUAL(n360, 3 * 150 * 8);
    CU_ASSERT_EQUAL(nstaff, 3 * 10 * 30);
    CU_ASSERT(nteam >= 3 * 150 * 4 && nteam <= 3 * 150 * 8);
    CU_ASSERT_EQUAL(impact_codebook_n_scales(cb), 9);
    CU_ASSERT_EQUAL(impact_codebook_n_items(cb), 29);
    /* the arm is constant within an organisation; the design fits the data */
    gsize org = (gsize) impact_table_column_index(t, "organisation");
    gsize arm = (gsize) impact_table_column_index(t, "arm");
    const guint32 *oc = impact_table_codes(t, org), *ac = impact_table_codes(t, arm);
    g_autofree guint32 *org_arm = g_new(guint32, impact_table_n_levels(t, org));
    memset(org_arm, 0xff, sizeof(guint32) * impact_table_n_levels(t, org));
    gboolean constant = TRUE;
    for (gsize i = 0; i < impact_table_n_rows(t); i++) {
        if (org_arm[oc[i]] == G_MAXUINT32) {
            org_arm[oc[i]] = ac[i];
        }
        constant = constant && org_arm[oc[i]] == ac[i];
    }
    CU_ASSERT_TRUE(constant);
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_design_check(impact_simulation_design(s), cb, t, &err));
    g_clear_error(&err);
    /* the truth: true_did = programme − comparison change (simulator constants) */
    const ImpactResult *truth = impact_simulation_truth(s);
    CU_ASSERT_EQUAL(impact_result_length(truth, "scales"), 8);
    CU_ASSERT_STRING_EQUAL(impact_result_string(truth, "scales/0/scale"), "inspiring_vision");
    ASSERT_CLOSE(impact_result_number(truth, "scales/0/true_did"), 0.35 - 0.05, 1e-15);
    ASSERT_CLOSE(impact_result_number(truth, "scales/4/true_did"), 0.20 - 0.03, 1e-15);
    impact_simulation_free(s);

    /* effect_scale multiplies the programme's extra change */
    o.effect_scale = 0.0;
    s = sim_ok(&o);
    ASSERT_CLOSE(impact_result_number(impact_simulation_truth(s), "scales/0/true_did"), 0.0,
                 1e-15);
    impact_simulation_free(s);
}

static void
test_files(void)
{
    ImpactSimulateOptions o = IMPACT_SIMULATE_OPTIONS_INIT;
    o.participants = 12;
    o.organisations = 3;
    ImpactSimulation *s = sim_ok(&o);
    g_autofree char *dir = g_dir_make_tmp("impact-sim-XXXXXX", NULL);
    GError *err = NULL;
    CU_ASSERT_TRUE_FATAL(impact_simulation_write(s, dir, &err));
    g_autofree char *cbp = g_build_filename(dir, "codebook.csv", NULL);
    g_autofree char *rp = g_build_filename(dir, "responses.csv", NULL);
    g_autofree char *dp = g_build_filename(dir, "design.ini", NULL);
    g_autofree char *tp = g_build_filename(dir, "truth.json", NULL);
    ImpactCodebook *cb = NULL;
    ImpactTable *t = NULL;
    ImpactDesign *d = NULL;
    CU_ASSERT_TRUE_FATAL(impact_codebook_read_csv(&cb, cbp, &err));
    CU_ASSERT_TRUE_FATAL(impact_responses_read(&t, rp, cb, NULL, &err));
    CU_ASSERT_TRUE_FATAL(impact_design_read_file(&d, dp, &err));
    g_autofree char *c1 = impact_codebook_to_csv(cb);
    g_autofree char *c2 = impact_codebook_to_csv(impact_simulation_codebook(s));
    CU_ASSERT_STRING_EQUAL(c1, c2);
    CU_ASSERT_EQUAL(impact_codebook_item_reverse(cb, (gsize) impact_codebook_item_index(cb, "ie3")),
                    TRUE);
    g_autofree char *t1 = impact_table_to_csv(t);
    g_autofree char *t2 = impact_table_to_csv(impact_simulation_responses(s));
    CU_ASSERT_STRING_EQUAL(t1, t2);
    g_autofree char *d1 = impact_design_to_data(d);
    g_autofree char *d2 = impact_design_to_data(impact_simulation_design(s));
    CU_ASSERT_STRING_EQUAL(d1, d2);
    CU_ASSERT_TRUE(impact_design_check(d, cb, t, &err));
    g_clear_error(&err);
    g_unlink(cbp);
    g_unlink(rp);
    g_unlink(dp);
    g_unlink(tp);
    g_rmdir(dir);
    impact_design_free(d);
    impact_table_free(t);
    impact_codebook_free(cb);
    /* an unwritable directory */
    CU_ASSERT_FALSE(impact_simulation_write(s, "/proc/impact-no/such", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_IO, "/proc/impact-no/such");
    impact_simulation_free(s);
}

static void
test_errors(void)
{
    ImpactSimulateOptions o;
    ImpactSimulation *s = (ImpactSimulation *) 0x1;
    GError *err = NULL;
#define BAD(field, value, needle)                                          \
    o = (ImpactSimulateOptions) IMPACT_SIMULATE_OPTIONS_INIT;              \
    o.field = value;                                                       \
    CU_ASSERT_FALSE(impact_simulate(&s, &o, &err));                        \
    CU_ASSERT_PTR_EQUAL(s, (ImpactSimulation *) 0x1);                      \
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, needle)
    BAD(version, 7, "version must be 1");
    BAD(participants, 3, "participants must be at least 4");
    BAD(organisations, 1, "organisations must be at least 2");
    BAD(waves, 1, "waves must be from 2 to 20");
    BAD(cohorts, 0, "cohorts");
    BAD(comparison_share, 1.0, "comparison_share");
    BAD(clustered_share, -0.1, "clustered_share");
    BAD(cluster_size, 1, "cluster_size");
    BAD(missing, 1.0, "missing, form_missing and dropout");
    BAD(effect_scale, NAN, "effect_scale");
    BAD(participants, 10000000, "more than 10 million rows");
#undef BAD
}

static CU_TestInfo tests[] = {
    { "same seed, same data", test_determinism },
    { "structure of the simulated evaluation", test_structure },
    { "written files read back identically", test_files },
    { "option errors", test_errors },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "simulate", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
