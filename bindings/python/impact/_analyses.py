# _analyses.py — the analysis modules from Python: each is one C call that
# returns an ImpactResult; options become keyword arguments.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
"""Analyses (reliability, ...) and their mergeable accumulators."""

import pandas as pd

from . import core as _core
from .core import ImpactError
from ._frame import Result, _error, as_codebook, as_table

__all__ = ["reliability", "ReliabilityAccumulator", "feedback", "agreement",
           "AgreementAccumulator", "change", "ChangeAccumulator"]

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


# ---- progress ----------------------------------------------------------------

class _Progress:
    """Wraps a progress callable for the C library: never raises into C (an
    exception cancels and is re-raised after the call), None means go on."""

    def __init__(self, fn):
        self.fn = fn
        self.exc = None

    def __call__(self, fraction):
        try:
            r = self.fn(fraction)
            return r is None or bool(r)
        except BaseException as e:  # re-raised by _run_with_progress
            self.exc = e
            return False


class _TqdmBar:
    def __init__(self, desc):
        from tqdm import tqdm
        self.bar = tqdm(total=100, desc=desc, unit="%", leave=False,
                        bar_format="{l_bar}{bar}| {n:.0f}% [{elapsed}<{remaining}]")

    def __call__(self, fraction):
        self.bar.n = min(100.0, 100.0 * fraction)
        self.bar.update(0)  # redraws at most every mininterval

    def close(self):
        self.bar.close()


def _progress(progress, desc):
    """(callable for C or None, closer) from progress=None/False/True/callable."""
    if progress is None or progress is False:
        return None, lambda: None
    if progress is True:
        try:
            bar = _TqdmBar(desc)
        except ImportError:  # python3-tqdm not installed: no bar
            return None, lambda: None
        return _Progress(bar), bar.close
    if not callable(progress):
        raise TypeError("progress must be None, True or a callable(fraction)")
    return _Progress(progress), lambda: None


def _run_with_progress(opts, progress, desc, call):
    cb, close = _progress(progress, desc)
    if cb is not None:
        opts.set_progress(cb)
    try:
        return call()
    except ImpactError as err:
        if cb is not None and cb.exc is not None:
            raise cb.exc from err
        raise
    finally:
        close()
        if cb is not None:
            opts.set_progress(None)


# ---- 360 feedback ------------------------------------------------------------

_POLICY = {"merge": _core.IMPACT_ANONYMITY_MERGE, "suppress": _core.IMPACT_ANONYMITY_SUPPRESS}


class FeedbackResult(Result):
    """Result of :func:`feedback`: ``to_frame()`` one row per participant
    (and wave) and scale; ``roles()``, ``suppressed()``, ``cohort()``,
    ``icc()`` the other tables."""

    __slots__ = ()

    def __init__(self, handle):
        super().__init__(handle, "participants/*/scales")

    def roles(self):
        """Role means shown per participant and scale (hidden roles absent)."""
        return self.to_frame("participants/*/scales/*/roles")

    def suppressed(self):
        """Role groups not shown on their own, and why."""
        return self.to_frame("suppressed")

    def cohort(self):
        """Cohort summaries per scale (and wave)."""
        return self.to_frame("cohort")

    def icc(self):
        """Shrout-Fleiss ICCs of the raters per scale (and wave)."""
        return self.to_frame("icc/*/forms")


