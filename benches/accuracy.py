#!/usr/bin/env python3
"""Compare the nearest-segment picks of two tagged CSVs; the first one is the reference.

Usage:
    python3 benches/accuracy.py BORDERLINE_OUT.csv OTHER_OUT.csv [--label NAME] [--tie-m 0.5]

Both files carry the original incident columns plus `segment_id` and `distance_m`.
Rows are matched on `event_id` when both files have it (and it is unique), else by
position. Prints a short Markdown block:
  * share of rows whose segment_id differs from the reference, and how many of those
    are ties (reference distance and other distance within --tie-m metres, i.e. two
    segments equally near, typically at a shared vertex),
  * max / p99 / mean |distance_m difference| in metres, over all rows and over the
    rows where both picked the same segment,
  * the worst row.
Exits 2 if the files cannot be matched up.
"""

import argparse
import sys

import numpy as np
import pandas as pd


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("reference", help="borderline output (reference)")
    p.add_argument("other", help="output to check (e.g. GeoPandas)")
    p.add_argument("--label", default=None, help="name of the compared tool in the heading")
    p.add_argument("--ref-label", default="borderline", help="name of the reference tool (default borderline)")
    p.add_argument("--tie-m", type=float, default=0.5, help="distance tolerance for counting a different pick as a tie")
    return p.parse_args(argv)


def load(path):
    header = pd.read_csv(path, dtype=str, nrows=0).columns
    for col in ("segment_id", "distance_m"):
        if col not in header:
            print(f"accuracy: {path} has no {col} column", file=sys.stderr)
            sys.exit(2)
    wanted = [c for c in ("event_id", "segment_id", "distance_m") if c in header]
    return pd.read_csv(path, dtype=str, keep_default_na=False, usecols=wanted)[wanted]


def norm_id(s):
    """'12' and '12.0' are the same id (pandas may write integer ids as floats)."""
    s = s.str.strip()
    return s.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)


def main(argv=None):
    args = parse_args(argv)
    ref = load(args.reference)
    oth = load(args.other)
    label = args.label or args.other

    keyed = (
        "event_id" in ref.columns
        and "event_id" in oth.columns
        and ref["event_id"].is_unique
        and oth["event_id"].is_unique
    )
    if keyed:
        m = ref[["event_id", "segment_id", "distance_m"]].merge(
            oth[["event_id", "segment_id", "distance_m"]], on="event_id", how="inner", suffixes=("_ref", "_oth")
        )
        unmatched = len(ref) + len(oth) - 2 * len(m)
    else:
        if len(ref) != len(oth):
            print(f"accuracy: row counts differ ({len(ref)} vs {len(oth)}) and no unique event_id", file=sys.stderr)
            sys.exit(2)
        m = pd.DataFrame(
            {
                "segment_id_ref": ref["segment_id"].values,
                "distance_m_ref": ref["distance_m"].values,
                "segment_id_oth": oth["segment_id"].values,
                "distance_m_oth": oth["distance_m"].values,
            }
        )
        unmatched = 0
    if len(m) == 0:
        print("accuracy: no rows in common", file=sys.stderr)
        sys.exit(2)

    id_ref = norm_id(m["segment_id_ref"])
    id_oth = norm_id(m["segment_id_oth"])
    d_ref = pd.to_numeric(m["distance_m_ref"], errors="coerce").to_numpy()
    d_oth = pd.to_numeric(m["distance_m_oth"], errors="coerce").to_numpy()
    both = ~np.isnan(d_ref) & ~np.isnan(d_oth)
    diff = np.abs(d_ref - d_oth)

    n = len(m)
    # Rows the reference left untagged (e.g. beyond a maximum distance) are reported
    # separately and not counted as differing picks.
    ref_empty = (id_ref == "").to_numpy()
    oth_empty = (id_oth == "").to_numpy()
    differs = (id_ref != id_oth).to_numpy() & ~ref_empty
    ties = differs & both & (diff <= args.tie_m)
    same = ~differs & ~ref_empty & both
    n_cmp = int((~ref_empty).sum())

    def stats(mask):
        if not mask.any():
            return "n/a"
        d = diff[mask]
        return f"max {d.max():.3f} m, p99 {np.percentile(d, 99):.3f} m, mean {d.mean():.3f} m"

    print(f"### Accuracy: {label} vs {args.ref_label} (reference)")
    print()
    print(f"- rows compared: {n}" + (f" (matched on event_id; {unmatched} unmatched)" if keyed else " (by position)"))
    if ref_empty.any() or oth_empty.any():
        print(
            f"- untagged rows: {int(ref_empty.sum())} in the reference (not compared below),"
            f" {int(oth_empty.sum())} in the other file"
        )
    pct = lambda k: 100.0 * k / n_cmp if n_cmp else float("nan")  # noqa: E731
    n_diff, n_ties = int(differs.sum()), int(ties.sum())
    print(
        f"- segment_id differs: {n_diff} of {n_cmp} rows = {pct(n_diff):.4f} %"
        f" (of which {n_ties} ties within {args.tie_m:g} m; real mis-picks:"
        f" {n_diff - n_ties} = {pct(n_diff - n_ties):.4f} %)"
    )
    print(f"- |distance_m difference|, all rows: {stats(both & ~ref_empty)}")
    print(f"- |distance_m difference|, same segment: {stats(same)}")
    missing = int((~both).sum())
    if missing:
        print(f"- rows with a missing distance in either file: {missing}")
    if (both & ~ref_empty).any():
        i = int(np.argmax(np.where(both & ~ref_empty, diff, -1.0)))
        row = m.iloc[i]
        key = f"event_id {row['event_id']}" if keyed else f"row {i + 1}"
        print(
            f"- worst: {key}: reference {row['segment_id_ref']} {row['distance_m_ref']} m,"
            f" other {row['segment_id_oth']} {row['distance_m_oth']} m"
        )


if __name__ == "__main__":
    main()
