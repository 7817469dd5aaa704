# _evaluate.py — the evaluation: design, simulator, impact_evaluate.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
"""The evaluation of a programme across the three domains."""

import json
import os

from . import core as _core
from ._analyses import _run_with_progress
from ._frame import Codebook, Result, _is_path, as_codebook, as_table, table_to_frame

__all__ = ["Design", "Simulation", "simulate", "evaluate", "EvaluationResult"]


class Design:
    """The design of an evaluation: column roles, waves, arms, raters,
    anonymity, bootstrap, costs, monetary values, support scale (the INI
    file of ``impact evaluate --design``; see the C documentation of
    ImpactDesign for every group and key).

    Build with :meth:`from_file`, :meth:`from_string` or :meth:`from_dict`
    ({"columns": {"participant": "pid", ...}, "waves": {"labels":
    ["pre", "post"]}, ...}; lists are joined with ';').
    """

    __slots__ = ("_d",)

    def __init__(self, _handle=None):
        self._d = _handle if _handle is not None else _core.Design()

    @classmethod
    def from_file(cls, path):
        """Reads a design file. Errors name FILE:LINE: [group] key."""
        return cls(_core.impact_design_read_file(os.fspath(path)))

    @classmethod
    def from_string(cls, text, name="<string>"):
        """Reads a design from its text."""
        return cls(_core.impact_design_read_buffer(text, name))

    @classmethod
    def from_dict(cls, groups):
        """A design from {group: {key: value}}; values are text, numbers or
        lists (joined with ';'), set in order through impact_design_set()."""
        d = cls()
        for group, keys in groups.items():
            for key, value in keys.items():
                d.set(group, key, value)
        return d

    def set(self, group, key, value):
        """Sets one key, as a line of a design file would."""
        if isinstance(value, (list, tuple)):
            value = ";".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        _core.impact_design_set(self._d, group, key, str(value))
        return self

    def get(self, group, key):
        """The text of a key, or None when not set (defaults are not reported)."""
        return _core.impact_design_get(self._d, group, key)

    def to_string(self):
        """The design as the text of a design file."""
        return _core.impact_design_to_data(self._d)

    def check(self, data, codebook):
        """Checks the design against responses and a codebook (ImpactError
        naming the missing column, label or scale)."""
        cb = as_codebook(codebook)
        _core.impact_design_check(self._d, cb._cb, as_table(data, cb))

    def __repr__(self):
        return "<impact.Design>\n" + self.to_string()

    def __reduce__(self):
        return (Design.from_string, (self.to_string(),))


def as_design(design):
    if isinstance(design, Design):
        return design
    if _is_path(design):
        return Design.from_file(design)
    if isinstance(design, dict):
        return Design.from_dict(design)
    raise TypeError("design must be an impact.Design, a path or a dict, not %s"
                    % type(design).__name__)


class Simulation:
    """A simulated evaluation with known true effects: ``codebook``,
    ``responses`` (DataFrame), ``design``, ``truth`` (dict), and
    :meth:`write` to save the four files."""

    __slots__ = ("_sim", "codebook", "responses", "design", "truth")

    def __init__(self, handle):
        self._sim = handle
        # copies, so nothing borrowed from the simulation outlives it
        self.codebook = Codebook.from_string(
            _core.impact_codebook_to_csv(_core.impact_simulation_codebook(handle)),
            "<simulation>")
        self.responses = table_to_frame(_core.impact_simulation_responses(handle))
        self.design = Design.from_string(
            _core.impact_design_to_data(_core.impact_simulation_design(handle)),
            "<simulation>")
        self.truth = json.loads(
            _core.impact_result_to_json(_core.impact_simulation_truth(handle), False))

    def write(self, directory):
        """Writes codebook.csv, responses.csv, design.ini and truth.json."""
        _core.impact_simulation_write(self._sim, os.fspath(directory))

    def __repr__(self):
        return "<impact.Simulation: %d forms, %d scales>" % (
            len(self.responses), len(self.codebook.scales))


_SIMULATE_KEYS = ("seed", "participants", "organisations", "comparison_share", "cohorts",
                  "waves", "clustered_share", "cluster_size", "peers", "reports",
                  "team_size", "staff", "missing", "form_missing", "dropout", "effect_scale")


