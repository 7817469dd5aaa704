/* read.c — survey responses from CSV into an ImpactTable, whole or chunked.
 *
 * One pass: the file is mapped, each field is tokenized once, item fields
 * are parsed straight into their column (exact decimal parsing, range check
 * against the codebook), other fields are interned as text.
 *
 * Speed: plain fields (digits with an optional point; unquoted text) take
 * an inline fast path that tokenizes and converts in the same loop; text is
 * interned through a per-column cache keyed by the field's bytes (a sorted
 * run for ids that come in order, a hash otherwise; see TextCache), with
 * the level texts carved from blocks; the column's GHashTable index is
 * built only if someone looks a level up later (table.c). A read is
 * bounded by the parse itself and by the first touch of the columns' fresh
 * pages (320 MB at 1M rows: ~0.1 s of page faults on the bench VM; the
 * library does not ask for huge pages, see column_alloc() in table.c). Everything else (quotes, signs, blanks, exponents,
 * missing-value codes, errors) goes through the general tokenizer in csv.c,
 * so both paths give the same doubles (the same as strtod) and the same
 * errors. With ImpactReadOptions.n_threads > 1 a whole file is split at
 * line ends into parts parsed in parallel straight into the final columns
 * (see read_parallel()).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "impact-private.h"

typedef struct {
    gboolean is_item;
    double min, max;
    guint digits;     /* bit d set when the answer d (0..9) is in [min, max] */
    gboolean run4;    /* this column and the next three are items */
    guint64 lo4, hi4; /* run4: 0x8000 - lowest and 0x8000 + highest answer digit
                       * of the four columns, in 16-bit lanes (see parse_rows) */
    const char *item; /* item name (borrowed from the codebook) */
} ColSpec;

struct _ImpactReader {
    GMappedFile *map;     /* NULL when reading a caller's buffer */
    ImpactCsv csv;
    char *name;
    GStrv header;
    guint ncol;
    ColSpec *spec;
    GStrv missing;        /* extra missing codes, trimmed */
    gsize *missing_len;
    ImpactOutOfRange out_of_range;
    guint n_threads;      /* 0 = one per core */
    char delim;
    guint8 special[256];  /* 1 for the bytes that end an unquoted field: delim, CR, LF, quote */
    const char *released; /* start of the part of the mapped file still resident */
    gboolean done;
};

static gboolean
reader_init(ImpactReader *r, const char *data, gsize len, const ImpactCodebook *codebook,
            const ImpactReadOptions *options, GError **error)
{
    ImpactReadOptions defaults = IMPACT_READ_OPTIONS_INIT;
    if (options == NULL) {
        options = &defaults;
    }
    if (options->version < 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "ImpactReadOptions: initialise with IMPACT_READ_OPTIONS_INIT");
        return FALSE;
    }
    char delim = options->delimiter ? options->delimiter : ',';
    if (delim == '"' || delim == '\n' || delim == '\r') {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "invalid delimiter");
        return FALSE;
    }
    r->out_of_range = options->out_of_range;
    r->n_threads = options->version >= 2 ? options->n_threads : 1;
    r->delim = delim;
    r->special[(guchar) delim] = 1;
    r->special['\r'] = 1;
    r->special['\n'] = 1;
    r->special['"'] = 1;
    gsize nm = options->missing_codes ? g_strv_length((GStrv) options->missing_codes) : 0;
    r->missing = g_new0(char *, nm + 1);
    r->missing_len = g_new0(gsize, nm + 1);
    for (gsize i = 0; i < nm; i++) {
        r->missing[i] = g_strstrip(g_strdup(options->missing_codes[i]));
        r->missing_len[i] = strlen(r->missing[i]);
    }
    impact_i_csv_init(&r->csv, data, len, r->name, delim);
    if (!impact_i_csv_header(&r->csv, &r->header, error)) {
        return FALSE;
    }
    r->ncol = g_strv_length(r->header);
    r->spec = g_new0(ColSpec, r->ncol);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint j = 0; j < r->ncol; j++) {
        const char *h = r->header[j];
        if (*h == '\0') {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE, "%s:1:%u: empty column name",
                        r->name, j + 1);
            return FALSE;
        }
        if (!g_hash_table_add(seen, (gpointer) h)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE, "%s:1:%u: duplicate column '%s'",
                        r->name, j + 1, h);
            return FALSE;
        }
        gssize i = impact_codebook_item_index(codebook, h);
        if (i >= 0) {
            r->spec[j].is_item = TRUE;
            r->spec[j].min = impact_codebook_item_min(codebook, (gsize) i);
            r->spec[j].max = impact_codebook_item_max(codebook, (gsize) i);
            r->spec[j].item = impact_codebook_item_name(codebook, (gsize) i);
            for (guint d = 0; d < 10; d++) {
                if ((double) d >= r->spec[j].min && (double) d <= r->spec[j].max) {
                    r->spec[j].digits |= 1u << d;
                }
            }
        }
    }
    for (guint j = 0; j + 3 < r->ncol; j++) {
        r->spec[j].run4 = r->spec[j].is_item && r->spec[j + 1].is_item &&
                          r->spec[j + 2].is_item && r->spec[j + 3].is_item;
        for (guint k = 0; r->spec[j].run4 && k < 4; k++) {
            /* the digits in range are an interval [lo, hi] (or none: lo 15
             * fails every digit) */
            guint digits = r->spec[j + k].digits, lo = 15, hi = 0;
            for (guint d = 0; d < 10; d++) {
                if ((digits >> d) & 1u) {
                    lo = MIN(lo, d);
                    hi = d;
                }
            }
            r->spec[j].lo4 |= (guint64) (0x8000 - lo) << (16 * k);
            r->spec[j].hi4 |= (guint64) (0x8000 + hi) << (16 * k);
        }
    }
    g_autoptr(GString) missing_items = g_string_new(NULL);
    gsize n_missing = 0;
    for (gsize i = 0; i < impact_codebook_n_items(codebook); i++) {
        const char *name = impact_codebook_item_name(codebook, i);
        if (!g_hash_table_contains(seen, name)) {
            if (n_missing < 10) {
                g_string_append_printf(missing_items, "%s'%s'", n_missing ? ", " : "", name);
            }
            n_missing++;
        }
    }
    if (n_missing > 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s:1:1: %" G_GSIZE_FORMAT " codebook item%s ha%s no column in the header: %s%s",
                    r->name, n_missing, n_missing == 1 ? "" : "s", n_missing == 1 ? "s" : "ve",
                    missing_items->str, n_missing > 10 ? ", ..." : "");
        return FALSE;
    }
    return TRUE;
}

