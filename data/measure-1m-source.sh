#!/usr/bin/env bash
# Measures the Kyrgyz–Tajik border in the finer `@geo-maps/countries-coastline-1m` 0.6.0 (same
# OpenStreetMap data as the bundled `countries-land-10m` source, simplified to 1 m instead of
# 10 m) and compares it with the bundled border: line lengths, how far the two lines are apart,
# and how close the bundled source's lake holes come to the line. See data/README.md,
# "Rebuilding the border".
#
# Needs npm, python3 (standard library only) and cargo. The package (34 MB packed, 107 MB
# unpacked) is fetched into a temporary directory that is removed afterwards; nothing of it is
# written into the repository.
#
#   bash data/measure-1m-source.sh
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent @geo-maps/countries-coastline-1m@0.6.0 >/dev/null && tar xzf ./*.tgz)
cargo build --release --quiet
borderline=target/release/borderline

# The three countries of the bundled source, with their key renamed as in the bundled source.
python3 - "$work/package/map.geo.json" "$work/countries-1m.geojson" <<'EOF'
import json, sys
world = json.load(open(sys.argv[1]))
keep = [f for f in world["features"] if f["properties"].get("A3") in ("KGZ", "TJK", "UZB")]
for f in keep:
    f["properties"] = {"iso_a3": f["properties"]["A3"]}
json.dump({"type": "FeatureCollection", "features": keep}, open(sys.argv[2], "w"))
EOF

echo "== 1 m source: borderline derive"
"$borderline" derive "$work/countries-1m.geojson" --a KGZ --b TJK \
    --names data/kgz-tjk/enclave-names.csv -o "$work/border-1m.geojson"
echo "== bundled border (10 m source)"
"$borderline" share --by line --as-of 2000-01-01 --format csv | cut -d, -f2,4

# Every vertex of each border's lines, as CSV, to be tagged against the other border.
python3 - "$work" <<'EOF'
import csv, json, sys
work = sys.argv[1]
for name, path in (("1m", f"{work}/border-1m.geojson"), ("10m", "data/kgz-tjk/border.geojson")):
    doc = json.load(open(path))
    with open(f"{work}/vertices-{name}.csv", "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["line", "lat", "lon"])
        for f in doc["features"]:
            if f["properties"]["kind"] == "line":
                for lon, lat in f["geometry"]["coordinates"]:
                    w.writerow([f["properties"]["id"], lat, lon])
# The bundled source's holes (lakes and reservoirs) of Kyrgyzstan and Tajikistan.
src = json.load(open("data/source/osm-countries-kg-tj-uz.geojson"))
holes = 0
with open(f"{work}/holes.csv", "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["hole", "lat", "lon"])
    for f in src["features"]:
        if f["properties"]["iso_a3"] in ("KGZ", "TJK"):
            for polygon in f["geometry"]["coordinates"]:
                for ring in polygon[1:]:
                    holes += 1
                    for lon, lat in ring:
                        w.writerow([holes, lat, lon])
one_m = json.load(open(f"{work}/countries-1m.geojson"))
print("holes (lakes, reservoirs) of KGZ and TJK: 10 m source", holes, "- 1 m source",
      sum(len(p) - 1 for f in one_m["features"] if f["properties"]["iso_a3"] != "UZB"
          for p in f["geometry"]["coordinates"]))
EOF
"$borderline" tag "$work/vertices-1m.csv" --as-of 2000-01-01 --quiet -o "$work/1m-to-10m.csv"
"$borderline" tag "$work/vertices-10m.csv" --border "$work/border-1m.geojson" --as-of 2000-01-01 \
    --quiet -o "$work/10m-to-1m.csv"
"$borderline" tag "$work/holes.csv" --as-of 2000-01-01 --quiet -o "$work/holes-tagged.csv"

python3 - "$work" <<'EOF'
import csv, sys
work = sys.argv[1]
def rows(name):
    return list(csv.DictReader(open(f"{work}/{name}")))
for name, what in (("1m-to-10m.csv", "1 m vertices to the bundled line"),
                   ("10m-to-1m.csv", "bundled vertices to the 1 m line")):
    for line in ("KGZ-TJK", "Vorukh"):
        d = sorted(float(r["distance_m"]) for r in rows(name) if r["line"] == line)
        print(f"{what}, {line}: {len(d)} vertices, median {d[len(d) // 2]:.1f} m, "
              f"max {d[-1]:.1f} m")
nearest = {}
for r in rows("holes-tagged.csv"):
    d = float(r["distance_m"])
    if r["hole"] not in nearest or d < nearest[r["hole"]][0]:
        nearest[r["hole"]] = (d, r["lat"], r["lon"], r["line"], r["chainage_km"])
d, lat, lon, line, km = min(nearest.values())
print(f"nearest hole to the line: {d:.0f} m (at {lat}N {lon}E, {line} km {km})")
EOF
