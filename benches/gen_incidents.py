#!/usr/bin/env python3
"""Seeded generator of synthetic, ACLED-like incident CSVs for benchmarking `borderline tag`.

Usage:
    python3 benches/gen_incidents.py --rows 1000000 --seed 42 -o incidents_1m.csv \
        [--border segments.geojson]

Header: event_id,event_date,latitude,longitude,fatalities,notes

Point mix (Kyrgyz-Tajik border region, box lon 69.2-73.8, lat 39.2-40.7):
  * 60% within ~0-20 km of a random point on the border line read from --border
    (LineString / MultiLineString features, picked proportionally to length; when the
    file has a `kind` property only features with kind == "segment" are used).
    Without --border these points are uniform in the box instead.
  * 30% uniform in the box.
  * 10% farther out: uniform in lon 66-77, lat 37-43 but outside the box.
With --mix uniform every point is uniform in the box instead.

Dates are uniform over 2014-01-01..2025-12-31 (ISO 8601), fatalities are small
integers, and notes are short texts of which some contain commas and double
quotes, so CSV quoting is exercised. Standard library only; the output is
byte-for-byte deterministic for a given --seed, --rows and --border.
"""

import argparse
import bisect
import csv
import datetime as dt
import json
import math
import random
import sys

BOX = (69.2, 39.2, 73.8, 40.7)  # lon_min, lat_min, lon_max, lat_max
FAR = (66.0, 37.0, 77.0, 43.0)
NEAR_KM = 20.0
DATE_START = dt.date(2014, 1, 1)
DATE_END = dt.date(2025, 12, 31)
M_PER_DEG_LAT = 111_320.0

# Note fragments. Some contain commas and/or double quotes on purpose.
ACTORS = [
    "Kyrgyz border guards",
    "Tajik border guards",
    "Residents of Vorukh",
    "Villagers",
    "Unidentified armed men",
    'Local group calling itself "water users"',
    "Police, Batken province",
    "Military forces of Tajikistan",
    "Military forces of Kyrgyzstan",
    "Farmers",
]
EVENTS = [
    "exchanged fire near the canal",
    "clashed over access to water",
    "threw stones at vehicles",
    "reported a drone strike",
    "blocked the road",
    'held a "peaceful" protest',
    "detained two people, later released",
    "reported shelling of a checkpoint",
    "argued over installation of surveillance cameras",
    "moved armoured vehicles to the line of contact",
]
SUFFIXES = [
    "",
    "",
    "",
    " Casualties unconfirmed.",
    ' Source: local media, "unverified".',
    " No injuries reported.",
    " Several houses damaged, one school closed.",
    ' Officials called it a "provocation".',
]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000, help="number of rows (default 1000000)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--border", help="GeoJSON FeatureCollection of LineString border segments")
    p.add_argument("-o", "--output", default="-", help="output CSV path ('-' = stdout, default)")
    p.add_argument(
        "--mix",
        choices=["acled", "uniform"],
        default="acled",
        help="acled: the 60/30/10 mix above (default); uniform: every point uniform in the box",
    )
    return p.parse_args(argv)


def load_border_segments(path):
    """Return a list of ((lon0, lat0), (lon1, lat1)) straight pieces of the border line."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("type") == "FeatureCollection":
        features = doc.get("features", [])
    elif doc.get("type") == "Feature":
        features = [doc]
    else:
        features = [{"type": "Feature", "properties": {}, "geometry": doc}]
    has_kind = any("kind" in (ft.get("properties") or {}) for ft in features)
    pieces = []
    for ft in features:
        props = ft.get("properties") or {}
        if has_kind and props.get("kind") not in ("segment", "line"):
            continue
        geom = ft.get("geometry") or {}
        if geom.get("type") == "LineString":
            lines = [geom["coordinates"]]
        elif geom.get("type") == "MultiLineString":
            lines = geom["coordinates"]
        else:
            continue
        for line in lines:
            for a, b in zip(line, line[1:]):
                pieces.append(((float(a[0]), float(a[1])), (float(b[0]), float(b[1]))))
    if not pieces:
        sys.exit(f"gen_incidents: no LineString geometry found in {path}")
    return pieces


def piece_length_m(a, b):
    """Equirectangular length; good enough for weighting pieces."""
    mid_lat = math.radians((a[1] + b[1]) / 2)
    dx = (b[0] - a[0]) * M_PER_DEG_LAT * math.cos(mid_lat)
    dy = (b[1] - a[1]) * M_PER_DEG_LAT
    return math.hypot(dx, dy)


class BorderSampler:
    def __init__(self, pieces):
        self.pieces = pieces
        self.cum = []
        total = 0.0
        for a, b in pieces:
            total += piece_length_m(a, b)
            self.cum.append(total)
        self.total = total

    def sample(self, rng):
        if self.total > 0:
            i = bisect.bisect_right(self.cum, rng.random() * self.total)
            i = min(i, len(self.pieces) - 1)
        else:  # degenerate: all pieces zero-length
            i = rng.randrange(len(self.pieces))
        (x0, y0), (x1, y1) = self.pieces[i]
        t = rng.random()
        lon, lat = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        # Offset 0..NEAR_KM in a uniform random direction (local flat-earth approximation).
        d = rng.random() * NEAR_KM * 1000.0
        theta = rng.random() * 2.0 * math.pi
        lat2 = lat + d * math.cos(theta) / M_PER_DEG_LAT
        lon2 = lon + d * math.sin(theta) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
        return lon2, lat2


def uniform_in(rng, box):
    return rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])


def far_point(rng):
    while True:
        lon, lat = uniform_in(rng, FAR)
        if not (BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]):
            return lon, lat


def fatalities(rng):
    r = rng.random()
    if r < 0.70:
        return 0
    if r < 0.90:
        return rng.randint(1, 3)
    if r < 0.98:
        return rng.randint(4, 10)
    return rng.randint(11, 60)


def note(rng):
    return f"{rng.choice(ACTORS)} {rng.choice(EVENTS)}.{rng.choice(SUFFIXES)}"


def main(argv=None):
    args = parse_args(argv)
    if args.rows < 0:
        sys.exit("gen_incidents: --rows must be >= 0")
    rng = random.Random(args.seed)
    sampler = BorderSampler(load_border_segments(args.border)) if args.border else None
    n_days = (DATE_END - DATE_START).days + 1
    width = max(7, len(str(args.rows)))

    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")
    try:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["event_id", "event_date", "latitude", "longitude", "fatalities", "notes"])
        batch = []
        for i in range(1, args.rows + 1):
            r = rng.random()
            if args.mix == "uniform":
                lon, lat = uniform_in(rng, BOX)
            elif r < 0.60:
                lon, lat = sampler.sample(rng) if sampler else uniform_in(rng, BOX)
            elif r < 0.90:
                lon, lat = uniform_in(rng, BOX)
            else:
                lon, lat = far_point(rng)
            date = DATE_START + dt.timedelta(days=rng.randrange(n_days))
            batch.append(
                (f"SYN{i:0{width}d}", date.isoformat(), f"{lat:.5f}", f"{lon:.5f}", fatalities(rng), note(rng))
            )
            if len(batch) >= 10_000:
                w.writerows(batch)
                batch.clear()
        w.writerows(batch)
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # e.g. piped into `head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
