#!/bin/bash
# End-to-end test of scripts/slurm on a real one-node Slurm cluster (started by local-cluster.sh):
#  1. a single-machine `ness ensemble` + `ness aggregate` as the reference;
#  2. submit.sh: job array (with a throttle) + aggregate job; array task 2 is cancelled mid-run: ness, exec'd
#     by ensemble.sbatch, gets the SIGTERM, finishes its realizations in flight and exits 143; the aggregate
#     job is then cancelled by Slurm (--kill-on-invalid-dep), not left pending;
#  3. aggregate.sbatch on the incomplete set refuses (exit 2) and leaves no file behind;
#  4. the usual retry, `sbatch --array=2 ensemble.sbatch OUTDIR 4 ...` + aggregate.sbatch, resumes shard 2/4
#     (no recomputation, no duplicate, no shard-1-of-1 file) and the aggregate equals the single-machine one
#     byte for byte; running submit.sh again finishes at once with the same aggregate.
#
#   scripts/slurm/test/cluster-test.sh
#
# Needs root and Slurm or apt-get; otherwise it prints "cluster-test: SKIPPED: <why>" and exits 0.
# The ness under test: $NESS if set, else the tool packed from this clone and installed into a temporary
# --tool-path (the README's install). Takes about 1-2 minutes. Exit 0 = passed or skipped, 1 = failed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
slurm=$repo/scripts/slurm

skip() { echo "cluster-test: SKIPPED: $*" >&2; exit 0; }
fail() { echo "cluster-test: FAILED: $*" >&2; exit 1; }
step() { echo "cluster-test: $*" >&2; }

[[ $(id -u) -eq 0 ]] || skip "needs root to start a local Slurm cluster (munged, slurmctld, slurmd)"
if ! command -v slurmctld >/dev/null || ! command -v sbatch >/dev/null; then
    command -v apt-get >/dev/null || skip "Slurm is not installed and there is no apt-get to install it"
fi
if [[ -f /etc/slurm/slurm.conf ]] && ! head -n 1 /etc/slurm/slurm.conf | grep -q 'local-cluster'; then
    skip "/etc/slurm/slurm.conf exists and was not written by a local test cluster: not touching a real Slurm installation"
fi

