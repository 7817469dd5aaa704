/* cmd-change.c — `impact change`: change between waves per unit, per arm,
 * against a control arm, with reliable change and the cluster bootstrap.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct {
    char *unit, *wave, *pre, *post, *arm, *control, *cluster, *rho;
    char **scales;
    gint bootstrap;
    gint64 seed;
    double reliability, level;
} ChangeArgs;

static gboolean
show_progress(double fraction, gpointer data)
{
    fprintf(stderr, "\rimpact change: bootstrap %3.0f%%", 100.0 * fraction);
    if (fraction >= 1.0) {
        fputc('\n', stderr);
    }
    fflush(stderr);
    return TRUE;
}

static int
run(CliCommon *c, ChangeArgs *a)
{
    if (!cli_require(a->unit, "unit", "change") || !cli_require(a->wave, "wave", "change") ||
        !cli_require(a->pre, "pre", "change")) {
        return CLI_EXIT_USAGE;
    }
    if (a->control && !a->arm) {
        return cli_usage_error("change", "--control needs --arm");
    }
    if (a->bootstrap < 0) {
        return cli_usage_error("change", "--bootstrap must be 0 or more, not %d", a->bootstrap);
    }
    if (a->seed < 0) {
        return cli_usage_error("change", "--seed must be 0 or more");
    }
    ImpactRhoMethod rho = IMPACT_RHO_POOLED_ROWS;
    if (a->rho && strcmp(a->rho, "pooled-rows") != 0) {
        if (strcmp(a->rho, "within-arm") == 0) {
            rho = IMPACT_RHO_WITHIN_ARM;
        } else {
            return cli_usage_error("change", "--rho must be pooled-rows or within-arm, not '%s'",
                                   a->rho);
        }
    }
    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(ImpactTable) data = NULL;
    int rc = cli_load(c, &cb, &data);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = a->unit;
    o.wave = a->wave;
    o.pre = a->pre;
    o.post = a->post;
    o.arm = a->arm;
    o.control = a->control;
    o.cluster = a->cluster;
    o.bootstrap = (guint) a->bootstrap;
    o.seed = (guint64) a->seed;
    o.threads = (guint) c->threads;
    o.level = a->level;
    o.rho = rho;
    o.reliability = a->reliability;
    o.scales = (const char *const *) a->scales;
    if (a->bootstrap > 0 && isatty(STDERR_FILENO)) {
        o.progress = show_progress;
    }
    GError *error = NULL;
    g_autoptr(ImpactResult) res = NULL;
    if (!impact_change(&res, data, cb, &o, &error)) {
        return cli_fail(error);
    }
    g_autoptr(GPtrArray) tables = g_ptr_array_new();
    g_ptr_array_add(tables, "Change per arm (d_z CI: noncentral t; d_rm, d_av, d_b CIs: normal; "
                            "g = J·d)");
    g_ptr_array_add(tables, "scales/*/arms");
    if (a->control) {
        g_ptr_array_add(tables, "Against the control arm (DiD: Welch; d_ppc2: Morris 2008; "
                                "d_post: noncentral t)");
        g_ptr_array_add(tables, "scales/*/controlled");
    }
    if (a->bootstrap > 0) {
        g_ptr_array_add(tables, "Cluster bootstrap per arm (percentile and BCa intervals)");
        g_ptr_array_add(tables, "scales/*/arms/*/bootstrap");
        if (a->control) {
            g_ptr_array_add(tables, "Cluster bootstrap against the control arm");
            g_ptr_array_add(tables, "scales/*/controlled/*/bootstrap");
        }
    }
    g_ptr_array_add(tables, NULL);
    g_autofree char *text =
        cli_render(c, res, "scales/*/arms", (const char *const *) tables->pdata, &error);
    if (text == NULL) {
        return cli_fail(error);
    }
    return cli_write(c, text);
}

int
cli_cmd_change(int argc, char **argv)
{
    CliCommon c = { 0 };
    ChangeArgs a = { 0 };
    a.reliability = NAN;
    a.level = 0.95;
    a.seed = 1;
    const GOptionEntry entries[] = {
        { "unit", 0, 0, G_OPTION_ARG_STRING, &a.unit,
          "Unit-of-analysis column (participant, team or organisation id)", "COL" },
        { "wave", 0, 0, G_OPTION_ARG_STRING, &a.wave, "Wave column", "COL" },
        { "pre", 0, 0, G_OPTION_ARG_STRING, &a.pre, "Baseline wave label", "LABEL" },
        { "post", 0, 0, G_OPTION_ARG_STRING, &a.post,
          "Follow-up wave label (default: every other wave, each against the baseline)",
          "LABEL" },
        { "arm", 0, 0, G_OPTION_ARG_STRING, &a.arm, "Arm column (default: one arm, \"all\")",
          "COL" },
        { "control", 0, 0, G_OPTION_ARG_STRING, &a.control,
          "Comparison arm: every other arm is compared with it (needs --arm)", "LABEL" },
        { "cluster", 0, 0, G_OPTION_ARG_STRING, &a.cluster,
          "Cluster column resampled by the bootstrap (default: the units)", "COL" },
        { "bootstrap", 0, 0, G_OPTION_ARG_INT, &a.bootstrap,
          "Cluster bootstrap replicates (default 0: none; 2000 is usual)", "N" },
        { "seed", 0, 0, G_OPTION_ARG_INT64, &a.seed, "Bootstrap seed (default 1)", "S" },
        { "reliability", 0, 0, G_OPTION_ARG_DOUBLE, &a.reliability,
          "Reliability r_xx for the reliable change index (default: alpha at baseline)", "R" },
        { "rho", 0, 0, G_OPTION_ARG_STRING, &a.rho,
          "Pre-post correlation in d_ppc2's variance: pooled-rows (MDMA, default) or "
          "within-arm",
          "METHOD" },
        { "level", 0, 0, G_OPTION_ARG_DOUBLE, &a.level, "Confidence level (default 0.95)",
          "L" },
        { "scale", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.scales,
          "Analyse this scale (repeat for several; default: all)", "NAME" },
        { NULL }
    };
    int rc = CLI_EXIT_OK;
    if (cli_parse(&argc, &argv, "change",
                  "--codebook CB --data D --unit COL --wave COL --pre LABEL [--post LABEL] "
                  "[--arm COL --control LABEL] [--cluster COL --bootstrap N --seed S]",
                  "Change of every scale between a baseline and a follow-up per unit of "
                  "analysis: paired t, d_z (noncentral-t CI), d_rm, d_av, d_b and Hedges' g, "
                  "reliable change; with a control arm the difference in differences, Morris's "
                  "d_ppc2 and d at follow-up; cluster bootstrap (percentile and BCa) of every "
                  "effect, stratified by arm.",
                  entries, &c, &rc)) {
        rc = run(&c, &a);
    }
    g_free(a.unit);
    g_free(a.wave);
    g_free(a.pre);
    g_free(a.post);
    g_free(a.arm);
    g_free(a.control);
    g_free(a.cluster);
    g_free(a.rho);
    g_strfreev(a.scales);
    cli_common_clear(&c);
    return rc;
}
