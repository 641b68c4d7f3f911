#!/bin/bash
# Issue 23 from the installed tool, as a new user would: sweeps, flat tables, CSV that says what it is, plots,
# error messages, docs. Re-tries the ten problems of the issue and asserts (exit codes, files, columns) that they
# are gone:
#   1 step histogram on a wrong axis    2 CSV without parameters     3 no per-realization table
#   4 no sweeps / seeds not combined    5 plot --out: exit 1, beside DIR   6 double SIGINT lost the resume line
#   7 --help / memory refusal without the largest L   8 aggregate run.json read as corruption
#   9 third-party noise on stderr, JSON blob in the table   10 docs drift, bench script only in a clone
#
#   NESS=/path/to/installed/ness scripts/test/studies.sh [DIR]
#
# .ci/run runs it with the tool installed by scripts/test/packages.sh. About 1-2 minutes on a 2-core machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
ness=${NESS:?set NESS to the installed ness (scripts/test/packages.sh DIR installs it as DIR/tools/ness)}
dir=${1:-$(mktemp -d /tmp/ness-studies.XXXXXX)}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cd "$dir"
fail() { echo "studies: FAILED: $*" >&2; exit 1; }
step() { echo "studies: $*" >&2; }
# run CODE CMD...: runs CMD, stdout to out, stderr to err, and asserts its exit code
run() {
    local want=$1; shift
    set +e; "$@" > out 2> err; local got=$?; set -e
    [[ $got == "$want" ]] || { cat err >&2; fail "'$*' exited $got, expected $want"; }
}
has() { grep -q -- "$1" "$2" || { cat "$2" >&2; fail "$2 lacks '$1'"; }; }
hasnt() { if grep -q -- "$1" "$2"; then cat "$2" >&2; fail "$2 has '$1'"; fi; }
col() { head -1 "$1" | tr ',' '\n' | grep -nx -- "$2" | cut -d: -f1; }   # column number of a CSV header

step "1. the fermion step histogram (ness plot of an ensemble): files in --out DIR, no third-party noise"
run 0 "$ness" ensemble fermion --length 6 --disorder 10 --realizations 30 --seed 1 --out h10.jsonl --threads 2
run 0 "$ness" plot h10.jsonl --out figs
for k in profile currents steps; do [[ -s figs/h10.$k.png && -s figs/h10.$k.svg ]] || fail "no figs/h10.$k.png/svg"; done
hasnt "Unsupported" err
# the steps figure: bars as wide as their bins (the SVG has one filled rectangle per non-empty bin, each about
# the data area's width / bins wide, not one bar covering the plot); the model is tested in PlotTests
python3 - <<'EOF' || fail "the step histogram's bars are not as wide as the bins"
import re, json
lines = [json.loads(l) for l in open("h10.jsonl")]
jumps = [l["step"]["max_jump"] for l in lines if l["step"].get("max_jump") is not None]
assert 0.04 < min(jumps) and max(jumps) < 0.09, (min(jumps), max(jumps))
svg = open("figs/h10.steps.svg").read()
# the x tick labels span the data: all between 0.03 and 0.1 (the broken figure had -0.35..0.5)
ticks = [float(t) for t in re.findall(r"<text[^>]*>\s*(-?0\.\d+)\s*</text>", svg)]
assert ticks and min(ticks) > 0.03 and max(ticks) < 0.1, ticks
EOF