static void
reader_clear(ImpactReader *r)
{
    impact_i_csv_clear(&r->csv);
    g_strfreev(r->header);
    g_free(r->spec);
    g_strfreev(r->missing);
    g_free(r->missing_len);
    g_free(r->name);
    if (r->map) {
        g_mapped_file_unref(r->map);
    }
}

void
impact_reader_free(ImpactReader *reader)
{
    if (reader == NULL) {
        return;
    }
    reader_clear(reader);
    g_free(reader);
}

static ImpactReader *
reader_new_buffer(const char *data, gsize len, const char *name, const ImpactCodebook *codebook,
                  const ImpactReadOptions *options, GMappedFile *map, GError **error)
{
    ImpactReader *r = g_new0(ImpactReader, 1);
    r->name = g_strdup(name ? name : "<memory>");
    r->map = map;
    if (!reader_init(r, data, len, codebook, options, error)) {
        impact_reader_free(r);
        return NULL;
    }
    return r;
}

ImpactReader *
impact_reader_open(const char *path, const ImpactCodebook *codebook,
                   const ImpactReadOptions *options, GError **error)
{
    GError *local = NULL;
    GMappedFile *map = g_mapped_file_new(path, FALSE, &local);
    if (map == NULL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_IO, "%s: cannot read: %s", path,
                    local->message);
        g_error_free(local);
        return NULL;
    }
    return reader_new_buffer(g_mapped_file_get_contents(map), g_mapped_file_get_length(map),
                             path, codebook, options, map, error);
}

static inline gboolean
is_missing(const ImpactReader *r, const char *s, gsize len)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A')) {
        return TRUE;
    }
    for (gsize i = 0; r->missing[i]; i++) {
        if (r->missing_len[i] == len && memcmp(r->missing[i], s, len) == 0) {
            return TRUE;
        }
    }
    return FALSE;
}

/* ---- text interning cache --------------------------------------------- */

/* An open-addressing map from the bytes of a text field to its level code,
 * in place of the column's own GHashTable (which needs a NUL-terminated
 * copy of the key for every lookup, and is built only when someone looks a
 * level up by string: see ImpactColumn.index). One per text column and
 * table (and part, see read_parallel()); every level the reader adds goes
 * through it, so a miss is a new level.
 *
 * The key of a field is its bytes themselves when it has at most 8 (ids,
 * teams, organisations, waves, roles: zero-padded into one word, so a key
 * and a length identify the text and a hit needs no string compare), else
 * a 64-bit hash of the bytes, confirmed against the level's text.
 *
 * Sorted run: while the new levels of a column come in increasing order
 * (ids of a file sorted by id), they are not hashed but appended to a
 * sorted array of their keys: a value above the last one is new without a
 * probe, and no random access into a large slot array happens (a cache and
 * TLB miss per new id otherwise). Other values are looked up by binary
 * search there. The first level out of order closes the run (a short run
 * moves into the hash); later levels are hashed. Codes are the same either
 * way: the order of first appearance. */
typedef struct {
    guint64 key;
    guint32 code1; /* code + 1; 0 = empty slot */
    guint32 len;
} CacheSlot;

typedef struct {
    CacheSlot *slot;
    gsize mask;
    gsize used;
    guint64 *run;      /* big-endian keys (lexicographic order) of levels 0..run_len-1 */
    gsize run_len, run_cap;
    gboolean run_open; /* new levels may still extend the run */
    guint64 last_key; /* the key, length and code of the last value seen */
    gsize last_len;
    guint32 last;     /* G_MAXUINT32 before the first */
    guint64 prev_key; /* the same for the value seen before it */
    gsize prev_len;
    guint32 prev;
    gboolean uncached; /* a level was added past the cache (a NUL byte in it) */
    char *pool_next, *pool_end; /* the block the level texts are carved from */
    gsize pool_block;
} TextCache;

/* An empty slot array. Written (not calloc'd) on purpose: calloc hands out
 * fresh zero pages of a large mapping that the first probe only reads, and
 * the write that follows then takes a copy-on-write fault with a TLB
 * shootdown of every CPU running the process (an IPI per page with two
 * reader threads). Writing first maps each page once. */
static CacheSlot *
slots_new(gsize n)
{
    CacheSlot *s = g_new(CacheSlot, n);
    memset(s, 0, n * sizeof *s);
    return s;
}

static void
cache_init(TextCache *tc)
{
    tc->mask = 255;
    tc->used = 0;
    tc->last = tc->prev = G_MAXUINT32;
    tc->last_key = tc->prev_key = 0;
    tc->last_len = tc->prev_len = 0;
    tc->uncached = FALSE;
    tc->slot = slots_new(tc->mask + 1);
    tc->run = NULL;
    tc->run_len = tc->run_cap = 0;
    tc->run_open = TRUE;
    tc->pool_next = tc->pool_end = NULL;
    tc->pool_block = 0;
}

static void
cache_clear(TextCache *tc)
{
    g_free(tc->slot);
    tc->slot = NULL;
    g_free(tc->run);
    tc->run = NULL;
}

