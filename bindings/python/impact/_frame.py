# _frame.py — pandas in and out: codebooks, response tables, results.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
"""Conversions between pandas objects and libimpact's C objects.

Nothing here computes a statistic: data go to C, results come back as the
tree the C library built (the same JSON the CLI prints).
"""

import json
import os

import numpy as np
import pandas as pd

from . import core as _core
from .core import ImpactError

__all__ = [
    "Codebook", "Result", "read_csv", "score", "describe",
    "table_from_frame", "table_to_frame",
]

_DOMAINS = ("individual", "team", "organisation")


def _error(name, message):
    """An ImpactError like the C library's (code and name set)."""
    e = ImpactError(message)
    e.code = getattr(_core, "IMPACT_ERROR_" + name)
    e.name = name
    return e


def _is_path(x):
    return isinstance(x, (str, bytes, os.PathLike))


class Codebook:
    """A codebook: which items make up which scale, in which domain, on
    which response range, with which key and weight.

    Build one with :meth:`from_csv`, :meth:`from_frame` or :meth:`from_string`.
    Items and scales keep the order in which they were given.
    """

    __slots__ = ("_cb",)

    def __init__(self, _handle=None):
        self._cb = _handle if _handle is not None else _core.Codebook()

    @classmethod
    def from_csv(cls, path):
        """Reads a codebook CSV file (columns item, scale, domain, min, max;
        optional reverse, weight, label). Errors name FILE:LINE:COL."""
        return cls(_core.impact_codebook_read_csv(os.fspath(path)))

    @classmethod
    def from_string(cls, text, name="<string>"):
        """Reads a codebook from CSV text (str or bytes); *name* stands for
        the file name in error messages."""
        return cls(_core.impact_codebook_read_buffer(text, name))

    @classmethod
    def from_frame(cls, df):
        """A codebook from a DataFrame with columns item, scale, domain,
        min, max and optionally reverse (bool or 0/1), weight (default 1),
        label. Errors are the C library's (code CODEBOOK)."""
        missing = [c for c in ("item", "scale", "domain", "min", "max") if c not in df.columns]
        if missing:
            raise _error("PARSE", "codebook frame: missing column(s) %s (columns are: %s)"
                         % (", ".join(missing), ", ".join(map(str, df.columns))))
        cb = cls()
        n = len(df)
        rev = df["reverse"] if "reverse" in df.columns else pd.Series([False] * n, index=df.index)
        w = df["weight"] if "weight" in df.columns else pd.Series([1.0] * n, index=df.index)
        lab = df["label"] if "label" in df.columns else pd.Series([None] * n, index=df.index)
        for i, (it, sc, dom, lo, hi, r, wt, lb) in enumerate(zip(
                df["item"], df["scale"], df["domain"], df["min"], df["max"], rev, w, lab)):
            d = _core.impact_domain_parse(str(dom))
            r = _bool(r, "codebook frame row %d: reverse" % (i + 1))
            wt = 1.0 if _isna(wt) else float(wt)
            lb = None if _isna(lb) else str(lb)
            _core.impact_codebook_add_item(cb._cb, str(it), str(sc), d, float(lo), float(hi),
                                           r, wt, lb)
        return cb

    @property
    def items(self):
        """Item names, codebook order."""
        cb = self._cb
        return [_core.impact_codebook_item_name(cb, i)
                for i in range(_core.impact_codebook_n_items(cb))]

    @property
    def scales(self):
        """Scale names, codebook order."""
        cb = self._cb
        return [_core.impact_codebook_scale_name(cb, s)
                for s in range(_core.impact_codebook_n_scales(cb))]

    def scale_items(self, scale):
        """The items of *scale*, codebook order."""
        cb = self._cb
        s = _core.impact_codebook_scale_index(cb, scale)
        if s < 0:
            raise _error("INVALID", "unknown scale '%s' (scales are: %s)"
                         % (scale, ", ".join(self.scales)))
        return [_core.impact_codebook_item_name(cb, _core.impact_codebook_scale_item(cb, s, j))
                for j in range(_core.impact_codebook_scale_n_items(cb, s))]

    def domain(self, scale):
        """Domain of *scale*: 'individual', 'team' or 'organisation'."""
        s = _core.impact_codebook_scale_index(self._cb, scale)
        if s < 0:
            raise _error("INVALID", "unknown scale '%s'" % scale)
        return _core.impact_domain_name(_core.impact_codebook_scale_domain(self._cb, s))

    def to_frame(self):
        """The codebook as a DataFrame (one row per item)."""
        cb = self._cb
        rows = []
        for i in range(_core.impact_codebook_n_items(cb)):
            s = _core.impact_codebook_item_scale(cb, i)
            rows.append({
                "item": _core.impact_codebook_item_name(cb, i),
                "scale": _core.impact_codebook_scale_name(cb, s),
                "domain": _core.impact_domain_name(_core.impact_codebook_scale_domain(cb, s)),
                "min": _core.impact_codebook_item_min(cb, i),
                "max": _core.impact_codebook_item_max(cb, i),
                "reverse": _core.impact_codebook_item_reverse(cb, i),
                "weight": _core.impact_codebook_item_weight(cb, i),
                "label": _core.impact_codebook_item_label(cb, i),
            })
        return pd.DataFrame(rows, columns=["item", "scale", "domain", "min", "max",
                                           "reverse", "weight", "label"])

    def __len__(self):
        return _core.impact_codebook_n_items(self._cb)

    def __contains__(self, item):
        return _core.impact_codebook_item_index(self._cb, str(item)) >= 0

    def __repr__(self):
        return "<impact.Codebook: %d items in %d scales>" % (
            len(self), _core.impact_codebook_n_scales(self._cb))

    # Picklable (Dask ships codebooks to workers): as its frame.
    def __reduce__(self):
        return (Codebook.from_frame, (self.to_frame(),))


