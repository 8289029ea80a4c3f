#!/usr/bin/env python3
"""GeoPandas baseline for `borderline tag`: nearest border segment for every incident.

Usage:
    python3 benches/geopandas_tag.py INCIDENTS.csv SEGMENTS.geojson OUT.csv [--crs EPSG:32642]
    python3 benches/geopandas_tag.py INCIDENTS.csv SEGMENTS.geojson OUT.csv --degrees

Pipeline (what a careful GeoPandas user would write):
  1. read the incident CSV with pandas (all columns kept verbatim as text),
  2. build a point GeoDataFrame from longitude/latitude in EPSG:4326,
  3. read the segments GeoJSON; if features carry a `kind` property keep only
     kind == "segment"; the segment id is the `id` property,
  4. project both layers to a metric CRS (default UTM 42N, EPSG:32642),
  5. geopandas.sjoin_nearest(points, segments, how="left", distance_col="distance_m"),
  6. drop duplicate matches (equidistant ties) keeping the first per input row,
  7. write the original columns + segment_id, distance_m (metres, 3 decimals).

--degrees skips step 4: the nearest segment is picked with planar distance in
lon/lat degrees (the naive approach), and distance_m is that degree distance
times 111319.49 m (one degree of arc on the equator), as naive code would report.

Timings of each phase go to stderr unless --quiet.
"""

import argparse
import sys
import time
import warnings

M_PER_DEGREE = 111_319.49  # naive degree -> metre factor used by --degrees

LAT_NAMES = ("latitude", "lat", "y")
LON_NAMES = ("longitude", "lon", "lng", "long", "x")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("incidents", help="incident CSV with latitude/longitude columns")
    p.add_argument("segments", help="GeoJSON FeatureCollection of border segments (property `id`)")
    p.add_argument("output", help="output CSV")
    p.add_argument("--crs", default="EPSG:32642", help="metric CRS to project to (default EPSG:32642, UTM 42N)")
    p.add_argument("--degrees", action="store_true", help="naive mode: no projection, distances in degrees")
    p.add_argument("--lat-col", help="latitude column (default: first of %s)" % ", ".join(LAT_NAMES))
    p.add_argument("--lon-col", help="longitude column (default: first of %s)" % ", ".join(LON_NAMES))
    p.add_argument("--quiet", action="store_true", help="no phase timings on stderr")
    return p.parse_args(argv)


def pick_column(columns, explicit, candidates, what):
    if explicit:
        if explicit not in columns:
            sys.exit(f"geopandas_tag: column {explicit!r} not in CSV header")
        return explicit
    lower = {c.lower(): c for c in columns}
    for name in candidates:
        if name in lower:
            return lower[name]
    sys.exit(f"geopandas_tag: no {what} column found (tried {', '.join(candidates)}); use --{what[:3]}-col")


def main(argv=None):
    args = parse_args(argv)
    t0 = time.perf_counter()
    last = [t0]

    def phase(name):
        now = time.perf_counter()
        if not args.quiet:
            print(f"geopandas_tag: {name:<10} {now - last[0]:8.2f} s", file=sys.stderr)
        last[0] = now

    import geopandas as gpd
    import pandas as pd

    phase("import")

    # 1. CSV, verbatim (no type inference, no NA guessing) so the original columns round-trip.
    df = pd.read_csv(args.incidents, dtype=str, keep_default_na=False)
    lat_col = pick_column(df.columns, args.lat_col, LAT_NAMES, "latitude")
    lon_col = pick_column(df.columns, args.lon_col, LON_NAMES, "longitude")
    original_columns = list(df.columns)
    phase("read_csv")

    # 2. Points in WGS84. Unparseable coordinates become NaN -> empty geometry -> no match.
    lat = pd.to_numeric(df[lat_col], errors="coerce")
    lon = pd.to_numeric(df[lon_col], errors="coerce")
    points = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    phase("points")

    # 3. Segments.
    segments = gpd.read_file(args.segments)
    if segments.crs is None:
        segments = segments.set_crs("EPSG:4326")
    if "kind" in segments.columns:
        segments = segments[segments["kind"] == "segment"]
    if "id" not in segments.columns:
        sys.exit("geopandas_tag: segments GeoJSON has no `id` property")
    if segments.empty:
        sys.exit("geopandas_tag: no segments in GeoJSON")
    segments = segments[["id", "geometry"]].rename(columns={"id": "segment_id"})
    phase("segments")

    # 4. Projection (or not).
    if not args.degrees:
        points = points.to_crs(args.crs)
        segments = segments.to_crs(args.crs)
        phase("to_crs")

    # 5. Nearest join.
    with warnings.catch_warnings():
        if args.degrees:  # we know: that is the point of the naive mode
            warnings.filterwarnings("ignore", message=".*[Gg]eographic CRS.*")
        joined = gpd.sjoin_nearest(points, segments, how="left", distance_col="distance_m")
    phase("sjoin")

    # 6. One row per input row: ties give several matches; keep the first, restore input order.
    joined = joined[~joined.index.duplicated(keep="first")].sort_index()
    if len(joined) != len(df):
        sys.exit(f"geopandas_tag: row count changed ({len(df)} -> {len(joined)})")
    if args.degrees:
        joined["distance_m"] = joined["distance_m"] * M_PER_DEGREE

    # 7. Output.
    out = joined[original_columns + ["segment_id", "distance_m"]]
    out.to_csv(args.output, index=False, float_format="%.3f", lineterminator="\n")
    phase("write_csv")
    if not args.quiet:
        print(
            f"geopandas_tag: total      {time.perf_counter() - t0:8.2f} s for {len(out)} rows"
            f" ({'degrees' if args.degrees else args.crs})",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
