/* cmd-describe.c — `impact describe`: item descriptives.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include "cli.h"

static int
run(CliCommon *c)
{
    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(ImpactTable) data = NULL;
    int rc = cli_load(c, &cb, &data);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    GError *error = NULL;
    g_autoptr(ImpactResult) res = NULL;
    if (!impact_describe_items(&res, data, cb, &error)) {
        return cli_fail(error);
    }
    const char *const tables[] = { "Item descriptives (raw answers)", "items", NULL };
    g_autofree char *text = cli_render(c, res, "items", tables, &error);
    if (text == NULL) {
        return cli_fail(error);
    }
    return cli_write(c, text);
}

int
cli_cmd_describe(int argc, char **argv)
{
    CliCommon c = { 0 };
    int rc = CLI_EXIT_OK;
    if (cli_parse(&argc, &argv, "describe", "--codebook CB --data D",
                  "Item descriptives from the raw (unkeyed) answers: n, missing, mean, SD, "
                  "min, max and the frequency of each response value.",
                  NULL, &c, &rc)) {
        rc = run(&c);
    }
    cli_common_clear(&c);
    return rc;
}
