#!/usr/bin/env bash
# Manual benchmark: `borderline tag` vs a GeoPandas sjoin_nearest pipeline on the same
# synthetic incident file, on the same machine, in the same run. Never run by `cargo test`
# or CI (it needs Python + GeoPandas and takes minutes).
#
#   ROWS=1000000 bash benches/compare.sh
#
# Environment (all optional):
#   ROWS=1000000        rows of synthetic incidents
#   SEED=42             generator seed
#   BUILD=1             run `cargo build --release` first (0 = use the existing binary)
#   BORDERLINE=target/release/borderline   binary under test
#   REPEAT=3            runs per tool; the table shows the median time and the largest peak RSS
#   DEGREES=1           also run the naive GeoPandas --degrees pipeline (0 = skip)
#   PYTHON=python3      interpreter with the packages of benches/requirements.txt
#   TIME_BIN=/usr/bin/time   GNU time (Debian package `time`)
#   WORKDIR=<new temp dir>   where inputs/outputs go; a temp dir is removed at the end
#   KEEP=0              1 = keep the temp dir
set -euo pipefail

ROWS=${ROWS:-1000000}
SEED=${SEED:-42}
BUILD=${BUILD:-1}
DEGREES=${DEGREES:-1}
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
    log "cargo build --release"
    cargo build --release --quiet
fi
[[ -x "$BORDERLINE" ]] || die "$BORDERLINE not found or not executable (BUILD=1 or set BORDERLINE)"

segments="$WORKDIR/segments.geojson"
incidents="$WORKDIR/incidents.csv"

log "export segments"
"$BORDERLINE" export -o "$segments"
[[ -s "$segments" ]] || die "'$BORDERLINE export -o FILE' wrote no segments GeoJSON"

log "generate $ROWS incidents (seed $SEED)"
"$PYTHON" benches/gen_incidents.py --rows "$ROWS" --seed "$SEED" --border "$segments" -o "$incidents"

names=(borderline geopandas)
labels=("borderline tag" "GeoPandas sjoin_nearest (UTM 42N)")
outputs=("$WORKDIR/out_borderline.csv" "$WORKDIR/out_geopandas.csv")
if [[ "$DEGREES" == 1 ]]; then
    names+=(geopandas_deg)
    labels+=("GeoPandas sjoin_nearest (naive degrees)")
    outputs+=("$WORKDIR/out_geopandas_deg.csv")
fi

for i in "${!names[@]}"; do
    rm -f "$WORKDIR/${names[$i]}.time"
done
for _ in $(seq "$REPEAT"); do
  for i in "${!names[@]}"; do
    cat "$incidents" >/dev/null  # same page-cache state for every tool
    case "${names[$i]}" in
        borderline)    run borderline "$BORDERLINE" tag "$incidents" -o "${outputs[$i]}" --quiet ;;
        geopandas)     run geopandas "$PYTHON" benches/geopandas_tag.py "$incidents" "$segments" "${outputs[$i]}" ;;
        geopandas_deg) run geopandas_deg "$PYTHON" benches/geopandas_tag.py "$incidents" "$segments" "${outputs[$i]}" --degrees ;;
    esac
    got=$(count_rows "${outputs[$i]}")
    [[ "$got" == "$ROWS" ]] || die "${names[$i]} wrote $got rows, expected $ROWS"
  done
done

results="$WORKDIR/results.md"
{
    echo "## borderline vs GeoPandas, $ROWS rows"
    echo
    echo "Measured $(date -u +%Y-%m-%d) on $(uname -sm), $(nproc) cores"\
"$(awk -F': ' '/^model name/ {print ", " $2; exit}' /proc/cpuinfo 2>/dev/null || true)"\
", $(awk '/^MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)."
    echo "$("$BORDERLINE" --version 2>/dev/null || echo borderline); $("$PYTHON" -c 'import sys, geopandas, pandas, shapely, pyproj; print("Python %s, geopandas %s, pandas %s, shapely %s, pyproj %s (PROJ %s)" % (sys.version.split()[0], geopandas.__version__, pandas.__version__, shapely.__version__, pyproj.__version__, pyproj.proj_version_str))')."
    echo "Wall time and peak RSS from GNU time (\`%e %M\`) of the whole process incl. start-up, CSV read and write;"
    echo "page cache warm; median time and largest peak RSS of $REPEAT run(s) per tool, run in turn."
    echo
    echo "| tool | rows | seconds | rows/s | peak RSS MB |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for i in "${!names[@]}"; do
        # GNU time may prefix a "Command exited with non-zero status" line; keep "secs kb" lines.
        grep -E '^[0-9.]+ [0-9]+$' "$WORKDIR/${names[$i]}.time" | sort -n -k1,1 \
            | awk -v t="${labels[$i]}" -v n="$ROWS" '
                { s[NR] = $1; if ($2 > kb) kb = $2 }
                END {
                    m = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2;
                    rps = (m > 0) ? sprintf("%.0f", n / m) : "n/a";
                    printf "| %s | %d | %.2f | %s | %.0f |\n", t, n, m, rps, kb / 1024
                }'
    done
    echo
    echo "Reproduce: \`ROWS=$ROWS SEED=$SEED REPEAT=$REPEAT bash benches/compare.sh\`"
    echo
    "$PYTHON" benches/accuracy.py "${outputs[0]}" "${outputs[1]}" --label "GeoPandas (UTM 42N)"
    if [[ "$DEGREES" == 1 ]]; then
        echo
        "$PYTHON" benches/accuracy.py "${outputs[0]}" "${outputs[2]}" --label "GeoPandas (naive degrees)"
    fi
} | tee "$results"

if [[ "$keep_workdir" == 1 ]]; then
    log "inputs, outputs and logs kept in $WORKDIR"
fi