static inline guint64
mix64(guint64 h)
{
    /* MurmurHash3's finaliser */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static inline guint64
hash_bytes(const char *s, gsize len)
{
    /* word at a time */
    guint64 h = 0x9e3779b97f4a7c15ULL ^ len;
    while (len >= 8) {
        guint64 w;
        memcpy(&w, s, 8);
        h = mix64(h ^ w);
        s += 8;
        len -= 8;
    }
    if (len > 0) {
        /* byte by byte into a register (a short memcpy into a word stalls
         * the following load) */
        guint64 w = 0;
        for (gsize i = 0; i < len; i++) {
            w |= (guint64) (guchar) s[i] << (8 * i);
        }
        h = mix64(h ^ w);
    }
    return h;
}

/* The cache key of the @len bytes at @s; @end bounds the readable memory
 * (a short field is loaded as one word when 8 bytes are readable there,
 * the bytes past the field masked off). */
static inline guint64
text_key(const char *s, gsize len, const char *end)
{
    if (len > 8) {
        return hash_bytes(s, len);
    }
    guint64 w = 0;
    if (end - s >= 8) {
        memcpy(&w, s, 8);
        w = GUINT64_FROM_LE(w);
        if (len < 8) {
            w &= (G_GUINT64_CONSTANT(1) << (8 * len)) - 1;
        }
    } else {
        for (gsize i = 0; i < len; i++) {
            w |= (guint64) (guchar) s[i] << (8 * i);
        }
    }
    return w;
}

/* Whether level @code of @c is the @len bytes at @s, given equal keys and
 * lengths: always for short keys (the key is the text), by comparison for
 * hashed ones. */
static inline gboolean
key_confirmed(const ImpactColumn *c, guint32 code, const char *s, gsize len)
{
    return len <= 8 || memcmp(g_ptr_array_index(c->levels, code), s, len) == 0;
}

static void
cache_put(TextCache *tc, guint64 key, guint32 len, guint32 code)
{
    gsize i = mix64(key) & tc->mask;
    while (tc->slot[i].code1 != 0) {
        i = (i + 1) & tc->mask;
    }
    tc->slot[i].key = key;
    tc->slot[i].len = len;
    tc->slot[i].code1 = code + 1;
    tc->used++;
}

/* Makes room for @n entries at a load of at most 1/2. */
static void
cache_grow(TextCache *tc, gsize n)
{
    CacheSlot *old = tc->slot;
    gsize old_mask = tc->mask;
    while (n * 2 > tc->mask + 1) {
        tc->mask = tc->mask * 2 + 1;
    }
    tc->used = 0;
    tc->slot = slots_new(tc->mask + 1);
    for (gsize i = 0; i <= old_mask; i++) {
        if (old[i].code1) {
            cache_put(tc, old[i].key, old[i].len, old[i].code1 - 1);
        }
    }
    g_free(old);
}

static inline void
cache_reserve(TextCache *tc, gsize n)
{
    if (G_UNLIKELY(n * 2 > tc->mask + 1)) {
        cache_grow(tc, n);
    }
}

/* A short key with its first byte most significant: ordered as the texts
 * (zero padding sorts a prefix first; texts have no NUL byte). */
static inline guint64
key_order(guint64 key)
{
    return GUINT64_SWAP_LE_BE(key);
}

/* The code of the text (@key, @len, bytes @s) in @tc, or G_MAXUINT32. */
static inline guint32
cache_find(const TextCache *tc, const ImpactColumn *c, guint64 key, const char *s, gsize len)
{
    if (tc->run_len > 0 && len <= 8) {
        guint64 be = key_order(key);
        if (be <= tc->run[tc->run_len - 1]) {
            gsize lo = 0, hi = tc->run_len; /* binary search in [lo, hi) */
            while (lo < hi) {
                gsize mid = lo + (hi - lo) / 2;
                if (tc->run[mid] < be) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (tc->run[lo] == be) {
                return (guint32) lo;
            }
        }
    }
    for (gsize i = mix64(key) & tc->mask; tc->slot[i].code1 != 0; i = (i + 1) & tc->mask) {
        if (tc->slot[i].key == key && tc->slot[i].len == len &&
            key_confirmed(c, tc->slot[i].code1 - 1, s, len)) {
            return tc->slot[i].code1 - 1;
        }
    }
    return G_MAXUINT32;
}

/* Ends the sorted run of @tc: new levels are hashed from now on. A short
 * run moves into the hash too (its binary search would cost more). */
static void
cache_close_run(TextCache *tc)
{
    tc->run_open = FALSE;
    if (tc->run_len > 1024) {
        return;
    }
    for (gsize i = 0; i < tc->run_len; i++) {
        guint64 key = key_order(tc->run[i]);
        guint32 len = 0;
        while (len < 8 && (key >> (8 * len)) != 0) {
            len++;
        }
        cache_reserve(tc, tc->used + 1);
        cache_put(tc, key, len, (guint32) i);
    }
    tc->run_len = 0;
}

/* A NUL-terminated copy of the @len bytes at @s, to become a level of the
 * column of @tc (one malloc per level was a sixth of a two-thread read: an
 * atomic arena lock per call). Texts are carved from blocks: the first
 * text of a block is the block itself (from g_malloc: an even address), the
 * others start at odd addresses, which impact_i_level_free() leaves alone,
 * so a block is freed with its first level when the levels array is. Every
 * text of a block goes into the same levels array. */
static char *
level_copy(TextCache *tc, const char *s, gsize len)
{
    char *p = tc->pool_next;
    gsize skip = ((guintptr) p & 1) == 0; /* to the next odd address */
    if (p != NULL && skip + len + 1 <= (gsize) (tc->pool_end - p)) {
        p += skip;
    } else {
        tc->pool_block = MIN(MAX(tc->pool_block * 2, 256), 64 * 1024);
        gsize size = MAX(tc->pool_block, len + 1);
        p = g_malloc(size);
        tc->pool_end = p + size;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    tc->pool_next = p + len + 1;
    return p;
}

/* Appends @owned (taken; @len bytes, key @key, not in @tc) as a new level of
 * @c, as impact_i_column_intern() would, and caches it. */
static inline guint32
cache_add_level(TextCache *tc, ImpactColumn *c, char *owned, guint64 key, gsize len)
{
    g_ptr_array_add(c->levels, owned);
    guint32 code = c->levels->len - 1;
    if (tc->run_open) {
        guint64 be = key_order(key);
        if (len <= 8 && code == tc->run_len && (code == 0 || be > tc->run[code - 1])) {
            if (tc->run_len == tc->run_cap) {
                tc->run_cap = MAX(tc->run_cap * 2, 64);
                tc->run = g_renew(guint64, tc->run, tc->run_cap);
            }
            tc->run[tc->run_len++] = be;
            return code;
        }
        cache_close_run(tc);
    }
    cache_reserve(tc, tc->used + 1);
    cache_put(tc, key, (guint32) len, code);
    return code;
}

/* cache_intern() past its first check: a probe, and a new level if it
 * misses. Out of line, so that the check inlines small. */
static G_GNUC_NO_INLINE guint32
cache_intern_probe(TextCache *tc, ImpactColumn *c, guint64 key, const char *s, gsize len)
{
    guint32 code = cache_find(tc, c, key, s, len);
    if (code == G_MAXUINT32) {
        if (G_UNLIKELY(len > G_MAXUINT32 || memchr(s, '\0', len) != NULL)) {
            /* not cached (the column's index finds it, as the text up to
             * its first NUL); the next row compares with that level */
            tc->uncached = TRUE;
            code = impact_i_column_intern(c, s, len);
            const char *lv = g_ptr_array_index(c->levels, code);
            tc->last_len = strlen(lv);
            tc->last_key = text_key(lv, tc->last_len, lv + tc->last_len);
            tc->last = code;
            return code;
        }
        code = cache_add_level(tc, c, level_copy(tc, s, len), key, len);
    }
    tc->prev_key = tc->last_key;
    tc->prev_len = tc->last_len;
    tc->prev = tc->last;
    tc->last_key = key;
    tc->last_len = len;
    tc->last = code;
    return code;
}

/* The level code of the @len bytes at @s (readable up to @end) in text
 * column @c, adding it if new. */
G_ALWAYS_INLINE static inline guint32
cache_intern(TextCache *tc, ImpactColumn *c, const char *s, gsize len, const char *end)
{
    guint64 key = text_key(s, len, end);
    if (key == tc->last_key && len == tc->last_len && tc->last != G_MAXUINT32 &&
        key_confirmed(c, tc->last, s, len)) {
        /* the same value as in the previous row (the pre and post rows of
         * an id, a long file sorted by team) */
        return tc->last;
    }
    if (key == tc->prev_key && len == tc->prev_len && tc->prev != G_MAXUINT32 &&
        !tc->uncached && key_confirmed(c, tc->prev, s, len)) {
        /* the value before it (waves, roles: two values taking turns);
         * not after a level added past the cache, whose text may be a
         * duplicate */
        guint64 k = tc->last_key;
        gsize n = tc->last_len;
        guint32 code = tc->prev;
        tc->prev_key = k;
        tc->prev_len = n;
        tc->prev = tc->last;
        tc->last_key = key;
        tc->last_len = len;
        tc->last = code;
        return code;
    }
    return cache_intern_probe(tc, c, key, s, len);
}

/* ---- the row parser ---------------------------------------------------- */

/* The answers 0..9 as doubles (a load is shorter than a conversion). */
static const double digit_value[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

/* Powers of ten exactly representable as doubles (Clinger's fast path). */
static const double pow10_exact[16] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

/* As csv.c's end_field() for a field of the fast path that ends at @q. */
static inline ImpactCsvStatus
fast_end(ImpactCsv *csv, const char *q)
{
    if (q >= csv->end) {
        csv->p = q;
        return IMPACT_I_CSV_LAST;
    }
    char ch = *q++;
    if (ch == csv->delim) {
        csv->p = q;
        csv->field++;
        return IMPACT_I_CSV_MORE;
    }
    /* ch is '\r' or '\n' */
    if (ch == '\r' && q < csv->end && *q == '\n') {
        q++;
    }
    csv->p = q;
    csv->line++;
    return IMPACT_I_CSV_LAST;
}

/* Range check of a parsed answer; FALSE with the error when it is outside
 * and out-of-range answers are errors. */
static gboolean
check_range(const ImpactReader *r, ImpactColumn *c, const ColSpec *sp, double *v,
            const char *s, gsize len, gsize line, guint j, GError **error)
{
    if (G_LIKELY(*v >= sp->min && *v <= sp->max)) {
        return TRUE;
    }
    if (r->out_of_range == IMPACT_OUT_OF_RANGE_MISSING) {
        c->n_recoded++;
        *v = NAN;
        return TRUE;
    }
    g_autofree char *text = g_strndup(s, len);
    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                "%s:%" G_GSIZE_FORMAT ":%u: answer %s to item '%s' is outside its range %g to %g",
                r->name, line, j + 1, g_strstrip(text), sp->item, sp->min, sp->max);
    return FALSE;
}

/* Parses records of @csv into @cols (the columns in header order) from row
 * @row0, until the end of the input or until @max_rows rows (0 = no limit).
 * When @grow is set the columns belong to @t, which is enlarged as needed;
 * otherwise the caller guarantees room for every record (@capacity rows)
 * and @t is NULL. @caches: one TextCache per column (text columns only).
 * On return *n_rows is the number of rows filled (from 0). */
static gboolean
parse_rows(const ImpactReader *r, ImpactCsv *csv, ImpactColumn **cols, ImpactTable *t,
           gsize row0, gsize capacity, gsize max_rows, TextCache *caches, gsize *n_rows,
           GError **error)
{
    const guint ncol = r->ncol;
    const ColSpec *spec = r->spec;
    const guint8 *special = r->special;
    const char delim = r->delim;
    const gboolean has_codes = r->missing[0] != NULL;
    const char *const end = csv->end;
    /* the delimiter in bytes 1, 3, 5 and 7 of a little-endian word */
    const guint64 delim4 = G_GUINT64_CONSTANT(0x0100010001000100) * (guchar) delim;
    /* The cursor lives in p; csv->p and csv->field are brought up to date
     * before the general tokenizer runs and at the end. */
    const char *p = csv->p;
    gsize row = row0;
    gboolean ok = TRUE;

/* Ends a field of the fast path at q: sets p past the delimiter or the line
 * end and `last` when the record ended. */
#define END_FAST_FIELD(q)                                                   \
    do {                                                                    \
        if ((q) >= end) {                                                   \
            p = (q);                                                        \
            last = TRUE;                                                    \
        } else if (*(q) == delim) {                                         \
            p = (q) + 1;                                                    \
            last = FALSE;                                                   \
        } else {                                                            \
            p = (q) + 1 + (*(q) == '\r' && (q) + 1 < end && (q)[1] == '\n'); \
            csv->line++;                                                    \
            last = TRUE;                                                    \
        }                                                                   \
    } while (0)

    /* each column's values (one load less per answer than cols[j]->num);
     * refreshed when a growing table moves them */
    double **nums = g_new(double *, MAX(ncol, 1));
    for (guint j = 0; j < ncol; j++) {
        nums[j] = cols[j]->num;
    }

    for (;;) {
        if (G_UNLIKELY(row == capacity)) {
            if (t == NULL) {
                /* cannot happen (the caller counted the lines); be safe */
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_FAILED,
                            "%s: more records than lines", r->name);
                ok = FALSE;
                break;
            }
            impact_i_table_reserve(t, capacity * 2);
            capacity = t->capacity;
            for (guint j = 0; j < ncol; j++) {
                nums[j] = cols[j]->num;
            }
        }
        const gsize line = csv->line;
        guint j = 0;
        gboolean last = FALSE;
        for (;;) {
            if (G_LIKELY(j < ncol)) {
                const ColSpec *sp = &spec[j];
                if (sp->run4 && !has_codes) {
                    /* Four one-digit answers and their delimiters, "d,d,d,d,",
                     * checked and split in one 64-bit word (SWAR), group after
                     * group while the row keeps to that form. */
                    const guint j0 = j;
                    while (sp->run4 && end - p >= 8) {
                        guint64 w;
                        memcpy(&w, p, 8);
                        w = GUINT64_FROM_LE(w);
                        /* lanes of 16 bits: 0x01xx − '0' never borrows across lanes */
                        guint64 dg = ((w & G_GUINT64_CONSTANT(0x00FF00FF00FF00FF)) |
                                     G_GUINT64_CONSTANT(0x0100010001000100)) -
                                    G_GUINT64_CONSTANT(0x0030003000300030);
                        if (((w ^ delim4) & G_GUINT64_CONSTANT(0xFF00FF00FF00FF00)) != 0 ||
                            (dg & G_GUINT64_CONSTANT(0xFF00FF00FF00FF00)) !=
                                G_GUINT64_CONSTANT(0x0100010001000100) ||
                            (((dg & G_GUINT64_CONSTANT(0x00FF00FF00FF00FF)) +
                              G_GUINT64_CONSTANT(0x0076007600760076)) &
                             G_GUINT64_CONSTANT(0x0180018001800180)) != 0) {
                            break; /* not four digits and delimiters */
                        }
                        /* the four digits v in their columns' [lo, hi], lane by
                         * lane: v + 0x8000 - lo and 0x8000 + hi - v keep bit 15
                         * (no carry or borrow leaves a lane: v <= 9) */
                        const guint64 v = dg & G_GUINT64_CONSTANT(0x00FF00FF00FF00FF);
                        const guint64 b15 = G_GUINT64_CONSTANT(0x8000800080008000);
                        if (G_UNLIKELY(((v + sp->lo4) & (sp->hi4 - v) & b15) != b15)) {
                            break; /* an answer out of range: one at a time below */
                        }
                        nums[j][row] = digit_value[v & 0xF];
                        nums[j + 1][row] = digit_value[(v >> 16) & 0xF];
                        nums[j + 2][row] = digit_value[(v >> 32) & 0xF];
                        nums[j + 3][row] = digit_value[(v >> 48) & 0xF];
                        p += 8;
                        j += 4;
                        sp += 4;
                    }
                    if (j != j0) {
                        continue; /* the field loop checks the end of the row */
                    }
                }
                ImpactColumn *c = cols[j];
                if (sp->is_item && !has_codes) {
                    /* fastest path: one digit and a delimiter (a Likert answer) */
                    if (G_LIKELY(end - p >= 2 && (guint) (p[0] - '0') < 10u && p[1] == delim)) {
                        guint d = (guint) (p[0] - '0');
                        double v = (double) d;
                        if (G_UNLIKELY(!((sp->digits >> d) & 1u)) &&
                            !check_range(r, c, sp, &v, p, 1, line, j, error)) {
                            ok = FALSE;
                            break;
                        }
                        nums[j][row] = v;
                        p += 2;
                        j++;
                        continue;
                    }
                }
                if (sp->is_item) {
                    /* fast path: digits with an optional point, at most 15 digits */
                    const char *q = p;
                    guint64 m = 0;
                    int nd = 0, frac = 0;
                    gboolean point = FALSE;
                    while (q < end && (guint) (*q - '0') < 10u) {
                        m = m * 10 + (guint64) (*q - '0');
                        q++;
                        nd++;
                    }
                    if (q < end && *q == '.') {
                        point = TRUE;
                        q++;
                        while (q < end && (guint) (*q - '0') < 10u) {
                            m = m * 10 + (guint64) (*q - '0');
                            q++;
                            nd++;
                            frac++;
                        }
                    }
                    if (nd <= 15 && (nd > 0 || !point) &&
                        (q == end || *q == delim || *q == '\n' || *q == '\r')) {
                        double v;
                        if (nd == 0 || (has_codes && is_missing(r, p, (gsize) (q - p)))) {
                            v = NAN;
                        } else {
                            /* m < 10^15 < 2^53 and 10^frac exact: one correctly
                             * rounded division, the same double as strtod */
                            v = (double) m;
                            if (frac > 0) {
                                v /= pow10_exact[frac];
                            }
                            if (G_UNLIKELY(!(v >= sp->min && v <= sp->max)) &&
                                !check_range(r, c, sp, &v, p, (gsize) (q - p), line, j,
                                             error)) {
                                ok = FALSE;
                                break;
                            }
                        }
                        c->num[row] = v;
                        END_FAST_FIELD(q);
                        j++;
                        if (last) {
                            break;
                        }
                        continue;
                    }
                } else {
                    /* fast path: unquoted text */
                    const char *q = p;
                    while (q < end && !special[(guchar) *q]) {
                        q++;
                    }
                    if (q == end || *q != '"') {
                        gsize len = (gsize) (q - p);
                        c->codes[row] = (len == 0 || (len == 2 && p[0] == 'N' && p[1] == 'A'))
                                            ? IMPACT_TABLE_NA
                                            : cache_intern(&caches[j], c, p, len, end);
                        END_FAST_FIELD(q);
                        j++;
                        if (last) {
                            break;
                        }
                        continue;
                    }
                }
            }
            /* the general path */
            const char *s;
            gsize len;
            csv->p = p;
            csv->field = j + 1;
            ImpactCsvStatus st = impact_i_csv_field(csv, &s, &len, error);
            p = csv->p;
            if (G_UNLIKELY(st == IMPACT_I_CSV_ERROR)) {
                ok = FALSE;
                break;
            }
            if (G_UNLIKELY(j >= ncol)) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                            "%s:%" G_GSIZE_FORMAT ":%u: the row has more fields than the header's %u",
                            r->name, line, j + 1, ncol);
                ok = FALSE;
                break;
            }
            ImpactColumn *c = cols[j];
            if (spec[j].is_item) {
                double v;
                if (has_codes && is_missing(r, s, len)) {
                    v = NAN;
                } else if (impact_i_parse_double(s, len, &v)) {
                    if (!check_range(r, c, &spec[j], &v, s, len, line, j, error)) {
                        ok = FALSE;
                        break;
                    }
                } else if (is_missing(r, s, len)) {
                    v = NAN;
                } else {
                    g_autofree char *text = g_strndup(s, len);
                    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                                "%s:%" G_GSIZE_FORMAT ":%u: value '%s' of item '%s' is not a "
                                "number (declare missing-value codes with --missing)",
                                r->name, line, j + 1, text, spec[j].item);
                    ok = FALSE;
                    break;
                }
                c->num[row] = v;
            } else {
                c->codes[row] = (len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A'))
                                    ? IMPACT_TABLE_NA
                                    : cache_intern(&caches[j], c, s, len, s + len);
            }
            j++;
            if (st != IMPACT_I_CSV_MORE) {
                break;
            }
        }
#undef END_FAST_FIELD
        if (!ok) {
            break;
        }
        if (G_UNLIKELY(j != ncol)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ":%u: the row has %u field%s but the header has %u",
                        r->name, line, j + 1, j, j == 1 ? "" : "s", ncol);
            ok = FALSE;
            break;
        }
        row++;
        if (max_rows != 0 && row - row0 >= max_rows) {
            break;
        }
        /* the next record: inline for the common case, else skip blank lines */
        if (G_UNLIKELY(p >= end || *p == '\n' || *p == '\r')) {
            csv->p = p;
            if (!impact_i_csv_at_record(csv)) {
                p = csv->p;
                break;
            }
            p = csv->p;
        }
    }
    g_free(nums);
    csv->p = p;
    csv->field = 1;
    if (t) {
        t->n_rows = row;
    }
    *n_rows = row - row0;
    return ok;
}