step "2. every CSV carries its parameters and provenance"
run 0 "$ness" fermion --length 4 --disorder 2 --seed 1 --interaction 0.5 --format csv; mv out v05.csv
run 0 "$ness" fermion --length 4 --disorder 2 --seed 1 --interaction 1 --format csv; mv out v1.csv
[[ $(cut -d, -f$(col v05.csv interaction) v05.csv | sed -n 2p) == 0.5 ]] || fail "fermion CSV: no interaction 0.5"
[[ $(cut -d, -f$(col v1.csv interaction) v1.csv | sed -n 2p) == 1 ]] || fail "fermion CSV: no interaction 1"
for c in version commit date hopping g1p gLm disorder seed length; do [[ -n $(col v05.csv $c) ]] || fail "fermion CSV: no column $c"; done
run 0 "$ness" harmonic --length 6 --bath-coupling 0.3 --seed 1 --format csv; mv out l03.csv
[[ $(cut -d, -f$(col l03.csv bath_coupling) l03.csv | sed -n 2p) == 0.3 ]] || fail "harmonic CSV: no bath_coupling 0.3"
for c in coupling t1 tL pinning_min; do [[ -n $(col l03.csv $c) ]] || fail "harmonic CSV: no column $c"; done
run 0 "$ness" aggregate h10.jsonl --format csv; mv out agg.csv
for c in version commit date length disorder seed count site mean stderr; do [[ -n $(col agg.csv $c) ]] || fail "aggregate CSV: no column $c"; done

step "3. ness table: one sorted row per realization; ensemble --format csv points to it"
run 0 "$ness" table h10.jsonl; mv out h10.csv
[[ $(($(wc -l < h10.csv) - 1)) == 30 ]] || fail "ness table: $(wc -l < h10.csv) lines for 30 realizations"
cut -d, -f$(col h10.csv realization) h10.csv | tail -n +2 | diff - <(seq 0 29) > /dev/null || fail "ness table: rows not sorted by realization"
for c in n_1 n_6 max_jump log_abs_current residual solver_used refused disorder; do [[ -n $(col h10.csv $c) ]] || fail "ness table: no column $c"; done
run 0 "$ness" ensemble harmonic --length 8 --bath-coupling 1 --realizations 3 --seed 1 --out harm.jsonl
run 0 "$ness" table harm.jsonl; mv out harm.csv
diff <(head -1 h10.csv | tr ',' '\n' | grep -v '^n_') <(head -1 harm.csv | tr ',' '\n' | grep -v '^n_') > /dev/null \
    || fail "ness table: fermion and harmonic columns differ"
run 2 "$ness" ensemble fermion --length 4 --disorder 1 --realizations 2 --seed 1 --format csv
has "ness table" err

