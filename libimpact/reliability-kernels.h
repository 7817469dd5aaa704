/* reliability-kernels.h — the block kernels of the reliability
 * accumulator; included twice by reliability.c, never elsewhere: once for
 * the baseline instruction set (q4: two SSE2 vectors) and, on x86-64 with
 * GCC, once for AVX2 (q4 renamed to a 32-byte vector type, one AVX2
 * operation for four lanes), the functions named KERNEL(name). Both give
 * the same bits: the same operations lane by lane, no FMA (lanes-private.h).
 * See "the block kernels" in reliability.c for the order of the sums.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

/* The update below (merge_pairs) for four pairs (i .. i + 3, j) below the
 * diagonal at once, whose counts are all non-zero (else FALSE, nothing
 * done): the entries ij of a column are contiguous, those ji (the other
 * variable of each pair) strided by kk. The same operations lane by lane. */
KERNEL_HELPER gboolean
KERNEL(merge4)(ScaleAcc *a, const double *nb, const double *mb, const double *m2b, const double *cb,
       gsize ij, gsize ji, gsize kk, const double *fw, const double *gw)
{
    const q4 zero = q_set(0), n1 = q_load(a->n + ij), n2 = q_load(nb + ij);
    if (!q_all(q_and(q_ne(n1, zero), q_ne(n2, zero)))) {
        return FALSE;
    }
    const gsize j0 = ji, j1 = ji + kk, j2 = ji + 2 * kk, j3 = ji + 3 * kk;
#define GATHER(p) q_make((p)[j0], (p)[j1], (p)[j2], (p)[j3])
#define SCATTER(p, v)                                                                              \
    do {                                                                                           \
        const q4 t_ = (v);                                                                         \
        (p)[j0] = q_lane(t_, 0);                                                                   \
        (p)[j1] = q_lane(t_, 1);                                                                   \
        (p)[j2] = q_lane(t_, 2);                                                                   \
        (p)[j3] = q_lane(t_, 3);                                                                   \
    } while (0)
    const q4 n = q_add(n1, n2), f = q_load(fw), g = q_load(gw);
    const q4 ai = q_load(a->mean + ij), aj = GATHER(a->mean);
    const q4 di = q_sub(q_load(mb + ij), ai), dj = q_sub(GATHER(mb), aj);
    /* c += cb + di·dj·f; m2 += m2b + d·d·f; mean += d·g */
    const q4 c = q_add(q_load(a->c + ij), q_add(q_load(cb + ij), q_mul(q_mul(di, dj), f)));
    q_store(a->c + ij, c);
    SCATTER(a->c, c);
    q_store(a->m2 + ij,
            q_add(q_load(a->m2 + ij), q_add(q_load(m2b + ij), q_mul(q_mul(di, di), f))));
    q_store(a->mean + ij, q_add(ai, q_mul(di, g)));
    SCATTER(a->m2, q_add(GATHER(a->m2), q_add(GATHER(m2b), q_mul(q_mul(dj, dj), f))));
    SCATTER(a->mean, q_add(aj, q_mul(dj, g)));
    q_store(a->n + ij, n);
    SCATTER(a->n, n);
#undef GATHER
#undef SCATTER
    return TRUE;
}

/* Chan et al. merge of the pair statistics (nb, mb, m2b, cb) into @a. The
 * weights n1·n2/n and n2/n of a column's pairs are computed first, four at
 * a time (vector divisions: the same quotients, fewer of them in flight). */
#define MERGE_CHUNK 32