/* Chunked reading of a file we mapped: drops the pages already parsed from
 * the process (they stay in the page cache), so that reading a file larger
 * than memory chunk by chunk keeps the resident size bounded. Nothing points
 * into them any more: the header and the text levels are copies. */
static void
release_consumed(ImpactReader *r)
{
#if defined(MADV_DONTNEED)
    if (r->map == NULL) {
        return;
    }
    const gsize page = 4096;
    const char *base = g_mapped_file_get_contents(r->map);
    if (r->released == NULL) {
        r->released = base;
    }
    const char *upto = base + (((gsize) (r->csv.p - base)) & ~(page - 1));
    if (upto - r->released >= (gssize) (16 * page)) {
        (void) madvise((void *) r->released, (gsize) (upto - r->released), MADV_DONTNEED);
        r->released = upto;
    }
#else
    (void) r;
#endif
}

gboolean
impact_reader_next(ImpactReader *reader, ImpactTable **out, gsize max_rows, GError **error)
{
    g_return_val_if_fail(reader != NULL && out != NULL, FALSE);
    if (reader->done || !impact_i_csv_at_record(&reader->csv)) {
        reader->done = TRUE;
        *out = NULL;
        return TRUE;
    }
    ImpactCsv *csv = &reader->csv;
    const guint ncol = reader->ncol;
    const ColSpec *spec = reader->spec;

    g_autoptr(ImpactTable) t = impact_table_new();
    impact_i_table_set_source(t, reader->name);
    /* Estimate the rows from the length of the first record. */
    const char *nl = memchr(csv->p, '\n', (size_t) (csv->end - csv->p));
    gsize first = nl ? (gsize) (nl - csv->p) + 1 : (gsize) (csv->end - csv->p);
    gsize est = (gsize) (csv->end - csv->p) / MAX(first, 1) + 16;
    est = est + est / 8;
    if (max_rows > 0) {
        est = MIN(est, max_rows);
    }
    t->capacity = MAX(est, 1);
    ImpactColumn **cols = g_new(ImpactColumn *, MAX(ncol, 1));
    TextCache *caches = g_new0(TextCache, MAX(ncol, 1));
    for (guint j = 0; j < ncol; j++) {
        cols[j] = impact_i_table_append_column(
            t, reader->header[j], spec[j].is_item ? IMPACT_COLUMN_NUMERIC : IMPACT_COLUMN_TEXT);
        if (!spec[j].is_item) {
            cache_init(&caches[j]);
        }
    }
    gsize rows = 0;
    gboolean ok = parse_rows(reader, csv, cols, t, 0, t->capacity, max_rows, caches, &rows, error);
    for (guint j = 0; j < ncol; j++) {
        if (!spec[j].is_item) {
            cache_clear(&caches[j]);
        }
    }
    g_free(caches);
    g_free(cols);
    if (!ok) {
        reader->done = TRUE;
        return FALSE;
    }
    t->n_rows = rows;
    impact_i_table_trim(t);
    release_consumed(reader);
    *out = g_steal_pointer(&t);
    return TRUE;
}

