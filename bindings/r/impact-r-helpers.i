/* impact-r-helpers.i — R-only conversion helpers of the R package, included
 * by ../impact.i (#ifdef SWIGR) after the API: result tree -> R list, table
 * -> columns, reading with missing codes. No statistics.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

/* ---- R-only helpers (conversions, no statistics) -------------------------- */

%inline %{
/* The whole result tree as R values: objects -> named lists, arrays of
 * numbers / strings / booleans (with nulls) -> vectors (null -> NA), other
 * arrays -> lists, null -> NA_real_. Keys holding "/" cannot be addressed
 * by path and are skipped. */
SEXP impact_r_result_tree(const ImpactResult *res);

/* The columns of a table: a named list of numeric vectors (NUMERIC columns)
 * and character vectors (TEXT columns, NA = missing). */
SEXP impact_r_table_columns(const ImpactTable *table);

/* Reads a response file; @missing_codes a character vector (may be empty),
 * @out_of_range 0 = error, 1 = set to missing. */
gboolean impact_r_read_responses(ImpactTable **out, const char *path,
                                 const ImpactCodebook *codebook, SEXP missing_codes,
                                 int out_of_range, GError **error);

/* Number of live objects whose finalizers have not run (tests). */
double impact_r_debug_alive(void);

/* The analyses with their options given one by one (strings borrowed from
 * R for the call; counts as doubles, checked here). Enum arguments are the
 * C enum values. */
gboolean impact_r_agreement(ImpactResult **out, const ImpactTable *responses,
                            const ImpactCodebook *codebook, const char *group,
                            const char *within, double min_group, int missing,
                            int null_distribution, gboolean lindell, double rwg_threshold,
                            GError **error);
gboolean impact_r_change(ImpactResult **out, const ImpactTable *responses,
                         const ImpactCodebook *codebook, const char *unit, const char *wave,
                         const char *pre, const char *post, const char *arm,
                         const char *control, const char *cluster, double bootstrap,
                         double seed, double threads, double level, int rho,
                         double reliability, SEXP scales, GError **error);
gboolean impact_r_feedback(ImpactResult **out, const ImpactTable *responses,
                           const ImpactCodebook *codebook, const char *participant,
                           const char *rater, const char *self_label, SEXP role_map,
                           double min_raters, SEXP exempt, const char *wave, int policy,
                           const char *importance_suffix, double n_highlight,
                           double min_answered, double gap_threshold, double level,
                           gboolean allow_missing_self, GError **error);
gboolean impact_r_evaluate(ImpactResult **out, const ImpactTable *responses,
                           const ImpactCodebook *codebook, const ImpactDesign *design,
                           double replicates, double threads, GError **error);

/* A simulated evaluation (counts as doubles); copies of its codebook and
 * design that R owns independently of the simulation. */
gboolean impact_r_simulate(ImpactSimulation **out, double seed, double participants,
                           double organisations, double waves, double cohorts, double staff,
                           double team_size, double effect_scale, double missing,
                           GError **error);
gboolean impact_r_simulation_codebook(ImpactCodebook **out, const ImpactSimulation *sim,
                                      GError **error);
gboolean impact_r_simulation_design(ImpactDesign **out, const ImpactSimulation *sim,
                                    GError **error);

/* Designs: read a file; a new design from (group, key, value) triples;
 * a copy with some keys changed; one key's text (NULL when not set). */
gboolean impact_r_design_read(ImpactDesign **out, const char *path, GError **error);
gboolean impact_r_design_build(ImpactDesign **out, const ImpactDesign *base, SEXP groups,
                               SEXP keys, SEXP values, GError **error);
SEXP impact_r_design_get(const ImpactDesign *design, const char *group, const char *key);
SEXP impact_r_design_text(const ImpactDesign *design);
%}

