/* score-kernel.h — the rows of impact_score_kernel(); included twice by
 * score.c, never elsewhere: for the baseline instruction set (q4: two SSE2
 * vectors, KERNEL(name) = name_base) and, where LANES_WIDE, for AVX2 (one
 * 32-byte vector, name_avx2), chosen at run time. Both give the same bits
 * (lanes-private.h).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

/* The rows of impact_score_kernel(), four at a time (q4: lanes-private.h).
 * Every row's sums run over the items in order, exactly as a row-by-row
 * loop, so the scores do not depend on the vector width: the lanes are
 * separate rows (no sum is reordered). A missing answer adds +0.0 to the
 * sums and 0 to the count (a mask instead of a branch): x + 0.0 == x for
 * every x the sum can hold (it starts at +0.0, so it is never −0.0). With
 * @prorate the mean is multiplied by @wtotal (a prorated sum). The last
 * rows (n mod 4) are copied into a padded group whose extra lanes are
 * missing and not stored. */
static void
KERNEL(score_rows)(double *out, const double *const *items, gsize k, gsize n, const double *a,
           const double *b, const double *w, gsize required, gboolean prorate,
           double wtotal)
{
    g_autofree double *pad = g_new(double, 4 * MAX(k, 1));
    g_autofree const double **pad_items = g_new(const double *, MAX(k, 1));
    const q4 req = q_set((double) required), zero = q_set(0), one = q_set(1), nan4 = q_set(NAN);
    for (gsize i = 0; i < n; i += 4) {
        const double *const *src = items;
        gsize at = i, m = MIN((gsize) 4, n - i);
        if (m < 4) {
            for (gsize j = 0; j < k; j++) {
                for (gsize l = 0; l < 4; l++) {
                    pad[4 * j + l] = l < m ? items[j][i + l] : NAN;
                }
                pad_items[j] = pad + 4 * j;
            }
            src = pad_items;
            at = 0;
        }
        q4 acc = zero, wsum = zero, count = zero; /* count: answered items (exact) */
        for (gsize j = 0; j < k; j++) {
            const q4 v = q_load(src[j] + at), wj = q_set(w[j]);
            const q4m ok = q_answered(v);
            /* w·(a + b·x) */
            const q4 t = q_mul(wj, q_add(q_set(a[j]), q_mul(q_set(b[j]), v)));
            acc = q_add(acc, q_select(t, ok));
            wsum = q_add(wsum, q_select(wj, ok));
            count = q_add(count, q_select(one, ok));
        }
        q4 sc = q_div(acc, wsum);
        if (prorate) {
            sc = q_mul(sc, q_set(wtotal));
        }
        sc = q_blend(nan4, sc, q_or(q_lt(count, req), q_eq(count, zero)));
        if (m == 4) {
            q_store(out + i, sc);
        } else {
            for (gsize l = 0; l < m; l++) {
                out[i + l] = q_lane(sc, (int) l);
            }
        }
    }
}