/* ---- the parallel whole-file reader --------------------------------------
 *
 * The body (after the header) is cut into parts at line ends. Phase 1 (in
 * parallel): each part counts its lines and looks for a quote; a quote
 * anywhere sends the whole file to the one-thread reader, since a quoted
 * field may hold a line end and a cut there would not be a record boundary.
 * Without quotes every LF ends a record, so the parts are independent.
 * Phase 2 (in parallel): each part parses its records straight into the
 * final columns from row offset = the lines of the parts before it (an upper
 * bound of its first row); text is interned per part. Join (serial): parts
 * are moved down over the rows left free by blank lines, and each part's
 * text levels are interned into the final column in their own order of
 * first appearance, which is the order a one-thread read gives; codes are
 * rewritten. Any error in any part: everything is dropped and the file is
 * read again with one thread, which reports the first error of the file
 * with its exact line. No extra copy of the data is made. */

/* Do not split below this many bytes per part. */
#define PART_MIN_BYTES ((gsize) 64 * 1024)

typedef struct {
    const ImpactReader *r;
    const char *start, *end;
    int phase;
    /* phase 1 */
    gsize lines;          /* records at most: LFs, +1 if the part does not end with one */
    gboolean has_quote;
    /* phase 2 */
    gsize offset;         /* first row in the final columns */
    gsize capacity;       /* rows of the final columns */
    ImpactColumn **final; /* the table's columns */
    ImpactColumn *own;    /* parts > 0: private columns (views of the final arrays) */
    TextCache *caches;    /* per column; part 0 keeps its slots for the join */
    gsize rows;
    gboolean ok;
} Part;

