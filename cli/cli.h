/* cli.h — shared plumbing of the `impact` command-line tool: common options,
 * loading codebook and data, rendering results, atomic output, errors.
 *
 * The CLI is a thin layer: every statistic comes from libimpact.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#ifndef IMPACT_CLI_H
#define IMPACT_CLI_H

#include <libimpact/impact.h>

/* Exit codes */
#define CLI_EXIT_OK 0
#define CLI_EXIT_DATA 1  /* the data, codebook or design is wrong */
#define CLI_EXIT_USAGE 2 /* the command line is wrong */

typedef enum { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV } CliFormat;

/* Options every command takes. */
typedef struct {
    char *codebook;
    char *data;
    char *format_name;
    char *output;
    char *missing;      /* comma-separated extra missing codes */
    char *out_of_range; /* "error" | "missing" */
    gint threads;       /* --threads: 0 = one per core (default) */
    CliFormat format;
    const char *cmd;    /* the command's name, for messages */
    /* derived */
    char **missing_codes;
} CliCommon;

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} CliCommand;

/* Parses the command line of command @cmd (argv[0] is the command name):
 * the common options plus @extra (may be NULL). @params is the usage line
 * after the command name. Returns FALSE after printing a message, with
 * *exit_code set (0 for --help, 2 for usage errors). */
gboolean cli_parse(int *argc, char ***argv, const char *cmd, const char *params,
                   const char *description, const GOptionEntry *extra, CliCommon *common,
                   int *exit_code);

/* Requires --codebook and --data; reads both. Returns an exit code. */
int cli_load(CliCommon *common, ImpactCodebook **codebook, ImpactTable **data);

/* From here on, results written by cli_write() go to the real standard
 * output and anything else printed on stdout (libRmath's warnings) goes to
 * stderr. Called by cli_load(); commands that compute without loading data
 * call it themselves after parsing their options. */
void cli_protect_stdout(void);

/* Checks that option @value (named @name) was given; prints usage error. */
gboolean cli_require(const char *value, const char *name, const char *cmd);

/* Writes @text to --output (atomically: a temporary file renamed into place,
 * so an error never leaves a partial file) or stdout. Returns an exit code. */
int cli_write(const CliCommon *common, const char *text);

/* Renders @result in the chosen format: JSON (pretty), CSV of the records
 * at @csv_path, or text: @title then a table for each (heading, path) pair
 * of @text_tables (NULL-terminated, alternating heading and path). */
char *cli_render(const CliCommon *common, const ImpactResult *result, const char *csv_path,
                 const char *const *text_tables, GError **error);

/* Prints "impact: MESSAGE" on stderr, frees @error, returns the exit code
 * (2 for IMPACT_ERROR_INVALID, which is a wrong option value; 1 otherwise). */
int cli_fail(GError *error);

/* Prints "impact: MESSAGE" for a usage error and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

void cli_common_clear(CliCommon *common);

/* Commands */
int cli_cmd_score(int argc, char **argv);
int cli_cmd_describe(int argc, char **argv);
int cli_cmd_change(int argc, char **argv);
int cli_cmd_reliability(int argc, char **argv);
int cli_cmd_feedback(int argc, char **argv);
int cli_cmd_agreement(int argc, char **argv);
int cli_cmd_simulate(int argc, char **argv);
int cli_cmd_evaluate(int argc, char **argv);

#endif /* IMPACT_CLI_H */
