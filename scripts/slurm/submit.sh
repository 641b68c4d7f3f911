#!/bin/bash
# Submits an ensemble as a Slurm job array (one shard per task) and the aggregate step after it.
#
#   scripts/slurm/submit.sh SHARDS OUTDIR fermion|harmonic ENSEMBLE-OPTIONS...
#   e.g. scripts/slurm/submit.sh 16 runs/L8-h10 fermion --length 8 --disorder 10 --realizations 1000 --seed 1
#
# Extra sbatch options for the array go in $SBATCH_ARRAY_OPTS (e.g. "--time=48:00:00 --cpus-per-task=8").
# Running it again with the same arguments resumes the shards that did not finish.
set -euo pipefail
if [[ $# -lt 3 ]]; then
    echo "usage: $0 SHARDS OUTDIR fermion|harmonic ENSEMBLE-OPTIONS..." >&2
    exit 2
fi
shards=$1; outdir=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$outdir"
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_ARRAY_OPTS:-} --array=1-"$shards" "$here/ensemble.sbatch" "$outdir" "$@")
array=${array%%;*}
agg=$(sbatch --parsable --dependency=afterok:"$array" "$here/aggregate.sbatch" "$outdir")
echo "array job $array ($shards shards) -> $outdir/shard-*-of-$shards.jsonl; aggregate job $agg -> $outdir/aggregate.json"