/* Phase 1: the line ends and whether there is a quote, in one pass. */
static void
count_lines(Part *pt)
{
    const char *p = pt->start, *end = pt->end;
    gsize n = 0;
#if defined(MADV_POPULATE_READ)
    if (pt->r->map != NULL) {
        /* map the part's pages of the file in one call rather than one
         * fault per 16 pages (Linux 5.14; a hint: errors are ignored) */
        const gsize page = 4096;
        guintptr a = (guintptr) p & ~(guintptr) (page - 1);
        (void) madvise((void *) a, (gsize) ((guintptr) end - a), MADV_POPULATE_READ);
    }
#endif
    gboolean quote = FALSE;
#if defined(__SSE2__)
    /* LFs counted per byte lane (a compare gives -1 per match: subtracted),
     * at most 4 per lane per 64 bytes, so 63 blocks fit in a byte before
     * the lanes are summed (psadbw); quotes or'ed together. (popcount of a
     * movemask per 16 bytes was a libgcc call without -mpopcnt: 5 times
     * the instructions.) */
    const __m128i lf = _mm_set1_epi8('\n'), dq = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    __m128i qs = zero;
    while (end - p >= 64) {
        gsize blocks = MIN((gsize) (end - p) / 64, 63);
        __m128i cnt = zero;
        for (gsize b = 0; b < blocks; b++, p += 64) {
            for (int k = 0; k < 4; k++) {
                __m128i v = _mm_loadu_si128((const __m128i *) (const void *) (p + 16 * k));
                cnt = _mm_sub_epi8(cnt, _mm_cmpeq_epi8(v, lf));
                qs = _mm_or_si128(qs, _mm_cmpeq_epi8(v, dq));
            }
        }
        __m128i sum = _mm_sad_epu8(cnt, zero);
        n += (gsize) _mm_cvtsi128_si32(sum) + (gsize) _mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
    }
    quote = _mm_movemask_epi8(qs) != 0;
#endif
    for (; p < end; p++) {
        n += *p == '\n';
        quote = quote || *p == '"';
    }
    if (pt->end > pt->start && pt->end[-1] != '\n') {
        n++;
    }
    pt->lines = n;
    pt->has_quote = quote;
}

