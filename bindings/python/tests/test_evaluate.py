# test_evaluate.py — impact.evaluate, Design, simulate, feedback and the
# progress callback. Reference values: the C library through the CLI
# (`impact evaluate --demo`, `impact feedback`) on the same files, compared
# exactly (the bootstrap is bit-identical for a seed, whatever the threads).
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
import json
import os
import subprocess

import pandas as pd
import pytest

import impact

CLI = os.environ.get("IMPACT")
B = 200  # bootstrap replicates: enough to exercise, fast


def cli_json(*args):
    if not CLI:
        pytest.skip("IMPACT (the CLI) not set")
    return json.loads(subprocess.run([CLI, *args, "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)


@pytest.fixture(scope="module")
def example(top):
    d = top / "data" / "example"
    return d / "codebook.csv", d / "responses.csv", d / "design.ini"


@pytest.fixture(scope="module")
def ref(example):
    cbp, dp, dsp = example
    return cli_json("evaluate", "-c", str(cbp), "-d", str(dp), "--design", str(dsp),
                    "--replicates", str(B))


def test_evaluate_equals_cli(example, ref):
    cbp, dp, dsp = example
    r = impact.evaluate(dp, cbp, dsp, replicates=B)
    assert r.to_dict() == ref
    # from pandas, with the design and codebook as objects, on 2 threads
    r2 = impact.evaluate(pd.read_csv(dp), impact.Codebook.from_csv(cbp),
                         impact.Design.from_file(dsp), replicates=B, threads=2)
    assert r2.to_dict() == ref
    assert list(r.domains()["domain"]) == ["individual", "team", "organisation"]
    assert r.overall["impact_index"] == ref["overall"]["impact_index"]
    assert r.statements == ref["statements"]
    assert list(r.to_frame()["scale"]) == [s["scale"] for d in ref["domains"]
                                           for s in d["scales"]]
    assert "Impact profile" in r.profile()


def test_progress_callback(example, ref):
    cbp, dp, dsp = example
    seen = []
    r = impact.evaluate(dp, cbp, dsp, replicates=B, progress=seen.append)
    assert r.to_dict() == ref                      # progress changes nothing
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    assert all(0.0 <= f <= 1.0 for f in seen)
    # returning False cancels: the C library's CANCELLED error
    with pytest.raises(impact.ImpactError) as e:
        impact.evaluate(dp, cbp, dsp, replicates=B, progress=lambda f: f < 0.5)
    assert e.value.name == "CANCELLED"
    # an exception in the callback cancels and comes back as itself

    class Stop(Exception):
        pass

    def boom(f):
        if f > 0.3:
            raise Stop("enough")

    with pytest.raises(Stop):
        impact.evaluate(dp, cbp, dsp, replicates=B, progress=boom)
    with pytest.raises(TypeError):
        impact.evaluate(dp, cbp, dsp, replicates=B, progress=42)


def test_progress_bar(example, ref, capsys):
    pytest.importorskip("tqdm")
    cbp, dp, dsp = example
    r = impact.evaluate(dp, cbp, dsp, replicates=B, progress=True)
    assert r.to_dict() == ref
    assert "bootstrap" in capsys.readouterr().err


def test_design(example):
    cbp, dp, dsp = example
    d = impact.Design.from_file(dsp)
    assert d.get("columns", "wave") == "wave"
    assert d.get("costs", "nothing-here") is None
    d2 = impact.Design.from_string(d.to_string())
    assert d2.to_string() == d.to_string()
    d3 = impact.Design.from_dict({"columns": {"wave": "wave", "participant": "participant"},
                                  "waves": {"labels": ["baseline", "month6", "month12"]}})
    assert d3.get("waves", "labels") == "baseline;month6;month12"
    with pytest.raises(impact.ImpactError) as e:
        impact.Design.from_dict({"columns": {"colour": "x"}})
    assert e.value.name == "INVALID" and "colour" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.Design.from_string("[waves]\nlabels = a;b\n[bootstrap]\nlevel = 2\n", "d.ini")
    assert e.value.name == "INVALID" and "d.ini" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.Design.from_file("/nonexistent/design.ini")
    assert e.value.name == "IO"
    # a design naming a column the data lack: DATA, naming the column
    bad = impact.Design.from_string(d.to_string().replace("cohort = cohort",
                                                          "cohort = intake"))
    with pytest.raises(impact.ImpactError) as e:
        bad.check(dp, cbp)
    assert e.value.name == "DATA" and "intake" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.evaluate(dp, cbp, bad, replicates=0)
    assert e.value.name == "DATA"


def test_simulate(tmp_path):
    s = impact.simulate(seed=7, participants=24, organisations=4, staff=8)
    t = impact.simulate(seed=7, participants=24, organisations=4, staff=8)
    pd.testing.assert_frame_equal(s.responses, t.responses)   # same seed, same data
    assert s.truth == t.truth and s.truth["seed"] == 7
    assert {x["scale"] for x in s.truth["scales"]} <= set(s.codebook.scales)
    r = impact.evaluate(s.responses, s.codebook, s.design, replicates=0)
    assert len(r.domains()) == 3
    s.write(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["codebook.csv", "design.ini", "responses.csv",
                                            "truth.json"]
    with pytest.raises(impact.ImpactError) as e:
        impact.simulate(participants=2)
    assert e.value.name == "INVALID"
    with pytest.raises(TypeError):
        impact.simulate(colour="red")


def test_feedback_equals_cli(top):
    d = top / "tests" / "data"
    cbp, dp = d / "feedback-codebook.csv", d / "feedback-hand.csv"
    ref = cli_json("feedback", "-c", str(cbp), "-d", str(dp), "--participant", "leader",
                   "--rater", "who", "--role-map", "mgr=manager,peer=peer,dr=direct report",
                   "--exempt", "manager", "--importance-suffix", "_imp")
    r = impact.feedback(dp, cbp, participant="leader", rater="who",
                        role_map={"mgr": "manager", "peer": "peer", "dr": "direct report"},
                        exempt="manager", importance_suffix="_imp")
    assert r.to_dict() == ref
    r2 = impact.feedback(pd.read_csv(dp), cbp, participant="leader", rater="who",
                         role_map=["mgr=manager", "peer=peer", "dr=direct report"],
                         exempt=["manager"], importance_suffix="_imp")
    assert r2.to_dict() == ref
    f = r.to_frame()
    assert {"participant", "scale", "self", "others", "gap"} <= set(f.columns)
    assert isinstance(r.suppressed(), pd.DataFrame)
    with pytest.raises(impact.ImpactError) as e:
        impact.feedback(dp, cbp, participant="leader", rater="who", min_raters=0)
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        impact.feedback(dp, cbp, participant="leader", rater="who", role_map=["mgr"])
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        impact.feedback(dp, cbp, participant="nobody", rater="who")
    assert e.value.name == "DATA" and "nobody" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.feedback(dp, cbp, participant="leader", rater="who", policy="hide")
    assert e.value.name == "INVALID"


def test_example_script(top):
    """examples/python/evaluate_example.py runs and prints the profile."""
    import sys
    script = top / "examples" / "python" / "evaluate_example.py"
    out = subprocess.run([sys.executable, str(script), "--replicates", "100"], check=True,
                         capture_output=True, text=True, env=dict(os.environ)).stdout
    assert "Impact profile" in out and "organisation" in out


def test_gil_released_during_bootstrap(example):
    """While the C library computes, other Python threads run: the main
    thread keeps counting through the middle half of an evaluation running
    in a worker thread (were the GIL held by C, it could not run at all
    between the worker's call and its return)."""
    import threading
    import time

    cbp, dp, dsp = example
    cb, d = impact.Codebook.from_csv(cbp), impact.Design.from_file(dsp)
    t = impact.table_from_frame(pd.read_csv(dp), cb)
    span = []
    done = threading.Event()

    def work():
        try:
            span.append(time.perf_counter())
            impact.core.impact_evaluate(t, cb._cb, d._d, _options(2000))
            span.append(time.perf_counter())
        finally:
            done.set()

    def _options(b):
        o = impact.core.EvaluateOptions()
        o.replicates, o.threads = b, 1
        return o

    th = threading.Thread(target=work)
    th.start()
    ticks = []
    while not done.is_set():
        ticks.append(time.perf_counter())
    th.join()
    lo, hi = span[0] + 0.25 * (span[1] - span[0]), span[1] - 0.25 * (span[1] - span[0])
    assert len([x for x in ticks if lo < x < hi]) > 100


def test_dask_example_script(top):
    """examples/python/dask_reliability.py runs on a LocalCluster and gets
    the single-pass alphas (to the last bits)."""
    import re
    import sys
    pytest.importorskip("dask.distributed")
    script = top / "examples" / "python" / "dask_reliability.py"
    out = subprocess.run([sys.executable, str(script)], check=True, capture_output=True,
                         text=True, env=dict(os.environ), timeout=300).stdout
    worst = float(re.search(r"single pass\)\| = (\S+)", out).group(1))
    assert worst < 1e-12
