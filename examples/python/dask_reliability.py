#!/usr/bin/python3
# dask_reliability.py — reliability of a large survey on a Dask cluster: one
# C accumulator per partition, merged on the client; the same numbers as the
# single-machine impact.reliability().
#
#   /usr/bin/python3 examples/python/dask_reliability.py [CODEBOOK RESPONSES]
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
import pathlib
import sys

import dask.dataframe as dd
from dask.distributed import Client, LocalCluster

import impact
import impact.dask


def main():
    here = pathlib.Path(__file__).resolve().parents[2]
    cbp = sys.argv[1] if len(sys.argv) > 2 else here / "data" / "example" / "codebook.csv"
    dp = sys.argv[2] if len(sys.argv) > 2 else here / "data" / "example" / "responses.csv"
    codebook = impact.Codebook.from_csv(cbp)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster):
        # text columns as strings, items as floats: as libimpact's reader
        dtypes = {c: ("float64" if c in codebook else "object")
                  for c in impact.read_csv(dp, codebook).columns}
        ddf = dd.read_csv(dp, dtype=dtypes, blocksize=200_000)
        print("%d partitions" % ddf.npartitions)
        on_dask = impact.dask.reliability(ddf, codebook)
        print(on_dask.to_frame()[["scale", "n", "alpha", "omega_total"]].to_string(index=False))
        single = impact.reliability(dp, codebook)
        worst = max(abs(a - b) for a, b in zip(on_dask.to_frame()["alpha"],
                                               single.to_frame()["alpha"]))
        print("largest |alpha(dask) - alpha(single pass)| = %.3g" % worst)


if __name__ == "__main__":
    main()
