/* cmd-agreement.c — `impact agreement`: aggregation to teams and
 * organisations, within-group agreement, ICC, with disclosure control.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <string.h>
#include "cli.h"

typedef struct {
    char *group;
    char *within;
    int min_group;
    char *missing_policy;
    char *null_name;
    gboolean lindell;
    double threshold;
    gboolean pool_all;
} AgreementArgs;

static int
run(CliCommon *c, const AgreementArgs *a)
{
    if (!cli_require(a->group, "group", "agreement")) {
        return CLI_EXIT_USAGE;
    }
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = a->group;
    o.within = a->within;
    if (a->min_group < 1) {
        return cli_usage_error("agreement", "--min-group must be at least 1, not %d",
                               a->min_group);
    }
    o.min_group = (gsize) a->min_group;
    /* `--missing listwise|pairwise` (the common --missing otherwise lists
     * missing-value codes): take those two words as the policy */
    const char *policy = a->missing_policy;
    if (c->missing && (strcmp(c->missing, "listwise") == 0 || strcmp(c->missing, "pairwise") == 0)) {
        if (policy && strcmp(policy, c->missing) != 0) {
            return cli_usage_error("agreement", "--missing %s contradicts --missing-policy %s",
                                   c->missing, policy);
        }
        policy = c->missing;
        g_clear_pointer(&c->missing_codes, g_strfreev);
    }
    if (policy == NULL || strcmp(policy, "listwise") == 0) {
        o.missing = IMPACT_MISSING_LISTWISE;
    } else if (strcmp(policy, "pairwise") == 0) {
        o.missing = IMPACT_MISSING_PAIRWISE;
    } else {
        return cli_usage_error("agreement", "--deletion must be listwise or pairwise, not '%s'",
                               policy);
    }
    GError *error = NULL;
    if (a->null_name && !impact_null_distribution_parse(a->null_name, &o.null_distribution, &error)) {
        return cli_fail(error);
    }
    o.lindell = a->lindell;
    o.rwg_threshold = a->threshold;
    o.pool_all = a->pool_all;

    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(ImpactTable) data = NULL;
    int rc = cli_load(c, &cb, &data);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    g_autoptr(ImpactResult) res = NULL;
    if (!impact_agreement(&res, data, cb, &o, &error)) {
        return cli_fail(error);
    }
    const char *const tables[] = { "Agreement and ICC per scale",
                                   "scales",
                                   "Groups (published)",
                                   "scales/*/groups",
                                   "Suppressed groups (fewer than --min-group people, or to protect them)",
                                   "scales/*/suppressed",
                                   a->within ? "Parents (--within)" : NULL,
                                   "scales/*/parents/groups",
                                   a->within ? "Suppressed parents" : NULL,
                                   "scales/*/parents/suppressed",
                                   NULL };
    g_autofree char *text = cli_render(c, res, "scales/*/groups", tables, &error);
    if (text == NULL) {
        return cli_fail(error);
    }
    return cli_write(c, text);
}

int
cli_cmd_agreement(int argc, char **argv)
{
    CliCommon c = { 0 };
    AgreementArgs a = { NULL, NULL, 3, NULL, NULL, FALSE, 0.70, FALSE };
    const GOptionEntry entries[] = {
        { "group", 'g', 0, G_OPTION_ARG_STRING, &a.group,
          "Column identifying each response's group (team or organisation)", "COL" },
        { "within", 'w', 0, G_OPTION_ARG_STRING, &a.within,
          "Column of the group's parent (e.g. organisation for teams); groups are then keyed "
          "by parent and group, and parents get their own statistics",
          "COL" },
        { "min-group", 'k', 0, G_OPTION_ARG_INT, &a.min_group,
          "Anonymity threshold k: no statistic of fewer than k people is shown (default 3)",
          "K" },
        { "deletion", 0, 0, G_OPTION_ARG_STRING, &a.missing_policy,
          "Missing answers: listwise (default, multilevel 2.7) or pairwise (per item, "
          "multilevel 2.8); --missing-policy and `--missing listwise|pairwise` do the same",
          "POLICY" },
        { "missing-policy", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &a.missing_policy,
          "Same as --deletion", "POLICY" },
        { "null", 0, 0, G_OPTION_ARG_STRING, &a.null_name,
          "Null distribution of rwg: uniform (default), slight, moderate, heavy, triangular, "
          "normal (LeBreton & Senter 2008; 5 to 11 options)",
          "NAME" },
        { "lindell", 0, 0, G_OPTION_ARG_NONE, &a.lindell,
          "Untruncated Lindell r*wg(j) = 1 - mean item variance / null variance", NULL },
        { "rwg-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &a.threshold,
          "rwg(j) at or above which a group counts as agreeing (default 0.70)", "R" },
        { "pool-all", 0, 0, G_OPTION_ARG_NONE, &a.pool_all,
          "Pool ICC, design effects and mean rwg(j) over all groups, suppressed ones included "
          "(as multilevel); default: over the published groups, so pooled numbers cannot help "
          "to reveal a suppressed group",
          NULL },
        { NULL }
    };
    int rc = CLI_EXIT_OK;
    if (cli_parse(&argc, &argv, "agreement",
                  "--codebook CB --data D --group COL [--within COL] [--min-group K] "
                  "[--deletion listwise|pairwise] [--null NAME] [--lindell] [--pool-all]",
                  "Aggregation of individual answers to groups: per scale and group n, mean, SD, "
                  "rwg(j), AD about the mean and the median, awg; per scale ICC(1), ICC(2), the "
                  "design effect and effective N. Groups of fewer than --min-group people, and "
                  "groups whose statistics would reveal them, are suppressed.",
                  entries, &c, &rc)) {
        rc = run(&c, &a);
    }
    g_free(a.group);
    g_free(a.within);
    g_free(a.missing_policy);
    g_free(a.null_name);
    cli_common_clear(&c);
    return rc;
}