KERNEL_HELPER void
KERNEL(merge_pairs)(ScaleAcc *a, const double *nb, const double *mb, const double *m2b, const double *cb)
{
    const gsize kk = a->kk;
    double fw[MERGE_CHUNK], gw[MERGE_CHUNK];
    for (gsize j = 0; j < kk; j++) {
        for (gsize i0 = j; i0 < kk; i0 += MERGE_CHUNK) {
            const gsize m = MIN((gsize) MERGE_CHUNK, kk - i0);
            /* the pairs (i0 + q, j): a->n and nb of a column are contiguous,
             * and the loop below changes no a->n it has still to read */
            const double *n1p = a->n + i0 + j * kk, *n2p = nb + i0 + j * kk;
            gsize q = 0;
            for (; q + 4 <= m; q += 4) {
                const q4 n1 = q_load(n1p + q), n2 = q_load(n2p + q), n = q_add(n1, n2);
                q_store(fw + q, q_div(q_mul(n1, n2), n));
                q_store(gw + q, q_div(n2, n));
            }
            for (; q < m; q++) {
                const double n = n1p[q] + n2p[q];
                fw[q] = n1p[q] * n2p[q] / n;
                gw[q] = n2p[q] / n;
            }
            for (q = 0; q < m; q++) {
                const gsize i = i0 + q, ij = i + j * kk, ji = j + i * kk;
                if (i > j && q + 4 <= m && KERNEL(merge4)(a, nb, mb, m2b, cb, ij, ji, kk, fw + q, gw + q)) {
                    q += 3; /* pairs q .. q + 3 merged */
                    continue;
                }
                const double n2 = nb[ij];
                if (n2 == 0) {
                    continue;
                }
                const double n1 = a->n[ij];
                if (n1 == 0) {
                    a->n[ij] = a->n[ji] = n2;
                    a->mean[ij] = mb[ij];
                    a->mean[ji] = mb[ji];
                    a->m2[ij] = m2b[ij];
                    a->m2[ji] = m2b[ji];
                    a->c[ij] = a->c[ji] = cb[ij];
                    continue;
                }
                const double n = n1 + n2, f = fw[q], g = gw[q]; /* n1·n2/n, n2/n */
                const double di = mb[ij] - a->mean[ij], dj = mb[ji] - a->mean[ji];
                a->c[ij] += cb[ij] + di * dj * f;
                a->c[ji] = a->c[ij];
                a->m2[ij] += m2b[ij] + di * di * f;
                a->mean[ij] += di * g;
                if (ji != ij) {
                    a->m2[ji] += m2b[ji] + dj * dj * f;
                    a->mean[ji] += dj * g;
                }
                a->n[ij] = a->n[ji] = n;
            }
        }
    }
}

/* Complete rows: for four columns at a time, the column sums, the shift to
 * the block mean, the deviations and their sums. */
KERNEL_HELPER void
KERNEL(shift_complete)(Work *w, gsize kp, gsize rows)
{
    const double nr = (double) rows;
    const gsize r4 = rows & ~(gsize) 3;
    for (gsize j0 = 0; j0 < kp; j0 += 4) {
        double *c[4] = { w->x + j0 * BLOCK, w->x + (j0 + 1) * BLOCK, w->x + (j0 + 2) * BLOCK,
                         w->x + (j0 + 3) * BLOCK };
        q4 a0 = q_set(0), a1 = a0, a2 = a0, a3 = a0;
        for (gsize r = 0; r < r4; r += 4) {
            a0 = q_add(a0, q_load(c[0] + r));
            a1 = q_add(a1, q_load(c[1] + r));
            a2 = q_add(a2, q_load(c[2] + r));
            a3 = q_add(a3, q_load(c[3] + r));
        }
        double m[4] = { q_lanes(a0), q_lanes(a1), q_lanes(a2), q_lanes(a3) };
        for (gsize q = 0; q < 4; q++) {
            for (gsize r = r4; r < rows; r++) {
                m[q] += c[q][r];
            }
            m[q] /= nr;
        }
        const q4 m0 = q_set(m[0]), m1 = q_set(m[1]), m2 = q_set(m[2]), m3 = q_set(m[3]);
        q4 d0 = q_set(0), d1 = d0, d2 = d0, d3 = d0;
        for (gsize r = 0; r < r4; r += 4) {
            const q4 v0 = q_sub(q_load(c[0] + r), m0), v1 = q_sub(q_load(c[1] + r), m1);
            const q4 v2 = q_sub(q_load(c[2] + r), m2), v3 = q_sub(q_load(c[3] + r), m3);
            q_store(c[0] + r, v0);
            q_store(c[1] + r, v1);
            q_store(c[2] + r, v2);
            q_store(c[3] + r, v3);
            d0 = q_add(d0, v0);
            d1 = q_add(d1, v1);
            d2 = q_add(d2, v2);
            d3 = q_add(d3, v3);
        }
        double d[4] = { q_lanes(d0), q_lanes(d1), q_lanes(d2), q_lanes(d3) };
        for (gsize q = 0; q < 4; q++) {
            for (gsize r = r4; r < rows; r++) {
                c[q][r] -= m[q];
                d[q] += c[q][r];
            }
            w->shift[j0 + q] = m[q];
            w->s[j0 + q] = d[q];
        }
    }
}