static gpointer
part_work(gpointer data)
{
    Part *pt = data;
    const ImpactReader *r = pt->r;
    const guint ncol = r->ncol;
    if (pt->phase == 1) {
        count_lines(pt);
        return NULL;
    }
    ImpactColumn **cols = g_new(ImpactColumn *, MAX(ncol, 1));
    TextCache *caches = pt->caches = g_new0(TextCache, MAX(ncol, 1));
    for (guint j = 0; j < ncol; j++) {
        if (pt->own == NULL) {
            cols[j] = pt->final[j];
        } else {
            ImpactColumn *c = &pt->own[j];
            c->type = pt->final[j]->type;
            if (c->type == IMPACT_COLUMN_NUMERIC) {
                c->num = pt->final[j]->num + pt->offset;
            } else {
                c->codes = pt->final[j]->codes + pt->offset;
                c->levels = g_ptr_array_new_with_free_func(impact_i_level_free);
                c->index = g_hash_table_new(g_str_hash, g_str_equal);
            }
            cols[j] = c;
        }
        if (!r->spec[j].is_item) {
            cache_init(&caches[j]);
        }
    }
    ImpactCsv csv;
    impact_i_csv_init(&csv, pt->start, (gsize) (pt->end - pt->start), r->name, r->delim);
    csv.p = pt->start; /* no byte-order mark inside a file */
    pt->rows = 0;
    pt->ok = TRUE;
    if (impact_i_csv_at_record(&csv)) {
        pt->ok = parse_rows(r, &csv, cols, NULL, 0, pt->lines, 0, caches, &pt->rows, NULL);
    }
    impact_i_csv_clear(&csv);
    for (guint j = 0; pt->own != NULL && j < ncol; j++) {
        /* the run and the flags stay for the join */
        g_free(caches[j].slot);
        caches[j].slot = NULL;
    }
    g_free(cols);
    return NULL;
}

static void
run_parts(Part *parts, guint n, int phase)
{
    GThread **th = g_new0(GThread *, n);
    for (guint i = 0; i < n; i++) {
        parts[i].phase = phase;
    }
    for (guint i = 1; i < n; i++) {
        th[i] = g_thread_try_new("impact-read", part_work, &parts[i], NULL);
    }
    part_work(&parts[0]);
    for (guint i = 1; i < n; i++) {
        if (th[i]) {
            g_thread_join(th[i]);
        } else {
            part_work(&parts[i]); /* no thread: do it here */
        }
    }
    g_free(th);
}

static void
parts_free_own(Part *parts, guint n, guint ncol)
{
    for (guint i = 0; i < n; i++) {
        for (guint j = 0; parts[i].caches && j < ncol; j++) {
            cache_clear(&parts[i].caches[j]);
        }
        g_free(parts[i].caches);
        parts[i].caches = NULL;
    }
    for (guint i = 1; i < n; i++) {
        for (guint j = 0; parts[i].own && j < ncol; j++) {
            ImpactColumn *c = &parts[i].own[j];
            if (c->levels) {
                g_ptr_array_unref(c->levels);
            }
            if (c->index) {
                g_hash_table_unref(c->index);
            }
        }
        g_free(parts[i].own);
        parts[i].own = NULL;
    }
}

/* The join of text column @c (cache @tc) and a later part's column @own
 * (cache @tp) when both hold all their levels in sorted runs and the part's
 * come after the column's (ids of a file sorted by id): every level of the
 * part is new, except its first when it equals the column's last (a cut
 * between the rows of one id), so its codes shift by a constant and its
 * texts move over without lookups. FALSE (nothing done) otherwise. */
static gboolean
join_runs(TextCache *tc, ImpactColumn *c, TextCache *tp, ImpactColumn *own, const Part *pt,
          gsize dest, gboolean last_part)
{
    const gsize n0 = c->levels->len, np = own->levels->len;
    if (!tc->run_open || tc->run_len != n0 || !tp->run_open || tp->run_len != np || np == 0) {
        return FALSE;
    }
    gsize skip = 0; /* 1: the part's first level is the column's last */
    if (n0 > 0 && tp->run[0] <= tc->run[n0 - 1]) {
        if (tp->run[0] != tc->run[n0 - 1]) {
            return FALSE;
        }
        skip = 1;
    }
    /* the texts: a block of the part moves with its first level; the rest
     * of a block whose first level stays behind (the duplicate) is copied */
    g_ptr_array_set_size(c->levels, (guint) (n0 + np - skip));
    gboolean moving = skip == 0;
    for (gsize l = skip; l < np; l++) {
        char *lv = g_ptr_array_index(own->levels, l);
        if (!moving && ((guintptr) lv & 1) == 0) {
            moving = TRUE; /* a block starts here */
        }
        if (moving) {
            g_ptr_array_index(own->levels, l) = NULL;
        } else {
            lv = level_copy(tc, lv, strlen(lv));
        }
        g_ptr_array_index(c->levels, n0 + l - skip) = lv;
    }
    if (!last_part) {
        /* the run, for the parts still to join */
        if (tc->run_cap < n0 + np - skip) {
            tc->run_cap = n0 + np - skip;
            tc->run = g_renew(guint64, tc->run, tc->run_cap);
        }
        memcpy(tc->run + n0, tp->run + skip, (np - skip) * sizeof(guint64));
        tc->run_len = n0 + np - skip;
    } else {
        tc->run_open = FALSE; /* the cache no longer covers the column */
    }
    /* codes: level l of the part is n0 + l - skip (its level 0 is n0 - 1
     * when skip is 1: the same formula) */
    const guint32 shift = (guint32) (n0 - skip);
    for (gsize k = 0; k < pt->rows; k++) {
        guint32 code = c->codes[pt->offset + k];
        c->codes[dest + k] = code == IMPACT_TABLE_NA ? IMPACT_TABLE_NA : code + shift;
    }
    return TRUE;
}

/* Reads the rest of @r's input with @n_parts parts. *out is NULL (and TRUE
 * returned) when the input is not fit for splitting or a part failed: the
 * caller then reads with one thread. */
