#!/usr/bin/env bash
# Manual benchmark: `borderline tag` vs the floor (a single-threaded csv-crate pass-through of
# the same file: benches/floor.rs) vs a GeoPandas sjoin_nearest pipeline, on the same synthetic
# incident files, on the same machine, in the same run: the generator's ACLED-like mix and
# points uniform over the region. Never run by `cargo test` or CI (it needs Python + GeoPandas
# and takes minutes).
#
#   ROWS=1000000 bash benches/compare.sh
#
# Environment (all optional):
#   ROWS=1000000        rows of synthetic incidents
#   SEED=42             generator seed
#   BUILD=1             run `cargo build --release` first (0 = use the existing binary)
#   BORDERLINE=target/release/borderline   binary under test
#   REPEAT=3            runs per tool; the table shows the median time and the largest peak RSS
#   DEGREES=0           also run the naive GeoPandas --degrees pipeline (1 = run it)
#   MIXES="acled uniform"   generator mixes (gen_incidents.py --mix), one table each
#   PYTHON=python3      interpreter with the packages of benches/requirements.txt
#   TIME_BIN=/usr/bin/time   GNU time (Debian package `time`)
#   WORKDIR=<new temp dir>   where inputs/outputs go; a temp dir is removed at the end
#   KEEP=0              1 = keep the temp dir
set -euo pipefail

ROWS=${ROWS:-1000000}
SEED=${SEED:-42}
BUILD=${BUILD:-1}
DEGREES=${DEGREES:-0}
MIXES=${MIXES:-acled uniform}
REPEAT=${REPEAT:-3}
PYTHON=${PYTHON:-python3}
TIME_BIN=${TIME_BIN:-/usr/bin/time}
KEEP=${KEEP:-0}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."
BORDERLINE=${BORDERLINE:-target/release/borderline}

die() { echo "compare.sh: $*" >&2; exit 1; }

[[ "$ROWS" =~ ^[0-9]+$ && "$ROWS" -gt 0 ]] || die "ROWS must be a positive integer (got '$ROWS')"
[[ "$REPEAT" =~ ^[0-9]+$ && "$REPEAT" -gt 0 ]] || die "REPEAT must be a positive integer (got '$REPEAT')"
"$TIME_BIN" -f '%e %M' true >/dev/null 2>&1 \
    || die "GNU time not found at $TIME_BIN (Debian/Ubuntu: apt-get update && apt-get install -y time)"
"$PYTHON" -c 'import geopandas, pandas, pyproj, shapely' 2>/dev/null \
    || die "$PYTHON cannot import geopandas/pandas/pyproj/shapely (pip install -r benches/requirements.txt)"

keep_workdir=$KEEP
if [[ -n "${WORKDIR:-}" ]]; then
    mkdir -p "$WORKDIR"
    keep_workdir=1
else
    WORKDIR=$(mktemp -d -t borderline-bench.XXXXXX)
    if [[ "$KEEP" != 1 ]]; then
        trap 'rm -rf "$WORKDIR"' EXIT
    fi
fi

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# run NAME CMD...: time CMD with GNU time, output to $WORKDIR/NAME.log, "%e %M" appended
# to NAME.time (one line per run).
run() {
    local name=$1; shift
    log "run $name: $*"
    if ! "$TIME_BIN" -a -f '%e %M' -o "$WORKDIR/$name.time" "$@" >"$WORKDIR/$name.log" 2>&1; then
        cat "$WORKDIR/$name.log" >&2
        die "$name failed"
    fi
}

count_rows() {  # data rows of a CSV (quoted fields may contain commas)
    "$PYTHON" -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$1"
}

if [[ "$BUILD" == 1 ]]; then
    log "cargo build --release (borderline and the floor)"
    cargo build --release --quiet