%{
static SEXP impact_r_node(const ImpactResult *r, GString *path);

static void
impact_r_path_push(GString *path, const char *part)
{
    if (path->len > 0) {
        g_string_append_c(path, '/');
    }
    g_string_append(path, part);
}

static SEXP
impact_r_array(const ImpactResult *r, GString *path)
{
    gsize n = impact_result_length(r, path->str);
    gsize base = path->len;
    char idx[32];
    /* the element types */
    int n_num = 0, n_str = 0, n_bool = 0, n_null = 0;
    for (gsize i = 0; i < n; i++) {
        g_snprintf(idx, sizeof idx, "%" G_GSIZE_FORMAT, i);
        impact_r_path_push(path, idx);
        switch (impact_result_type(r, path->str)) {
        case IMPACT_VALUE_NUMBER: n_num++; break;
        case IMPACT_VALUE_STRING: n_str++; break;
        case IMPACT_VALUE_BOOLEAN: n_bool++; break;
        case IMPACT_VALUE_NULL: n_null++; break;
        default: break;
        }
        g_string_truncate(path, base);
    }
    SEXPTYPE type = VECSXP;
    if (n > 0 && (gsize) (n_num + n_null) == n) {
        type = REALSXP;
    } else if (n > 0 && n_str > 0 && (gsize) (n_str + n_null) == n) {
        type = STRSXP;
    } else if (n > 0 && n_bool > 0 && (gsize) (n_bool + n_null) == n) {
        type = LGLSXP;
    }
    SEXP out = PROTECT(Rf_allocVector(type, (R_xlen_t) n));
    for (gsize i = 0; i < n; i++) {
        g_snprintf(idx, sizeof idx, "%" G_GSIZE_FORMAT, i);
        impact_r_path_push(path, idx);
        gboolean is_null = impact_result_type(r, path->str) == IMPACT_VALUE_NULL;
        switch (type) {
        case REALSXP:
            REAL(out)[i] = is_null ? NA_REAL : impact_result_number(r, path->str);
            break;
        case STRSXP:
            SET_STRING_ELT(out, (R_xlen_t) i,
                           is_null ? NA_STRING
                                   : Rf_mkCharCE(impact_result_string(r, path->str), CE_UTF8));
            break;
        case LGLSXP:
            LOGICAL(out)[i] = is_null ? NA_LOGICAL : (impact_result_boolean(r, path->str) ? 1 : 0);
            break;
        default:
            SET_VECTOR_ELT(out, (R_xlen_t) i, impact_r_node(r, path));
            break;
        }
        g_string_truncate(path, base);
    }
    UNPROTECT(1);
    return out;
}

static SEXP
impact_r_object(const ImpactResult *r, GString *path)
{
    gsize n = impact_result_length(r, path->str);
    gsize base = path->len;
    gsize kept = 0;
    for (gsize i = 0; i < n; i++) {
        const char *key = impact_result_key(r, path->str, i);
        kept += key != NULL && strchr(key, '/') == NULL;
    }
    SEXP out = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t) kept));
    SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t) kept));
    gsize j = 0;
    for (gsize i = 0; i < n; i++) {
        /* the key is borrowed from the tree: copy it before the path grows */
        const char *key = impact_result_key(r, path->str, i);
        if (key == NULL || strchr(key, '/') != NULL) {
            continue;
        }
        SET_STRING_ELT(names, (R_xlen_t) j, Rf_mkCharCE(key, CE_UTF8));
        impact_r_path_push(path, key);
        SET_VECTOR_ELT(out, (R_xlen_t) j, impact_r_node(r, path));
        g_string_truncate(path, base);
        j++;
    }
    Rf_setAttrib(out, R_NamesSymbol, names);
    UNPROTECT(2);
    return out;
}

static SEXP
impact_r_node(const ImpactResult *r, GString *path)
{
    switch (impact_result_type(r, path->str)) {
    case IMPACT_VALUE_NUMBER:
        return Rf_ScalarReal(impact_result_number(r, path->str));
    case IMPACT_VALUE_STRING:
        return Rf_ScalarString(Rf_mkCharCE(impact_result_string(r, path->str), CE_UTF8));
    case IMPACT_VALUE_BOOLEAN:
        return Rf_ScalarLogical(impact_result_boolean(r, path->str) ? 1 : 0);
    case IMPACT_VALUE_ARRAY:
        return impact_r_array(r, path);
    case IMPACT_VALUE_OBJECT:
        return impact_r_object(r, path);
    case IMPACT_VALUE_NULL:
        return Rf_ScalarReal(NA_REAL);
    default:
        return R_NilValue;
    }
}

SEXP
impact_r_result_tree(const ImpactResult *res)
{
    if (res == NULL) {
        return R_NilValue;
    }
    /* Only an R allocation failure (memory exhausted) can jump out of the
     * walk; the path buffer would then leak, which is accepted. */
    GString *path = g_string_new(NULL);
    SEXP out = PROTECT(impact_r_node(res, path));
    g_string_free(path, TRUE);
    UNPROTECT(1);
    return out;
}