static void
read_parallel(ImpactReader *r, ImpactTable **out, guint n_parts)
{
    const char *body = r->csv.p, *end = r->csv.end;
    const gsize len = (gsize) (end - body);
    const guint ncol = r->ncol;
    *out = NULL;
    Part *parts = g_new0(Part, n_parts);
    const char *prev = body;
    for (guint i = 0; i < n_parts; i++) {
        const char *cut = end;
        if (i + 1 < n_parts) {
            const char *target = body + (len / n_parts) * (i + 1);
            target = MAX(target, prev);
            const char *nl = memchr(target, '\n', (size_t) (end - target));
            cut = nl ? nl + 1 : end;
        }
        parts[i].r = r;
        parts[i].start = prev;
        parts[i].end = cut;
        prev = cut;
    }
    run_parts(parts, n_parts, 1);
    gsize total = 0;
    for (guint i = 0; i < n_parts; i++) {
        if (parts[i].has_quote) {
            g_free(parts);
            return;
        }
        parts[i].offset = total;
        total += parts[i].lines;
    }

    g_autoptr(ImpactTable) t = impact_table_new();
    impact_i_table_set_source(t, r->name);
    t->capacity = MAX(total, 1);
    ImpactColumn **final = g_new(ImpactColumn *, MAX(ncol, 1));
    for (guint j = 0; j < ncol; j++) {
        final[j] = impact_i_table_append_column(
            t, r->header[j], r->spec[j].is_item ? IMPACT_COLUMN_NUMERIC : IMPACT_COLUMN_TEXT);
    }
    for (guint i = 0; i < n_parts; i++) {
        parts[i].final = final;
        parts[i].own = i == 0 ? NULL : g_new0(ImpactColumn, MAX(ncol, 1));
        parts[i].capacity = t->capacity;
    }
    run_parts(parts, n_parts, 2);
    gboolean ok = TRUE;
    for (guint i = 0; i < n_parts; i++) {
        ok = ok && parts[i].ok;
    }
    if (ok) {
        gsize dest = parts[0].rows;
        for (guint i = 1; i < n_parts; i++) {
            const Part *pt = &parts[i];
            for (guint j = 0; j < ncol; j++) {
                ImpactColumn *c = final[j];
                ImpactColumn *own = &pt->own[j];
                if (c->type == IMPACT_COLUMN_NUMERIC) {
                    if (dest != pt->offset) {
                        memmove(c->num + dest, c->num + pt->offset, pt->rows * sizeof(double));
                    }
                    c->n_recoded += own->n_recoded;
                    continue;
                }
                /* The part's levels in its order of first appearance, looked
                 * up in part 0's cache, which gets the new ones (as
                 * cache_intern() in a one-thread read). A level added past a
                 * cache (a NUL byte in a field) in any part: through the
                 * column's index instead, as impact_i_column_intern() does. */
                TextCache *tc = &parts[0].caches[j];
                gboolean via_index = FALSE;
                for (guint k = 0; k < n_parts; k++) {
                    via_index = via_index || parts[k].caches[j].uncached;
                }
                /* the last part's new levels need not be cached: nothing is
                 * looked up after it (a part's levels are distinct), and a
                 * cache grown for them was the peak memory of a read of
                 * unsorted ids */
                const gboolean last_part = i + 1 == n_parts;
                if (!via_index && join_runs(tc, c, &pt->caches[j], own, pt, dest, last_part)) {
                    continue;
                }
                guint32 *map = g_new(guint32, MAX(own->levels->len, 1));
                gboolean same = dest == pt->offset; /* codes already right */
                for (guint l = 0; l < own->levels->len; l++) {
                    char *lv = g_ptr_array_index(own->levels, l);
                    gsize n = strlen(lv);
                    if (via_index) {
                        map[l] = impact_i_column_intern(c, lv, n);
                        continue;
                    }
                    guint64 key = text_key(lv, n, lv + n);
                    map[l] = cache_find(tc, c, key, lv, n);
                    if (map[l] == G_MAXUINT32) {
                        /* a new level: a copy in the column's own blocks (the
                         * part's go with its levels) */
                        char *copy = level_copy(tc, lv, n);
                        if (last_part) {
                            g_ptr_array_add(c->levels, copy);
                            map[l] = c->levels->len - 1;
                        } else {
                            map[l] = cache_add_level(tc, c, copy, key, n);
                        }
                    }
                }
                for (guint l = 0; same && l < own->levels->len; l++) {
                    same = map[l] == l;
                }
                for (gsize k = 0; !same && k < pt->rows; k++) {
                    guint32 code = c->codes[pt->offset + k];
                    c->codes[dest + k] = code == IMPACT_TABLE_NA ? IMPACT_TABLE_NA : map[code];
                }
                g_free(map);
            }
            dest += pt->rows;
        }
        t->n_rows = dest;
        impact_i_table_trim(t);
    }
    parts_free_own(parts, n_parts, ncol);
    g_free(parts);
    g_free(final);
    if (ok) {
        r->csv.p = r->csv.end;
        r->done = TRUE;
        *out = g_steal_pointer(&t);
    }
}

static gboolean
read_all(ImpactReader *r, ImpactTable **out, GError **error)
{
    ImpactTable *t = NULL;
    guint threads = r->n_threads ? r->n_threads : g_get_num_processors();
    if (threads > 1 && impact_i_csv_at_record(&r->csv)) {
        gsize body = (gsize) (r->csv.end - r->csv.p);
        guint n_parts = (guint) MIN((gsize) threads, body / PART_MIN_BYTES);
        if (n_parts >= 2) {
            read_parallel(r, &t, n_parts);
        }
    }
    if (t == NULL && !impact_reader_next(r, &t, 0, error)) {
        return FALSE;
    }
    if (t == NULL) {
        /* header only: an empty table with the header's columns */
        t = impact_table_new();
        impact_i_table_set_source(t, r->name);
        for (guint j = 0; j < r->ncol; j++) {
            impact_i_table_append_column(t, r->header[j], r->spec[j].is_item
                                                              ? IMPACT_COLUMN_NUMERIC
                                                              : IMPACT_COLUMN_TEXT);
        }
    }
    *out = t;
    return TRUE;
}

gboolean
impact_responses_read(ImpactTable **out, const char *path, const ImpactCodebook *codebook,
                      const ImpactReadOptions *options, GError **error)
{
    g_return_val_if_fail(out != NULL && path != NULL, FALSE);
    g_autoptr(ImpactReader) r = impact_reader_open(path, codebook, options, error);
    return r != NULL && read_all(r, out, error);
}

gboolean
impact_responses_read_buffer(ImpactTable **out, const char *data, gsize len, const char *name,
                             const ImpactCodebook *codebook, const ImpactReadOptions *options,
                             GError **error)
{
    g_return_val_if_fail(out != NULL, FALSE);
    g_autoptr(ImpactReader) r =
        reader_new_buffer(data, len, name, codebook, options, NULL, error);
    return r != NULL && read_all(r, out, error);
}
