/* cmd-simulate.c — `impact simulate`: a seeded, realistic evaluation data set.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <stdio.h>
#include "cli.h"

static char *dir = NULL;
static gint64 seed = 1;
static gint participants = 150, organisations = 10, waves = 3, cohorts = 3, staff = 30;
static gint team_size = 6;
static double effect_scale = 1.0, missing_rate = 0.03;

static int
run(CliCommon *c)
{
    if (!cli_require(dir, "dir", "simulate")) {
        return CLI_EXIT_USAGE;
    }
    if (participants < 0 || organisations < 0 || waves < 0 || cohorts < 0 || staff < 0 ||
        team_size < 0 || seed < 0) {
        return cli_usage_error("simulate", "counts and the seed must not be negative");
    }
    ImpactSimulateOptions o = IMPACT_SIMULATE_OPTIONS_INIT;
    o.seed = (guint64) seed;
    o.participants = (gsize) participants;
    o.organisations = (gsize) organisations;
    o.waves = (gsize) waves;
    o.cohorts = (gsize) cohorts;
    o.staff = (gsize) staff;
    o.team_size = (gsize) team_size;
    o.effect_scale = effect_scale;
    o.missing = missing_rate;
    GError *error = NULL;
    g_autoptr(ImpactSimulation) sim = NULL;
    if (!impact_simulate(&sim, &o, &error) || !impact_simulation_write(sim, dir, &error)) {
        return cli_fail(error);
    }
    g_autofree char *msg = g_strdup_printf(
        "wrote %s/{codebook.csv,responses.csv,design.ini,truth.json}: %" G_GSIZE_FORMAT
        " responses\n",
        dir, impact_table_n_rows(impact_simulation_responses(sim)));
    if (c->output) {
        return cli_write(c, msg);
    }
    fputs(msg, stderr);
    return CLI_EXIT_OK;
}

int
cli_cmd_simulate(int argc, char **argv)
{
    CliCommon c = { 0 };
    int rc = CLI_EXIT_OK;
    const GOptionEntry extra[] = {
        { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Directory to write (created)", "DIR" },
        { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 1)", "S" },
        { "participants", 0, 0, G_OPTION_ARG_INT, &participants,
          "Participants (leaders), default 150", "N" },
        { "organisations", 0, 0, G_OPTION_ARG_INT, &organisations,
          "Organisations, default 10 (40% comparison)", "N" },
        { "waves", 0, 0, G_OPTION_ARG_INT, &waves, "Waves, default 3", "N" },
        { "cohorts", 0, 0, G_OPTION_ARG_INT, &cohorts, "Cohorts, default 3", "N" },
        { "staff", 0, 0, G_OPTION_ARG_INT, &staff,
          "Staff survey respondents per organisation and wave, default 30", "N" },
        { "team-size", 0, 0, G_OPTION_ARG_INT, &team_size,
          "Mean team survey respondents per wave, default 6", "N" },
        { "effect-scale", 0, 0, G_OPTION_ARG_DOUBLE, &effect_scale,
          "Multiply every true programme effect (default 1; 0 = no effect)", "X" },
        { "missing-rate", 0, 0, G_OPTION_ARG_DOUBLE, &missing_rate,
          "Share of unanswered items, default 0.03", "P" },
        { NULL }
    };
    if (cli_parse(&argc, &argv, "simulate", "--dir DIR [--seed S] [--participants N]",
                  "Writes a seeded, realistic evaluation (codebook.csv, responses.csv, "
                  "design.ini) and its true effects (truth.json): cohorts, programme and "
                  "comparison organisations, learning sets, 360 raters, changing team members, "
                  "staff surveys, missing answers, a support scale and costs.",
                  extra, &c, &rc)) {
        rc = run(&c);
    }
    g_clear_pointer(&dir, g_free);
    cli_common_clear(&c);
    return rc;
}
