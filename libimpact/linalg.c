/* linalg.c — small dense linear algebra (see impact-linalg.h).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <float.h>
#include <math.h>
#include <string.h>
#include "impact-linalg.h"

gboolean
impact_i_sym_eigen(double *values, double *vectors, const double *a, gsize n)
{
    if (n == 0) {
        return TRUE;
    }
    g_autofree double *m = g_new(double, n * n);
    g_autofree double *v = g_new0(double, n * n);
    for (gsize i = 0; i < n * n; i++) {
        if (!isfinite(a[i])) {
            return FALSE;
        }
        m[i] = a[i];
    }
    for (gsize i = 0; i < n; i++) {
        v[i + i * n] = 1.0;
    }
    /* cyclic Jacobi with the stable rotation formulas (Rutishauser) */
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0.0, diag = 0.0;
        for (gsize j = 0; j < n; j++) {
            diag += m[j + j * n] * m[j + j * n];
            for (gsize i = 0; i < j; i++) {
                off += m[i + j * n] * m[i + j * n];
            }
        }
        if (off == 0.0 || off <= DBL_EPSILON * DBL_EPSILON * diag * 1e-4) {
            break;
        }
        for (gsize p = 0; p + 1 < n; p++) {
            for (gsize q = p + 1; q < n; q++) {
                double apq = m[p + q * n];
                if (apq == 0.0) {
                    continue;
                }
                double app = m[p + p * n], aqq = m[q + q * n];
                double theta = (aqq - app) / (2.0 * apq);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                if (!isfinite(theta)) {
                    t = 1.0 / (2.0 * theta);
                }
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (gsize k = 0; k < n; k++) {
                    double mkp = m[k + p * n], mkq = m[k + q * n];
                    m[k + p * n] = c * mkp - s * mkq;
                    m[k + q * n] = s * mkp + c * mkq;
                }
                for (gsize k = 0; k < n; k++) {
                    double mpk = m[p + k * n], mqk = m[q + k * n];
                    m[p + k * n] = c * mpk - s * mqk;
                    m[q + k * n] = s * mpk + c * mqk;
                }
                m[p + q * n] = m[q + p * n] = 0.0;
                for (gsize k = 0; k < n; k++) {
                    double vkp = v[k + p * n], vkq = v[k + q * n];
                    v[k + p * n] = c * vkp - s * vkq;
                    v[k + q * n] = s * vkp + c * vkq;
                }
            }
        }
    }
    /* sort decreasing (selection sort: n is small) */
    g_autofree gsize *order = g_new(gsize, n);
    for (gsize i = 0; i < n; i++) {
        order[i] = i;
    }
    for (gsize i = 0; i < n; i++) {
        gsize best = i;
        for (gsize j = i + 1; j < n; j++) {
            if (m[order[j] * (n + 1)] > m[order[best] * (n + 1)]) {
                best = j;
            }
        }
        gsize tmp = order[i];
        order[i] = order[best];
        order[best] = tmp;
    }
    for (gsize j = 0; j < n; j++) {
        values[j] = m[order[j] * (n + 1)];
        if (vectors) {
            const double *col = v + order[j] * n;
            gsize big = 0;
            for (gsize i = 1; i < n; i++) {
                if (fabs(col[i]) > fabs(col[big])) {
                    big = i;
                }
            }
            double sign = col[big] < 0 ? -1.0 : 1.0;
            for (gsize i = 0; i < n; i++) {
                vectors[i + j * n] = sign * col[i];
            }
        }
    }
    return TRUE;
}

gssize
impact_i_sym_pinv(double *out, const double *a, gsize n)
{
    g_autofree double *val = g_new(double, MAX(n, 1));
    g_autofree double *vec = g_new(double, MAX(n * n, 1));
    if (!impact_i_sym_eigen(val, vec, a, n)) {
        return -1;
    }
    double big = 0.0;
    for (gsize i = 0; i < n; i++) {
        big = MAX(big, fabs(val[i]));
    }
    double tol = sqrt(DBL_EPSILON) * big;
    memset(out, 0, n * n * sizeof *out);
    gssize dropped = 0;
    for (gsize k = 0; k < n; k++) {
        if (!(fabs(val[k]) > tol) || big == 0.0) {
            dropped++;
            continue;
        }
        const double *v = vec + k * n;
        for (gsize j = 0; j < n; j++) {
            double f = v[j] / val[k];
            for (gsize i = 0; i < n; i++) {
                out[i + j * n] += v[i] * f;
            }
        }
    }
    return dropped;
}