SEXP
impact_r_table_columns(const ImpactTable *table)
{
    gsize nc = impact_table_n_columns(table);
    gsize nr = impact_table_n_rows(table);
    SEXP out = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t) nc));
    SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t) nc));
    for (gsize c = 0; c < nc; c++) {
        SET_STRING_ELT(names, (R_xlen_t) c,
                       Rf_mkCharCE(impact_table_column_name(table, c), CE_UTF8));
        if (impact_table_column_type(table, c) == IMPACT_COLUMN_NUMERIC) {
            SEXP v = Rf_allocVector(REALSXP, (R_xlen_t) nr);
            SET_VECTOR_ELT(out, (R_xlen_t) c, v);
            const double *x = impact_table_numeric(table, c);
            for (gsize i = 0; i < nr; i++) {
                REAL(v)[i] = isnan(x[i]) ? NA_REAL : x[i];
            }
        } else {
            gsize nl = impact_table_n_levels(table, c);
            SEXP lv = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t) nl));
            for (gsize l = 0; l < nl; l++) {
                SET_STRING_ELT(lv, (R_xlen_t) l,
                               Rf_mkCharCE(impact_table_level(table, c, (guint32) l), CE_UTF8));
            }
            SEXP v = Rf_allocVector(STRSXP, (R_xlen_t) nr);
            SET_VECTOR_ELT(out, (R_xlen_t) c, v);
            const guint32 *codes = impact_table_codes(table, c);
            for (gsize i = 0; i < nr; i++) {
                SET_STRING_ELT(v, (R_xlen_t) i,
                               codes[i] == IMPACT_TABLE_NA ? NA_STRING
                                                           : STRING_ELT(lv, (R_xlen_t) codes[i]));
            }
            UNPROTECT(1);
        }
    }
    Rf_setAttrib(out, R_NamesSymbol, names);
    UNPROTECT(2);
    return out;
}

gboolean
impact_r_read_responses(ImpactTable **out, const char *path, const ImpactCodebook *codebook,
                        SEXP missing_codes, int out_of_range, GError **error)
{
    if (TYPEOF(missing_codes) != STRSXP && missing_codes != R_NilValue) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "missing codes must be a character vector");
        return FALSE;
    }
    R_xlen_t n = missing_codes == R_NilValue ? 0 : XLENGTH(missing_codes);
    const char **codes = (const char **) R_alloc(n + 1, sizeof(char *));
    R_xlen_t k = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        if (STRING_ELT(missing_codes, i) != NA_STRING) {
            codes[k++] = Rf_translateCharUTF8(STRING_ELT(missing_codes, i));
        }
    }
    codes[k] = NULL;
    ImpactReadOptions opt = IMPACT_READ_OPTIONS_INIT;
    opt.missing_codes = codes;
    opt.out_of_range = out_of_range ? IMPACT_OUT_OF_RANGE_MISSING : IMPACT_OUT_OF_RANGE_ERROR;
    /* one thread per core, as the CLI: the table is the same with any number
     * (the workers never call R) */
    opt.n_threads = 0;
    return impact_responses_read(out, path, codebook, &opt, error);
}

double
impact_r_debug_alive(void)
{
    return impact_r_n_owned_alive;
}

/* A count argument: a whole number in [0, max], else IMPACT_ERROR_INVALID. */
static gboolean
impact_r_count(double x, double max, const char *what, double *out, GError **error)
{
    if (!(x >= 0 && x <= max && x == floor(x))) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s must be a whole number from 0 to %.0f (got %g)", what, max, x);
        return FALSE;
    }
    *out = x;
    return TRUE;
}

gboolean
impact_r_agreement(ImpactResult **out, const ImpactTable *responses,
                   const ImpactCodebook *codebook, const char *group, const char *within,
                   double min_group, int missing, int null_distribution, gboolean lindell,
                   double rwg_threshold, GError **error)
{
    ImpactAgreementOptions opt = IMPACT_AGREEMENT_OPTIONS_INIT;
    double k;
    if (!impact_r_count(min_group, (double) G_MAXUINT32, "min_group", &k, error)) {
        return FALSE;
    }
    opt.group = group;
    opt.within = within;
    opt.min_group = (gsize) k;
    opt.missing = (ImpactMissingPolicy) missing;
    opt.null_distribution = (ImpactNullDistribution) null_distribution;
    opt.lindell = lindell;
    opt.rwg_threshold = rwg_threshold;
    return impact_agreement(out, responses, codebook, &opt, error);
}

