/* impact.c — the `impact` command-line tool: dispatch to the commands.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const CliCommand commands[] = {
    { "score", "Scale scores per response (CSV: id, one column per scale)", cli_cmd_score },
    { "describe", "Item descriptives: n, missing, mean, SD, range, frequencies", cli_cmd_describe },
    { "change", "Change between waves: paired effects, control arm, RCI, cluster bootstrap", cli_cmd_change },
    { "reliability", "Scale reliability and item analysis: alpha, omega, item-rest r", cli_cmd_reliability },
    { "feedback", "360 feedback: self, roles, others, gaps, with rater anonymity", cli_cmd_feedback },
    { "agreement", "Team/organisation aggregation: rwg(j), AD, awg, ICC(1), ICC(2), with anonymity", cli_cmd_agreement },
    { "evaluate", "The programme's impact in three domains, with ROI and anonymity checks", cli_cmd_evaluate },
    { "simulate", "Seeded realistic evaluation data with known true effects", cli_cmd_simulate },
    { NULL, NULL, NULL }
};

static void
print_help(FILE *out)
{
    fprintf(out,
            "Usage: impact COMMAND [OPTIONS]\n\n"
            "libimpact %s: defensible impact numbers for leadership development programmes\n"
            "in three domains (individual, team, organisation).\n\nCommands:\n",
            impact_version());
    for (const CliCommand *c = commands; c->name; c++) {
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    }
    fprintf(out, "\nCommon options: --codebook/-c FILE, --data/-d FILE, --format/-f text|json|csv,\n"
                 "  --output/-o FILE, --missing CODES, --out-of-range error|missing, --threads N\n"
                 "Run 'impact COMMAND --help' for a command's options.\n"
                 "Exit status: 0 success, 1 data error, 2 usage error.\n");
}

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("impact (libimpact) %s\n", impact_version());
        return CLI_EXIT_OK;
    }
    for (const CliCommand *c = commands; c->name; c++) {
        if (strcmp(c->name, name) == 0) {
            return c->run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "impact: unknown command '%s'\nTry 'impact --help'.\n", name);
    return CLI_EXIT_USAGE;
}
