/* design.c — the design of an evaluation: INI file and the same through the API.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <errno.h>
#include <math.h>
#include <string.h>
#include "design-private.h"

static const char *const role_names[IMPACT_I_N_ROLES] = {
    "participant", "team", "organisation", "wave", "arm", "rater", "cohort", "cluster"
};

const char *
impact_i_role_name(ImpactIRole r)
{
    return r < IMPACT_I_N_ROLES ? role_names[r] : NULL;
}

ImpactDesign *
impact_design_new(void)
{
    ImpactDesign *d = g_new0(ImpactDesign, 1);
    d->self_label = g_strdup("self");
    d->source = IMPACT_I_SOURCE_OTHERS;
    d->k = 3;
    d->replicates = 1000;
    d->seed = 1;
    d->level = 0.95;
    d->boot_role = -1;
    d->cost_total = NAN;
    d->cost_per_participant = NAN;
    d->value_scales = g_ptr_array_new_with_free_func(g_free);
    d->values = g_array_new(FALSE, FALSE, sizeof(double));
    for (int i = 0; i < IMPACT_N_DOMAINS; i++) {
        d->domain_weight[i] = 1.0;
    }
    d->entries = g_ptr_array_new_with_free_func(g_free);
    d->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return d;
}

void
impact_design_free(ImpactDesign *d)
{
    if (d == NULL) {
        return;
    }
    for (int i = 0; i < IMPACT_I_N_ROLES; i++) {
        g_free(d->columns[i]);
    }
    g_strfreev(d->waves);
    g_free(d->primary);
    g_strfreev(d->programme);
    g_free(d->comparison);
    g_free(d->self_label);
    g_strfreev(d->role_map);
    g_strfreev(d->exempt);
    g_free(d->currency);
    g_ptr_array_unref(d->value_scales);
    g_array_unref(d->values);
    g_free(d->support);
    g_ptr_array_unref(d->entries);
    g_free(d->file);
    g_hash_table_unref(d->lines);
    g_free(d);
}

/* A list value: items separated by ';', blanks trimmed, empty items dropped. */
static GStrv
split_list(const char *value)
{
    g_auto(GStrv) parts = g_strsplit(value, ";", -1);
    GPtrArray *a = g_ptr_array_new();
    for (gsize i = 0; parts[i]; i++) {
        char *s = g_strstrip(parts[i]);
        if (*s) {
            g_ptr_array_add(a, g_strdup(s));
        }
    }
    g_ptr_array_add(a, NULL);
    return (GStrv) g_ptr_array_free(a, FALSE);
}

static gboolean
parse_number(const char *value, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = g_ascii_strtod(value, &end);
    if (end == value || errno != 0 || !isfinite(v)) {
        return FALSE;
    }
    while (*end == ' ' || *end == '\t') {
        end++;
    }
    if (*end) {
        return FALSE;
    }
    *out = v;
    return TRUE;
}

static gboolean
bad(GError **error, const char *group, const char *key, const char *value, const char *why)
{
    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "[%s] %s: %s (value '%s')", group, key,
                why, value);
    return FALSE;
}

static void
remember(ImpactDesign *d, const char *group, const char *key, const char *value)
{
    g_autofree char *prefix = g_strdup_printf("%s\n%s\n", group, key);
    char *entry = g_strconcat(prefix, value, NULL);
    for (guint i = 0; i < d->entries->len; i++) {
        if (g_str_has_prefix(d->entries->pdata[i], prefix)) {
            g_free(d->entries->pdata[i]);
            d->entries->pdata[i] = entry;
            return;
        }
    }
    g_ptr_array_add(d->entries, entry);
}

static void
replace_str(char **slot, const char *value)
{
    g_free(*slot);
    *slot = *value ? g_strdup(value) : NULL;
}

static void
replace_strv(GStrv *slot, GStrv v)
{
    g_strfreev(*slot);
    *slot = v;
}