/* Complete rows: out[i + j·kk] = Σ x_i x_j for i >= j (and some i < j,
 * which are the same numbers), in tiles of 4 × 2 columns over the lower
 * triangle: eight independent sums at a time (one tile of 2 × 2 would wait
 * for the latency of its additions), the padding columns making every tile
 * whole. */
KERNEL_HELPER void
KERNEL(gram_complete)(double *out, const double *x, gsize kk, gsize rows)
{
    const gsize r4 = rows & ~(gsize) 3;
    for (gsize j = 0; j < kk; j += 2) {
        const double *y0 = x + j * BLOCK, *y1 = y0 + BLOCK;
        for (gsize i = j & ~(gsize) 3; i < kk; i += 4) {
            const double *x0 = x + i * BLOCK, *x1 = x0 + BLOCK, *x2 = x1 + BLOCK,
                         *x3 = x2 + BLOCK;
            q4 a00 = q_set(0), a10 = a00, a20 = a00, a30 = a00;
            q4 a01 = a00, a11 = a00, a21 = a00, a31 = a00;
            for (gsize r = 0; r < r4; r += 4) {
                const q4 v0 = q_load(y0 + r), v1 = q_load(y1 + r);
                q4 u = q_load(x0 + r);
                a00 = q_add(a00, q_mul(u, v0));
                a01 = q_add(a01, q_mul(u, v1));
                u = q_load(x1 + r);
                a10 = q_add(a10, q_mul(u, v0));
                a11 = q_add(a11, q_mul(u, v1));
                u = q_load(x2 + r);
                a20 = q_add(a20, q_mul(u, v0));
                a21 = q_add(a21, q_mul(u, v1));
                u = q_load(x3 + r);
                a30 = q_add(a30, q_mul(u, v0));
                a31 = q_add(a31, q_mul(u, v1));
            }
            double s[2][4] = { { q_lanes(a00), q_lanes(a10), q_lanes(a20), q_lanes(a30) },
                               { q_lanes(a01), q_lanes(a11), q_lanes(a21), q_lanes(a31) } };
            for (gsize r = r4; r < rows; r++) {
                for (gsize q = 0; q < 4; q++) {
                    s[0][q] += x0[r + q * BLOCK] * y0[r];
                    s[1][q] += x0[r + q * BLOCK] * y1[r];
                }
            }
            for (gsize c = 0; c < 2 && j + c < kk; c++) {
                for (gsize q = 0; q < 4 && i + q < kk; q++) {
                    out[i + q + (j + c) * kk] = s[c][q];
                }
            }
        }
    }
}

/* Rows with missing answers: for four columns at a time, the mean of the
 * answers (a missing one adding +0.0 to the sum) as the shift, the 0/1
 * mask, the deviations (0 where missing) and their squares. */
KERNEL_HELPER void
KERNEL(shift_masked)(Work *w, gsize kp, gsize rows)
{
    const q4 one = q_set(1);
    const gsize r4 = rows & ~(gsize) 3;
    for (gsize j0 = 0; j0 < kp; j0 += 4) {
        const double *c[4] = { w->x + j0 * BLOCK, w->x + (j0 + 1) * BLOCK,
                               w->x + (j0 + 2) * BLOCK, w->x + (j0 + 3) * BLOCK };
        q4 s0 = q_set(0), s1 = s0, s2 = s0, s3 = s0, n0 = s0, n1 = s0, n2 = s0, n3 = s0;
        for (gsize r = 0; r < r4; r += 4) {
            const q4 v0 = q_load(c[0] + r), v1 = q_load(c[1] + r), v2 = q_load(c[2] + r),
                     v3 = q_load(c[3] + r);
            const q4m ok0 = q_answered(v0), ok1 = q_answered(v1), ok2 = q_answered(v2),
                      ok3 = q_answered(v3);
            s0 = q_add(s0, q_select(v0, ok0));
            s1 = q_add(s1, q_select(v1, ok1));
            s2 = q_add(s2, q_select(v2, ok2));
            s3 = q_add(s3, q_select(v3, ok3));
            n0 = q_add(n0, q_select(one, ok0));
            n1 = q_add(n1, q_select(one, ok1));
            n2 = q_add(n2, q_select(one, ok2));
            n3 = q_add(n3, q_select(one, ok3));
        }
        double sum[4] = { q_lanes(s0), q_lanes(s1), q_lanes(s2), q_lanes(s3) };
        double cnt[4] = { q_lanes(n0), q_lanes(n1), q_lanes(n2), q_lanes(n3) }; /* exact */
        for (gsize q = 0; q < 4; q++) {
            for (gsize r = r4; r < rows; r++) {
                if (!isnan(c[q][r])) {
                    sum[q] += c[q][r];
                    cnt[q] += 1;
                }
            }
            const double sh = cnt[q] > 0 ? sum[q] / cnt[q] : 0.0;
            const q4 sh4 = q_set(sh);
            double *x = w->x + (j0 + q) * BLOCK, *m = w->mask + (j0 + q) * BLOCK,
                   *x2 = w->x2 + (j0 + q) * BLOCK;
            w->shift[j0 + q] = sh;
            for (gsize r = 0; r < r4; r += 4) {
                const q4 v = q_load(x + r);
                const q4m ok = q_answered(v);
                const q4 d = q_select(q_sub(v, sh4), ok);
                q_store(m + r, q_select(one, ok));
                q_store(x + r, d);
                q_store(x2 + r, q_mul(d, d));
            }
            for (gsize r = r4; r < rows; r++) {
                const gboolean ok = !isnan(x[r]);
                m[r] = ok ? 1.0 : 0.0;
                x[r] = ok ? x[r] - sh : 0.0;
                x2[r] = x[r] * x[r];
            }
        }
    }
}

