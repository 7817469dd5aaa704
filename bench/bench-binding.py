#!/usr/bin/python3
"""bench-binding.py — the Python binding (package `impact`) on the benchmark
data: read with the C reader (a path), then score, reliability, agreement by
team and the pre/post change, each on the C table, timed per stage; score
returns a DataFrame (its conversion is part of the time).

Usage: PYTHONPATH=.../bindings/python/pkg /usr/bin/python3 bench-binding.py CODEBOOK RESPONSES
Prints one JSON object like bench.py.
"""
import json
import sys
import time

import impact
from impact import _frame


def main():
    cbp, path = sys.argv[1], sys.argv[2]
    t = {}
    t0 = time.perf_counter()
    cb = impact.Codebook.from_csv(cbp)
    tab = _frame.as_table(path, cb)
    t["read"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores = impact.score(tab, cb, id="id")
    t["score"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rel = impact.reliability(tab, cb)
    t["reliability"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    agr = impact.agreement(tab, cb, group="team")
    t["agreement"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    chg = impact.change(tab, cb, unit="id", wave="wave", pre="pre", post="post")
    t["change"] = time.perf_counter() - t0
    t["pipeline"] = sum(t.values())
    print(json.dumps({"tool": "python-binding", "rows": len(scores), "seconds": t}))
    del rel, agr, chg


if __name__ == "__main__":
    main()