static gboolean
set_columns(ImpactDesign *d, const char *key, const char *value, GError **error)
{
    for (int r = 0; r < IMPACT_I_N_ROLES; r++) {
        if (strcmp(key, role_names[r]) == 0) {
            replace_str(&d->columns[r], value);
            return TRUE;
        }
    }
    if (strcmp(key, "organization") == 0) {
        replace_str(&d->columns[IMPACT_I_ROLE_ORGANISATION], value);
        return TRUE;
    }
    return bad(error, "columns", key, value,
               "unknown role (roles: participant, team, organisation, wave, arm, rater, "
               "cohort, cluster)");
}

static gboolean
set_count(guint *out, double lo, double hi, const char *group, const char *key, const char *value,
          GError **error)
{
    double v;
    if (!parse_number(value, &v) || v != floor(v) || v < lo || v > hi) {
        g_autofree char *why = g_strdup_printf("must be a whole number from %g to %g", lo, hi);
        return bad(error, group, key, value, why);
    }
    *out = (guint) v;
    return TRUE;
}

gboolean
impact_design_set(ImpactDesign *d, const char *group, const char *key, const char *value,
                  GError **error)
{
    g_return_val_if_fail(d && group && key && value, FALSE);
    g_autofree char *v = g_strstrip(g_strdup(value));
    gboolean ok = TRUE;
    if (strpbrk(value, "\r\n") || strpbrk(key, "\r\n=[]") || strpbrk(group, "\r\n[]")) {
        /* what impact_design_to_data() writes must read back */
        return bad(error, group, key, "...",
                   "groups, keys and values are single lines (keys without '=', '[', ']')");
    }
    if (strcmp(group, "columns") == 0) {
        ok = set_columns(d, key, v, error);
    } else if (strcmp(group, "waves") == 0) {
        if (strcmp(key, "labels") == 0) {
            GStrv w = split_list(v);
            guint n = g_strv_length(w);
            for (guint i = 0; ok && i < n; i++) {
                for (guint j = 0; j < i; j++) {
                    if (strcmp(w[i], w[j]) == 0) {
                        ok = bad(error, group, key, v, "a wave label is listed twice");
                        break;
                    }
                }
            }
            if (ok && n < 2) {
                ok = bad(error, group, key, v, "at least two waves (baseline first) are needed");
            }
            if (ok) {
                replace_strv(&d->waves, w);
            } else {
                g_strfreev(w);
            }
        } else if (strcmp(key, "primary") == 0) {
            replace_str(&d->primary, v);
        } else {
            ok = bad(error, group, key, v, "unknown key (keys: labels, primary)");
        }
    } else if (strcmp(group, "arms") == 0) {
        if (strcmp(key, "programme") == 0 || strcmp(key, "program") == 0) {
            GStrv p = split_list(v);
            if (p[0] == NULL) {
                g_strfreev(p);
                p = NULL;
            }
            replace_strv(&d->programme, p);
        } else if (strcmp(key, "comparison") == 0 || strcmp(key, "control") == 0) {
            replace_str(&d->comparison, v);
        } else {
            ok = bad(error, group, key, v, "unknown key (keys: programme, comparison)");
        }
    } else if (strcmp(group, "raters") == 0) {
        if (strcmp(key, "self") == 0) {
            if (!*v) {
                ok = bad(error, group, key, v, "the self label cannot be empty");
            } else {
                replace_str(&d->self_label, v);
            }
        } else if (strcmp(key, "roles") == 0) {
            GStrv m = split_list(v);
            for (gsize i = 0; ok && m[i]; i++) {
                const char *eq = strchr(m[i], '=');
                if (eq == NULL || eq == m[i] || eq[1] == '\0') {
                    ok = bad(error, group, key, v, "each entry must be LABEL=ROLE");
                }
            }
            if (ok) {
                replace_strv(&d->role_map, m);
            } else {
                g_strfreev(m);
            }
        } else if (strcmp(key, "exempt") == 0) {
            replace_strv(&d->exempt, split_list(v));
        } else if (strcmp(key, "source") == 0) {
            if (strcmp(v, "others") == 0) {
                d->source = IMPACT_I_SOURCE_OTHERS;
            } else if (strcmp(v, "self") == 0) {
                d->source = IMPACT_I_SOURCE_SELF;
            } else if (strcmp(v, "all") == 0) {
                d->source = IMPACT_I_SOURCE_ALL;
            } else {
                ok = bad(error, group, key, v, "must be others, self or all");
            }
        } else {
            ok = bad(error, group, key, v, "unknown key (keys: self, roles, exempt, source)");
        }
    } else if (strcmp(group, "anonymity") == 0) {
        if (strcmp(key, "k") == 0) {
            ok = set_count(&d->k, 2, 1000000, group, key, v, error);
        } else if (strcmp(key, "policy") == 0) {
            if (strcmp(v, "merge") == 0 || strcmp(v, "suppress") == 0) {
                d->suppress = strcmp(v, "suppress") == 0;
            } else {
                ok = bad(error, group, key, v, "must be merge or suppress");
            }
        } else {
            ok = bad(error, group, key, v, "unknown key (keys: k, policy)");
        }
    } else if (strcmp(group, "bootstrap") == 0) {
        if (strcmp(key, "replicates") == 0) {
            ok = set_count(&d->replicates, 0, 1000000, group, key, v, error);
        } else if (strcmp(key, "seed") == 0) {
            char *end = NULL;
            errno = 0;
            guint64 s = g_ascii_strtoull(v, &end, 10);
            if (!*v || *end || errno || v[0] == '-') {
                ok = bad(error, group, key, v, "must be a whole number >= 0");
            } else {
                d->seed = s;
            }
        } else if (strcmp(key, "level") == 0) {
            double x;
            if (!parse_number(v, &x) || !(x > 0.0 && x < 1.0)) {
                ok = bad(error, group, key, v, "must be a number between 0 and 1");
            } else {
                d->level = x;
            }
        } else if (strcmp(key, "cluster") == 0) {
            int found = -1;
            for (int r = 0; r < IMPACT_I_N_ROLES; r++) {
                if (strcmp(v, role_names[r]) == 0 && r != IMPACT_I_ROLE_WAVE &&
                    r != IMPACT_I_ROLE_ARM && r != IMPACT_I_ROLE_RATER) {
                    found = r;
                }
            }
            if (found < 0) {
                ok = bad(error, group, key, v,
                         "must be a role: participant, team, organisation, cohort or cluster");
            } else {
                d->boot_role = found;
            }
        } else if (strcmp(key, "interval") == 0) {
            if (strcmp(v, "percentile") == 0 || strcmp(v, "bca") == 0) {
                d->bca = strcmp(v, "bca") == 0;
            } else {
                ok = bad(error, group, key, v, "must be percentile or bca");
            }
        } else {
            ok = bad(error, group, key, v,
                     "unknown key (keys: replicates, seed, level, cluster, interval)");
        }
    } else if (strcmp(group, "costs") == 0) {
        double x;
        if (strcmp(key, "total") == 0 || strcmp(key, "per_participant") == 0) {
            if (!parse_number(v, &x) || x < 0) {
                ok = bad(error, group, key, v, "must be a number >= 0");
            } else if (strcmp(key, "total") == 0) {
                d->cost_total = x;
            } else {
                d->cost_per_participant = x;
            }
        } else if (strcmp(key, "currency") == 0) {
            replace_str(&d->currency, v);
        } else {
            ok = bad(error, group, key, v, "unknown key (keys: total, per_participant, currency)");
        }
    } else if (strcmp(group, "value") == 0) {
        double x;
        if (!*key) {
            ok = bad(error, group, key, v, "a scale name is needed");
        } else if (!parse_number(v, &x)) {
            ok = bad(error, group, key, v, "must be a number (money per scale point)");
        } else {
            guint i;
            for (i = 0; i < d->value_scales->len; i++) {
                if (strcmp(d->value_scales->pdata[i], key) == 0) {
                    g_array_index(d->values, double, i) = x;
                    break;
                }
            }
            if (i == d->value_scales->len) {
                g_ptr_array_add(d->value_scales, g_strdup(key));
                g_array_append_val(d->values, x);
            }
        }
    } else if (strcmp(group, "support") == 0) {
        if (strcmp(key, "scale") == 0) {
            replace_str(&d->support, v);
        } else {
            ok = bad(error, group, key, v, "unknown key (keys: scale)");
        }
    } else if (strcmp(group, "domains") == 0) {
        ImpactDomain dom;
        double x;
        if (!impact_domain_parse(key, &dom, NULL)) {
            ok = bad(error, group, key, v, "unknown domain (individual, team, organisation)");
        } else if (!parse_number(v, &x) || x < 0) {
            ok = bad(error, group, key, v, "a domain weight must be a number >= 0");
        } else {
            d->domain_weight[dom] = x;
        }
    } else {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "[%s]: unknown group (groups: columns, waves, arms, raters, anonymity, "
                    "bootstrap, costs, value, support, domains)",
                    group);
        ok = FALSE;
    }
    if (ok) {
        remember(d, group, key, v);
        g_autofree char *id = g_strdup_printf("%s\n%s", group, key);
        g_hash_table_remove(d->lines, id);
    }
    return ok;
}

