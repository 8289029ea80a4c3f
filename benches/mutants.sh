#!/usr/bin/env bash
# Mutation testing: cargo-mutants plants one small bug at a time in the modules whose answers
# the README claims (geodesy, the index, the tagger, status, the tag record and its writer,
# point-in-polygon) and runs the tests that check those answers; a mutant the tests do not
# catch is a claim without a test. Never run by `cargo test` or CI: on 2 cores it takes hours.
#
#   bash benches/mutants.sh                         # every file below
#   FILES="src/tag/tagger.rs" bash benches/mutants.sh
#   SHARD=1/8 bash benches/mutants.sh               # one slice of the mutants (cargo-mutants --shard)
#
# Environment (all optional):
#   FILES="src/geodesy.rs …"   files to mutate (default: the list below)
#   TESTS="--lib --test …"     cargo test targets run per mutant (default: those that check the
#                              answers; the browser, chart and map tests add minutes, not checks)
#   SHARD=k/n                  run only the k-th of n round-robin shards
#   RE="keep|prune"            only mutants whose name matches (cargo-mutants --re), e.g. the
#                              functions a new test is for
#   TIMEOUT=120                per-mutant test timeout, seconds
#   BASELINE=run               skip: no unmutated run first (the tests are known to pass)
#   OUT=mutants.out            where cargo-mutants writes its report (caught.txt, missed.txt, …)
#
# The summary per file: benches/mutants-summary.py OUT/outcomes.json.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-src/geodesy.rs src/index.rs src/locate.rs src/tag/tagger.rs src/status.rs src/tag/record.rs src/tag/stream.rs}
TESTS=${TESTS:---lib --test nearest --test golden --test ties --test geodesy --test tag_cli --test tag_analyst --test statements}
TIMEOUT=${TIMEOUT:-120}
OUT=${OUT:-.}

command -v cargo-mutants >/dev/null 2>&1 || cargo install --locked cargo-mutants

args=()
for file in $FILES; do
    args+=(--file "$file")
done
if [ -n "${SHARD:-}" ]; then
    args+=(--shard "$SHARD" --sharding round-robin)
fi
if [ -n "${RE:-}" ]; then
    args+=(--re "$RE")
fi
for target in $TESTS; do
    args+=(--cargo-test-arg="$target")
done

# The `mutants` profile (Cargo.toml) builds without debug info: each mutant relinks every
# test binary, and debug info is most of what the linker writes.
# In random order (--shuffle), so that a run stopped early is a random sample of the files.
CI=true cargo mutants --profile mutants --shuffle --baseline "${BASELINE:-run}" --timeout "$TIMEOUT" \
    --output "$OUT" "${args[@]}" || true
python3 benches/mutants-summary.py "$OUT/mutants.out/outcomes.json"