gboolean
impact_r_change(ImpactResult **out, const ImpactTable *responses, const ImpactCodebook *codebook,
                const char *unit, const char *wave, const char *pre, const char *post,
                const char *arm, const char *control, const char *cluster, double bootstrap,
                double seed, double threads, double level, int rho, double reliability,
                SEXP scales, GError **error)
{
    ImpactChangeOptions opt = IMPACT_CHANGE_OPTIONS_INIT;
    double b, s, t;
    if (!impact_r_count(bootstrap, (double) G_MAXUINT32, "bootstrap", &b, error)
        || !impact_r_count(seed, 9007199254740992.0, "seed", &s, error)
        || !impact_r_count(threads, 1024, "threads", &t, error)) {
        return FALSE;
    }
    const char **names = NULL;
    if (scales != R_NilValue) {
        if (TYPEOF(scales) != STRSXP) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "scales must be a character vector");
            return FALSE;
        }
        R_xlen_t n = XLENGTH(scales);
        names = (const char **) R_alloc(n + 1, sizeof(char *));
        for (R_xlen_t i = 0; i < n; i++) {
            names[i] = Rf_translateCharUTF8(STRING_ELT(scales, i));
        }
        names[n] = NULL;
    }
    opt.unit = unit;
    opt.wave = wave;
    opt.pre = pre;
    opt.post = post;
    opt.arm = arm;
    opt.control = control;
    opt.cluster = cluster;
    opt.bootstrap = (guint) b;
    opt.seed = (guint64) s;
    opt.threads = (guint) t;
    opt.level = level;
    opt.rho = (ImpactRhoMethod) rho;
    opt.reliability = ISNA(reliability) ? NAN : reliability;
    opt.scales = names;
    return impact_change(out, responses, codebook, &opt, error);
}

gboolean
impact_r_evaluate(ImpactResult **out, const ImpactTable *responses,
                  const ImpactCodebook *codebook, const ImpactDesign *design,
                  double replicates, double threads, GError **error)
{
    ImpactEvaluateOptions opt = IMPACT_EVALUATE_OPTIONS_INIT;
    double t;
    if (!impact_r_count(threads, 1024, "threads", &t, error)) {
        return FALSE;
    }
    if (!ISNA(replicates)) {
        double b;
        if (!impact_r_count(replicates, (double) G_MAXINT32, "replicates", &b, error)) {
            return FALSE;
        }
        opt.replicates = (gint) b;
    }
    opt.threads = (guint) t;
    return impact_evaluate(out, responses, codebook, design, &opt, error);
}

gboolean
impact_r_design_read(ImpactDesign **out, const char *path, GError **error)
{
    return impact_design_read_file(out, path, error);
}

gboolean
impact_r_design_build(ImpactDesign **out, const ImpactDesign *base, SEXP groups, SEXP keys,
                      SEXP values, GError **error)
{
    if (TYPEOF(groups) != STRSXP || TYPEOF(keys) != STRSXP || TYPEOF(values) != STRSXP
        || XLENGTH(groups) != XLENGTH(keys) || XLENGTH(keys) != XLENGTH(values)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "design settings must be three character vectors of one length");
        return FALSE;
    }
    ImpactDesign *d = NULL;
    if (base != NULL) {
        char *text = impact_design_to_data(base);
        gboolean ok = impact_design_read_buffer(&d, text, strlen(text), "<design>", error);
        g_free(text);
        if (!ok) {
            return FALSE;
        }
    } else {
        d = impact_design_new();
    }
    for (R_xlen_t i = 0; i < XLENGTH(keys); i++) {
        if (!impact_design_set(d, Rf_translateCharUTF8(STRING_ELT(groups, i)),
                               Rf_translateCharUTF8(STRING_ELT(keys, i)),
                               Rf_translateCharUTF8(STRING_ELT(values, i)), error)) {
            impact_design_free(d);
            return FALSE;
        }
    }
    *out = d;
    return TRUE;
}

SEXP
impact_r_design_get(const ImpactDesign *design, const char *group, const char *key)
{
    char *v = impact_design_get(design, group, key);
    if (v == NULL) {
        return R_NilValue;
    }
    SEXP s = PROTECT(Rf_mkCharCE(v, CE_UTF8));
    g_free(v);
    SEXP out = Rf_ScalarString(s);
    UNPROTECT(1);
    return out;
}

SEXP
impact_r_design_text(const ImpactDesign *design)
{
    char *v = impact_design_to_data(design);
    SEXP s = PROTECT(Rf_mkCharCE(v, CE_UTF8));
    g_free(v);
    SEXP out = Rf_ScalarString(s);
    UNPROTECT(1);
    return out;
}

/* A NULL-terminated array of the strings of @x (R_alloc'd, borrowed from R),
 * or NULL for R's NULL. */