char *
impact_design_get(const ImpactDesign *d, const char *group, const char *key)
{
    g_return_val_if_fail(d && group && key, NULL);
    g_autofree char *prefix = g_strdup_printf("%s\n%s\n", group, key);
    for (guint i = 0; i < d->entries->len; i++) {
        const char *e = d->entries->pdata[i];
        if (g_str_has_prefix(e, prefix)) {
            return g_strdup(e + strlen(prefix));
        }
    }
    return NULL;
}

char *
impact_design_to_data(const ImpactDesign *d)
{
    GString *s = g_string_new("# libimpact evaluation design\n");
    static const char *const groups[] = { "columns", "waves", "arms", "raters", "anonymity",
                                          "bootstrap", "costs", "value", "support", "domains",
                                          NULL };
    for (gsize g = 0; groups[g]; g++) {
        gboolean header = FALSE;
        g_autofree char *prefix = g_strdup_printf("%s\n", groups[g]);
        for (guint i = 0; i < d->entries->len; i++) {
            const char *e = d->entries->pdata[i];
            if (!g_str_has_prefix(e, prefix)) {
                continue;
            }
            if (!header) {
                g_string_append_printf(s, "\n[%s]\n", groups[g]);
                header = TRUE;
            }
            const char *k = e + strlen(prefix);
            const char *nl = strchr(k, '\n');
            g_string_append_len(s, k, nl - k);
            g_string_append_printf(s, " = %s\n", nl + 1);
        }
    }
    return g_string_free(s, FALSE);
}

