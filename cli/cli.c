/* cli.c — shared plumbing of the `impact` tool.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "cli.h"

/* Where results go when --output is not given. libRmath (standalone) prints
 * its rare warnings with printf on standard output, which would corrupt JSON
 * or CSV written there: cli_protect_stdout() keeps a private copy of the real
 * standard output for results and points file descriptor 1 at stderr. */
static FILE *results_out;

void
cli_protect_stdout(void)
{
    if (results_out != NULL) {
        return;
    }
    fflush(stdout);
    int fd = dup(STDOUT_FILENO);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        if (fd >= 0) {
            close(fd);
        }
        results_out = stdout;
        return;
    }
    if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        fclose(f);
        results_out = stdout;
        return;
    }
    results_out = f;
}

void
cli_common_clear(CliCommon *c)
{
    g_free(c->codebook);
    g_free(c->data);
    g_free(c->format_name);
    g_free(c->output);
    g_free(c->missing);
    g_free(c->out_of_range);
    g_strfreev(c->missing_codes);
    memset(c, 0, sizeof *c);
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "impact: %s\nTry 'impact %s --help'.\n", msg, cmd ? cmd : "");
    return CLI_EXIT_USAGE;
}

int
cli_fail(GError *error)
{
    int code = CLI_EXIT_DATA;
    if (error) {
        fprintf(stderr, "impact: %s\n", error->message);
        if (error->domain == IMPACT_ERROR && error->code == IMPACT_ERROR_INVALID) {
            code = CLI_EXIT_USAGE;
        }
        g_error_free(error);
    }
    return code;
}

gboolean
cli_parse(int *argc, char ***argv, const char *cmd, const char *params, const char *description,
          const GOptionEntry *extra, CliCommon *c, int *exit_code)
{
    const GOptionEntry common[] = {
        { "codebook", 'c', 0, G_OPTION_ARG_FILENAME, &c->codebook,
          "Codebook CSV (item, scale, domain, min, max, reverse, weight, label)", "FILE" },
        { "data", 'd', 0, G_OPTION_ARG_FILENAME, &c->data, "Survey responses CSV", "FILE" },
        { "format", 'f', 0, G_OPTION_ARG_STRING, &c->format_name,
          "Output format: text (default), json or csv", "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &c->output,
          "Write to FILE (atomically) instead of standard output", "FILE" },
        { "missing", 0, 0, G_OPTION_ARG_STRING, &c->missing,
          "Extra missing-value codes, comma-separated (empty and NA always are)", "CODES" },
        { "out-of-range", 0, 0, G_OPTION_ARG_STRING, &c->out_of_range,
          "Answers outside an item's range: error (default) or missing (counted)", "POLICY" },
        { "threads", 0, 0, G_OPTION_ARG_INT, &c->threads,
          "Threads for reading the data and for the bootstrap (default 0: one per core; "
          "results do not depend on it)", "N" },
        { NULL }
    };
    c->cmd = cmd;
    /* usage line: "impact CMD [OPTION…] PARAMS" */
    g_autofree char *prgname = g_strdup_printf("impact %s", cmd);
    g_set_prgname(prgname);
    g_autoptr(GOptionContext) ctx = g_option_context_new(params ? params : "");
    g_option_context_set_summary(ctx, description);
    GOptionGroup *main_group = g_option_group_new(cmd, description, "Options", NULL, NULL);
    if (extra) {
        g_option_group_add_entries(main_group, extra);
    }
    g_option_group_add_entries(main_group, common);
    g_option_context_set_main_group(ctx, main_group);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &error)) {
        *exit_code = cli_usage_error(cmd, "%s", error->message);
        return FALSE;
    }
    if (*argc > 1) {
        *exit_code = cli_usage_error(cmd, "unexpected argument '%s'", (*argv)[1]);
        return FALSE;
    }
    const char *f = c->format_name ? c->format_name : "text";
    if (strcmp(f, "text") == 0) {
        c->format = CLI_FORMAT_TEXT;
    } else if (strcmp(f, "json") == 0) {
        c->format = CLI_FORMAT_JSON;
    } else if (strcmp(f, "csv") == 0) {
        c->format = CLI_FORMAT_CSV;
    } else {
        *exit_code = cli_usage_error(cmd, "--format must be text, json or csv, not '%s'", f);
        return FALSE;
    }
    if (c->out_of_range && strcmp(c->out_of_range, "error") != 0 &&
        strcmp(c->out_of_range, "missing") != 0) {
        *exit_code = cli_usage_error(cmd, "--out-of-range must be error or missing, not '%s'",
                                     c->out_of_range);
        return FALSE;
    }
    if (c->threads < 0) {
        *exit_code = cli_usage_error(cmd, "--threads must be 0 (one per core) or more, not %d",
                                     c->threads);
        return FALSE;
    }
    if (c->missing) {
        c->missing_codes = g_strsplit(c->missing, ",", -1);
    }
    return TRUE;
}