fi
[[ -x "$BORDERLINE" ]] || die "$BORDERLINE not found or not executable (BUILD=1 or set BORDERLINE)"
FLOOR=${FLOOR:-$(cargo bench --bench floor --no-run --message-format=json 2>/dev/null \
    | "$PYTHON" -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "floor" and m.get("executable"):
        print(m["executable"])')}
[[ -x "$FLOOR" ]] || die "the floor (benches/floor.rs) did not build"

segments="$WORKDIR/segments.geojson"
log "export segments"
"$BORDERLINE" export -o "$segments"
[[ -s "$segments" ]] || die "'$BORDERLINE export -o FILE' wrote no segments GeoJSON"

names=(borderline floor geopandas)
labels=("borderline tag (all cores)" "floor: csv pass-through (1 core)" "GeoPandas sjoin_nearest (UTM 42N)")
if [[ "$DEGREES" == 1 ]]; then
    names+=(geopandas_deg)
    labels+=("GeoPandas sjoin_nearest (naive degrees)")
fi

# table MIX: the Markdown rows for one input (median seconds, min–max, rows/s, × floor,
# × GeoPandas, largest peak RSS).
table() {
    local mix=$1 i floor_s geo_s
    median() { grep -E '^[0-9.]+ [0-9]+$' "$1" | sort -n -k1,1 | awk '{ s[NR] = $1 } END { print (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2 }'; }
    floor_s=$(median "$WORKDIR/$mix.floor.time")
    geo_s=$(median "$WORKDIR/$mix.geopandas.time")
    echo "| tool | rows | seconds (median) | min–max | rows/s | × floor time | GeoPandas time ÷ | peak RSS MiB |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for i in "${!names[@]}"; do
        grep -E '^[0-9.]+ [0-9]+$' "$WORKDIR/$mix.${names[$i]}.time" | sort -n -k1,1 \
            | awk -v t="${labels[$i]}" -v n="$ROWS" -v f="$floor_s" -v g="$geo_s" '
                { s[NR] = $1; if ($2 > kb) kb = $2 }
                END {
                    m = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2;
                    rps = (m > 0) ? sprintf("%.0f", n / m) : "n/a";
                    printf "| %s | %d | %.2f | %.2f–%.2f | %s | %.2f | %.1f | %.0f |\n",
                        t, n, m, s[1], s[NR], rps, m / f, g / m, kb / 1024
                }'
    done
}

for mix in $MIXES; do
    incidents="$WORKDIR/incidents_$mix.csv"
    log "generate $ROWS incidents (mix $mix, seed $SEED)"
    "$PYTHON" benches/gen_incidents.py --rows "$ROWS" --seed "$SEED" --border "$segments" \
        --mix "$mix" -o "$incidents"
    for name in "${names[@]}"; do rm -f "$WORKDIR/$mix.$name.time"; done
    for _ in $(seq "$REPEAT"); do
      for name in "${names[@]}"; do
        out="$WORKDIR/out_${mix}_$name.csv"
        cat "$incidents" >/dev/null  # same page-cache state for every tool
        case "$name" in
            borderline)    run "$mix.$name" "$BORDERLINE" tag "$incidents" -o "$out" --quiet ;;
            floor)         run "$mix.$name" "$FLOOR" "$incidents" "$out" ;;
            geopandas)     run "$mix.$name" "$PYTHON" benches/geopandas_tag.py "$incidents" "$segments" "$out" ;;
            geopandas_deg) run "$mix.$name" "$PYTHON" benches/geopandas_tag.py "$incidents" "$segments" "$out" --degrees ;;
        esac
        got=$(count_rows "$out")
        [[ "$got" == "$ROWS" ]] || die "$name wrote $got rows, expected $ROWS"
      done
    done
done

results="$WORKDIR/results.md"
{
    echo "## borderline vs the floor vs GeoPandas, $ROWS rows"
    echo
    echo "Measured $(date -u +%Y-%m-%d) on $(uname -sm), $(nproc) cores"\
"$(awk -F': ' '/^model name/ {print ", " $2; exit}' /proc/cpuinfo 2>/dev/null || true)"\
", $(awk '/^MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo 2>/dev/null || true);"\
" load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "$("$BORDERLINE" --version 2>/dev/null || echo borderline); $("$PYTHON" -c 'import sys, geopandas, pandas, shapely, pyproj; print("Python %s, geopandas %s, pandas %s, shapely %s, pyproj %s (PROJ %s)" % (sys.version.split()[0], geopandas.__version__, pandas.__version__, shapely.__version__, pyproj.__version__, pyproj.proj_version_str))')."
    echo "Wall time and peak RSS from GNU time (\`%e %M\`) of the whole process incl. start-up, CSV read and write;"
    echo "page cache warm; $REPEAT run(s) per tool, run in turn. The floor reads the rows, parses latitude and"
    echo "longitude and writes each row plus the 16 tag columns as fixed text, on one core (benches/floor.rs)."
    for mix in $MIXES; do
        echo
        case "$mix" in
            acled)   echo "### The generator's mix (60% within 20 km of the line, 30% over the region, 10% farther out)" ;;
            uniform) echo "### Points uniform over the region (lon 69.2–73.8, lat 39.2–40.7)" ;;
            *)       echo "### Mix $mix" ;;
        esac
        echo
        table "$mix"
    done
    echo
    echo "Reproduce: \`ROWS=$ROWS SEED=$SEED REPEAT=$REPEAT MIXES=\"$MIXES\" bash benches/compare.sh\`"
    for mix in $MIXES; do
        echo
        "$PYTHON" benches/accuracy.py "$WORKDIR/out_${mix}_borderline.csv" "$WORKDIR/out_${mix}_geopandas.csv" \
            --label "GeoPandas (UTM 42N), mix $mix"
        if [[ "$DEGREES" == 1 ]]; then
            echo
            "$PYTHON" benches/accuracy.py "$WORKDIR/out_${mix}_borderline.csv" "$WORKDIR/out_${mix}_geopandas_deg.csv" \
                --label "GeoPandas (naive degrees), mix $mix"
        fi
    done
} | tee "$results"

if [[ "$keep_workdir" == 1 ]]; then
    log "inputs, outputs and logs kept in $WORKDIR"
fi
