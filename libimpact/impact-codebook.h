/* impact-codebook.h — items, scales, domains, response ranges, keys, weights.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_CODEBOOK_H
#define IMPACT_CODEBOOK_H

#include <glib.h>
#include <libimpact/impact-macros.h>

G_BEGIN_DECLS

/** The three domains of experience in which impact is judged. */
typedef enum {
    IMPACT_DOMAIN_INDIVIDUAL = 0,   /**< the leader: self and 360° ratings */
    IMPACT_DOMAIN_TEAM = 1,         /**< the leader's team or service */
    IMPACT_DOMAIN_ORGANISATION = 2  /**< the organisation and wider system */
} ImpactDomain;

/** Number of domains. */
#define IMPACT_N_DOMAINS 3

/** "individual", "team" or "organisation" (static string). */
IMPACT_API const char *impact_domain_name(ImpactDomain domain);

/**
 * Parses a domain name: "individual", "team", "organisation" or
 * "organization" (case-insensitive, surrounding blanks ignored).
 * Errors: IMPACT_ERROR_INVALID naming the text.
 */
IMPACT_API gboolean impact_domain_parse(const char *text, ImpactDomain *out, GError **error);

/**
 * A codebook: which items make up which scale, in which domain, on which
 * response range, with which key and weight.
 *
 * Items and scales keep the order in which they were added (the CSV order);
 * a scale is created by its first item. Every item belongs to exactly one
 * scale, and all items of a scale share its domain.
 */
typedef struct _ImpactCodebook ImpactCodebook;

/** A new empty codebook. Free with impact_codebook_free(). */
IMPACT_API ImpactCodebook *impact_codebook_new(void);

/** Frees a codebook. NULL is accepted. */
IMPACT_API void impact_codebook_free(ImpactCodebook *codebook);

/**
 * Adds an item.
 *
 * @param item    item (column) name, unique in the codebook
 * @param scale   scale the item belongs to (created if new)
 * @param domain  domain of the scale; must equal the scale's if it exists
 * @param min     lowest allowed answer
 * @param max     highest allowed answer (> min)
 * @param reverse TRUE if the item is reverse keyed: scored as min + max - x
 * @param weight  weight in the scale score (finite, > 0)
 * @param label   optional wording of the item (may be NULL)
 *
 * Errors (IMPACT_ERROR_CODEBOOK, codebook unchanged): empty or duplicate
 * item name, empty scale name, min >= max or non-finite range, weight not
 * finite and positive, a domain differing from the scale's.
 */
IMPACT_API gboolean impact_codebook_add_item(ImpactCodebook *codebook, const char *item,
                                             const char *scale, ImpactDomain domain,
                                             double min, double max, gboolean reverse,
                                             double weight, const char *label,
                                             GError **error);

/**
 * Reads a codebook CSV file.
 *
 * Header required, columns in any order: item, scale, domain, min, max
 * (required); reverse (0/1/yes/no/true/false, default 0), weight (default
 * 1), label (optional). Other columns are ignored. RFC 4180 quoting, UTF-8
 * with or without BOM, LF or CRLF.
 *
 * @param out  on success, a new codebook owned by the caller; untouched on error
 *
 * Errors: IMPACT_ERROR_IO (unreadable), IMPACT_ERROR_PARSE (malformed CSV,
 * missing required column, empty file, no items), IMPACT_ERROR_CODEBOOK
 * (contradictions, as impact_codebook_add_item()), with "FILE:LINE:COL: ".
 */
IMPACT_API gboolean impact_codebook_read_csv(ImpactCodebook **out, const char *path,
                                             GError **error);

/**
 * As impact_codebook_read_csv() from @len bytes in memory; @name is used in
 * error messages in place of the file name.
 */
IMPACT_API gboolean impact_codebook_read_buffer(ImpactCodebook **out, const char *data,
                                                gsize len, const char *name,
                                                GError **error);

/** Number of items. */
IMPACT_API gsize impact_codebook_n_items(const ImpactCodebook *codebook);
/** Number of scales. */
IMPACT_API gsize impact_codebook_n_scales(const ImpactCodebook *codebook);

/** Index of item @name, or -1. */
IMPACT_API gssize impact_codebook_item_index(const ImpactCodebook *codebook, const char *name);
/** Index of scale @name, or -1. */
IMPACT_API gssize impact_codebook_scale_index(const ImpactCodebook *codebook, const char *name);

/** Name of item @i (borrowed). */
IMPACT_API const char *impact_codebook_item_name(const ImpactCodebook *codebook, gsize i);
/** Label of item @i (borrowed; NULL if none). */
IMPACT_API const char *impact_codebook_item_label(const ImpactCodebook *codebook, gsize i);
/** Scale index of item @i. */
IMPACT_API gsize impact_codebook_item_scale(const ImpactCodebook *codebook, gsize i);
/** Lowest allowed answer of item @i. */
IMPACT_API double impact_codebook_item_min(const ImpactCodebook *codebook, gsize i);
/** Highest allowed answer of item @i. */
IMPACT_API double impact_codebook_item_max(const ImpactCodebook *codebook, gsize i);
/** TRUE if item @i is reverse keyed. */
IMPACT_API gboolean impact_codebook_item_reverse(const ImpactCodebook *codebook, gsize i);
/** Weight of item @i in its scale score. */
IMPACT_API double impact_codebook_item_weight(const ImpactCodebook *codebook, gsize i);

/** Name of scale @s (borrowed). */
IMPACT_API const char *impact_codebook_scale_name(const ImpactCodebook *codebook, gsize s);
/** Domain of scale @s. */
IMPACT_API ImpactDomain impact_codebook_scale_domain(const ImpactCodebook *codebook, gsize s);
/** Number of items of scale @s. */
IMPACT_API gsize impact_codebook_scale_n_items(const ImpactCodebook *codebook, gsize s);
/** Codebook index of the @j-th item (0-based, codebook order) of scale @s. */
IMPACT_API gsize impact_codebook_scale_item(const ImpactCodebook *codebook, gsize s, gsize j);
/**
 * Response range shared by all items of scale @s.
 *
 * @return TRUE and sets *min and *max if every item of the scale has the same
 *   range; FALSE otherwise (then *min and *max are the widest bounds). Agreement
 *   indices that need one range (rwg, awg) require TRUE.
 */
IMPACT_API gboolean impact_codebook_scale_range(const ImpactCodebook *codebook, gsize s,
                                                double *min, double *max);
/**
 * Weight of scale @s in its domain's impact index: the mean of its items'
 * weights (1 unless the codebook says otherwise).
 */
IMPACT_API double impact_codebook_scale_weight(const ImpactCodebook *codebook, gsize s);

/**
 * Keyed value of an answer @x to item @i: x, or min + max - x for a
 * reverse-keyed item (NaN stays NaN). The instrument's range is used, not
 * the observed extremes (psych::alpha uses the observed global min/max).
 */
#ifndef SWIG
static inline double
impact_codebook_key(double x, double min, double max, gboolean reverse)
{
    return reverse ? (min + max) - x : x;
}
#endif

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactCodebook, impact_codebook_free)
#endif

G_END_DECLS

#endif /* IMPACT_CODEBOOK_H */
