#!/usr/bin/env bash
# Record the golden outputs of issue 19 (the redesign must not change a number): run from the repo root,
#   scripts/golden/record.sh DIR      (uses the Release build of src/Cli)
# and compare two such directories with scripts/golden/compare.py OLD NEW.
set -euo pipefail
out=${1:?usage: record.sh DIR}
mkdir -p "$out"
ness() { dotnet src/Cli/bin/Release/net10.0/ness.dll "$@"; }
ness fermion --length 6 --disorder 10 --seed 1 --solver direct > "$out/fermion_L6_direct.json"
ness fermion --length 8 --disorder 10 --seed 1 --solver krylov --threads 2 > "$out/fermion_L8_krylov.json"
ness fermion --length 10 --disorder 10 --seed 1 --solver krylov --threads 2 > "$out/fermion_L10_krylov.json"
ness fermion --length 100 --disorder 10 --seed 1 --interaction 0 > "$out/fermion_L100_V0.json"
ness fermion --length 1000 --disorder 10 --seed 1 --interaction 0 > "$out/fermion_L1000_V0.json"
ness harmonic --length 70 --seed 1 --bath-coupling 1 > "$out/harmonic_L70_finite.json"
ness harmonic --length 70 --seed 1 --weak-coupling > "$out/harmonic_L70_weak.json"
rm -f "$out/ensemble_L7.jsonl"
ness ensemble fermion --length 7 --disorder 10 --realizations 20 --seed 3 --threads 2 --out "$out/ensemble_L7.jsonl" 2>/dev/null
ness aggregate "$out/ensemble_L7.jsonl" > "$out/aggregate_L7.json"
ness ensemble harmonic --length 40 --realizations 20 --seed 3 --weak-coupling --out "$out/ensemble_harmonic_L40.jsonl" 2>/dev/null || true
ness aggregate "$out/ensemble_harmonic_L40.jsonl" > "$out/aggregate_harmonic_L40.json" || true
rm -rf "$out/fig6"
ness reproduce --figure 6 --out "$out/fig6" --realizations 20 --length 6 --threads 2 2>/dev/null
ls -la "$out"
