#!/usr/bin/env bash
# How responsive the map's date slider is with 10,000 incidents: builds a page from 10,000
# synthetic incidents around the bundled places (seeded), moves the slider 200 times and
# switches the incident window 20 times inside headless Chromium, and prints the mean time per
# step (the script's work: segment colours, legend, markers; layout and paint come after).
#
# Usage: benches/map_slider.sh   (needs chromium and python3; writes only to a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q
python3 - "$work" <<'PY'
import csv, random, sys
random.seed(7)
work = sys.argv[1]
places = list(csv.DictReader(open("data/source/places.csv")))
with open(f"{work}/10k.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "date", "lat", "lon"])
    for i in range(10000):
        p = random.choice(places)
        lat = float(p["lat"]) + random.uniform(-0.3, 0.3)
        lon = float(p["lon"]) + random.uniform(-0.6, 0.6)
        w.writerow([f"S{i}", f"{random.randint(2014, 2024)}-{random.randint(1, 12):02}-{random.randint(1, 28):02}", f"{lat:.5f}", f"{lon:.5f}"])
PY
bin=target/release/borderline
"$bin" tag -q "$work/10k.csv" -o "$work/tagged.csv"
"$bin" map --as-of 2022-10-07 --incidents "$work/tagged.csv" -o "$work/map.html"
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
probe = """<script>
(function () {
  var s = document.getElementById('slider'), lo = +s.min, hi = +s.max, n = 200, t = performance.now();
  for (var i = 0; i < n; i++) { s.value = String(Math.round(lo + (hi - lo) * i / n)); s.dispatchEvent(new Event('input')); }
  document.body.setAttribute('data-ms-per-step', ((performance.now() - t) / n).toFixed(2));
  var w = document.getElementById('window'); t = performance.now();
  for (var j = 0; j < 20; j++) { w.value = j % 2 ? '365' : ''; w.dispatchEvent(new Event('change')); }
  document.body.setAttribute('data-ms-per-window-change', ((performance.now() - t) / 20).toFixed(2));
})();
</script></body>"""
html = open(f"{work}/map.html").read()
open(f"{work}/probe.html", "w").write(html.replace("</body>", probe, 1))
PY
ls -l "$work/map.html" | awk '{print "page: " $5 " bytes"}'
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$work/profile" --window-size=1280,800 \
  --virtual-time-budget=5000 --dump-dom "file://$work/probe.html" 2>/dev/null |
  grep -o 'data-ms-per-[a-z-]*="[0-9.]*"'
