# test_core.py — the foundation from Python: codebooks, tables, scores,
# descriptives, errors, ownership. Reference values are the C library's own
# output through the CLI (`impact ... --format json`) on the same files:
# Python must give the very same doubles, not approximately the same.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
import gc
import json
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import impact
from impact import core

CLI = os.environ.get("IMPACT")


def cli_json(*args):
    """Runs the impact CLI with --format json and parses its output."""
    if not CLI:
        pytest.skip("IMPACT (the CLI) not set")
    out = subprocess.run([CLI, *args, "--format", "json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def bfi(bfi_paths):
    cbp, dp = bfi_paths
    cb = impact.Codebook.from_csv(cbp)
    return cbp, dp, cb


# ---- codebooks -------------------------------------------------------------

def test_codebook_from_csv(bfi):
    _, _, cb = bfi
    assert len(cb) == 25
    assert cb.scales == ["agreeableness", "conscientiousness", "extraversion",
                         "neuroticism", "openness"]
    assert cb.scale_items("openness") == ["O1", "O2", "O3", "O4", "O5"]
    assert cb.domain("openness") == "individual"
    assert "A1" in cb and "Z9" not in cb
    f = cb.to_frame()
    # bfi-codebook.csv: A1 reverse keyed, range 1..6, weight 1
    assert list(f.loc[0, ["item", "scale", "min", "max", "reverse", "weight"]]) == \
        ["A1", "agreeableness", 1.0, 6.0, True, 1.0]


def test_codebook_from_frame_round_trip(bfi):
    _, _, cb = bfi
    f = cb.to_frame()
    cb2 = impact.Codebook.from_frame(f)
    pd.testing.assert_frame_equal(cb2.to_frame(), f)


def test_codebook_from_string():
    cb = impact.Codebook.from_string("item,scale,domain,min,max\nq1,s,team,1,5\nq2,s,team,1,5\n")
    assert cb.items == ["q1", "q2"] and cb.domain("s") == "team"


def test_codebook_errors():
    with pytest.raises(impact.ImpactError) as e:
        impact.Codebook.from_csv("/nonexistent/codebook.csv")
    assert e.value.code == core.IMPACT_ERROR_IO and e.value.name == "IO"
    assert "/nonexistent/codebook.csv" in str(e.value)
    assert isinstance(e.value, ValueError)
    # duplicate item: the C library's CODEBOOK error, naming file and line
    with pytest.raises(impact.ImpactError) as e:
        impact.Codebook.from_string("item,scale,domain,min,max\nq1,s,team,1,5\nq1,s,team,1,5\n",
                                    "cb.csv")
    assert e.value.name == "CODEBOOK" and "cb.csv:3" in str(e.value)
    # min >= max through the frame path: the same C check
    with pytest.raises(impact.ImpactError) as e:
        impact.Codebook.from_frame(pd.DataFrame(
            {"item": ["q"], "scale": ["s"], "domain": ["team"], "min": [5], "max": [1]}))
    assert e.value.code == core.IMPACT_ERROR_CODEBOOK
    with pytest.raises(impact.ImpactError) as e:
        impact.Codebook.from_frame(pd.DataFrame(
            {"item": ["q"], "scale": ["s"], "domain": ["galaxy"], "min": [1], "max": [5]}))
    assert e.value.name == "INVALID" and "galaxy" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.Codebook.from_frame(pd.DataFrame({"item": ["q"]}))
    assert e.value.name == "PARSE"


# ---- scores and descriptives: the CLI's numbers ----------------------------

def test_score_equals_cli(bfi):
    cbp, dp, cb = bfi
    ref = cli_json("score", "-c", str(cbp), "-d", str(dp), "--id", "id")
    s = impact.score(dp, cb, id="id")
    assert len(s) == len(ref) == 2800
    for scale in cb.scales:
        want = np.array([np.nan if r[scale] is None else r[scale] for r in ref])
        np.testing.assert_array_equal(s[scale].to_numpy(), want)  # exact
    assert list(s["id"]) == [r["id"] for r in ref]


@pytest.mark.parametrize("kind", ["sum", "pomp"])
def test_score_kinds_equal_cli(bfi, kind):
    cbp, dp, cb = bfi
    ref = cli_json("score", "-c", str(cbp), "-d", str(dp), "--id", "id", "--kind", kind,
                   "--min-answered", "3")
    s = impact.score(dp, cb, id="id", kind=kind, min_answered=3)
    for scale in cb.scales:
        want = np.array([np.nan if r[scale] is None else r[scale] for r in ref])
        np.testing.assert_array_equal(s[scale].to_numpy(), want)


def test_score_from_pandas_equals_csv(bfi):
    cbp, dp, cb = bfi
    df = pd.read_csv(dp)  # pandas' own reader: id int64, items float64
    s1 = impact.score(dp, cb, id="id")
    s2 = impact.score(df, cb, id="id")
    pd.testing.assert_frame_equal(s1, s2)
    # without an id the input's index is kept
    df.index = df.index + 100
    s3 = impact.score(df, cb)
    assert list(s3.index[:2]) == [100, 101]
    np.testing.assert_array_equal(s3["openness"].to_numpy(), s1["openness"].to_numpy())


def test_describe_equals_cli(bfi):
    cbp, dp, cb = bfi
    ref = cli_json("describe", "-c", str(cbp), "-d", str(dp))
    r = impact.describe(dp, cb)
    assert r.to_dict() == ref
    r2 = impact.describe(pd.read_csv(dp), cb)
    assert r2.to_dict() == ref
    f = r.to_frame()
    assert list(f["item"]) == cb.items
    assert f.loc[0, "mean"] == ref["items"][0]["mean"]
    # the C library's own CSV rendering has the same header
    header = r.format_table(csv=True).splitlines()[0].split(",")
    assert [h.strip('"') for h in header] == list(f.columns)


def test_dtypes_and_missing(bfi):
    _, dp, cb = bfi
    df = pd.read_csv(dp)
    ref = impact.score(df, cb, id="id")
    d2 = df.copy()
    d2["A1"] = d2["A1"].astype("Int64")            # nullable int with pd.NA
    d2["A2"] = d2["A2"].astype(object)              # object numbers, None missing
    d2.loc[d2["A2"].isna(), "A2"] = None
    d2["id"] = d2["id"].astype(str).astype("category")
    d2["gender"] = pd.Categorical(d2["gender"])
    s = impact.score(d2, cb, id="id")
    pd.testing.assert_frame_equal(s, ref)


def test_text_columns_round_trip():
    cb = impact.Codebook.from_string("item,scale,domain,min,max\nq1,s,team,1,5\n")
    df = pd.DataFrame({"team": ["b", None, "a", "b"], "num": [1.0, 2.5, np.nan, 17.0],
                       "mixed": [1, "1", "x", None], "q1": [1, 2, np.nan, 5]})
    t = impact.table_from_frame(df, cb)
    back = impact.table_to_frame(t)
    assert list(back["team"]) == ["b", None, "a", "b"]
    assert list(back["num"]) == ["1", "2.5", None, "17"]   # non-items are text
    assert list(back["mixed"]) == ["1", "1", "x", None]     # 1 and '1' one level
    np.testing.assert_array_equal(back["q1"].to_numpy(), [1, 2, np.nan, 5])


def test_missing_codes_and_out_of_range():
    cb = impact.Codebook.from_string("item,scale,domain,min,max\nq1,s,team,1,5\nq2,s,team,1,5\n")
    df = pd.DataFrame({"id": ["a", "b", "c"], "q1": [1, -99, 4], "q2": [2, 3, 9]})
    with pytest.raises(impact.ImpactError) as e:
        impact.score(df, cb, id="id")
    assert e.value.name == "DATA" and "q1" in str(e.value) and "-99" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.score(df, cb, id="id", na_values=[-99])
    assert e.value.name == "DATA" and "'q2'" in str(e.value) and ":3:" in str(e.value)
    s = impact.score(df, cb, id="id", na_values=["-99"], out_of_range="missing",
                     min_answered=1)
    # hand calculation: a (1+2)/2, b only q2 = 3, c only q1 = 4
    assert list(s["s"]) == [1.5, 3.0, 4.0]
    # codes are for items only (as the CSV reader): an id "-99" stays
    df2 = df.assign(id=["a", "-99", "c"])
    s2 = impact.score(df2, cb, id="id", na_values=["-99"], out_of_range="missing",
                      min_answered=1)
    assert list(s2["id"]) == ["a", "-99", "c"]


def test_data_errors(bfi, tmp_path):
    _, dp, cb = bfi
    df = pd.read_csv(dp)
    with pytest.raises(impact.ImpactError) as e:
        impact.score(df.drop(columns=["O5"]), cb, id="id")
    assert e.value.code == core.IMPACT_ERROR_DATA and "O5" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.score(df, cb, id="nope")
    assert e.value.name == "DATA" and "nope" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.score(df, cb, min_answered=0)
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        impact.score(df, cb, kind="median")
    assert e.value.name == "INVALID"
    bad = df.astype({"A3": object})
    bad.loc[5, "A3"] = "often"
    with pytest.raises(impact.ImpactError) as e:
        impact.score(bad, cb)
    assert e.value.name == "DATA" and "often" in str(e.value) and "row 6" in str(e.value)
    p = tmp_path / "ragged.csv"
    p.write_text("id,A1\n1,2,3\n")
    with pytest.raises(impact.ImpactError) as e:
        impact.read_csv(p)
    assert e.value.name == "PARSE" and str(p) in str(e.value)
    with pytest.raises(TypeError):
        impact.score(42, cb)


def test_result_paths(bfi):
    _, dp, cb = bfi
    r = impact.describe(dp, cb)
    assert r["n_rows"] == 2800
    assert "items" in r.keys()
    with pytest.raises(impact.ImpactError) as e:
        r.to_frame("nothing")
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        r.format_table("nothing")
    assert e.value.name == "INVALID"


def test_low_level_numpy_no_copy_and_lengths():
    t = core.Table()
    x = np.arange(5, dtype=np.float64)
    core.impact_table_add_numeric(t, "x", x)
    core.impact_table_add_numeric(t, "y", [1, 2, 3, 4, 5])  # converted
    with pytest.raises(impact.ImpactError) as e:
        core.impact_table_add_numeric(t, "z", np.zeros(3))
    assert e.value.name == "INVALID"
    assert core.impact_table_n_rows(t) == 5
    np.testing.assert_array_equal(core.impact_py_table_numeric(t, 1), [1, 2, 3, 4, 5])
    m, v, n = core.impact_stats_mean_var(np.array([1.0, 2.0, np.nan, 4.0]))
    # hand calculation: mean 7/3, var ((4/3)^2 + (1/3)^2 + (5/3)^2)/2 = 7/3
    assert n == 3 and m == pytest.approx(7 / 3, rel=1e-15) and v == pytest.approx(7 / 3, rel=1e-15)


def test_docstrings_from_c():
    assert "Scores every scale" in core.impact_score_table.__doc__
    assert "Reads a codebook CSV file" in core.impact_codebook_read_csv.__doc__
    for name in impact.__all__:                 # every public name documented
        obj = getattr(impact, name)
        assert obj.__doc__ and len(obj.__doc__) > 40, name
        for attr, f in vars(obj).items() if isinstance(obj, type) else ():
            if not attr.startswith("_") and callable(f):
                assert f.__doc__, "%s.%s" % (name, attr)
    from impact import dask as impact_dask
    for name in impact_dask.__all__:
        assert len(getattr(impact_dask, name).__doc__) > 40, name


def _rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_no_leaks_over_repeated_calls(bfi):
    """Tables, results and errors are freed: the bfi table is ~600 KiB, so
    a leak of one table per call would grow memory by ~120 MiB over 200
    calls; C allocations are invisible to tracemalloc, hence RSS (and the
    Python objects are counted)."""
    _, dp, cb = bfi
    df = pd.read_csv(dp)
    bad = df.drop(columns=["O5"])

    fb = os.path.join(os.environ.get("IMPACT_TOP_SRCDIR", ""), "tests", "data")
    fbcb = impact.Codebook.from_csv(os.path.join(fb, "feedback-codebook.csv"))
    fbdf = pd.read_csv(os.path.join(fb, "feedback-hand.csv"))

    def once():
        # option structs holding strings and string vectors, accumulators
        # through bytes, results: all freed with their Python objects
        impact.feedback(fbdf, fbcb, participant="leader", rater="who",
                        role_map={"mgr": "manager", "peer": "peer", "dr": "direct report"},
                        exempt=["manager"]).to_dict()
        a = impact.ReliabilityAccumulator(cb).add(df)
        impact.ReliabilityAccumulator.from_bytes(a.to_bytes(), cb).result()
        impact.score(df, cb, id="id")
        impact.describe(df, cb).to_dict()
        try:
            impact.score(bad, cb)
        except impact.ImpactError:
            pass
        try:
            core.impact_result_format_table(impact.describe(df, cb)._res, "x", 0)
        except impact.ImpactError:
            pass

    for _ in range(20):
        once()
    gc.collect()
    n_objects = len(gc.get_objects())
    rss = _rss_kib()
    for _ in range(200):
        once()
    gc.collect()
    assert len(gc.get_objects()) - n_objects < 50
    assert _rss_kib() - rss < 16 * 1024