def simulate(**options):
    """Seeded, realistic evaluation data with known true effects (the C
    simulator of ``impact simulate``): 360 ratings, team and staff surveys
    over waves, programme and comparison arms, cohorts and learning sets.

    Keyword options (defaults in brackets): seed [1], participants [150],
    organisations [10], comparison_share [0.4], cohorts [3], waves [3],
    clustered_share [0.5], cluster_size [4], peers [3], reports [3],
    team_size [6], staff [30], missing [0.03], form_missing [0.10],
    dropout [0.08], effect_scale [1]. The same seed gives the same data.

    Returns a :class:`Simulation`.
    """
    o = _core.SimulateOptions()
    for k, v in options.items():
        if k not in _SIMULATE_KEYS:
            raise TypeError("simulate() got an unexpected option %r (options are: %s)"
                            % (k, ", ".join(_SIMULATE_KEYS)))
        setattr(o, k, v)
    return Simulation(_core.impact_simulate(o))


class EvaluationResult(Result):
    """Result of :func:`evaluate`. ``to_frame()`` one row per outcome scale
    (the CLI's default table); ``domains()``, ``breakdowns()``,
    ``suppressed()``; ``overall`` and ``roi`` dicts; ``statements``; and
    ``profile()``, the impact profile as text."""

    __slots__ = ()

    def __init__(self, handle):
        super().__init__(handle, "domains/*/scales")

    def domains(self):
        """One row per domain: unit, n_units, impact index and its interval."""
        return self.to_frame("domains")

    def scales(self):
        """One row per outcome scale: effect, g and intervals, pairs."""
        return self.to_frame("domains/*/scales")

    def breakdowns(self):
        """Domain indices by cohort, clustering and baseline support."""
        return self.to_frame("breakdowns")

    def suppressed(self):
        """Groups not published (fewer than k respondents), and why."""
        return self.to_frame("suppressed")

    @property
    def overall(self):
        """The overall impact index, its interval and statement."""
        return self["overall"]

    @property
    def roi(self):
        """Value for money (None without costs in the design)."""
        return self["roi"]

    @property
    def statements(self):
        """The findings, one sentence each."""
        return list(self["statements"])

    def profile(self):
        """The impact profile as text: the findings, then the domains."""
        lines = ["Impact profile"]
        lines += ["  * " + s for s in self.statements]
        d = self.domains()
        cols = [c for c in ("domain", "unit", "n_units", "impact_index", "impact_index_ci_lo",
                            "impact_index_ci_hi") if c in d.columns]
        lines.append("")
        lines.append(d[cols].to_string(index=False, float_format=lambda x: "%.3f" % x))
        return "\n".join(lines)


def evaluate(data, codebook, design, replicates=None, threads=0, progress=None,
             na_values=None, out_of_range="error"):
    """Evaluates a programme: the impact profile across the individual, team
    and organisation domains (impact_evaluate(): the numbers of
    ``impact evaluate``). Scale scores per unit and wave, controlled effects
    (Morris's d_ppc2 against a comparison arm, else g_av), domain and
    overall impact indices with a stratified cluster bootstrap, breakdowns
    by cohort, clustering and support, value for money, and the composed
    module results, with anonymity thresholds.

    *data* a DataFrame or CSV path; *codebook* an impact.Codebook, path or
    DataFrame; *design* an impact.Design, a design file path or a dict;
    *replicates* bootstrap replicates (None: the design's); *threads* 0 =
    all cores; *progress* a callable(fraction) -> bool (False cancels with
    ImpactError CANCELLED; an exception it raises is re-raised), or True
    for a tqdm bar when tqdm is installed.

    Returns an :class:`EvaluationResult`.
    """
    cb = as_codebook(codebook)
    d = as_design(design)
    t = as_table(data, cb, na_values, out_of_range)
    o = _core.EvaluateOptions()
    o.threads = int(threads)
    o.replicates = -1 if replicates is None else int(replicates)
    return EvaluationResult(_run_with_progress(
        o, progress, "bootstrap",
        lambda: _core.impact_evaluate(t, cb._cb, d._d, o)))