gboolean
impact_i_design_complete(const ImpactDesign *d, const char *name, GError **error)
{
    if (d->columns[IMPACT_I_ROLE_WAVE] == NULL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s: [columns] wave: the wave column is required", name);
        return FALSE;
    }
    if (d->waves == NULL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s: [waves] labels: the wave labels (baseline first) are required", name);
        return FALSE;
    }
    if (d->primary && !g_strv_contains((const char *const *) d->waves, d->primary)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s: [waves] primary: '%s' is not one of the wave labels", name, d->primary);
        return FALSE;
    }
    if (d->primary && strcmp(d->primary, d->waves[0]) == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s: [waves] primary: '%s' is the baseline, not a follow-up", name,
                    d->primary);
        return FALSE;
    }
    if (isfinite(d->cost_total) && isfinite(d->cost_per_participant)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s: [costs]: give either total or per_participant, not both", name);
        return FALSE;
    }
    double wsum = 0;
    for (int i = 0; i < IMPACT_N_DOMAINS; i++) {
        wsum += d->domain_weight[i];
    }
    if (!(wsum > 0)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s: [domains]: at least one domain weight must be positive", name);
        return FALSE;
    }
    return TRUE;
}

gboolean
impact_design_read_buffer(ImpactDesign **out, const char *data, gsize len, const char *name,
                          GError **error)
{
    g_return_val_if_fail(out && (data || len == 0), FALSE);
    if (name == NULL) {
        name = "<design>";
    }
    if (!g_utf8_validate(data, len, NULL)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE, "%s: not UTF-8 text", name);
        return FALSE;
    }
    g_autoptr(ImpactDesign) d = impact_design_new();
    g_autofree char *text = g_strndup(data, len);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autofree char *group = NULL;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (gsize i = 0; lines[i]; i++) {
        gsize lineno = i + 1;
        char *l = lines[i];
        if (i == 0 && g_str_has_prefix(l, "\xEF\xBB\xBF")) {
            l += 3;
        }
        l = g_strstrip(l);
        if (*l == '\0' || *l == '#' || *l == ';') {
            continue;
        }
        if (*l == '[') {
            char *close = strchr(l, ']');
            if (close == NULL || close[1] != '\0' || close == l + 1) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                            "%s:%" G_GSIZE_FORMAT ": malformed group header '%s'", name, lineno,
                            l);
                return FALSE;
            }
            g_free(group);
            group = g_strstrip(g_strndup(l + 1, close - l - 1));
            continue;
        }
        char *eq = strchr(l, '=');
        if (eq == NULL) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ": expected 'key = value', a [group] or a comment: '%s'",
                        name, lineno, l);
            return FALSE;
        }
        if (group == NULL) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ": key outside any [group]: '%s'", name, lineno, l);
            return FALSE;
        }
        *eq = '\0';
        const char *key = g_strstrip(l);
        const char *value = g_strstrip(eq + 1);
        if (*key == '\0') {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ": [%s]: empty key", name, lineno, group);
            return FALSE;
        }
        char *id = g_strdup_printf("%s\n%s", group, key);
        if (g_hash_table_contains(seen, id)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ": [%s] %s: key given twice", name, lineno, group,
                        key);
            g_free(id);
            return FALSE;
        }
        g_hash_table_add(seen, id);
        GError *e = NULL;
        if (!impact_design_set(d, group, key, value, &e)) {
            g_set_error(error, IMPACT_ERROR, e->code, "%s:%" G_GSIZE_FORMAT ": %s", name, lineno,
                        e->message);
            g_error_free(e);
            return FALSE;
        }
        g_hash_table_insert(d->lines, g_strdup_printf("%s\n%s", group, key),
                            GSIZE_TO_POINTER(lineno));
    }
    if (!impact_i_design_complete(d, name, error)) {
        return FALSE;
    }
    d->file = g_strdup(name);
    *out = g_steal_pointer(&d);
    return TRUE;
}