/* The statistics of one block of @rows rows whose keyed values (NaN =
 * missing; column k the person score) are in w->x, merged into @sa: with
 * @any_missing by the masked path, else by the fast path, where item @dead
 * (if >= 0) is missing in every row and all else is answered. */
KERNEL_TOP void
KERNEL(block_stats)(ScaleAcc *sa, Work *w, gsize rows, gboolean any_missing, gssize dead)
{
    const gsize kk = sa->kk, kp = PADDED(kk);
    const double nr = (double) rows;
    if (!any_missing) {
        if (dead >= 0) {
            /* item dead is missing in every row: zeros, and none of its
             * pairs counts a row (the merge skips them) */
            memset(w->x + (gsize) dead * BLOCK, 0, rows * sizeof(double));
        }
        KERNEL(shift_complete)(w, kp, rows);
        KERNEL(gram_complete)(w->cb, w->x, kk, rows);
        for (gsize j = 0; j < kk; j++) {
            for (gsize i = j; i < kk; i++) {
                double p = w->cb[i + j * kk] - w->s[i] * w->s[j] / nr;
                w->cb[i + j * kk] = w->cb[j + i * kk] = p;
            }
        }
        for (gsize i = 0; i < kk; i++) {
            w->mb[i] = w->shift[i] + w->s[i] / nr; /* once per variable: the same for every j */
            w->m2b[i] = w->cb[i + i * kk];
        }
        for (gsize j = 0; j < kk; j++) {
            for (gsize i = 0; i < kk; i++) {
                w->nb[i + j * kk] = nr;
                w->mb[i + j * kk] = w->mb[i];
                w->m2b[i + j * kk] = w->m2b[i];
            }
        }
        for (gsize i = 0; dead >= 0 && i < kk; i++) {
            w->nb[i + (gsize) dead * kk] = w->nb[(gsize) dead + i * kk] = 0;
        }
    } else {
        KERNEL(shift_masked)(w, kp, rows);
        const gsize r4 = rows & ~(gsize) 3;
        for (gsize j = 0; j < kk; j++) {
            const double *xj = w->x + j * BLOCK, *mj = w->mask + j * BLOCK,
                         *qj = w->x2 + j * BLOCK;
            for (gsize i = j; i < kk; i++) {
                const double *xi = w->x + i * BLOCK, *mi = w->mask + i * BLOCK,
                             *qi = w->x2 + i * BLOCK;
                /* six dot products in one pass: n = mi·mj, si = xi·mj,
                 * sj = xj·mi, Qi = x²i·mj, Qj = x²j·mi, p = xi·xj */
                q4 an = q_set(0), asi = an, asj = an, aqi = an, aqj = an, ap = an;
                for (gsize r = 0; r < r4; r += 4) {
                    const q4 vmi = q_load(mi + r), vmj = q_load(mj + r);
                    const q4 vxi = q_load(xi + r), vxj = q_load(xj + r);
                    an = q_add(an, q_mul(vmi, vmj));
                    asi = q_add(asi, q_mul(vxi, vmj));
                    asj = q_add(asj, q_mul(vxj, vmi));
                    aqi = q_add(aqi, q_mul(q_load(qi + r), vmj));
                    aqj = q_add(aqj, q_mul(q_load(qj + r), vmi));
                    ap = q_add(ap, q_mul(vxi, vxj));
                }
                double n = q_lanes(an), si = q_lanes(asi), sj = q_lanes(asj);
                double q_i = q_lanes(aqi), q_j = q_lanes(aqj), p = q_lanes(ap);
                for (gsize r = r4; r < rows; r++) {
                    n += mi[r] * mj[r];
                    si += xi[r] * mj[r];
                    sj += xj[r] * mi[r];
                    q_i += qi[r] * mj[r];
                    q_j += qj[r] * mi[r];
                    p += xi[r] * xj[r];
                }
                gsize ij = i + j * kk, ji = j + i * kk;
                w->nb[ij] = w->nb[ji] = n;
                if (n == 0) {
                    continue;
                }
                w->mb[ij] = w->shift[i] + si / n;
                w->mb[ji] = w->shift[j] + sj / n;
                w->m2b[ij] = q_i - si * si / n;
                w->m2b[ji] = q_j - sj * sj / n;
                w->cb[ij] = w->cb[ji] = p - si * sj / n;
            }
        }
    }
    KERNEL(merge_pairs)(sa, w->nb, w->mb, w->m2b, w->cb);
}

