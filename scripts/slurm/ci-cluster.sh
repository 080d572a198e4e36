#!/usr/bin/env bash
# A real Slurm on this host, for CI: installs Debian's slurm-wlm and munge
# if they are missing (needs root), starts munged, slurmctld and slurmd as a
# single-node cluster whose configuration lives in a temporary directory,
# submits the baseline as a four-task array job of shards and the merge
# job (--dependency=afterok, through submit.sh, as a researcher would), and
# a small sweep as a two-task array job and its merge, waits for them
# (bounded), checks that the merged summary.json, summary.csv and
# report.html, and sweep.json and sweep.csv, are byte-identical to local
# runs, and shuts the daemons it started down again.
#
#   scripts/slurm/ci-cluster.sh            (PATHS=20000 SEED=17 by default)
#
# Takes a minute or two on two cores. On failure it prints the daemons'
# and jobs' logs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
PATHS=${PATHS:-20000}
SEED=${SEED:-17}
SHARDS=4
TIMEOUT=${TIMEOUT:-600} # seconds to wait for the jobs

if [ "$(id -u)" -ne 0 ]; then
	echo "ci-cluster.sh: must run as root (it installs and starts Slurm and munge)" >&2
	exit 1
fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
	echo "== installing slurm-wlm and munge"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge
fi
echo "== $(slurmctld -V), $(munged -V 2>&1 | head -1)"

work=$(mktemp -d /tmp/backlogsim-slurm.XXXXXX)
chmod 755 "$work"
started_munged=""
conf="$work/slurm.conf"
export SLURM_CONF=$conf

logs() {
	for f in "$work"/*.log "$work"/run/*.out; do
		[ -f "$f" ] && { echo "---- $f"; tail -n 40 "$f"; }
	done
}
cleanup() {
	status=$?
	if [ "$status" -ne 0 ]; then
		echo "== ci-cluster.sh failed (status $status); logs:"
		logs
	fi
	if [ -f "$conf" ]; then
		scontrol shutdown >/dev/null 2>&1 || true
		for pidfile in "$work/slurmctld.pid" "$work/slurmd.pid"; do
			if [ -s "$pidfile" ]; then
				pid=$(cat "$pidfile")
				for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
				kill "$pid" 2>/dev/null || true
			fi
		done
	fi
	if [ -n "$started_munged" ]; then
		kill "$started_munged" 2>/dev/null || true
	fi
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT

echo "== munge"
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if [ ! -s /etc/munge/munge.key ]; then
	runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
	runuser -u munge -- /usr/sbin/munged
	started_munged=$(cat /run/munge/munged.pid)
	for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.2; done
fi
munge -n | unmunge >/dev/null

echo "== slurmctld and slurmd"
host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool" "$work/run"
cat >"$conf" <<CONF
# Single-node cluster for backlogsim's CI (scripts/slurm/ci-cluster.sh).
ClusterName=backlogsim-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -c -f "$conf"
slurmd -f "$conf"
for _ in $(seq 60); do
	state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 1
done
if [ "$state" != idle ]; then
	echo "node $host did not become idle (state: ${state:-unknown})" >&2
	exit 1
fi
sinfo

echo "== building backlogsim"
(cd "$root" && go build -o "$work/backlogsim" ./cmd/backlogsim)

echo "== submitting $SHARDS shards of the baseline ($PATHS paths, seed $SEED) and the merge"
cd "$work/run"
submit() { # OUT SHARD_DIR SHARDS ARGS...: prints "ARRAY MERGE", the two job ids
	local out=$1 dir=$2 n=$3
	shift 3
	local ids
	ids=$(SHARDS=$n OUT="$out" SHARD_DIR="$dir" BACKLOGSIM="$work/backlogsim" \
		SBATCH_FLAGS="--cpus-per-task=1 --chdir=$work/run" \
		"$root/scripts/slurm/submit.sh" "$@")
	echo "$ids" >&2
	echo "$(echo "$ids" | sed -n 's/^shards: job \([0-9]*\).*/\1/p') $(echo "$ids" | sed -n 's/.*merge: job \([0-9]*\).*/\1/p')"
}
sweep=(sweep baseline --set funding.rates.open.tight=0.05:0.35:4 --paths 2000 --seed "$SEED" --metrics openai.default_probability,oracle.economic_loss_es --no-plots)
read -r array merge < <(submit "$work/merged" "$work/shards" "$SHARDS" run baseline --paths "$PATHS" --seed "$SEED")
echo "== submitting 2 shards of a 4-point sweep and the merge"
read -r sweep_array sweep_merge < <(submit "$work/merged-sweep" "$work/sweep-shards" 2 "${sweep[@]}")
if [ -z "$array" ] || [ -z "$merge" ] || [ -z "$sweep_array" ] || [ -z "$sweep_merge" ]; then
	echo "submit.sh did not print the job ids" >&2
	exit 1
fi
jobs="$array,$merge,$sweep_array,$sweep_merge"

echo "== the local runs, meanwhile"
"$work/backlogsim" run baseline --paths "$PATHS" --seed "$SEED" --out "$work/local" --quiet --workers 1
"$work/backlogsim" "${sweep[@]}" --out "$work/local-sweep" --quiet --workers 1

deadline=$((SECONDS + TIMEOUT))
while [ -n "$(squeue -h -j "$jobs" 2>/dev/null)" ]; do
	if [ "$SECONDS" -gt "$deadline" ]; then
		echo "jobs still queued or running after ${TIMEOUT}s:" >&2
		squeue >&2
		exit 1
	fi
	sleep 2
done
scontrol show job "$array" | grep -o 'JobId=[0-9]* ArrayJobId=[0-9]* ArrayTaskId=[0-9]*\|JobState=[A-Z_]*' | paste - - || true
for job in "$array" "$merge" "$sweep_array" "$sweep_merge"; do
	bad=$(scontrol show job "$job" | grep -o 'JobState=[A-Z_]*' | grep -v 'JobState=COMPLETED' || true)
	if [ -n "$bad" ]; then
		echo "job $job did not complete: $bad" >&2
		exit 1
	fi
done
ls "$work/shards" "$work/sweep-shards"

echo "== merged outputs against the local runs"
for f in summary.json summary.csv report.html; do
	cmp "$work/merged/$f" "$work/local/$f"
	echo "$f: identical"
done
for f in sweep.json sweep.csv; do
	cmp "$work/merged-sweep/$f" "$work/local-sweep/$f"
	echo "sweep $f: identical"
done
echo "== ci-cluster.sh: ok"