def _isna(x):
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def _bool(x, what):
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if _isna(x):
        return False
    if isinstance(x, (int, np.integer, float, np.floating)) and x in (0, 1):
        return bool(x)
    t = str(x).strip().lower()
    if t in ("1", "yes", "true"):
        return True
    if t in ("0", "no", "false", ""):
        return False
    raise _error("CODEBOOK", "%s: '%s' is not 0/1/yes/no/true/false" % (what, x))


def as_codebook(codebook):
    """A Codebook from a Codebook, a CSV path or a DataFrame."""
    if isinstance(codebook, Codebook):
        return codebook
    if _is_path(codebook):
        return Codebook.from_csv(codebook)
    if isinstance(codebook, pd.DataFrame):
        return Codebook.from_frame(codebook)
    raise TypeError("codebook must be an impact.Codebook, a CSV path or a DataFrame, not %s"
                    % type(codebook).__name__)


# ---- response tables -------------------------------------------------------

_OUT_OF_RANGE = {"error": _core.IMPACT_OUT_OF_RANGE_ERROR,
                 "missing": _core.IMPACT_OUT_OF_RANGE_MISSING}


def _text(v):
    """A non-item value as text, as the CSV reader would hold it: whole
    floats without '.0' (a numeric id 17 read by pandas as 17.0 is '17')."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _add_text_column(t, name, col):
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy(dtype=np.intc)
        uniques = list(col.cat.categories)
    else:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        codes = codes.astype(np.intc, copy=False)
        uniques = list(uniques)
    levels = [_text(u) for u in uniques]
    if len(set(levels)) != len(levels):
        # distinct values with the same text (1 and '1'): one level each
        first = {}
        remap = np.empty(len(levels), dtype=np.intc)
        merged = []
        for i, s in enumerate(levels):
            if s not in first:
                first[s] = len(merged)
                merged.append(s)
            remap[i] = first[s]
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1).astype(np.intc)
        levels = merged
    _core.impact_table_add_factor(t, name, np.ascontiguousarray(codes), levels)


def _item_array(col, name):
    if col.dtype == np.float64:
        return col.to_numpy()
    if pd.api.types.is_bool_dtype(col.dtype):
        raise _error("DATA", "<data frame>: item column '%s' is boolean, not numeric" % name)
    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    if col.isna().all():
        return np.full(len(col), np.nan)
    num = pd.to_numeric(col, errors="coerce")
    bad = num.isna() & ~col.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise _error("DATA", "<data frame>: row %d: value '%s' of item '%s' is not a number"
                     % (row + 1, col.iloc[row], name))
    return num.to_numpy(dtype=np.float64, na_value=np.nan)


def table_from_frame(df, codebook, out_of_range="error"):
    """A C table from a DataFrame: codebook items become numeric columns
    (float64 passes without a copy; other numeric dtypes are converted;
    NaN / None / pd.NA are missing), every other column becomes a text
    column (pandas Categoricals pass their codes and categories).

    Answers outside an item's range raise ImpactError (DATA) or, with
    ``out_of_range="missing"``, become missing, as the CSV reader does.
    """
    if out_of_range not in _OUT_OF_RANGE:
        raise _error("INVALID", "out_of_range must be 'error' or 'missing', not %r"
                     % (out_of_range,))
    cb = codebook._cb
    t = _core.Table()
    for name in df.columns:
        col = df[name]
        name = str(name)
        if isinstance(col, pd.DataFrame):
            raise _error("PARSE", "<data frame>: duplicate column '%s'" % name)
        i = _core.impact_codebook_item_index(cb, name)
        if i < 0:
            _add_text_column(t, name, col)
            continue
        x = np.ascontiguousarray(_item_array(col, name), dtype=np.float64)
        lo = _core.impact_codebook_item_min(cb, i)
        hi = _core.impact_codebook_item_max(cb, i)
        with np.errstate(invalid="ignore"):
            out = (x < lo) | (x > hi)
        if out.any():
            if out_of_range == "error":
                row = int(np.flatnonzero(out)[0])
                raise _error("DATA", "<data frame>:%d:%d: answer %s to item '%s' is outside "
                             "its range %g to %g" % (row + 1, df.columns.get_loc(name) + 1,
                                                     _text(x[row]), name, lo, hi))
            x = np.where(out, np.nan, x)
        _core.impact_table_add_numeric(t, name, x)
    return t


def _read_options(na_values=None, out_of_range="error", delimiter=","):
    if out_of_range not in _OUT_OF_RANGE:
        raise _error("INVALID", "out_of_range must be 'error' or 'missing', not %r"
                     % (out_of_range,))
    o = _core.ReadOptions()
    if na_values:
        o.missing_codes = ([str(m) for m in ([na_values] if isinstance(na_values, str)
                                                 else na_values)])
    o.out_of_range = _OUT_OF_RANGE[out_of_range]
    o.delimiter = delimiter
    o.n_threads = 0  # one per core, as the CLI: the table is the same with any number
    return o


def as_table(data, codebook, na_values=None, out_of_range="error"):
    """A C table from a DataFrame or a CSV path (read by the C reader, as
    the CLI does), or a C table passed through."""
    if isinstance(data, _core.Table):
        return data
    if _is_path(data):
        return _core.impact_responses_read(os.fspath(data), codebook._cb,
                                           _read_options(na_values, out_of_range))
    if isinstance(data, pd.DataFrame):
        if na_values:
            codes = {}
            for c in ([na_values] if isinstance(na_values, str) else list(na_values)):
                codes[c] = np.nan
                try:
                    codes[float(c)] = np.nan
                except (TypeError, ValueError):
                    pass
            # as the CSV reader: missing-value codes apply to item columns only
            data = data.copy(deep=False)
            for name in data.columns:
                if str(name) in codebook:
                    data[name] = data[name].replace(codes)
        return table_from_frame(data, codebook, out_of_range)
    raise TypeError("data must be a pandas DataFrame or a CSV path, not %s"
                    % type(data).__name__)


def table_to_frame(t, index=None):
    """A DataFrame from a C table: numeric columns as float64 (NaN =
    missing), text columns as object (None = missing)."""
    cols = {}
    for j in range(_core.impact_table_n_columns(t)):
        name = _core.impact_table_column_name(t, j)
        if _core.impact_table_column_type(t, j) == _core.IMPACT_COLUMN_NUMERIC:
            cols[name] = _core.impact_py_table_numeric(t, j)
        else:
            codes = _core.impact_py_table_codes(t, j)
            levels = np.array(_core.impact_py_table_levels(t, j) + [None], dtype=object)
            cols[name] = levels[codes]  # code -1 picks the trailing None
    return pd.DataFrame(cols, index=index)


def read_csv(path, codebook=None, na_values=None, out_of_range="error", delimiter=","):
    """Reads a response file with the C reader (exactly as the CLI does) into
    a DataFrame: codebook items numeric, every other column text.

    *na_values*: extra missing-value codes (empty and "NA" always are);
    *out_of_range*: "error" or "missing" (answers outside an item's range).
    Without a codebook every column is read as text.
    """
    cb = as_codebook(codebook)._cb if codebook is not None else None
    t = _core.impact_responses_read(os.fspath(path), cb,
                                    _read_options(na_values, out_of_range, delimiter))
    return table_to_frame(t)


# ---- results ---------------------------------------------------------------

def _scalar(v):
    return v is None or isinstance(v, (bool, int, float, str))


def _flatten(node, parts, prefix, rows):
    """Rows of the array of records at path *parts* (a '*' part stands for
    every element), each led by its ancestors' string members, as
    impact_result_format_table() does."""
    if not parts:
        if not isinstance(node, list):
            raise _error("INVALID", "result path does not name an array of records")
        for rec in node:
            if not isinstance(rec, dict):
                raise _error("INVALID", "result path does not name an array of records")
            row = dict(prefix)
            for k, v in rec.items():
                if _scalar(v):
                    row[k] = v
                elif (isinstance(v, list) and len(v) == 2
                      and all(x is None or isinstance(x, (int, float)) for x in v)):
                    row[k + "_lo"], row[k + "_hi"] = v
            rows.append(row)
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if not isinstance(node, list):
            raise _error("INVALID", "'*' in a result path must stand for array elements")
        for el in node:
            sub = dict(prefix)
            if isinstance(el, dict):
                sub.update({k: v for k, v in el.items() if isinstance(v, str)})
            _flatten(el, rest, sub, rows)
        return
    if isinstance(node, dict) and head in node:
        _flatten(node[head], rest, prefix, rows)
    elif isinstance(node, list) and head.isdigit() and int(head) < len(node):
        _flatten(node[int(head)], rest, prefix, rows)
    else:
        raise _error("INVALID", "no node '%s' in the result" % head)


class Result:
    """The result of an analysis: the tree the C library built, with exactly
    the keys and numbers of the JSON the CLI prints (undefined statistics
    are None).

    ``to_dict()`` gives the tree; ``to_frame(path)`` a tidy DataFrame of the
    array of records at *path* (default: the analysis's main table);
    ``result["key"]`` indexes the tree.
    """

    __slots__ = ("_res", "_path", "_dict")

    def __init__(self, handle, default_path=None):
        self._res = handle
        self._path = default_path
        self._dict = None

    def to_json(self, pretty=False):
        """The result as JSON text (numbers round-trip exactly)."""
        return _core.impact_result_to_json(self._res, pretty)

    def to_dict(self):
        """The result as nested dicts and lists (a fresh copy each call)."""
        if self._dict is None:
            self._dict = json.loads(self.to_json())
        return json.loads(json.dumps(self._dict))

    def __getitem__(self, key):
        if self._dict is None:
            self._dict = json.loads(self.to_json())
        return self._dict[key]

    def keys(self):
        """Top-level keys of the result."""
        if self._dict is None:
            self._dict = json.loads(self.to_json())
        return self._dict.keys()

    def to_frame(self, path=None):
        """A DataFrame of the array of records at *path* ("scales",
        "scales/*/items"...; a '*' stands for every element). Each row is
        one record, led by the string members of its ancestors; intervals
        [lo, hi] become x_lo, x_hi columns. The same rows and columns as
        the CLI's CSV."""
        path = path if path is not None else self._path
        if path is None:
            raise _error("INVALID", "this result has no default table: give a path")
        if self._dict is None:
            self._dict = json.loads(self.to_json())
        rows = []
        _flatten(self._dict, [p for p in path.split("/") if p], {}, rows)
        return pd.DataFrame(rows)

    def format_table(self, path=None, csv=False):
        """The C library's own rendering of the table at *path* (text or CSV)."""
        path = path if path is not None else self._path
        fmt = _core.IMPACT_TABLE_CSV if csv else _core.IMPACT_TABLE_TEXT
        return _core.impact_result_format_table(self._res, path, fmt)

    def __repr__(self):
        keys = ", ".join(self.keys())
        return "<impact.Result {%s}>" % keys


# ---- foundation analyses ---------------------------------------------------

_KINDS = {"mean": _core.IMPACT_SCORE_MEAN, "sum": _core.IMPACT_SCORE_SUM,
          "pomp": _core.IMPACT_SCORE_POMP}


def score(data, codebook, id=None, kind="mean", min_answered=0.5,
          na_values=None, out_of_range="error"):
    """Scale scores per response: reverse keying with the codebook range,
    the weighted mean of the answered items (``kind="mean"``), the prorated
    weighted sum (``"sum"``) or percent of maximum possible (``"pomp"``);
    a response is scored only if it answered at least *min_answered* of
    the scale's items (a fraction in (0, 1] or a count >= 1).

    *data* is a DataFrame or a CSV path; *codebook* an impact.Codebook, a
    path or a DataFrame; *na_values* extra missing-value codes;
    *out_of_range* "error" or "missing". Returns a DataFrame with one column per scale
    (codebook order), led by the *id* column if given; for a DataFrame
    input the index is the input's (rows align with the responses).
    """
    cb = as_codebook(codebook)
    if kind not in _KINDS:
        raise _error("INVALID", "kind must be mean, sum or pomp, not %r" % (kind,))
    t = as_table(data, cb, na_values, out_of_range)
    o = _core.ScoreOptions()
    o.kind = _KINDS[kind]
    o.min_answered = float(min_answered)
    out = _core.impact_score_table(t, cb._cb, id, o)
    index = data.index if isinstance(data, pd.DataFrame) else None
    return table_to_frame(out, index=index)


def describe(data, codebook, na_values=None, out_of_range="error"):
    """Item descriptives from the raw (unkeyed) answers: n, missing, mean,
    sd (n - 1), min, max and the frequency of each response value.

    Returns a Result; ``.to_frame()`` gives one row per item.
    """
    cb = as_codebook(codebook)
    t = as_table(data, cb, na_values, out_of_range)
    return Result(_core.impact_describe_items(t, cb._cb), "items")