step "4. ness sweep over comma lists; aggregate of two seeds"
run 0 "$ness" sweep fermion --length 4,5 --disorder 1,10 --realizations 4 --seed 1 --out sweep --threads 2
[[ -s sweep/summary.csv && -s sweep/summary.json ]] || fail "ness sweep: no summary"
[[ $(ls sweep/*.jsonl | wc -l) == 4 ]] || fail "ness sweep: $(ls sweep/*.jsonl | wc -l) ensemble files for 4 points"
[[ $(($(wc -l < sweep/summary.csv) - 1)) == 4 ]] || fail "ness sweep: summary.csv has not 4 rows"
for c in length disorder count refused max_jump_mean max_jump_stderr log_current_mean log_current_stderr n_first; do
    [[ -n $(col sweep/summary.csv $c) ]] || fail "summary.csv: no column $c"; done
run 0 "$ness" sweep fermion --length 4,5 --disorder 1,10 --realizations 4 --seed 1 --out sweep --threads 2
has "4 already there" err
run 2 "$ness" sweep fermion --length 4 --disorder 1,x --realizations 4 --seed 1 --out sweep-bad
has "not a finite number" err
[[ ! -e sweep-bad ]] || fail "a refused sweep created its directory"
run 0 "$ness" plot sweep/length-5_disorder-1.jsonl sweep/length-5_disorder-10.jsonl --out sweep
[[ -s sweep/overlay.profile.png && -s sweep/overlay.steps.png ]] || fail "no overlay figures"
run 0 "$ness" ensemble fermion --length 4 --disorder 2 --realizations 3 --seed 1 --out s1.jsonl
run 0 "$ness" ensemble fermion --length 4 --disorder 2 --realizations 3 --seed 2 --out s2.jsonl
if "$ness" aggregate s1.jsonl s2.jsonl > s12.json 2> err; then
    python3 -c "import json; a=json.load(open('s12.json')); assert a['count'] == 6, a['count']" || fail "aggregate of two seeds: count"
else
    cat err >&2; fail "aggregate of two seeds (same parameters otherwise) is refused"
fi

step "5. plot --out DIR writes into DIR; an unwritable one is exit 4"
run 0 "$ness" fermion --length 4 --disorder 2 --seed 1; mv out run.json
run 4 "$ness" plot run.json --out /nonexistent/p
has "\-\-out" err
run 0 "$ness" plot run.json --out newdir
[[ -s newdir/run.profile.png ]] || fail "plot --out newdir: no newdir/run.profile.png"

step "6. SIGINT from timeout (delivered twice) always ends with the resume line, exit 130"
for i in 1 2 3; do
    set +e; timeout --preserve-status -s INT 3 "$ness" ensemble fermion --length 7 --disorder 10 --realizations 2000 --seed 1 \
        --out int.jsonl --threads 2 > /dev/null 2> err; code=$?; set -e
    [[ $code == 130 ]] || { cat err >&2; fail "run $i: exit $code after SIGINT, expected 130"; }
    has "rerun the same command to resume" err
done

step "7. --help states the memory-dependent range; a refusal names the largest L that fits"
run 0 "$ness" fermion --help
has "as far as memory allows" out
run 3 env NESS_KRYLOV_MEMORY_GB=1 "$ness" fermion --length 12 --disorder 10 --seed 1
has "the largest L that fits is" err
[[ ! -s out ]] || fail "a refusal printed on stdout"

step "8. aggregate of a single-run JSON says what it is (exit 2)"
run 2 "$ness" aggregate run.json
has "is a single-run JSON, not an ensemble file" err

step "9. no third-party noise on stderr; the aggregate table's parameters are readable"
run 0 "$ness" reproduce --figure fermion-free --realizations 2 --length 4 --threads 2 --out repro
hasnt "Unsupported path effect" err
run 0 "$ness" aggregate h10.jsonl --format table
grep '^parameters' out | grep -q 'disorder = 10' || { cat out >&2; fail "aggregate table: parameters not as name = value"; }
if grep '^parameters' out | grep -q '{'; then fail "aggregate table: parameters as a JSON blob"; fi

step "10. docs and the installed tool agree"
python3 - "$repo" <<'EOF' || fail "figure size of docs/reproduction.md differs from the PNG"
import re, struct, sys
doc = open(sys.argv[1] + "/docs/reproduction.md").read()
w, h = map(int, re.search(r"ScottPlot 5, (\d+) x (\d+)", doc).groups())
png = open("repro/fermion-free.png", "rb").read()
assert struct.unpack(">II", png[16:24]) == (w, h), (struct.unpack(">II", png[16:24]), (w, h))
EOF
run 0 "$ness" ensemble harmonic --length 12 --weak-coupling --realizations 3 --seed 1 --out weak.jsonl
run 0 "$ness" aggregate weak.jsonl
python3 -c "import json; a=json.load(open('out')); assert 'log_current' not in a and 'log_current_per_bath_coupling' in a" \
    || fail "weak-coupling aggregate: ln|J/lambda| not named log_current_per_bath_coupling"
grep -q "log_current_per_bath_coupling" "$repo/docs/ensembles.md" || fail "docs/ensembles.md does not name log_current_per_bath_coupling"
grep -A2 '^ness fermion --length L' "$repo/README.md" | grep -q 'gaussian' || fail "README fermion synopsis lacks gaussian"
grep -A2 '^ness fermion --length L' "$repo/README.md" | grep -q -- '--threads' || fail "README fermion synopsis lacks --threads"
store=$(dirname "$ness")/.store
if [[ -d $store ]]; then
    find "$store" -name qutip_steadystate.py | grep -q . || fail "the installed tool lacks benchmarks/qutip_steadystate.py"
fi

step "PASSED: the ten problems of issue 23 are gone (histogram, CSV parameters, table, sweep/seeds, plot --out, SIGINT, memory range, wrong file kind, stderr noise, docs)"
