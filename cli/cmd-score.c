/* cmd-score.c — `impact score`: scale scores per response.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <string.h>
#include "cli.h"

static void
json_string(GString *s, const char *v)
{
    g_autofree char *esc = g_strescape(v, NULL);
    g_string_append_printf(s, "\"%s\"", esc);
}

/* One JSON record per response: {"id": "...", "scale": 3.25, ...} */
static char *
scores_json(const ImpactTable *scores)
{
    GString *s = g_string_new("[");
    gsize nc = impact_table_n_columns(scores);
    for (gsize i = 0; i < impact_table_n_rows(scores); i++) {
        g_string_append(s, i ? ",\n {" : "\n {");
        for (gsize j = 0; j < nc; j++) {
            g_autofree char *v = impact_table_cell_string(scores, j, i);
            if (j) {
                g_string_append(s, ", ");
            }
            json_string(s, impact_table_column_name(scores, j));
            g_string_append(s, ": ");
            if (v == NULL) {
                g_string_append(s, "null");
            } else if (impact_table_column_type(scores, j) == IMPACT_COLUMN_TEXT) {
                json_string(s, v);
            } else {
                g_string_append(s, v);
            }
        }
        g_string_append_c(s, '}');
    }
    g_string_append(s, "\n]\n");
    return g_string_free(s, FALSE);
}

typedef struct {
    char *id;
    char *kind;
    double min_answered;
} ScoreArgs;

static int
run(CliCommon *c, const ScoreArgs *a)
{
    if (!cli_require(a->id, "id", "score")) {
        return CLI_EXIT_USAGE;
    }
    ImpactScoreOptions so = IMPACT_SCORE_OPTIONS_INIT;
    so.min_answered = a->min_answered;
    if (a->kind == NULL || strcmp(a->kind, "mean") == 0) {
        so.kind = IMPACT_SCORE_MEAN;
    } else if (strcmp(a->kind, "sum") == 0) {
        so.kind = IMPACT_SCORE_SUM;
    } else if (strcmp(a->kind, "pomp") == 0) {
        so.kind = IMPACT_SCORE_POMP;
    } else {
        return cli_usage_error("score", "--kind must be mean, sum or pomp, not '%s'", a->kind);
    }
    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(ImpactTable) data = NULL;
    int rc = cli_load(c, &cb, &data);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    GError *error = NULL;
    g_autoptr(ImpactTable) scores = NULL;
    if (!impact_score_table(&scores, data, cb, a->id, &so, &error)) {
        return cli_fail(error);
    }
    /* CSV is the natural form of a score table; text is the same CSV */
    g_autofree char *text =
        c->format == CLI_FORMAT_JSON ? scores_json(scores) : impact_table_to_csv(scores);
    return cli_write(c, text);
}

int
cli_cmd_score(int argc, char **argv)
{
    CliCommon c = { 0 };
    ScoreArgs a = { NULL, NULL, 0.5 };
    const GOptionEntry entries[] = {
        { "id", 'i', 0, G_OPTION_ARG_STRING, &a.id,
          "Column identifying each response (copied first)", "COL" },
        { "kind", 'k', 0, G_OPTION_ARG_STRING, &a.kind,
          "Score: mean (default; weighted mean of answered items), sum (prorated) or pomp (0-100)",
          "KIND" },
        { "min-answered", 0, 0, G_OPTION_ARG_DOUBLE, &a.min_answered,
          "Answered items needed for a score: a fraction of the scale's items in (0,1] "
          "(default 0.5) or a count >= 1",
          "N" },
        { NULL }
    };
    int rc = CLI_EXIT_OK;
    if (cli_parse(&argc, &argv, "score", "--codebook CB --data D --id COL [--output F]",
                  "Scale scores per response: reverse keying with the codebook range, weighted "
                  "mean of answered items, the minimum-answered rule. Writes CSV (or JSON).",
                  entries, &c, &rc)) {
        rc = run(&c, &a);
    }
    g_free(a.id);
    g_free(a.kind);
    cli_common_clear(&c);
    return rc;
}
