# test_dask.py — impact.dask on a dask.distributed LocalCluster: the merged
# per-partition accumulators give the single-machine result (Chan et al.'s
# merge: equal to 1e-12 relative) and exactly the result of a local
# accumulator fed the same partitions in the same order.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
import pickle

import pandas as pd
import pytest

import impact
import impact.dask

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

from test_reliability import close


@pytest.fixture(scope="module")
def client():
    # processes: partitions and accumulators really cross process borders
    # (pickled codebooks, serialised accumulators); two small workers.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def lq(top):
    d = top / "tests" / "data"
    cb = impact.Codebook.from_csv(d / "reliability-lq2002-codebook.csv")
    return cb, impact.read_csv(d / "reliability-lq2002.csv", cb)


@pytest.mark.parametrize("deletion", ["pairwise", "listwise"])
def test_dask_reliability_equals_single_pass(client, lq, deletion):
    cb, df = lq
    ddf = dd.from_pandas(df, npartitions=5)
    got = impact.dask.reliability(ddf, cb, deletion=deletion)
    close(got.to_dict(), impact.reliability(df, cb, deletion=deletion).to_dict())
    # a local accumulator over the same partitions, merged in order: exact
    accs = [impact.ReliabilityAccumulator(cb, deletion).add(p)
            for p in (ddf.get_partition(i).compute() for i in range(ddf.npartitions))]
    for a in accs[1:]:
        accs[0].merge(a)
    assert got.to_dict() == accs[0].result().to_dict()


def test_dask_errors_reach_the_client(client, lq):
    cb, df = lq
    ddf = dd.from_pandas(df.drop(columns=[cb.items[0]]), npartitions=2)
    with pytest.raises(impact.ImpactError) as e:
        impact.dask.reliability(ddf, cb)
    assert e.value.name == "DATA" and cb.items[0] in str(e.value)


def test_dask_score(client, bfi_paths):
    cbp, dp = bfi_paths
    df = pd.read_csv(dp)
    ddf = dd.from_pandas(df, npartitions=3)
    got = impact.dask.score(ddf, cbp, id="id").compute()
    want = impact.score(df, cbp, id="id")
    pd.testing.assert_frame_equal(got, want)


def test_dask_agreement_equals_single_pass(client, top):
    d = top / "data" / "example"
    cb = impact.Codebook.from_csv(d / "codebook.csv")
    df = impact.read_csv(d / "responses.csv", cb)
    ddf = dd.from_pandas(df, npartitions=4)
    got = impact.dask.agreement(ddf, cb, group="team", within="organisation")
    close(got.to_dict(), impact.agreement(df, cb, group="team", within="organisation").to_dict())
    accs = [impact.AgreementAccumulator(cb, group="team", within="organisation").add(p)
            for p in (ddf.get_partition(i).compute() for i in range(ddf.npartitions))]
    for a in accs[1:]:
        accs[0].merge(a)
    assert got.to_dict() == accs[0].result().to_dict()
    with pytest.raises(impact.ImpactError) as e:
        impact.dask.agreement(ddf, cb, group="team", min_group=0)
    assert e.value.name == "INVALID"


@pytest.fixture(scope="module")
def univbct(top):
    d = top / "tests" / "data"
    cb = impact.Codebook.from_csv(d / "change-univbct-codebook.csv")
    return cb, impact.read_csv(d / "change-univbct.csv", cb)


@pytest.mark.parametrize("kw", [
    # soldiers, both follow-ups, alpha at baseline from the partitions
    dict(unit="subnum", wave="time", pre="0"),
    # clustered bootstrap: identical given the same unit order
    dict(unit="subnum", wave="time", pre="0", post="2", cluster="btn", bootstrap=200, seed=42,
         reliability=0.7),
    # teams: several members per unit and wave, in several partitions
    dict(unit="team", wave="time", pre="0", bootstrap=100),
])
def test_dask_change_equals_single_pass(client, univbct, kw):
    cb, df = univbct
    ddf = dd.from_pandas(df, npartitions=5)
    got = impact.dask.change(ddf, cb, **kw)
    close(got.to_dict(), impact.change(df, cb, **kw).to_dict())
    # a local accumulator over the same partitions, merged in order: exact;
    # and it survives pickling
    accs = [impact.ChangeAccumulator(cb, **kw).add(p)
            for p in (ddf.get_partition(i).compute() for i in range(ddf.npartitions))]
    for a in accs[1:]:
        accs[0].merge(pickle.loads(pickle.dumps(a)))
    assert got.to_dict() == accs[0].result().to_dict()


def test_dask_change_errors(client, univbct):
    cb, df = univbct
    ddf = dd.from_pandas(df, npartitions=3)
    with pytest.raises(impact.ImpactError) as e:
        impact.dask.change(ddf, cb, unit="subnum", wave="time", pre="0", level=2)
    assert e.value.name == "INVALID"
    # a unit in two clusters, its rows in the first and the last partition:
    # found by the merge, named
    bad = df.copy()
    bad["subnum"] = bad["subnum"].astype(object)
    bad["btn"] = bad["btn"].astype(object)
    bad.loc[bad.index[-1], ["subnum", "btn"]] = [bad["subnum"].iloc[0], "elsewhere"]
    with pytest.raises(impact.ImpactError) as e:
        impact.dask.change(dd.from_pandas(bad, npartitions=3), cb, unit="subnum", wave="time",
                           pre="0", cluster="btn")
    assert e.value.name == "DATA" and \
        ("unit '%s' is in cluster 'elsewhere'" % bad["subnum"].iloc[0]) in str(e.value)
    with pytest.raises(impact.ImpactError) as e:
        impact.ChangeAccumulator.from_bytes(b"junk", cb)
    assert e.value.name == "INVALID"