gboolean
cli_require(const char *value, const char *name, const char *cmd)
{
    if (value == NULL || *value == '\0') {
        cli_usage_error(cmd, "--%s is required", name);
        return FALSE;
    }
    return TRUE;
}

int
cli_load(CliCommon *c, ImpactCodebook **codebook, ImpactTable **data)
{
    GError *error = NULL;
    cli_protect_stdout();
    if (c->codebook == NULL) {
        return cli_usage_error(c->cmd, "--codebook is required");
    }
    if (c->data == NULL) {
        return cli_usage_error(c->cmd, "--data is required");
    }
    g_autoptr(ImpactCodebook) cb = NULL;
    if (!impact_codebook_read_csv(&cb, c->codebook, &error)) {
        return cli_fail(error);
    }
    ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
    ro.missing_codes = (const char *const *) c->missing_codes;
    ro.out_of_range = c->out_of_range && strcmp(c->out_of_range, "missing") == 0
                          ? IMPACT_OUT_OF_RANGE_MISSING
                          : IMPACT_OUT_OF_RANGE_ERROR;
    /* the table and any error are the same whatever the number of threads */
    ro.n_threads = (guint) c->threads;
    g_autoptr(ImpactTable) t = NULL;
    if (!impact_responses_read(&t, c->data, cb, &ro, &error)) {
        return cli_fail(error);
    }
    *codebook = g_steal_pointer(&cb);
    *data = g_steal_pointer(&t);
    return CLI_EXIT_OK;
}

int
cli_write(const CliCommon *c, const char *text)
{
    if (c->output == NULL || strcmp(c->output, "-") == 0) {
        size_t len = strlen(text);
        FILE *out = results_out ? results_out : stdout;
        if (fwrite(text, 1, len, out) != len || fflush(out) != 0) {
            fprintf(stderr, "impact: cannot write to standard output: %s\n", g_strerror(errno));
            return CLI_EXIT_DATA;
        }
        return CLI_EXIT_OK;
    }
    g_autoptr(GError) error = NULL;
    /* g_file_set_contents writes a temporary file and renames it into place */
    if (!g_file_set_contents(c->output, text, -1, &error)) {
        fprintf(stderr, "impact: %s: cannot write: %s\n", c->output, error->message);
        return CLI_EXIT_DATA;
    }
    return CLI_EXIT_OK;
}

char *
cli_render(const CliCommon *c, const ImpactResult *result, const char *csv_path,
           const char *const *text_tables, GError **error)
{
    if (c->format == CLI_FORMAT_JSON) {
        return impact_result_to_json(result, TRUE);
    }
    if (c->format == CLI_FORMAT_CSV) {
        return impact_result_format_table(result, csv_path, IMPACT_TABLE_CSV, error);
    }
    GString *out = g_string_new(NULL);
    for (gsize i = 0; text_tables && text_tables[i] && text_tables[i + 1]; i += 2) {
        g_autofree char *t =
            impact_result_format_table(result, text_tables[i + 1], IMPACT_TABLE_TEXT, error);
        if (t == NULL) {
            g_string_free(out, TRUE);
            return NULL;
        }
        if (i > 0) {
            g_string_append_c(out, '\n');
        }
        if (*text_tables[i]) {
            g_string_append_printf(out, "%s\n", text_tables[i]);
        }
        g_string_append(out, t);
    }
    return g_string_free(out, FALSE);
}