gboolean
impact_design_read_file(ImpactDesign **out, const char *path, GError **error)
{
    g_return_val_if_fail(out && path, FALSE);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    if (!g_file_get_contents(path, &data, &len, &e)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_IO, "%s: cannot read: %s", path,
                    e->message);
        return FALSE;
    }
    return impact_design_read_buffer(out, data, len, path, error);
}

/* "FILE:LINE: " of a key read from a file, "FILE: " for a file without
 * it, "design: " for a design built through the API (newly allocated). */
static char *
where(const ImpactDesign *d, const char *group, const char *key)
{
    if (d->file == NULL) {
        return g_strdup("design: ");
    }
    g_autofree char *id = g_strdup_printf("%s\n%s", group, key ? key : "");
    gsize line = GPOINTER_TO_SIZE(g_hash_table_lookup(d->lines, id));
    return line ? g_strdup_printf("%s:%" G_GSIZE_FORMAT ": ", d->file, line)
                : g_strdup_printf("%s: ", d->file);
}

static gboolean
check_column(const ImpactDesign *d, const ImpactTable *t, const char *col, const char *role,
             gsize *idx, GError **error)
{
    gssize i = impact_table_column_index(t, col);
    g_autofree char *at = where(d, "columns", role);
    if (i < 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s[columns] %s: no column '%s' in %s", at, role, col, impact_table_source(t));
        return FALSE;
    }
    if (impact_table_column_type(t, (gsize) i) != IMPACT_COLUMN_TEXT) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s[columns] %s: column '%s' of %s is an item (numeric) column, not an id", at,
                    role, col, impact_table_source(t));
        return FALSE;
    }
    if (idx) {
        *idx = (gsize) i;
    }
    return TRUE;
}

static gboolean
has_level(const ImpactTable *t, gsize col, const char *label)
{
    gsize n = impact_table_n_levels(t, col);
    for (gsize i = 0; i < n; i++) {
        if (strcmp(impact_table_level(t, col, (guint32) i), label) == 0) {
            return TRUE;
        }
    }
    return FALSE;
}