gboolean
impact_i_solve(double *a, double *b, gsize n)
{
    double scale = 0.0;
    for (gsize i = 0; i < n * n; i++) {
        scale = MAX(scale, fabs(a[i]));
    }
    for (gsize c = 0; c < n; c++) {
        gsize piv = c;
        for (gsize r = c + 1; r < n; r++) {
            if (fabs(a[r + c * n]) > fabs(a[piv + c * n])) {
                piv = r;
            }
        }
        if (!(fabs(a[piv + c * n]) > DBL_EPSILON * scale * (double) n)) {
            return FALSE;
        }
        if (piv != c) {
            for (gsize j = 0; j < n; j++) {
                double t = a[c + j * n];
                a[c + j * n] = a[piv + j * n];
                a[piv + j * n] = t;
            }
            double t = b[c];
            b[c] = b[piv];
            b[piv] = t;
        }
        for (gsize r = c + 1; r < n; r++) {
            double f = a[r + c * n] / a[c + c * n];
            if (f == 0.0) {
                continue;
            }
            for (gsize j = c; j < n; j++) {
                a[r + j * n] -= f * a[c + j * n];
            }
            b[r] -= f * b[c];
        }
    }
    for (gsize c = n; c-- > 0;) {
        double s = b[c];
        for (gsize j = c + 1; j < n; j++) {
            s -= a[c + j * n] * b[j];
        }
        b[c] = s / a[c + c * n];
    }
    return TRUE;
}

/* diag(A⁻¹) of a symmetric positive definite @a through its Cholesky factor
 * A = LL' (diag(A⁻¹)_i = Σ_k [L⁻¹]_ki²); FALSE if @a is not positive definite
 * to working precision (then the caller uses the pseudo-inverse). O(n³/2). */
static gboolean
chol_inv_diag(double *d, const double *a, gsize n)
{
    g_autofree double *l = g_new0(double, n * n);
    for (gsize j = 0; j < n; j++) {
        double s = a[j + j * n];
        for (gsize k = 0; k < j; k++) {
            s -= l[j + k * n] * l[j + k * n];
        }
        if (!(s > 64 * DBL_EPSILON * fabs(a[j + j * n]))) {
            return FALSE;
        }
        l[j + j * n] = sqrt(s);
        for (gsize i = j + 1; i < n; i++) {
            double t = a[i + j * n];
            for (gsize k = 0; k < j; k++) {
                t -= l[i + k * n] * l[j + k * n];
            }
            l[i + j * n] = t / l[j + j * n];
        }
    }
    /* columns of L⁻¹ by forward substitution; accumulate the squares */
    g_autofree double *col = g_new(double, n);
    for (gsize i = 0; i < n; i++) {
        d[i] = 0;
    }
    for (gsize c = 0; c < n; c++) {
        for (gsize i = 0; i < n; i++) {
            double t = i == c ? 1.0 : 0.0; /* solve L·col = e_c */
            for (gsize k = c; k < i; k++) {
                t -= l[i + k * n] * col[k];
            }
            col[i] = i < c ? 0.0 : t / l[i + i * n];
        }
        /* col = column c of L⁻¹ (zero above the diagonal) */
        for (gsize i = c; i < n; i++) {
            d[c] += col[i] * col[i];
        }
    }
    return TRUE;
}

gboolean
impact_i_smc(double *smc, const double *r, gsize n)
{
    g_autofree double *inv = g_new(double, MAX(n * n, 1));
    g_autofree double *dg = g_new(double, MAX(n, 1));
    for (gsize i = 0; i < n * n; i++) {
        if (!isfinite(r[i])) {
            return FALSE;
        }
    }
    if (!chol_inv_diag(dg, r, n)) {
        if (impact_i_sym_pinv(inv, r, n) < 0) {
            return FALSE;
        }
        for (gsize i = 0; i < n; i++) {
            dg[i] = inv[i + i * n];
        }
    }
    for (gsize i = 0; i < n; i++) {
        double s = 1.0 - 1.0 / dg[i];
        if (isnan(s)) {
            s = 1.0; /* psych sets NA smcs to 1 ("seriously wrong" matrix) */
        }
        smc[i] = CLAMP(s, 0.0, 1.0);
    }
    return TRUE;
}