/* Copies the rows @idx (a block; its room is BLOCK entries) of the scale's
 * columns into w->x, keyed, and the person score (the mean of the answered
 * items, summed in item order from +0.0, a missing answer adding +0.0) into
 * column k; four rows at a time, the last group padded with the last row
 * (the padding values lie beyond @rows, where nothing reads them). The keyed
 * value a + (x with its sign flipped by f) is exact: (lo + hi) − x for a
 * reversed item (a = lo + hi, f = the sign bit), x itself otherwise
 * (a = −0.0, f = 0: −0.0 + x == x for every x, ±0 included). */
KERNEL_TOP void
KERNEL(gather_rows)(Work *w, const ScaleAcc *sa, const double *const *cols, gsize *idx, gsize rows)
{
    const gsize k = sa->k, r4 = (rows + 3) & ~(gsize) 3;
    const q4 one = q_set(1), zero = q_set(0), nan4 = q_set(NAN);
    double *key_a = w->key_a, *key_f = w->key_f;
    for (gsize j = 0; j < k; j++) {
        key_a[j] = sa->rev[j] ? sa->lo[j] + sa->hi[j] : -0.0;
        key_f[j] = sa->rev[j] ? -0.0 : 0.0;
    }
    for (gsize t = rows; t < r4; t++) {
        idx[t] = idx[rows - 1];
    }
    for (gsize t = 0; t < r4; t += 4) {
        const gsize i0 = idx[t], i1 = idx[t + 1], i2 = idx[t + 2], i3 = idx[t + 3];
        q4 ps = zero, an = zero;
        for (gsize j = 0; j < k; j++) {
            const double *c = cols[j];
            const q4 v = q_add(q_set(key_a[j]), q_xor(q_make(c[i0], c[i1], c[i2], c[i3]),
                                                      q_set(key_f[j])));
            q_store(w->x + j * BLOCK + t, v);
            const q4m ok = q_answered(v);
            ps = q_add(ps, q_select(v, ok));
            an = q_add(an, q_select(one, ok));
        }
        q_store(w->x + k * BLOCK + t, q_blend(q_div(ps, an), nan4, q_gt(an, zero)));
    }
}

/* rows classified at a time */
#define CHUNK 256