def feedback(data, codebook, participant, rater, self_label="self", role_map=None,
             min_raters=3, exempt=None, wave=None, policy="merge", importance_suffix=None,
             n_highlight=3, min_answered=0.5, gap_threshold=0.0, level=0.95,
             na_values=None, out_of_range="error"):
    """Multi-source (360) feedback of every participant, scale and wave:
    self, others and each role's mean, the self-others gap and rank,
    strengths and development areas, importance, rwg(j), cohort summaries
    and rater ICCs, with a hard anonymity guarantee for the raters (role
    groups under *min_raters* are merged into "others" or suppressed, with
    complementary suppression). Computed by impact_feedback(): the numbers
    of ``impact feedback``.

    *data*: long format, one row per rating form; *participant* and *rater*
    name its columns; *role_map*: a dict {label: role} or a list of
    "label=role"; *exempt*: roles shown even below k (e.g. ["manager"]);
    *policy*: "merge" or "suppress"; *wave*: optional wave column.

    Returns a :class:`FeedbackResult`.
    """
    cb = as_codebook(codebook)
    if policy not in _POLICY:
        raise _error("INVALID", "policy must be 'merge' or 'suppress', not %r" % (policy,))
    t = as_table(data, cb, na_values, out_of_range)
    o = _core.FeedbackOptions()
    o.participant = participant
    o.rater = rater
    o.self_label = self_label
    if role_map is not None:
        o.role_map = (["%s=%s" % kv for kv in role_map.items()] if isinstance(role_map, dict)
                      else [str(x) for x in role_map])
    o.min_raters = int(min_raters)
    if exempt is not None:
        o.exempt = [exempt] if isinstance(exempt, str) else [str(x) for x in exempt]
    o.wave = wave
    o.policy = _POLICY[policy]
    o.importance_suffix = importance_suffix
    o.n_highlight = int(n_highlight)
    o.min_answered = float(min_answered)
    o.gap_threshold = float(gap_threshold)
    o.level = float(level)
    return FeedbackResult(_core.impact_feedback(t, cb._cb, o))


# ---- agreement -------------------------------------------------------------


class AgreementResult(Result):
    """Result of :func:`agreement`: ``to_frame()`` one row per scale (ICCs,
    design effects, mean rwg(j)); ``groups()`` one row per published group
    and scale; ``suppressed()`` the groups withheld and why."""

    __slots__ = ()

    def __init__(self, handle):
        super().__init__(handle, "scales")

    def groups(self):
        """Per scale and published group: n, mean, sd, rwg_j, AD, awg."""
        return self.to_frame("scales/*/groups")

    def suppressed(self):
        """Groups not published (fewer than min_group, or complementary)."""
        return self.to_frame("scales/*/suppressed")


def _agreement_options(group, within, min_group, deletion, null_distribution, lindell,
                       rwg_threshold, pool_all=False):
    o = _core.AgreementOptions()
    o.group = group
    o.within = within
    o.min_group = int(min_group)
    o.missing = _deletion(deletion)
    o.null_distribution = _core.impact_null_distribution_parse(str(null_distribution))
    o.lindell = bool(lindell)
    o.rwg_threshold = float(rwg_threshold)
    o.pool_all = bool(pool_all)
    return o


def agreement(data, codebook, group, within=None, min_group=3, deletion="listwise",
              null_distribution="uniform", lindell=False, rwg_threshold=0.70, pool_all=False,
              na_values=None, out_of_range="error"):
    """Within-group agreement and the justification of aggregation for every
    scale, per group of column *group* (team or organisation), optionally
    nested in *within*: rwg(j) (or Lindell's r*wg(j) with *lindell*), AD
    about the mean and median, a_wg, ICC(1), ICC(2), design effects and
    effective N, with disclosure control (groups under *min_group*
    respondents are not published, with complementary suppression).
    Computed by impact_agreement(): the numbers of ``impact agreement`` and
    multilevel 2.7.

    *deletion* "listwise" (multilevel 2.7) or "pairwise"; *null_distribution*
    "uniform" or a skewed / triangular / normal null (C names); *pool_all*
    True for pooled statistics (ICC, design effects, mean rwg(j)) over all
    groups, suppressed ones included, exactly as multilevel (default: over
    the published groups only, so no pooled number reveals a small group).

    Returns an :class:`AgreementResult`.
    """
    cb = as_codebook(codebook)
    o = _agreement_options(group, within, min_group, deletion, null_distribution, lindell,
                           rwg_threshold, pool_all)
    t = as_table(data, cb, na_values, out_of_range)
    return AgreementResult(_core.impact_agreement(t, cb._cb, o))


