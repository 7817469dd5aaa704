#!/usr/bin/python3
"""bench.py — a straightforward pandas/numpy implementation of the statistics
the benchmark times, as an analyst would write it: read the CSV, score the
scales, alpha and item analysis per scale, rwg(j) and ICC(1)/ICC(2) within
teams, and the pre/post paired change.

Usage: /usr/bin/python3 bench.py CODEBOOK RESPONSES
Prints one JSON object: seconds per stage and key results (to check that
every tool computed the same thing). Single-threaded, as pandas is.
"""
import json
import math
import sys
import time

import numpy as np
import pandas as pd


def main():
    cb_path, data_path = sys.argv[1], sys.argv[2]
    t = {}
    res = {}
    t0 = time.perf_counter()
    cb = pd.read_csv(cb_path)
    df = pd.read_csv(data_path)
    t["read"] = time.perf_counter() - t0

    scales = list(dict.fromkeys(cb["scale"]))
    items = {s: list(cb.loc[cb["scale"] == s, "item"]) for s in scales}

    # scoring: reverse keys as min + max - x, mean of the answered items,
    # at least half of the items answered
    t0 = time.perf_counter()
    keyed = {}
    scores = pd.DataFrame({"id": df["id"]})
    for s in scales:
        rows = cb[cb["scale"] == s]
        x = df[items[s]].astype(float)
        rev = rows["reverse"].astype(bool).to_numpy()
        lo, hi = rows["min"].to_numpy(), rows["max"].to_numpy()
        x.loc[:, rev] = (lo + hi)[rev] - x.loc[:, rev]
        keyed[s] = x
        k = len(items[s])
        answered = x.notna().sum(axis=1)
        sc = x.mean(axis=1)
        sc[answered < math.ceil(k / 2)] = np.nan
        scores[s] = sc
    t["score"] = time.perf_counter() - t0

    # reliability: alpha from the pairwise covariance matrix (as psych),
    # item-rest correlations and alpha if an item is dropped
    t0 = time.perf_counter()
    for s in scales:
        c = keyed[s].cov().to_numpy()  # pairwise complete
        k = c.shape[0]
        total = c.sum()
        alpha = k / (k - 1) * (1 - np.trace(c) / total)
        r_drop, a_drop = [], []
        for i in range(k):
            rest = np.delete(np.arange(k), i)
            cr = c[np.ix_(rest, rest)]
            cov_i_rest = c[i, rest].sum()
            r_drop.append(cov_i_rest / math.sqrt(c[i, i] * cr.sum()))
            a_drop.append((k - 1) / (k - 2) * (1 - np.trace(cr) / cr.sum()))
        res["alpha_" + s] = alpha
        res["r_drop_min_" + s] = min(r_drop)
    t["reliability"] = time.perf_counter() - t0

    # agreement: rwg(j) per team (uniform null over A = 5 options,
    # sigma_E^2 = (A^2 - 1)/12 = 2; listwise within the scale, as multilevel
    # 2.7), ICC(1)/ICC(2) of the scale score from the one-way ANOVA
    t0 = time.perf_counter()
    sigma2 = (5 ** 2 - 1) / 12
    for s in scales:
        x = df[items[s] + ["team"]].dropna()
        v = x.groupby("team")[items[s]].var(ddof=1).mean(axis=1)
        v = v.clip(upper=sigma2)
        j = len(items[s])
        rwg = j * (1 - v / sigma2) / (j * (1 - v / sigma2) + v / sigma2)
        res["rwg_j_mean_" + s] = float(rwg.mean())
    t["rwg"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in scales:
        y = pd.DataFrame({"team": df["team"], "y": scores[s]}).dropna()
        g = y.groupby("team")["y"]
        n_j, m_j = g.size(), g.mean()
        grand = y["y"].mean()
        n, G = len(y), len(n_j)
        ssb = float((n_j * (m_j - grand) ** 2).sum())
        ssw = float(((y["y"] - g.transform("mean")) ** 2).sum())
        msb, msw = ssb / (G - 1), ssw / (n - G)
        kbar = n / G
        res["icc1_" + s] = (msb - msw) / (msb + (kbar - 1) * msw)
        res["icc2_" + s] = (msb - msw) / msb
    t["icc"] = time.perf_counter() - t0
    t["agreement"] = t["rwg"] + t["icc"]

    # change: paired pre/post scale scores, t and d_z
    t0 = time.perf_counter()
    wide = scores.assign(wave=df["wave"]).pivot(index="id", columns="wave")
    for s in scales:
        d = (wide[(s, "post")] - wide[(s, "pre")]).dropna()
        m, sd = d.mean(), d.std(ddof=1)
        res["d_z_" + s] = m / sd
        res["t_" + s] = m / (sd / math.sqrt(len(d)))
    t["change"] = time.perf_counter() - t0
    t["pipeline"] = sum(t[k] for k in ("read", "score", "reliability", "agreement", "change"))
    print(json.dumps({"tool": "pandas", "rows": len(df), "seconds": t, "results": res}))


if __name__ == "__main__":
    main()
