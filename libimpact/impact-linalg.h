/* impact-linalg.h — small dense linear algebra for libimpact's own use
 * (not installed): symmetric eigen-decomposition, pseudo-inverse, linear
 * solve. Matrices are column-major n×n arrays (a[i + j·n] is row i,
 * column j), like R. Sizes here are scale sizes (n ≲ 100), so the
 * algorithms favour accuracy and simplicity over asymptotic speed.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#ifndef IMPACT_LINALG_H
#define IMPACT_LINALG_H

#ifndef IMPACT_COMPILATION
#error "impact-linalg.h is for the library's own sources"
#endif

#include <glib.h>

G_BEGIN_DECLS

/* Eigen-decomposition of the symmetric n×n matrix @a (only read) by cyclic
 * Jacobi rotations: @values (n) in decreasing order, @vectors (n×n, may be
 * NULL) the unit eigenvectors as columns, each with a positive largest
 * component so the output is deterministic. Accurate to a few ulps of the
 * largest eigenvalue. FALSE if @a holds a non-finite value (outputs then
 * undefined). O(n³) per sweep, typically 6–10 sweeps. */
gboolean impact_i_sym_eigen(double *values, double *vectors, const double *a, gsize n);

/* Moore–Penrose pseudo-inverse of the symmetric n×n matrix @a into @out
 * (n×n): Σ v v' / λ over eigenvalues with |λ| > tol·max|λ|, tol =
 * sqrt(DBL_EPSILON) (the rule of psych::Pinv / MASS::ginv). Returns the
 * number of eigenvalues dropped (0 for a well-conditioned matrix), or -1 if
 * @a holds a non-finite value. */
gssize impact_i_sym_pinv(double *out, const double *a, gsize n);

/* Solves A x = b in place (@a, n×n, is overwritten by its LU factors; @b
 * becomes x) by Gaussian elimination with partial pivoting. FALSE if A is
 * singular to working precision. O(n³). */
gboolean impact_i_solve(double *a, double *b, gsize n);

/* Squared multiple correlations of each variable with the others, from the
 * correlation matrix @r: smc_i = 1 − 1/[R⁻¹]_ii (Cholesky), or with R⁺ the
 * pseudo-inverse when R is not positive definite (psych::smc uses Pinv
 * throughout: the same numbers for a positive definite R), clamped to
 * [0, 1]; NaN becomes 1 as in psych. FALSE if @r holds a non-finite value. */
gboolean impact_i_smc(double *smc, const double *r, gsize n);

G_END_DECLS

#endif /* IMPACT_LINALG_H */