class AgreementAccumulator:
    """The per-group statistics behind :func:`agreement` (answer histograms
    and score moments), fed in chunks and merged; groups are matched by
    their labels, so chunks may hold any groups. Histograms merge exactly;
    scale-score moments up to rounding in the last bits. Picklable through
    the C serialisation (Dask)."""

    __slots__ = ("_acc", "_codebook")

    def __init__(self, codebook, group, within=None, min_group=3, deletion="listwise",
                 null_distribution="uniform", lindell=False, rwg_threshold=0.70, pool_all=False,
                 _handle=None):
        self._codebook = as_codebook(codebook)  # the C accumulator borrows it
        if _handle is None:
            o = _agreement_options(group, within, min_group, deletion, null_distribution,
                                   lindell, rwg_threshold, pool_all)
            _handle = _core.impact_agreement_acc_new(self._codebook._cb, o)
            if _handle is None:
                raise _error("INVALID", "agreement options: a group column and min_group "
                             ">= 1 are required")
        self._acc = _handle

    def add(self, data, na_values=None, out_of_range="error"):
        """Adds the rows of a DataFrame, CSV path or C table. Returns self."""
        t = as_table(data, self._codebook, na_values, out_of_range)
        _core.impact_agreement_acc_add(self._acc, t)
        return self

    def merge(self, other):
        """Merges *other* into this accumulator. Returns self."""
        if not isinstance(other, AgreementAccumulator):
            raise TypeError("can only merge an AgreementAccumulator")
        _core.impact_agreement_acc_merge(self._acc, other._acc)
        return self

    def result(self):
        """The :func:`agreement` result of everything added."""
        return AgreementResult(_core.impact_agreement_acc_result(self._acc))

    def to_bytes(self):
        """The accumulator (with its options) as portable bytes."""
        return _core.impact_agreement_acc_serialize(self._acc)

    @classmethod
    def from_bytes(cls, data, codebook):
        """An accumulator from :meth:`to_bytes` for the same *codebook*."""
        cb = as_codebook(codebook)
        return cls(cb, None, _handle=_core.impact_agreement_acc_deserialize(data, cb._cb))

    def __reduce__(self):
        return (AgreementAccumulator.from_bytes, (self.to_bytes(), self._codebook))


# ---- change ------------------------------------------------------------------

_RHO = {"pooled_rows": _core.IMPACT_RHO_POOLED_ROWS, "within_arm": _core.IMPACT_RHO_WITHIN_ARM}


class ChangeResult(Result):
    """Result of :func:`change`: ``to_frame()`` one row per scale, follow-up
    and arm; ``controlled()`` one row per scale and treated arm against the
    control; ``bootstrap()`` the bootstrap summaries of the arms' effects."""

    __slots__ = ()

    def __init__(self, handle):
        super().__init__(handle, "scales/*/arms")

    def controlled(self):
        """DiD, Morris's d_ppc2, d and g at follow-up against the control."""
        return self.to_frame("scales/*/controlled")

    def bootstrap(self):
        """Bootstrap SE, percentile and BCa intervals of every arm effect."""
        return self.to_frame("scales/*/arms/*/bootstrap")


def change(data, codebook, unit, wave, pre, post=None, arm=None, control=None, cluster=None,
           bootstrap=0, seed=1, threads=0, level=0.95, rho="pooled_rows", reliability=None,
           scales=None, progress=None, na_values=None, out_of_range="error"):
    """Change of every scale between the baseline wave *pre* and each
    follow-up (*post*, or every other wave), per unit of analysis (*unit*:
    participant, team or organisation column), per arm and against the
    *control* arm: mean change, paired t, d_z / d_rm / d_av / d_b and their
    Hedges' g with intervals (effectsize 0.8.3 conventions), reliable change
    counts, difference in differences and Morris's d_ppc2; with *bootstrap*
    replicates, cluster-bootstrap (by *cluster*, or the units) SEs,
    percentile and BCa intervals, bit-identical for a *seed*. Computed by
    impact_change(): the numbers of ``impact change``.

    *rho* "pooled_rows" (MDMA) or "within_arm"; *reliability* r_xx for the
    RCI (None: the scale's baseline alpha); *scales* a list of scale names
    (None: all); *progress* a callable(fraction) -> bool or True for a tqdm
    bar (bootstrap).

    Returns a :class:`ChangeResult`.
    """
    cb = as_codebook(codebook)
    o = _change_options(unit, wave, pre, post, arm, control, cluster, bootstrap, seed, threads,
                        level, rho, reliability, scales)
    t = as_table(data, cb, na_values, out_of_range)
    return ChangeResult(_run_with_progress(o, progress, "bootstrap",
                                           lambda: _core.impact_change(t, cb._cb, o)))


