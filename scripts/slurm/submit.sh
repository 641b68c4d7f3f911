#!/bin/bash
# Submits an ensemble as a Slurm job array (one shard per task) and the aggregate step after it.
#
#   scripts/slurm/submit.sh SHARDS[%K] OUTDIR fermion|harmonic ENSEMBLE-OPTIONS...
#   e.g. scripts/slurm/submit.sh 16 runs/L8-h10 fermion --length 8 --disorder 10 --realizations 1000 --seed 1
#
# SHARDS%K runs at most K tasks at once (Slurm's array throttle). Environment:
#   SBATCH_ARRAY_OPTS      sbatch options for the array tasks, e.g. "--cpus-per-task=4 --mem-per-cpu=2G --time=24:00:00"
#                          (nothing is requested by default: the site's defaults apply; not --array)
#   SBATCH_AGGREGATE_OPTS  sbatch options for the aggregate job (e.g. "--time=00:30:00")
#   SBATCH_OPTS            sbatch options for both, e.g. "--account=proj42 --partition=short"
#                          (sbatch's own SBATCH_ACCOUNT, SBATCH_PARTITION, ... variables also reach both)
#   NESS_TASKS             which tasks to submit (Slurm index list, default 1-SHARDS), e.g. NESS_TASKS=2,5 to
#                          retry shards 2 and 5 after a cancel or a node failure, with a new aggregate job
#   NESS                   the ness command (default: `ness` on PATH), resolved here to an absolute path and
#                          handed to the jobs explicitly
# Logs: OUTDIR/logs/ensemble-<array job>_<task>.log and OUTDIR/logs/aggregate-<job>.log. OUTDIR must be on a
# filesystem every node sees. Running the same command again resumes every shard (complete ones finish at
# once). If a task fails or is cancelled, the aggregate job is cancelled too (--kill-on-invalid-dep=yes).
set -euo pipefail
if [[ $# -lt 3 ]]; then
    echo "usage: $0 SHARDS[%K] OUTDIR fermion|harmonic ENSEMBLE-OPTIONS..." >&2
    exit 2
fi
spec=$1 outdir=$2
shift 2
if [[ ! $spec =~ ^([1-9][0-9]*)(%([1-9][0-9]*))?$ ]]; then
    echo "submit.sh: SHARDS must be a positive integer, optionally with a throttle %K (got '$spec')" >&2
    exit 2
fi
shards=${BASH_REMATCH[1]} throttle=${BASH_REMATCH[2]}
tasks=${NESS_TASKS:-1-$shards}
if [[ " ${SBATCH_ARRAY_OPTS:-} " =~ [[:space:]](--array|-a)[=[:space:]] ]]; then
    echo "submit.sh: SBATCH_ARRAY_OPTS must not contain --array: give the shard count (and a throttle as SHARDS%K) as the first argument" >&2
    exit 2
fi

# --realizations N (needed by the aggregate step's completeness check)
realizations=""
args=("$@")
for ((k = 0; k < ${#args[@]}; k++)); do
    case ${args[k]} in
        --realizations) realizations=${args[k + 1]:-} ;;
        --realizations=*) realizations=${args[k]#--realizations=} ;;
    esac
done
if [[ ! $realizations =~ ^[1-9][0-9]*$ ]]; then
    echo "submit.sh: the ensemble options need --realizations N (a positive integer)" >&2
    exit 2
fi

# The ness command as an absolute path, checked here rather than failing in every task.
read -r -a ness <<< "${NESS:-ness}"
if ! resolved=$(command -v "${ness[0]}"); then
    echo "submit.sh: '${ness[0]}' not found: install the tool (README, \"Install\") or set NESS" >&2
    exit 2
fi
ness[0]=$resolved
for ((k = 1; k < ${#ness[@]}; k++)); do
    [[ -e ${ness[k]} ]] && ness[k]=$(realpath "${ness[k]}")
done
nesscmd="${ness[*]}"
if [[ $nesscmd == *,* ]]; then
    echo "submit.sh: the ness command '$nesscmd' contains a comma, which sbatch --export cannot pass" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$outdir/logs"
outdir=$(cd "$outdir" && pwd)
# shellcheck disable=SC2086  # the *_OPTS variables are word lists on purpose
array=$(sbatch --parsable ${SBATCH_OPTS:-} ${SBATCH_ARRAY_OPTS:-} \
    --export=ALL,NESS="$nesscmd" --array="$tasks$throttle" --output="$outdir/logs/ensemble-%A_%a.log" \
    "$here/ensemble.sbatch" "$outdir" "$shards" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
agg=$(sbatch --parsable ${SBATCH_OPTS:-} ${SBATCH_AGGREGATE_OPTS:-} \
    --export=ALL,NESS="$nesscmd" --dependency=afterok:"$array" --kill-on-invalid-dep=yes \
    --output="$outdir/logs/aggregate-%j.log" \
    "$here/aggregate.sbatch" "$outdir" "$shards" "$realizations")
agg=${agg%%;*}
echo "array job $array (tasks $tasks of $shards shards) -> $outdir/shard-*-of-$shards.jsonl; aggregate job $agg -> $outdir/aggregate.json"
