# test_reliability.py — impact.reliability and its accumulator. Reference
# values: the C library through the CLI (`impact reliability --format json`)
# on the same files, compared exactly; the accumulator against the
# single-pass call (Chan et al.'s merge: equal up to the last bits, so
# compared to 1e-12 relative; the same chunks merged in the same order are
# bit-identical).
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
import json
import math
import os
import pickle
import subprocess

import numpy as np
import pandas as pd
import pytest

import impact

CLI = os.environ.get("IMPACT")


def cli_json(*args):
    if not CLI:
        pytest.skip("IMPACT (the CLI) not set")
    return json.loads(subprocess.run([CLI, *args, "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)


@pytest.fixture(scope="module")
def lq(top):
    d = top / "tests" / "data"
    return d / "reliability-lq2002-codebook.csv", d / "reliability-lq2002.csv"


def close(a, b, rel=1e-12, path="$"):
    """Trees equal, numbers to *rel* relative (for merged accumulators)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), path
        for k in a:
            close(a[k], b[k], rel, path + "/" + k)
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, rel, "%s/%d" % (path, i))
    elif isinstance(a, float) and not isinstance(b, bool):
        assert b is not None and math.isclose(a, b, rel_tol=rel, abs_tol=rel), (path, a, b)
    else:
        assert a == b, (path, a, b)


@pytest.mark.parametrize("deletion", ["pairwise", "listwise"])
def test_reliability_equals_cli(lq, deletion):
    cbp, dp = lq
    ref = cli_json("reliability", "-c", str(cbp), "-d", str(dp), "--deletion", deletion)
    r = impact.reliability(dp, cbp, deletion=deletion)
    assert r.to_dict() == ref                       # exact, every number
    cb = impact.Codebook.from_csv(cbp)
    r2 = impact.reliability(impact.read_csv(dp, cb), cb, deletion=deletion)
    assert r2.to_dict() == ref
    f = r.to_frame()
    assert list(f["scale"]) == [s["scale"] for s in ref["scales"]]
    assert list(f["alpha"]) == [s["alpha"] for s in ref["scales"]]
    assert "alpha_ci_lo" in f.columns and "alpha_ci_hi" in f.columns
    items = r.items()
    assert len(items) == sum(len(s["items"]) for s in ref["scales"])
    assert list(items.columns[:2]) == ["scale", "domain"]


def test_reliability_options(bfi_paths):
    cbp, dp = bfi_paths
    ref = cli_json("reliability", "-c", str(cbp), "-d", str(dp), "--ci-level", "0.9",
                   "--no-omega")
    r = impact.reliability(pd.read_csv(dp), cbp, ci_level=0.9, omega=False)
    assert r.to_dict() == ref
    assert isinstance(r.warnings(), pd.DataFrame)


def test_reliability_errors(bfi_paths):
    cbp, dp = bfi_paths
    with pytest.raises(impact.ImpactError) as e:
        impact.reliability(dp, cbp, ci_level=1.5)
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        impact.reliability(dp, cbp, deletion="casewise")
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        impact.reliability(pd.read_csv(dp).drop(columns=["C2"]), cbp)
    assert e.value.name == "DATA" and "C2" in str(e.value)


@pytest.mark.parametrize("deletion", ["pairwise", "listwise"])
def test_accumulator_equals_single_pass(lq, deletion):
    cbp, dp = lq
    cb = impact.Codebook.from_csv(cbp)
    df = impact.read_csv(dp, cb)
    single = impact.reliability(df, cb, deletion=deletion).to_dict()
    parts = np.array_split(np.arange(len(df)), 7)
    accs = []
    for idx in parts:
        a = impact.ReliabilityAccumulator(cb, deletion)
        a.add(df.iloc[idx])
        accs.append(a)
    total = accs[0]
    for a in accs[1:]:
        total.merge(a)
    close(total.result().to_dict(), single)
    # the same partitions through bytes and pickle: bit-identical
    again = impact.ReliabilityAccumulator.from_bytes(accs[0].to_bytes(), cb)
    assert again.result().to_dict() == total.result().to_dict()
    p = pickle.loads(pickle.dumps(total))
    assert p.result().to_dict() == total.result().to_dict()


def test_accumulator_errors(lq, bfi_paths):
    cbp, dp = lq
    cb = impact.Codebook.from_csv(cbp)
    other = impact.Codebook.from_csv(bfi_paths[0])
    a = impact.ReliabilityAccumulator(cb).add(dp)
    with pytest.raises(impact.ImpactError) as e:
        impact.ReliabilityAccumulator.from_bytes(a.to_bytes(), other)
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        impact.ReliabilityAccumulator.from_bytes(b"not an accumulator", cb)
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        a.merge(impact.ReliabilityAccumulator(other))
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        a.merge(impact.ReliabilityAccumulator(cb, "listwise"))
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        a.add(pd.DataFrame({"x": [1.0]}))
    assert e.value.name == "DATA"
    with pytest.raises(impact.ImpactError) as e:
        a.result(ci_level=0)
    assert e.value.name == "INVALID"


def test_accumulator_outlives_codebook_reference(lq):
    """The C accumulator borrows its codebook: the Python object keeps it."""
    cbp, dp = lq
    a = impact.ReliabilityAccumulator(impact.Codebook.from_csv(cbp))
    import gc
    gc.collect()
    a.add(dp)
    assert a.result()["scales"][0]["n"] > 0
