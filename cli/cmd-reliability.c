/* cmd-reliability.c — `impact reliability`: scale reliability and item analysis.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <string.h>
#include "cli.h"

typedef struct {
    char *policy;
    double ci_level;
    gboolean no_omega;
} RelArgs;

static int
run(CliCommon *c, RelArgs *a)
{
    ImpactReliabilityOptions ro = IMPACT_RELIABILITY_OPTIONS_INIT;
    /* --missing pairwise|listwise is accepted as the policy: neither word can
     * be a missing-value code of a numeric item */
    if (a->policy == NULL && c->missing &&
        (strcmp(c->missing, "pairwise") == 0 || strcmp(c->missing, "listwise") == 0)) {
        a->policy = g_strdup(c->missing);
        g_clear_pointer(&c->missing, g_free);
        g_clear_pointer(&c->missing_codes, g_strfreev);
    }
    if (a->policy == NULL || strcmp(a->policy, "pairwise") == 0) {
        ro.missing = IMPACT_MISSING_PAIRWISE;
    } else if (strcmp(a->policy, "listwise") == 0) {
        ro.missing = IMPACT_MISSING_LISTWISE;
    } else {
        return cli_usage_error("reliability", "--deletion must be pairwise or listwise, not '%s'",
                               a->policy);
    }
    ro.ci_level = a->ci_level;
    ro.omega = !a->no_omega;
    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(ImpactTable) data = NULL;
    int rc = cli_load(c, &cb, &data);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    GError *error = NULL;
    g_autoptr(ImpactResult) res = NULL;
    if (!impact_reliability(&res, data, cb, &ro, &error)) {
        return cli_fail(error);
    }
    g_autofree char *h1 = g_strdup_printf(
        "Scale reliability (%s deletion; alpha_ci: Feldt %g%% CI; omega_total: one-factor "
        "minres on the pairwise correlations)",
        ro.missing == IMPACT_MISSING_LISTWISE ? "listwise" : "pairwise", 100 * ro.ci_level);
    const char *tables[7] = { h1, "scales", "Items (keyed with the codebook range)",
                              "scales/*/items", NULL, NULL, NULL };
    if (impact_result_length(res, "warnings") > 0) {
        tables[4] = "Warnings";
        tables[5] = "warnings";
    }
    g_autofree char *text = cli_render(c, res, "scales/*/items", tables, &error);
    if (text == NULL) {
        return cli_fail(error);
    }
    return cli_write(c, text);
}

int
cli_cmd_reliability(int argc, char **argv)
{
    CliCommon c = { 0 };
    RelArgs a = { NULL, 0.95, FALSE };
    const GOptionEntry extra[] = {
        { "deletion", 0, 0, G_OPTION_ARG_STRING, &a.policy,
          "Missing answers: pairwise (default, as psych) or listwise; "
          "--missing pairwise|listwise is accepted too", "POLICY" },
        { "ci-level", 0, 0, G_OPTION_ARG_DOUBLE, &a.ci_level,
          "Level of the Feldt confidence interval of alpha (default 0.95)", "LEVEL" },
        { "no-omega", 0, 0, G_OPTION_ARG_NONE, &a.no_omega, "Do not compute omega total", NULL },
        { NULL }
    };
    int rc = CLI_EXIT_OK;
    if (cli_parse(&argc, &argv, "reliability", "--codebook CB --data D",
                  "Reliability of every scale of the codebook (items keyed with the codebook "
                  "range): Cronbach's alpha (raw, standardised, Feldt CI, Duhachek SE), G6(smc), "
                  "average r, omega total (one-factor minres), and per item n, mean, SD, r with "
                  "the total, item-rest r (r_drop) and alpha if dropped. Matches R psych 2.2.9 "
                  "alpha() and omega(x, nfactors = 1). Formats: text (tables), json (everything), "
                  "csv (the item table with the scale's name).",
                  extra, &c, &rc)) {
        rc = run(&c, &a);
    }
    g_free(a.policy);
    cli_common_clear(&c);
    return rc;
}
