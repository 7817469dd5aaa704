# impact — defensible impact numbers for leadership development programmes.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
"""libimpact for Python: the same numbers as the ``impact`` CLI, from pandas.

Every statistic is computed by the C library (libimpact); this package moves
data in (pandas DataFrames or CSV paths) and results out (DataFrames, dicts).

    import impact
    cb = impact.Codebook.from_csv("codebook.csv")
    scores = impact.score(df, cb, id="id")
    impact.describe(df, cb).to_frame()

Errors raise :class:`impact.ImpactError` (a ValueError) with the library's
message and ``.code`` / ``.name``.
"""

from . import core
from .core import ImpactError
from ._frame import (
    Codebook,
    Result,
    describe,
    read_csv,
    score,
    table_from_frame,
    table_to_frame,
)
from ._analyses import (
    AgreementAccumulator,
    AgreementResult,
    ChangeAccumulator,
    ChangeResult,
    FeedbackResult,
    ReliabilityAccumulator,
    ReliabilityResult,
    agreement,
    change,
    feedback,
    reliability,
)
from ._evaluate import (
    Design,
    EvaluationResult,
    Simulation,
    evaluate,
    simulate,
)

__version__ = core.impact_version()

__all__ = [
    "ImpactError", "Codebook", "Result", "read_csv", "score", "describe",
    "table_from_frame", "table_to_frame",
    "reliability", "ReliabilityResult", "ReliabilityAccumulator",
    "feedback", "FeedbackResult",
    "agreement", "AgreementResult", "AgreementAccumulator",
    "change", "ChangeResult", "ChangeAccumulator",
    "Design", "Simulation", "simulate", "evaluate", "EvaluationResult",
]
