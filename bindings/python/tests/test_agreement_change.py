# test_agreement_change.py — impact.agreement (and its accumulator) and
# impact.change. Reference values: the C library through the CLI
# (`impact agreement`, `impact change --format json`) on the same files,
# compared exactly; merged accumulators against the single pass (histograms
# merge exactly, score moments by Chan et al.'s update: 1e-12 relative).
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
import json
import os
import pickle
import subprocess

import numpy as np
import pandas as pd
import pytest

import impact

from test_reliability import close

CLI = os.environ.get("IMPACT")


def cli_json(*args):
    if not CLI:
        pytest.skip("IMPACT (the CLI) not set")
    return json.loads(subprocess.run([CLI, *args, "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)


@pytest.fixture(scope="module")
def example(top):
    d = top / "data" / "example"
    cb = impact.Codebook.from_csv(d / "codebook.csv")
    return d / "codebook.csv", d / "responses.csv", cb


@pytest.mark.parametrize("args,kw", [
    (["--group", "team"], dict(group="team")),
    (["--group", "team", "--within", "organisation", "--min-group", "5", "--lindell"],
     dict(group="team", within="organisation", min_group=5, lindell=True)),
    (["--group", "organisation", "--min-group", "11", "--pool-all"],
     dict(group="organisation", min_group=11, pool_all=True)),
])
def test_agreement_equals_cli(example, args, kw):
    cbp, dp, cb = example
    ref = cli_json("agreement", "-c", str(cbp), "-d", str(dp), *args)
    r = impact.agreement(dp, cb, **kw)
    assert r.to_dict() == ref
    r2 = impact.agreement(pd.read_csv(dp), cb, **kw)
    assert r2.to_dict() == ref
    assert list(r.to_frame()["scale"]) == [s["scale"] for s in ref["scales"]]
    g = r.groups()
    assert len(g) == sum(len(s["groups"]) for s in ref["scales"])
    assert isinstance(r.suppressed(), pd.DataFrame)


def test_agreement_errors(example):
    cbp, dp, cb = example
    with pytest.raises(impact.ImpactError) as e:
        impact.agreement(dp, cb, group="squad")
    assert e.value.name == "DATA" and "squad" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.agreement(dp, cb, group="team", min_group=0)
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        impact.agreement(dp, cb, group="team", null_distribution="lopsided")
    assert e.value.name == "INVALID" and "lopsided" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.AgreementAccumulator(cb, group="team", min_group=0)
    assert e.value.name == "INVALID"


def test_agreement_accumulator(example):
    cbp, dp, cb = example
    df = impact.read_csv(dp, cb)
    single = impact.agreement(df, cb, group="team").to_dict()
    accs = [impact.AgreementAccumulator(cb, group="team").add(df.iloc[idx])
            for idx in np.array_split(np.arange(len(df)), 5)]
    for a in accs[1:]:
        accs[0].merge(a)
    close(accs[0].result().to_dict(), single)
    p = pickle.loads(pickle.dumps(accs[0]))
    assert p.result().to_dict() == accs[0].result().to_dict()
    with pytest.raises(impact.ImpactError) as e:
        impact.AgreementAccumulator.from_bytes(b"garbage", cb)
    assert e.value.name == "INVALID"
    other = impact.AgreementAccumulator(cb, group="organisation")
    with pytest.raises(impact.ImpactError) as e:
        accs[0].merge(other)
    assert e.value.name == "INVALID"


def test_change_equals_cli(example):
    cbp, dp, cb = example
    ref = cli_json("change", "-c", str(cbp), "-d", str(dp), "--unit", "team", "--wave", "wave",
                   "--pre", "baseline", "--arm", "arm", "--control", "comparison",
                   "--bootstrap", "200", "--seed", "7", "--rho", "within-arm",
                   "--scale", "team_climate", "--scale", "psychological_safety")
    seen = []
    r = impact.change(pd.read_csv(dp), cb, unit="team", wave="wave", pre="baseline",
                      arm="arm", control="comparison", bootstrap=200, seed=7, threads=2,
                      rho="within_arm", scales=["team_climate", "psychological_safety"],
                      progress=seen.append)
    assert r.to_dict() == ref
    assert seen and seen[-1] == 1.0
    f = r.to_frame()
    assert set(f["scale"]) == {"team_climate", "psychological_safety"}
    assert len(r.controlled()) == len(ref["scales"])
    assert len(r.bootstrap()) > 0


def test_change_errors(example):
    cbp, dp, cb = example
    with pytest.raises(impact.ImpactError) as e:
        impact.change(dp, cb, unit="team", wave="wave", pre="week0")
    assert e.value.name == "DATA" and "week0" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.change(dp, cb, unit="team", wave="wave", pre="baseline", control="comparison")
    assert e.value.name == "INVALID"
    with pytest.raises(impact.ImpactError) as e:
        impact.change(dp, cb, unit="team", wave="wave", pre="baseline", scales=["nope"])
    assert e.value.name == "INVALID" and "nope" in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.change(dp, cb, unit="team", wave="wave", pre="baseline", bootstrap=200,
                      progress=lambda f: False)
    assert e.value.name == "CANCELLED"
    with pytest.raises(impact.ImpactError) as e:
        impact.change(dp, cb, unit="team", wave="wave", pre="baseline", rho="magic")
    assert e.value.name == "INVALID"
