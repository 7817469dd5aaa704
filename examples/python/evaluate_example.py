#!/usr/bin/python3
# evaluate_example.py — evaluate the bundled example programme from Python
# and print its impact profile (the Python twin of `impact evaluate --demo`).
#
#   /usr/bin/python3 examples/python/evaluate_example.py [--replicates B] [--progress]
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
import argparse
import os
import pathlib

import pandas as pd

import impact


def example_dir():
    here = pathlib.Path(__file__).resolve().parent
    for d in (os.environ.get("IMPACT_EXAMPLE_DIR"), here.parents[1] / "data" / "example",
              "/usr/local/share/libimpact/example", "/usr/share/libimpact/example"):
        if d and (pathlib.Path(d) / "design.ini").exists():
            return pathlib.Path(d)
    raise SystemExit("the example data were not found: set IMPACT_EXAMPLE_DIR")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--replicates", type=int, default=None,
                    help="bootstrap replicates (default: the design's)")
    ap.add_argument("--progress", action="store_true", help="show a progress bar (tqdm)")
    args = ap.parse_args()

    d = example_dir()
    codebook = impact.Codebook.from_csv(d / "codebook.csv")
    design = impact.Design.from_file(d / "design.ini")
    responses = pd.read_csv(d / "responses.csv")    # any DataFrame will do

    print(codebook)
    print(impact.reliability(responses, codebook).to_frame()[["scale", "n", "alpha"]]
          .to_string(index=False))
    print()

    result = impact.evaluate(responses, codebook, design, replicates=args.replicates,
                             progress=args.progress or None)
    print(result.profile())
    print()
    print(result.scales()[["domain", "scale", "g", "g_ci_lo", "g_ci_hi"]]
          .to_string(index=False, float_format=lambda x: "%.3f" % x))
    if result.roi:
        print("\nROI: %s" % {k: v for k, v in result.roi.items() if not isinstance(v, (list, dict))})


if __name__ == "__main__":
    main()