gboolean
impact_design_check(const ImpactDesign *d, const ImpactCodebook *cb, const ImpactTable *t,
                    GError **error)
{
    g_return_val_if_fail(d && cb && t, FALSE);
    if (!impact_i_design_complete(d, "design", error)) {
        return FALSE;
    }
    gsize idx[IMPACT_I_N_ROLES];
    for (int r = 0; r < IMPACT_I_N_ROLES; r++) {
        if (d->columns[r] && !check_column(d, t, d->columns[r], role_names[r], &idx[r], error)) {
            return FALSE;
        }
    }
    for (gsize i = 0; d->waves[i]; i++) {
        if (!has_level(t, idx[IMPACT_I_ROLE_WAVE], d->waves[i])) {
            g_autofree char *at = where(d, "waves", "labels");
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s[waves] labels: wave '%s' does not occur in column '%s' of %s", at,
                        d->waves[i], d->columns[IMPACT_I_ROLE_WAVE], impact_table_source(t));
            return FALSE;
        }
    }
    if ((d->comparison || d->programme) && d->columns[IMPACT_I_ROLE_ARM] == NULL) {
        g_autofree char *at = where(d, "arms", d->comparison ? "comparison" : "programme");
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s[arms] labels are given but [columns] arm is not", at);
        return FALSE;
    }
    if (d->comparison && !has_level(t, idx[IMPACT_I_ROLE_ARM], d->comparison)) {
        g_autofree char *at = where(d, "arms", "comparison");
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s[arms] comparison: arm '%s' does not occur in column '%s' of %s", at,
                    d->comparison, d->columns[IMPACT_I_ROLE_ARM], impact_table_source(t));
        return FALSE;
    }
    for (gsize i = 0; d->programme && d->programme[i]; i++) {
        if (!has_level(t, idx[IMPACT_I_ROLE_ARM], d->programme[i])) {
            g_autofree char *at = where(d, "arms", "programme");
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s[arms] programme: arm '%s' does not occur in column '%s' of %s", at,
                        d->programme[i], d->columns[IMPACT_I_ROLE_ARM], impact_table_source(t));
            return FALSE;
        }
        if (d->comparison && strcmp(d->programme[i], d->comparison) == 0) {
            g_autofree char *at = where(d, "arms", "comparison");
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "%s[arms]: '%s' is both a programme and the comparison arm", at,
                        d->comparison);
            return FALSE;
        }
    }
    static const ImpactIRole unit_role[IMPACT_N_DOMAINS] = {
        IMPACT_I_ROLE_PARTICIPANT, IMPACT_I_ROLE_TEAM, IMPACT_I_ROLE_ORGANISATION
    };
    for (gsize s = 0; s < impact_codebook_n_scales(cb); s++) {
        ImpactDomain dom = impact_codebook_scale_domain(cb, s);
        const char *name = impact_codebook_scale_name(cb, s);
        if (d->support && strcmp(name, d->support) == 0) {
            continue;
        }
        if (d->columns[unit_role[dom]] == NULL) {
            g_autofree char *at = where(d, "columns", NULL);
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "%sscale '%s' is in the %s domain but [columns] %s is not given", at, name,
                        impact_domain_name(dom), role_names[unit_role[dom]]);
            return FALSE;
        }
    }
    for (guint i = 0; i < d->value_scales->len; i++) {
        if (impact_codebook_scale_index(cb, d->value_scales->pdata[i]) < 0) {
            g_autofree char *at = where(d, "value", d->value_scales->pdata[i]);
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s[value] %s: no such scale in the codebook", at,
                        (const char *) d->value_scales->pdata[i]);
            return FALSE;
        }
    }
    if (d->support && impact_codebook_scale_index(cb, d->support) < 0) {
        g_autofree char *at = where(d, "support", "scale");
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s[support] scale: no scale '%s' in the codebook", at, d->support);
        return FALSE;
    }
    if (d->boot_role >= 0 && d->columns[d->boot_role] == NULL) {
        g_autofree char *at = where(d, "bootstrap", "cluster");
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s[bootstrap] cluster: role '%s' has no column in [columns]", at,
                    role_names[d->boot_role]);
        return FALSE;
    }
    return TRUE;
}
