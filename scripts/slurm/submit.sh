#!/bin/bash
# Submits a sharded backlogsim run, compare, batch, sweep or sensitivity
# analysis to Slurm: an array job of SHARDS shard tasks and a merge job
# that starts when all of them have succeeded.
#
#   SHARDS=16 OUT=out/baseline scripts/slurm/submit.sh run baseline --paths 4000000 --seed 7
#   SHARDS=8 OUT=out/cmp scripts/slurm/submit.sh compare baseline severe-crash --paths 200000
#   SHARDS=32 OUT=out/sweep scripts/slurm/submit.sh sweep baseline --set funding.rates.open.tight=0.05:0.4:64
#   SHARDS=16 OUT=out/sens scripts/slurm/submit.sh sensitivity baseline --sobol-rows 256
#   SHARDS=8 OUT=out/batch scripts/slurm/submit.sh batch cases/ --paths 200000
#
# Environment: SHARDS (required), OUT (required), SHARD_DIR (default
# shards/JOBNAME), BACKLOGSIM (default: backlogsim on PATH), MERGE_FLAGS,
# SBATCH_FLAGS (extra sbatch flags for both jobs, e.g. --partition=long).
# Prints the two job ids.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SHARDS:?set SHARDS, the number of shards}"
: "${OUT:?set OUT, the output directory of the merged run}"
export SHARDS OUT
export SHARD_DIR=${SHARD_DIR:-shards/$(basename "$OUT")}
export BACKLOGSIM=${BACKLOGSIM:-$(command -v backlogsim || echo backlogsim)}
# shellcheck disable=SC2086 # SBATCH_FLAGS is a list of flags
shards=$(sbatch --parsable ${SBATCH_FLAGS:-} --array=0-$((SHARDS - 1)) --export=ALL "$here/shards.sbatch" "$@")
shards=${shards%%;*} # "jobid;cluster" on multi-cluster sites
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_FLAGS:-} --dependency=afterok:"$shards" --kill-on-invalid-dep=yes --export=ALL "$here/merge.sbatch")
echo "shards: job $shards (array 0-$((SHARDS - 1))), merge: job ${merge%%;*}"
