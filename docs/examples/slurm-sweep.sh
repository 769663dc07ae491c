#!/bin/bash
# A sweep as a Slurm job array: task N runs shard N of 3; the merge runs after every task has
# succeeded (afterok on the array).
#
#   jobid=$(sbatch --parsable docs/examples/slurm-sweep.sh)
#   sbatch --dependency=afterok:$jobid --wrap \
#     "ccsim merge results/staffing-grid/shard-* --out results/staffing-grid/report"
#
#SBATCH --job-name=ccsim-sweep
#SBATCH --array=0-2
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=00:30:00
#SBATCH --output=results/staffing-grid/slurm-%A_%a.log
set -euo pipefail
SHARDS=3
ccsim sweep scenarios/staffing-grid.sweep.toml --quiet \
  --threads "${SLURM_CPUS_PER_TASK}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  --out "results/staffing-grid/shard-${SLURM_ARRAY_TASK_ID}"
