#!/usr/bin/env python3
"""`Border.tag` on a pandas DataFrame in memory beside GeoPandas' `sjoin_nearest` (UTM 42N, as
benches/geopandas_tag.py does it) on the same frame, in the same run.

Usage:
    python3 benches/python_tag.py [--rows 1000000] [--seed 42] [--repeat 3]
                                  [--borderline target/release/borderline] [--no-geopandas]

Needs the package (`pip install ./python`), GeoPandas (benches/requirements.txt) and the
command-line binary (for `borderline export`, the segments both sides use; built with
`cargo build --release` when missing). The incidents are benches/gen_incidents.py's mix
(60 % within 20 km of the line, 30 % over the region, 10 % up to ~700 km out), read from CSV
once, before any timing: only the tagging of the frame in memory is timed.

borderline: the first call on a new Border (which builds its indexes and fills the grid
cells the points fall in) and the median of `--repeat` further calls. GeoPandas: the median
of `--repeat` runs of points_from_xy, to_crs(EPSG:32642) of points and segments, and
sjoin_nearest with distance_col (duplicates of equidistant ties dropped).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def timed(function, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--borderline", default=str(REPO / "target" / "release" / "borderline"))
    p.add_argument("--no-geopandas", action="store_true", help="time borderline only")
    args = p.parse_args(argv)

    import pandas as pd

    import borderline

    if not Path(args.borderline).exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    with tempfile.TemporaryDirectory(prefix="borderline-pybench.") as work:
        segments = os.path.join(work, "segments.geojson")
        incidents = os.path.join(work, "incidents.csv")
        subprocess.run([args.borderline, "export", "-o", segments], check=True)
        subprocess.run(
            [sys.executable, str(HERE / "gen_incidents.py"), "--rows", str(args.rows),
             "--seed", str(args.seed), "--border", segments, "-o", incidents],
            check=True,
        )
        frame = pd.read_csv(incidents, dtype={"event_date": str, "notes": str})

        warnings.simplefilter("ignore", borderline.BorderlineWarning)
        border = borderline.Border.embedded()
        start = time.perf_counter()
        tagged = border.tag(frame)
        cold = time.perf_counter() - start
        warm, tagged = timed(lambda: border.tag(frame), args.repeat)

        rows = [("borderline Border.tag, first call (builds indexes)", cold),
                (f"borderline Border.tag, median of {args.repeat} more", warm)]
        agreement = None
        if not args.no_geopandas:
            import geopandas as gpd

            lines = gpd.read_file(segments)
            if "kind" in lines.columns:
                lines = lines[lines["kind"] == "segment"]
            lines = lines[["id", "geometry"]].rename(columns={"id": "segment_id"})
            lines = lines.set_crs(4326) if lines.crs is None else lines

            def geopandas_tag():
                points = gpd.GeoDataFrame(
                    frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
                    crs=4326,
                ).to_crs(32642)
                joined = gpd.sjoin_nearest(points, lines.to_crs(32642), how="left",
                                           distance_col="distance_m")
                return joined[~joined.index.duplicated(keep="first")].sort_index()

            seconds, joined = timed(geopandas_tag, args.repeat)
            rows.append((f"GeoPandas sjoin_nearest (UTM 42N), median of {args.repeat}", seconds))
            ours = tagged["segment_id"].astype(object).to_numpy()
            agreement = (ours == joined["segment_id"].to_numpy()).mean()

    import pyarrow

    versions = f"pandas {pd.__version__}, pyarrow {pyarrow.__version__}"
    if not args.no_geopandas:
        versions += f", geopandas {gpd.__version__}"
    print(f"\n## Border.tag vs GeoPandas sjoin_nearest, {args.rows:,} rows in memory\n")
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}, borderline "
          f"{borderline.__version__}, {versions}.\n")
    print("| tool | rows | seconds | rows/s |")
    print("| --- | ---: | ---: | ---: |")
    for label, seconds in rows:
        print(f"| {label} | {args.rows:,} | {seconds:.3f} | {args.rows / seconds:,.0f} |")
    if not args.no_geopandas:
        print(f"\nborderline (warm) is {rows[2][1] / warm:.1f}× GeoPandas, "
              f"first call {rows[2][1] / cold:.1f}×; the two pick the same segment for "
              f"{100 * agreement:.3f} % of the rows (UTM's scale error explains the rest).")
    print(f"\nReproduce: python3 benches/python_tag.py --rows {args.rows} --seed {args.seed} "
          f"--repeat {args.repeat}")


if __name__ == "__main__":
    main()