def _change_options(unit, wave, pre, post=None, arm=None, control=None, cluster=None,
                    bootstrap=0, seed=1, threads=0, level=0.95, rho="pooled_rows",
                    reliability=None, scales=None):
    if rho not in _RHO:
        raise _error("INVALID", "rho must be 'pooled_rows' or 'within_arm', not %r" % (rho,))
    o = _core.ChangeOptions()
    o.unit, o.wave, o.pre, o.post = unit, wave, pre, post
    o.arm, o.control, o.cluster = arm, control, cluster
    o.bootstrap = int(bootstrap)
    o.seed = int(seed)
    o.threads = int(threads)
    o.level = float(level)
    o.rho = _RHO[rho]
    o.reliability = float("nan") if reliability is None else float(reliability)
    if scales is not None:
        o.scales = [scales] if isinstance(scales, str) else [str(s) for s in scales]
    return o


class ChangeAccumulator:
    """The per-unit, per-wave score sums behind :func:`change` (with each
    unit's arm and cluster, and the baseline rows' reliability co-moments),
    fed in chunks and merged; units are matched by their labels, so a
    unit's rows may lie in several chunks. Chunks added or merged in row
    order give :func:`change` of the whole frame: analytic values up to
    rounding in the last bits, and the same bootstrap (units, arms and
    follow-ups are ordered by first appearance over the chunks in that
    order). Picklable through the C serialisation (Dask). Takes the keyword
    arguments of :func:`change` (no *progress*).

        acc = impact.ChangeAccumulator(cb, unit="id", wave="wave", pre="pre")
        for chunk in chunks: acc.add(chunk)
        acc.result().to_frame()
    """

    __slots__ = ("_acc", "_codebook")

    def __init__(self, codebook, unit=None, wave=None, pre=None, post=None, arm=None,
                 control=None, cluster=None, bootstrap=0, seed=1, threads=0, level=0.95,
                 rho="pooled_rows", reliability=None, scales=None, _handle=None):
        self._codebook = as_codebook(codebook)  # the C accumulator borrows it
        if _handle is None:
            o = _change_options(unit, wave, pre, post, arm, control, cluster, bootstrap, seed,
                                threads, level, rho, reliability, scales)
            _handle = _core.impact_change_acc_new(self._codebook._cb, o)
        self._acc = _handle

    def add(self, data, na_values=None, out_of_range="error"):
        """Adds the rows of a DataFrame, CSV path or C table. Returns self."""
        t = as_table(data, self._codebook, na_values, out_of_range)
        _core.impact_change_acc_add(self._acc, t)
        return self

    def merge(self, other):
        """Merges *other* (rows after this one's) into this accumulator.
        Returns self."""
        if not isinstance(other, ChangeAccumulator):
            raise TypeError("can only merge a ChangeAccumulator")
        _core.impact_change_acc_merge(self._acc, other._acc)
        return self

    def result(self):
        """The :func:`change` result of everything added."""
        return ChangeResult(_core.impact_change_acc_result(self._acc))

    def to_bytes(self):
        """The accumulator (with its options) as portable bytes."""
        return _core.impact_change_acc_serialize(self._acc)

    @classmethod
    def from_bytes(cls, data, codebook):
        """An accumulator from :meth:`to_bytes` for the same *codebook*."""
        cb = as_codebook(codebook)
        return cls(cb, _handle=_core.impact_change_acc_deserialize(data, cb._cb))

    def __reduce__(self):
        return (ChangeAccumulator.from_bytes, (self.to_bytes(), self._codebook))
