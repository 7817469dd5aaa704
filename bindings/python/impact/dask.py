# dask.py — libimpact on Dask: one C accumulator per partition, merged.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
"""Scale-out with Dask.

Each partition of a Dask DataFrame is fed to the C library's mergeable
accumulator on a worker; the accumulators travel back as bytes (their C
serialisation) and the client merges them in partition order. The result
is the single-machine result (up to rounding in the last bits, as the C
merge documents; bit-identical to a local accumulator fed the same
partitions). Runs on whatever scheduler is active (a dask.distributed
Client, or the local threaded scheduler), or the one given as *scheduler*.

    from dask.distributed import Client, LocalCluster
    import dask.dataframe as dd, impact, impact.dask
    client = Client(LocalCluster(n_workers=2))
    ddf = dd.read_csv("responses-*.csv")
    impact.dask.reliability(ddf, "codebook.csv").to_frame()
    impact.dask.agreement(ddf, "codebook.csv", group="team").groups()
    impact.dask.change(ddf, "codebook.csv", unit="id", wave="wave", pre="pre")
"""

import dask

from ._analyses import AgreementAccumulator, ChangeAccumulator, ReliabilityAccumulator
from ._frame import as_codebook, score as _score

__all__ = ["reliability", "agreement", "change", "score"]


def _rel_partition(df, codebook, deletion, na_values, out_of_range):
    acc = ReliabilityAccumulator(codebook, deletion)
    acc.add(df, na_values=na_values, out_of_range=out_of_range)
    return acc.to_bytes()


def _merge(blobs, make):
    it = iter(blobs)
    acc = make(next(it))
    for b in it:
        acc.merge(make(b))
    return acc


def reliability(ddf, codebook, deletion="pairwise", ci_level=0.95, omega=True,
                na_values=None, out_of_range="error", scheduler=None):
    """:func:`impact.reliability` of a Dask DataFrame: a
    :class:`impact.ReliabilityAccumulator` per partition (on the workers),
    merged on the client. Same arguments and result as the single-machine
    call."""
    cb = as_codebook(codebook)
    parts = ddf.to_delayed()
    if not parts:
        raise ValueError("the Dask DataFrame has no partitions")
    task = dask.delayed(_rel_partition, pure=True)
    blobs = dask.compute(*[task(p, cb, deletion, na_values, out_of_range) for p in parts],
                         scheduler=scheduler)
    acc = _merge(blobs, lambda b: ReliabilityAccumulator.from_bytes(b, cb, deletion))
    return acc.result(ci_level, omega)


def _agr_partition(df, codebook, kw, na_values, out_of_range):
    acc = AgreementAccumulator(codebook, **kw)
    acc.add(df, na_values=na_values, out_of_range=out_of_range)
    return acc.to_bytes()


def agreement(ddf, codebook, group, within=None, min_group=3, deletion="listwise",
              null_distribution="uniform", lindell=False, rwg_threshold=0.70, pool_all=False,
              na_values=None, out_of_range="error", scheduler=None):
    """:func:`impact.agreement` of a Dask DataFrame: an
    :class:`impact.AgreementAccumulator` per partition (groups may span
    partitions: they are matched by label), merged on the client in
    partition order. Same arguments and result as the single-machine call
    (group order: first appearance over the partitions, as one pass)."""
    cb = as_codebook(codebook)
    kw = dict(group=group, within=within, min_group=min_group, deletion=deletion,
              null_distribution=null_distribution, lindell=lindell,
              rwg_threshold=rwg_threshold, pool_all=pool_all)
    AgreementAccumulator(cb, **kw)  # bad options fail here, before any work
    parts = ddf.to_delayed()
    if not parts:
        raise ValueError("the Dask DataFrame has no partitions")
    task = dask.delayed(_agr_partition, pure=True)
    blobs = dask.compute(*[task(p, cb, kw, na_values, out_of_range) for p in parts],
                         scheduler=scheduler)
    acc = _merge(blobs, lambda b: AgreementAccumulator.from_bytes(b, cb))
    return acc.result()


def _chg_partition(df, codebook, kw, na_values, out_of_range):
    acc = ChangeAccumulator(codebook, **kw)
    acc.add(df, na_values=na_values, out_of_range=out_of_range)
    return acc.to_bytes()


def change(ddf, codebook, unit, wave, pre, post=None, arm=None, control=None, cluster=None,
           bootstrap=0, seed=1, threads=0, level=0.95, rho="pooled_rows", reliability=None,
           scales=None, na_values=None, out_of_range="error", scheduler=None):
    """:func:`impact.change` of a Dask DataFrame: an
    :class:`impact.ChangeAccumulator` per partition (a unit's rows may lie
    in several partitions: units are matched by label), merged on the
    client in partition order, then the analysis (and the bootstrap, on the
    client) from the merged sums. Same arguments and result as the
    single-machine call of the concatenated partitions: analytic values up
    to rounding in the last bits, the bootstrap identical (units, arms and
    follow-ups in order of first appearance, as one pass). No *progress*."""
    cb = as_codebook(codebook)
    kw = dict(unit=unit, wave=wave, pre=pre, post=post, arm=arm, control=control,
              cluster=cluster, bootstrap=bootstrap, seed=seed, threads=threads, level=level,
              rho=rho, reliability=reliability, scales=scales)
    ChangeAccumulator(cb, **kw)  # bad options fail here, before any work
    parts = ddf.to_delayed()
    if not parts:
        raise ValueError("the Dask DataFrame has no partitions")
    task = dask.delayed(_chg_partition, pure=True)
    blobs = dask.compute(*[task(p, cb, kw, na_values, out_of_range) for p in parts],
                         scheduler=scheduler)
    acc = _merge(blobs, lambda b: ChangeAccumulator.from_bytes(b, cb))
    return acc.result()


def score(ddf, codebook, id=None, kind="mean", min_answered=0.5, na_values=None,
          out_of_range="error"):
    """Scale scores per response of a Dask DataFrame (partition by
    partition; scores of a row depend on that row only). Returns a lazy
    Dask DataFrame with the columns of :func:`impact.score`."""
    cb = as_codebook(codebook)
    kw = dict(id=id, kind=kind, min_answered=min_answered, na_values=na_values,
              out_of_range=out_of_range)
    meta = _score(ddf._meta, cb, **kw)
    if id is not None:
        meta = meta.astype({id: object})
    return ddf.map_partitions(_score, cb, meta=meta, **kw)
