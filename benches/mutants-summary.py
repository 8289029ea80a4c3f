"""Per-file summary of a cargo-mutants run: caught / missed / unviable / timeouts, and the
share of viable mutants caught (viable = not unviable: the mutant built).

    python3 benches/mutants-summary.py mutants.out/outcomes.json
"""

import collections
import json
import sys


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        outcomes = json.load(f)
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    missed = []
    for outcome in outcomes["outcomes"]:
        scenario = outcome["scenario"]
        if scenario == "Baseline":
            continue
        mutant = scenario["Mutant"]
        summary = outcome["summary"]
        kind = {
            "CaughtMutant": "caught",
            "MissedMutant": "missed",
            "Unviable": "unviable",
            "Timeout": "timeout",
        }.get(summary, summary)
        counts[mutant["file"]][kind] += 1
        if kind == "missed":
            line = mutant["span"]["start"]["line"]
            missed.append(f"{mutant['file']}:{line}: {mutant.get('name') or mutant['replacement']}")
    header = f"{'file':<22} {'caught':>7} {'missed':>7} {'unviable':>9} {'timeout':>8} {'caught %':>9}"
    print(header)
    total = collections.Counter()
    for file in sorted(counts):
        total.update(counts[file])
        print(row(file, counts[file]))
    print(row("(all)", total))
    if missed:
        print("\nmissed:")
        print("\n".join(missed))


def row(name: str, c: collections.Counter) -> str:
    # A timeout counts as caught: the mutant made the tests hang, which a run notices.
    viable = c["caught"] + c["missed"] + c["timeout"]
    share = 100.0 * (c["caught"] + c["timeout"]) / viable if viable else float("nan")
    return (
        f"{name:<22} {c['caught']:>7} {c['missed']:>7} {c['unviable']:>9} {c['timeout']:>8}"
        f" {share:>8.1f}%"
    )


if __name__ == "__main__":
    main(sys.argv[1])