KERNEL_TOP void
KERNEL(add_scale)(ScaleAcc *sa, ImpactMissingPolicy missing, const double *const *cols, gsize n_rows,
          const gboolean *keep, Work *w, Work *wm)
{
    /* Rows go, in row order, to one of k + 2 blocks, each merged when full:
     * complete rows (list 0) and rows missing exactly item d (list 1 + d)
     * to w, the fast path (item d is a column of zeros there, and its pairs
     * count no rows); rows missing two answers or more (list k + 1) to wm,
     * the masked path (pairwise only). Listwise uses complete rows only.
     * The answers of each row, and the index of its missing item, are
     * counted column by column for CHUNK rows, then the rows' indices are
     * appended to their block's list (without a branch); a full block is
     * gathered. */
    const gsize k = sa->k, kp = PADDED(sa->kk), multi = k + 1;
    const gsize pairwise = missing == IMPACT_MISSING_PAIRWISE;
    g_autofree gsize *idx = g_new(gsize, (k + 2) * BLOCK);
    g_autofree gsize *len = g_new0(gsize, k + 2);
    double answered[CHUNK], missed[CHUNK]; /* counts and sums of indices: exact */
    gsize n_complete = 0, n_partial = 0;
    /* the padding columns stay zero (other scales may have used them) */
    for (gsize j = sa->kk; j < kp; j++) {
        Work *ws[2] = { w, wm };
        for (int q = 0; q < 2; q++) {
            memset(ws[q]->x + j * BLOCK, 0, BLOCK * sizeof(double));
        }
    }
    for (gsize r0 = 0; r0 < n_rows; r0 += CHUNK) {
        const gsize nc = MIN((gsize) CHUNK, n_rows - r0);
        memset(answered, 0, sizeof answered);
        memset(missed, 0, sizeof missed);
        /* rows of the next chunk whose answers are asked for now, while this
         * chunk is counted: they arrive from memory while its blocks are
         * computed (the columns are read once; one prefetch a cache line) */
        const gsize ahead = r0 + CHUNK < n_rows ? MIN((gsize) CHUNK, n_rows - r0 - CHUNK) : 0;
        for (gsize j = 0; j < k; j++) {
            const double *c = cols[j] + r0;
#if defined(__GNUC__)
            for (gsize t = 0; t < ahead; t += 8) {
                __builtin_prefetch(c + CHUNK + t);
            }
#endif
            const q4 one = q_set(1), jv = q_set((double) j);
            gsize t = 0;
            for (; t + 4 <= nc; t += 4) {
                const q4m ok = q_answered(q_load(c + t));
                q_store(answered + t, q_add(q_load(answered + t), q_select(one, ok)));
                /* the sum of the missing items' indices */
                q_store(missed + t, q_add(q_load(missed + t), q_select_not(jv, ok)));
            }
            for (; t < nc; t++) {
                const gboolean ok = !isnan(c[t]);
                answered[t] += ok ? 1.0 : 0.0;
                missed[t] += ok ? 0.0 : (double) j;
            }
        }
        /* each row's list (nothing: the row is not used); then the
         * complete rows, most of them, are appended with their count in a
         * register, and the others through a short list of their own */
        gsize lists[CHUNK], other[CHUNK], n_other = 0;
        for (gsize t = 0; t < nc; t++) {
            /* 0: complete; 1 + d: item d missing (and another item left for
             * the person score); else multi (selected without branches) */
            const gsize a = (gsize) answered[t];
            const gsize complete = a == k, single = (a + 1 == k) & (k >= 2);
            const gsize list = (-single & (1 + (gsize) missed[t])) |
                               (-(gsize) (!complete & !single) & multi);
            const gsize use = (gsize) (keep == NULL || keep[r0 + t]) & (complete | pairwise);
            lists[t] = use ? list : G_MAXSIZE;
            other[n_other] = t;
            n_other += use & !complete;
            n_complete += use & complete;
        }
        gsize *idx0 = idx, n0 = len[0];
        for (gsize t = 0; t < nc; t++) {
            idx0[n0] = r0 + t;
            n0 += lists[t] == 0;
            if (n0 == BLOCK) {
                KERNEL(gather_rows)(w, sa, cols, idx0, BLOCK);
                KERNEL(block_stats)(sa, w, BLOCK, FALSE, -1);
                n0 = 0;
            }
        }
        len[0] = n0;
        n_partial += n_other;
        for (gsize o = 0; o < n_other; o++) {
            const gsize t = other[o], list = lists[t];
            idx[list * BLOCK + len[list]++] = r0 + t;
            if (len[list] == BLOCK) {
                Work *wl = list == multi ? wm : w;
                KERNEL(gather_rows)(wl, sa, cols, idx + list * BLOCK, BLOCK);
                KERNEL(block_stats)(sa, wl, BLOCK, list == multi, (gssize) list - 1);
                len[list] = 0;
            }
        }
    }
    for (gsize list = 0; list <= multi; list++) {
        if (len[list] > 0) {
            Work *wl = list == multi ? wm : w;
            KERNEL(gather_rows)(wl, sa, cols, idx + list * BLOCK, len[list]);
            KERNEL(block_stats)(sa, wl, len[list], list == multi, (gssize) list - 1);
        }
    }
    sa->complete += (double) n_complete;
    sa->rows += (double) (n_complete + n_partial);
}
