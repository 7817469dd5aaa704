# _analyses.py — the analysis modules from Python: each is one C call that
# returns an ImpactResult; options become keyword arguments.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
"""Analyses (reliability, ...) and their mergeable accumulators."""

import pandas as pd

from . import core as _core
from ._frame import Result, _error, as_codebook, as_table

__all__ = ["reliability", "ReliabilityAccumulator"]

_DELETION = {"pairwise": _core.IMPACT_MISSING_PAIRWISE,
             "listwise": _core.IMPACT_MISSING_LISTWISE}


def _deletion(deletion):
    if deletion not in _DELETION:
        raise _error("INVALID", "deletion must be 'pairwise' or 'listwise', not %r"
                     % (deletion,))
    return _DELETION[deletion]


class ReliabilityResult(Result):
    """Result of :func:`reliability`: ``to_frame()`` one row per scale,
    ``items()`` one row per item (led by its scale), ``warnings()``."""

    __slots__ = ()

    def __init__(self, handle):
        super().__init__(handle, "scales")

    def items(self):
        """Item analysis: one row per item of every scale."""
        return self.to_frame("scales/*/items")

    def warnings(self):
        """Warnings as a DataFrame (scale, warning); empty if none."""
        return pd.DataFrame(self["warnings"], columns=["scale", "warning"])


def _rel_options(ci_level, omega):
    o = _core.ReliabilityOptions()
    o.ci_level = float(ci_level)
    o.omega = bool(omega)
    return o


def reliability(data, codebook, deletion="pairwise", ci_level=0.95, omega=True,
                na_values=None, out_of_range="error"):
    """Scale reliability and item analysis for every scale of *codebook*:
    Cronbach's alpha (raw and standardised) with Feldt's CI, Guttman's
    lambda 6, average and median inter-item r, S/N, Duhachek-Iacobucci ASE,
    omega total (one-factor minres), and per item r_drop, std_r, r_cor and
    the if-dropped statistics; items keyed with the codebook range.

    Computed by impact_reliability() (the numbers of ``impact reliability``
    and psych 2.2.9's alpha()/omega() where the conventions agree; see the
    C documentation for the differences).

    Parameters: *data* a DataFrame or CSV path; *codebook* an
    impact.Codebook, path or DataFrame; *deletion* "pairwise" (psych's
    default) or "listwise"; *ci_level* of the Feldt interval; *omega*
    False to skip omega; *na_values* extra missing-value codes;
    *out_of_range* "error" or "missing".

    Returns a :class:`ReliabilityResult` (``.to_frame()``: one row per
    scale; ``.items()``: one row per item; ``.to_dict()``: the CLI's JSON).
    """
    cb = as_codebook(codebook)
    t = as_table(data, cb, na_values, out_of_range)
    o = _rel_options(ci_level, omega)
    o.missing = _deletion(deletion)
    return ReliabilityResult(_core.impact_reliability(t, cb._cb, o))


class ReliabilityAccumulator:
    """The co-moments behind :func:`reliability`, fed in chunks and merged:
    any chunking and merge order give the statistics of one pass (up to
    rounding in the last bits; merging the same chunks in the same order is
    bit-identical). Picklable (through the C serialisation), so Dask
    partitions can each build one and the client merges them.

        acc = impact.ReliabilityAccumulator(cb)
        for chunk in chunks: acc.add(chunk)
        acc.result().to_frame()
    """

    __slots__ = ("_acc", "_codebook", "_deletion")

    def __init__(self, codebook, deletion="pairwise", _handle=None):
        self._codebook = as_codebook(codebook)  # the C accumulator borrows it
        self._deletion = deletion
        self._acc = _handle if _handle is not None else \
            _core.impact_reliability_acc_new(self._codebook._cb, _deletion(deletion))

    def add(self, data, na_values=None, out_of_range="error"):
        """Adds the rows of a DataFrame, CSV path or C table. Returns self."""
        t = as_table(data, self._codebook, na_values, out_of_range)
        _core.impact_reliability_acc_add(self._acc, t)
        return self

    def merge(self, other):
        """Merges *other* into this accumulator. Returns self."""
        if not isinstance(other, ReliabilityAccumulator):
            raise TypeError("can only merge a ReliabilityAccumulator")
        _core.impact_reliability_acc_merge(self._acc, other._acc)
        return self

    def result(self, ci_level=0.95, omega=True):
        """The :func:`reliability` result of everything added."""
        return ReliabilityResult(
            _core.impact_reliability_acc_result(self._acc, _rel_options(ci_level, omega)))

    def to_bytes(self):
        """The accumulator as portable bytes (the C serialisation)."""
        return _core.impact_reliability_acc_serialize(self._acc)

    @classmethod
    def from_bytes(cls, data, codebook, deletion="pairwise"):
        """An accumulator from :meth:`to_bytes` for the same *codebook*
        (ImpactError INVALID otherwise)."""
        cb = as_codebook(codebook)
        h = _core.impact_reliability_acc_deserialize(data, cb._cb)
        return cls(cb, deletion, _handle=h)

    def __reduce__(self):
        return (ReliabilityAccumulator.from_bytes,
                (self.to_bytes(), self._codebook, self._deletion))