static const char **
impact_r_strv(SEXP x, const char *what, GError **error, gboolean *ok)
{
    *ok = TRUE;
    if (x == R_NilValue) {
        return NULL;
    }
    if (TYPEOF(x) != STRSXP) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "%s must be a character vector",
                    what);
        *ok = FALSE;
        return NULL;
    }
    R_xlen_t n = XLENGTH(x);
    const char **v = (const char **) R_alloc(n + 1, sizeof(char *));
    for (R_xlen_t i = 0; i < n; i++) {
        if (STRING_ELT(x, i) == NA_STRING) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "%s: element %ld is NA",
                        what, (long) i + 1);
            *ok = FALSE;
            return NULL;
        }
        v[i] = Rf_translateCharUTF8(STRING_ELT(x, i));
    }
    v[n] = NULL;
    return v;
}

gboolean
impact_r_feedback(ImpactResult **out, const ImpactTable *responses,
                  const ImpactCodebook *codebook, const char *participant, const char *rater,
                  const char *self_label, SEXP role_map, double min_raters, SEXP exempt,
                  const char *wave, int policy, const char *importance_suffix,
                  double n_highlight, double min_answered, double gap_threshold, double level,
                  gboolean allow_missing_self, GError **error)
{
    ImpactFeedbackOptions opt = IMPACT_FEEDBACK_OPTIONS_INIT;
    double k, h;
    gboolean ok1, ok2;
    if (!impact_r_count(min_raters, (double) G_MAXUINT32, "min_raters", &k, error)
        || !impact_r_count(n_highlight, 1000, "highlight", &h, error)) {
        return FALSE;
    }
    const char **map = impact_r_strv(role_map, "roles", error, &ok1);
    if (!ok1) {
        return FALSE;
    }
    const char **ex = impact_r_strv(exempt, "exempt", error, &ok2);
    if (!ok2) {
        return FALSE;
    }
    opt.participant = participant;
    opt.rater = rater;
    if (self_label != NULL) {
        opt.self_label = self_label;
    }
    opt.role_map = map;
    opt.min_raters = (gsize) k;
    opt.exempt = ex;
    opt.wave = wave;
    opt.policy = (ImpactAnonymityPolicy) policy;
    opt.importance_suffix = importance_suffix;
    opt.n_highlight = (gsize) h;
    opt.min_answered = min_answered;
    opt.gap_threshold = gap_threshold;
    opt.level = level;
    opt.allow_missing_self = allow_missing_self;
    return impact_feedback(out, responses, codebook, &opt, error);
}

gboolean
impact_r_simulate(ImpactSimulation **out, double seed, double participants,
                  double organisations, double waves, double cohorts, double staff,
                  double team_size, double effect_scale, double missing, GError **error)
{
    ImpactSimulateOptions opt = IMPACT_SIMULATE_OPTIONS_INIT;
    double v[7];
    if (!impact_r_count(seed, 9007199254740992.0, "seed", &v[0], error)
        || !impact_r_count(participants, 1e7, "participants", &v[1], error)
        || !impact_r_count(organisations, 1e5, "organisations", &v[2], error)
        || !impact_r_count(waves, 100, "waves", &v[3], error)
        || !impact_r_count(cohorts, 1e4, "cohorts", &v[4], error)
        || !impact_r_count(staff, 1e6, "staff", &v[5], error)
        || !impact_r_count(team_size, 1e4, "team_size", &v[6], error)) {
        return FALSE;
    }
    opt.seed = (guint64) v[0];
    opt.participants = (gsize) v[1];
    opt.organisations = (gsize) v[2];
    opt.waves = (gsize) v[3];
    opt.cohorts = (gsize) v[4];
    opt.staff = (gsize) v[5];
    opt.team_size = (gsize) v[6];
    opt.effect_scale = effect_scale;
    opt.missing = missing;
    return impact_simulate(out, &opt, error);
}

gboolean
impact_r_simulation_codebook(ImpactCodebook **out, const ImpactSimulation *sim, GError **error)
{
    char *csv = impact_codebook_to_csv(impact_simulation_codebook(sim));
    gboolean ok = impact_codebook_read_buffer(out, csv, strlen(csv), "<simulation>", error);
    g_free(csv);
    return ok;
}

gboolean
impact_r_simulation_design(ImpactDesign **out, const ImpactSimulation *sim, GError **error)
{
    char *text = impact_design_to_data(impact_simulation_design(sim));
    gboolean ok = impact_design_read_buffer(out, text, strlen(text), "<simulation>", error);
    g_free(text);
    return ok;
}
%}
