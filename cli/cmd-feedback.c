/* cmd-feedback.c — `impact feedback`: multi-source (360°) feedback with
 * rater anonymity.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
    char *participant, *rater, *self, *role_map, *wave, *policy, *importance;
    char **exempt; /* repeatable, each may be comma-separated */
    int min_raters, highlight;
    gboolean allow_missing_self;
    double min_answered, gap_threshold;
} Opts;

static void
opts_clear(Opts *o)
{
    g_free(o->participant);
    g_free(o->rater);
    g_free(o->self);
    g_free(o->role_map);
    g_free(o->wave);
    g_free(o->policy);
    g_free(o->importance);
    g_strfreev(o->exempt);
}

static int
run(CliCommon *c, Opts *o)
{
    if (!cli_require(o->participant, "participant", c->cmd) ||
        !cli_require(o->rater, "rater", c->cmd)) {
        return CLI_EXIT_USAGE;
    }
    if (o->min_raters < 1) {
        return cli_usage_error(c->cmd, "--min-raters must be at least 1, not %d", o->min_raters);
    }
    if (o->highlight < 1) {
        return cli_usage_error(c->cmd, "--highlight must be at least 1, not %d", o->highlight);
    }
    ImpactFeedbackOptions fo = IMPACT_FEEDBACK_OPTIONS_INIT;
    if (o->policy == NULL || strcmp(o->policy, "merge") == 0) {
        fo.policy = IMPACT_ANONYMITY_MERGE;
    } else if (strcmp(o->policy, "suppress") == 0) {
        fo.policy = IMPACT_ANONYMITY_SUPPRESS;
    } else {
        return cli_usage_error(c->cmd, "--policy must be merge or suppress, not '%s'", o->policy);
    }
    g_auto(GStrv) map = o->role_map ? g_strsplit(o->role_map, ",", -1) : NULL;
    g_autoptr(GPtrArray) exempt = g_ptr_array_new_with_free_func(g_free);
    for (gsize i = 0; o->exempt && o->exempt[i]; i++) {
        g_auto(GStrv) parts = g_strsplit(o->exempt[i], ",", -1);
        for (gsize j = 0; parts[j]; j++) {
            g_ptr_array_add(exempt, g_strstrip(g_strdup(parts[j])));
        }
    }
    g_ptr_array_add(exempt, NULL);
    fo.participant = o->participant;
    fo.rater = o->rater;
    if (o->self) {
        fo.self_label = o->self;
    }
    fo.role_map = (const char *const *) map;
    fo.min_raters = (gsize) o->min_raters;
    fo.exempt = exempt->len > 1 ? (const char *const *) exempt->pdata : NULL;
    fo.wave = o->wave;
    fo.importance_suffix = o->importance;
    fo.n_highlight = (gsize) o->highlight;
    fo.min_answered = o->min_answered;
    fo.gap_threshold = o->gap_threshold;
    fo.allow_missing_self = o->allow_missing_self;

    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(ImpactTable) data = NULL;
    int rc = cli_load(c, &cb, &data);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    GError *error = NULL;
    g_autoptr(ImpactResult) res = NULL;
    if (!impact_feedback(&res, data, cb, &fo, &error)) {
        return cli_fail(error);
    }
    const char *const tables[] = { "Participants by scale (others = all raters but self; gap = self - others)",
                                   "participants/*/scales",
                                   "Shown roles",
                                   "participants/*/scales/*/roles",
                                   "Roles not shown (anonymity)",
                                   "suppressed",
                                   "Cohort: self-others gaps and others' scores",
                                   "cohort",
                                   "Rater ICC across participants (raters nested: ICC1, ICC1k)",
                                   "icc/*/forms",
                                   NULL };
    g_autofree char *text = cli_render(c, res, "participants/*/scales", tables, &error);
    if (text == NULL) {
        return cli_fail(error);
    }
    return cli_write(c, text);
}

int
cli_cmd_feedback(int argc, char **argv)
{
    CliCommon c = { 0 };
    Opts o = { 0 };
    o.min_raters = 3;
    o.highlight = 3;
    o.min_answered = 0.5;
    const GOptionEntry entries[] = {
        { "participant", 0, 0, G_OPTION_ARG_STRING, &o.participant,
          "Column of the participant (leader) rated", "COL" },
        { "rater", 0, 0, G_OPTION_ARG_STRING, &o.rater, "Column of the rater's role label", "COL" },
        { "self", 0, 0, G_OPTION_ARG_STRING, &o.self, "Label of self-ratings (default self)",
          "LABEL" },
        { "role-map", 0, 0, G_OPTION_ARG_STRING, &o.role_map,
          "Map rater labels to roles: label=role,... (default: labels are roles)", "MAP" },
        { "min-raters", 'k', 0, G_OPTION_ARG_INT, &o.min_raters,
          "Anonymity threshold k: fewest raters a shown mean may have (default 3)", "K" },
        { "exempt", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.exempt,
          "Role exempt from k, e.g. the line manager (repeatable or comma-separated)", "ROLE" },
        { "policy", 0, 0, G_OPTION_ARG_STRING, &o.policy,
          "A role below k: merge (into others, default) or suppress (left out)", "POLICY" },
        { "wave", 0, 0, G_OPTION_ARG_STRING, &o.wave, "Column of the wave (optional)", "COL" },
        { "importance-suffix", 0, 0, G_OPTION_ARG_STRING, &o.importance,
          "Items whose name ends with SUF rate the importance of their scale", "SUF" },
        { "highlight", 0, 0, G_OPTION_ARG_INT, &o.highlight,
          "Number of strengths and development areas per participant (default 3)", "N" },
        { "allow-missing-self", 0, 0, G_OPTION_ARG_NONE, &o.allow_missing_self,
          "Report a participant without a self form (self and gap empty) instead of failing",
          NULL },
        { "min-answered", 0, 0, G_OPTION_ARG_DOUBLE, &o.min_answered,
          "Items a form must answer to get a scale score: fraction or count (default 0.5)", "X" },
        { "gap-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &o.gap_threshold,
          "Over-/under-rater when |self - others| exceeds this (default 0)", "X" },
        { NULL }
    };
    int rc = CLI_EXIT_OK;
    if (cli_parse(&argc, &argv, "feedback",
                  "--codebook CB --data D --participant COL --rater COL [OPTIONS]",
                  "Multi-source (360°) feedback on the codebook's individual scales: self, "
                  "each role's mean and n, others (all but self), the self-others gap, ranks, "
                  "importance, rwg(j), cohort summaries and the rater ICC. A role with fewer "
                  "than k raters is never shown, and no combination of shown numbers reveals "
                  "the mean of fewer than k raters (see impact-feedback.h).",
                  entries, &c, &rc)) {
        rc = run(&c, &o);
    }
    opts_clear(&o);
    cli_common_clear(&c);
    return rc;
}