work=$(mktemp -d /tmp/ness-cluster-test.XXXXXX)
jobs=()
was_running=0
[[ -s /run/slurmctld.pid ]] && kill -0 "$(cat /run/slurmctld.pid)" 2>/dev/null && was_running=1
cleanup() {
    local rc=$?
    ((${#jobs[@]})) && scancel "${jobs[@]}" 2>/dev/null || true
    if [[ $rc -eq 0 ]]; then rm -rf "$work"; else echo "cluster-test: files kept in $work" >&2; fi
    [[ $was_running == 0 ]] && "$slurm/test/local-cluster.sh" stop || true
}
trap cleanup EXIT

step "starting the local cluster"
"$slurm/test/local-cluster.sh" start 2>&1 | sed 's/^/  /' >&2 || fail "the local cluster did not start"

if [[ -z ${NESS:-} ]]; then
    step "packing and installing the ness tool into $work/tools"
    dotnet pack "$repo/src/Cli" -c Release -o "$work/nupkg" >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "dotnet pack"; }
    dotnet tool install --tool-path "$work/tools" --add-source "$work/nupkg" ness >"$work/install.log" 2>&1 \
        || { cat "$work/install.log" >&2; fail "dotnet tool install"; }
    export NESS=$work/tools/ness
fi
read -r -a ness <<< "$NESS"
step "ness under test: $("${ness[@]}" --version)"

# A small ensemble whose realizations take long enough (krylov at L = 9: about 1 s each, 0.2-0.3 GB) that a task can
# be cancelled mid-run (ness has no test-only delay: issue 19).
shards=4 R=24
opts=(fermion --length 9 --disorder 10 --realizations $R --seed 11)

step "single-machine reference"
"${ness[@]}" ensemble "${opts[@]}" --out "$work/single.jsonl" 2>/dev/null
"${ness[@]}" aggregate "$work/single.jsonl" --format json > "$work/single.json"

state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2; }
field() { scontrol -o show job "$1" 2>/dev/null | grep -o "$2=[^ ]*" | head -n 1 | cut -d= -f2; }
wait_gone() {        # wait_gone JOBID SECONDS: until the job (all its tasks) left the queue
    local t0=$SECONDS
    while [[ -n $(squeue -h -j "$1" 2>/dev/null) ]]; do
        (( SECONDS - t0 < $2 )) || { squeue >&2; fail "job $1 still queued after $2 s"; }
        sleep 0.5
    done
}
lines() { [[ -f $1 ]] && wc -l < "$1" || echo 0; }

out=$work/run
step "submit.sh $shards%2 (throttle 2) $out ${opts[*]}"
msg=$("$slurm/submit.sh" "$shards%2" "$out" "${opts[@]}")
echo "  $msg" >&2
array=$(sed -n 's/^array job \([0-9]*\).*/\1/p' <<< "$msg")
agg=$(sed -n 's/.*aggregate job \([0-9]*\).*/\1/p' <<< "$msg")
[[ -n $array && -n $agg ]] || fail "could not read the job ids from submit.sh's output"
jobs+=("$array" "$agg")
[[ $(field "$array" ArrayTaskThrottle) == 2 ]] || fail "the throttle %2 did not reach the array (ArrayTaskThrottle=$(field "$array" ArrayTaskThrottle))"

step "cancelling task 2 once it has written a line"
t0=$SECONDS
until [[ $(lines "$out/shard-2-of-$shards.jsonl") -ge 1 ]]; do
    (( SECONDS - t0 < 120 )) || { cat "$out"/logs/* >&2 2>/dev/null; fail "shard 2 wrote no line within 120 s"; }
    sleep 0.2
done
[[ $(state "${array}_2") == RUNNING ]] || fail "task 2 is not running when it should be cancelled ($(state "${array}_2"))"
scancel "${array}_2"
wait_gone "$array" 180
n2=$(lines "$out/shard-2-of-$shards.jsonl")
log2=$out/logs/ensemble-${array}_2.log
step "task 2: $(state "${array}_2"), exit $(field "${array}_2" ExitCode), $n2 of $((R / shards)) lines"
grep -q 'SIGTERM: finishing the realizations in flight' "$log2" \
    || { cat "$log2" >&2; fail "ness did not receive the SIGTERM (is ensemble.sbatch exec'ing it?)"; }
grep -q '^ness: interrupted:' "$log2" || { cat "$log2" >&2; fail "ness did not finish its in-flight work and report the interruption"; }
(( n2 >= 1 && n2 < R / shards )) || fail "shard 2 has $n2 lines after the cancel; expected a partial shard"
[[ $(tail -c 1 "$out/shard-2-of-$shards.jsonl" | od -An -c | tr -d ' ') == '\n' ]] || fail "shard 2 ends in a torn line although ness exited cleanly"
for i in 1 3 4; do
    [[ $(state "${array}_$i") == COMPLETED ]] || fail "task $i: $(state "${array}_$i") (expected COMPLETED)"
    [[ $(lines "$out/shard-$i-of-$shards.jsonl") -eq $((R / shards)) ]] || fail "shard $i is incomplete"
done

step "the aggregate job must be cancelled by Slurm, not left pending"
t0=$SECONDS
while [[ $(state "$agg") == PENDING ]]; do
    (( SECONDS - t0 < 60 )) || fail "aggregate job $agg still pending 60 s after the array ended ($(field "$agg" Reason))"
    sleep 0.5
done
[[ $(state "$agg") == CANCELLED ]] || fail "aggregate job $agg: $(state "$agg") (expected CANCELLED)"
[[ ! -e $out/aggregate.json ]] || fail "aggregate.json written from an incomplete set"

step "aggregate.sbatch on the incomplete set must refuse"
rc=0
sbatch --wait --quiet --output="$out/logs/refused-%j.log" "$slurm/aggregate.sbatch" "$out" "$shards" "$R" || rc=$?
[[ $rc -eq 2 ]] || { cat "$out"/logs/refused-*.log >&2; fail "aggregate.sbatch on an incomplete set exited $rc (expected 2)"; }
grep -q 'incomplete' "$out"/logs/refused-*.log || fail "aggregate.sbatch's refusal does not say the set is incomplete"
[[ -z $(find "$out" -maxdepth 1 -name '*aggregate*') ]] || { ls -la "$out" >&2; fail "the refused aggregate left files behind"; }

step "retrying task 2 the usual way: sbatch --array=2 ensemble.sbatch, then aggregate.sbatch"
retry=$(sbatch --parsable --array=2 --output="$out/logs/retry-%A_%a.log" "$slurm/ensemble.sbatch" "$out" "$shards" "${opts[@]}")
retry=${retry%%;*}
jobs+=("$retry")
agg2=$(sbatch --parsable --dependency=afterok:"$retry" --kill-on-invalid-dep=yes --output="$out/logs/aggregate-%j.log" \
    "$slurm/aggregate.sbatch" "$out" "$shards" "$R")
agg2=${agg2%%;*}
jobs+=("$agg2")
wait_gone "$retry" 180
wait_gone "$agg2" 120
[[ $(state "${retry}_2") == COMPLETED ]] || { cat "$out"/logs/retry-*.log >&2; fail "retried task 2: $(state "${retry}_2")"; }
grep -q "($((R / shards - n2)) computed now, $n2 already there)" "$out/logs/retry-${retry}_2.log" \
    || { cat "$out/logs/retry-${retry}_2.log" >&2; fail "the retry did not resume shard 2 (expected $((R / shards - n2)) computed, $n2 already there)"; }
[[ -z $(find "$out" -name 'shard-*-of-1.jsonl') ]] || fail "the retry wrote a shard-1-of-1 file"
[[ $(state "$agg2") == COMPLETED ]] || { cat "$out/logs/aggregate-$agg2.log" >&2; fail "aggregate job: $(state "$agg2")"; }
cmp "$work/single.json" "$out/aggregate.json" || fail "the cluster's aggregate.json differs from the single-machine aggregate"
[[ $(cat "$out"/shard-*-of-$shards.jsonl | wc -l) -eq $R ]] || fail "the shards do not hold exactly $R lines"

step "submit.sh again: every shard is complete, the aggregate is rewritten identically"
mv "$out/aggregate.json" "$work/first-aggregate.json"
msg=$("$slurm/submit.sh" "$shards" "$out" "${opts[@]}")
array3=$(sed -n 's/^array job \([0-9]*\).*/\1/p' <<< "$msg"); agg3=$(sed -n 's/.*aggregate job \([0-9]*\).*/\1/p' <<< "$msg")
jobs+=("$array3" "$agg3")
wait_gone "$array3" 120
wait_gone "$agg3" 120
[[ $(state "$agg3") == COMPLETED ]] || fail "second aggregate job: $(state "$agg3")"
grep -q "(0 computed now, $((R / shards)) already there)" "$out/logs/ensemble-${array3}_1.log" || fail "the resubmission recomputed shard 1"
cmp "$work/single.json" "$out/aggregate.json" || fail "the second aggregate differs"

step "PASSED: job array + aggregate equal the single-machine run byte for byte; cancel, refusal and retry behave"
