#!/usr/bin/env bash
# bench.sh measures backlogsim's speed, scaling and memory in one sitting,
# beside the engine of commit 7f15316 (the reference of issue 16's
# targets), and prints every figure of the README's performance table:
#
#   1. paths per CPU-second, 7f15316 against this tree, on 7f15316's
#      baseline (sim/testdata/baseline-7f15316.toml, which both engines
#      load), and this tree on the current baseline: `backlogsim run
#      --workers 1 --summary streaming --no-plots`, user + system time
#      from /usr/bin/time, old and new alternating, compared by benchstat;
#   2. wall time of 1,000,000 baseline paths with two workers;
#   3. peak memory (maximum resident set) of `run --no-plots` at 100,000
#      paths (exact and streaming summary) and 1,000,000 paths
#      (10,000,000 with --full);
#   4. paths per second with one and two workers (BenchmarkWorkers,
#      go test -bench, benchstat);
#   5. with --full, the variance-reduction factor at equal time of
#      importance sampling (BenchmarkTailVarianceReduction).
#
# Usage: scripts/bench.sh [--full] [--count N] [--big PATHS]
# (--big replaces the 1,000,000 paths of 2 and 3, for a trial run)
#
# Without --full it takes about 4 minutes on an idle 2-core machine. The
# ratios in 1 and 4 are taken from alternating runs, so that drift in the
# machine's speed affects both sides alike; the absolute figures need a
# quiet machine. It needs git (to build 7f15316), Go, and GNU time
# (/usr/bin/time, Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

full=false
count=6
big=1000000
while [ $# -gt 0 ]; do
	case "$1" in
	--full) full=true ;;
	--count) count=$2; shift ;;
	--big) big=$2; shift ;;
	*) echo "usage: scripts/bench.sh [--full] [--count N] [--big PATHS]" >&2; exit 2 ;;
	esac
	shift
done
if ! [ -x /usr/bin/time ]; then
	echo "bench: needs GNU time at /usr/bin/time (apt-get install time)" >&2
	exit 1
fi
old_commit=7f15316
fixture=sim/testdata/baseline-7f15316.toml
benchstat() {
	if command -v benchstat >/dev/null; then
		command benchstat "$@"
	else
		go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da "$@"
	fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine"
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(go version); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "new: $(git describe --always --dirty)"

echo "== building $old_commit and this tree"
mkdir -p "$work/old"
git archive "$old_commit" | tar -x -C "$work/old"
(cd "$work/old" && go build -o "$work/backlogsim-old" ./cmd/backlogsim)
go build -o "$work/backlogsim-new" ./cmd/backlogsim

# timed BIN OUT ARGS... runs BIN run ARGS and prints "cpu-seconds
# wall-seconds peak-kB" from GNU time.
timed() {
	local bin=$1 out=$2
	shift 2
	rm -rf "$out"
	/usr/bin/time -f '%U %S %e %M' -o "$work/time.txt" "$bin" run "$@" --out "$out" --no-plots --quiet >/dev/null
	awk '{ printf "%.3f %.3f %d\n", $1 + $2, $3, $4 }' "$work/time.txt"
}
# bench_line NAME PATHS CPU prints a benchmark line benchstat reads.
bench_line() {
	awk -v n="$1" -v p="$2" -v c="$3" 'BEGIN { printf "Benchmark%s 1 %.0f ns/path %.0f paths/cpu-s\n", n, c * 1e9 / p, p / c }'
}

echo "== 1: paths per CPU-second, one worker, streaming summary, alternating old and new ($count rounds)"
paths=20000
: >"$work/old.txt"
: >"$work/new.txt"
for r in $(seq "$count"); do
	read -r c _ _ < <(timed "$work/backlogsim-old" "$work/o" "$fixture" --paths $paths --workers 1 --summary streaming)
	bench_line Fixture7f15316 $paths "$c" >>"$work/old.txt"
	read -r c _ _ < <(timed "$work/backlogsim-new" "$work/o" "$fixture" --paths $paths --workers 1 --summary streaming)
	bench_line Fixture7f15316 $paths "$c" >>"$work/new.txt"
	read -r c _ _ < <(timed "$work/backlogsim-new" "$work/o" baseline --paths $paths --workers 1 --summary streaming)
	bench_line CurrentBaseline $paths "$c" >>"$work/new.txt"
done
benchstat -col .file "old=$work/old.txt" "new=$work/new.txt" | grep -v '^$' || true
awk '/^BenchmarkFixture/ { s[FILENAME] += $5; n[FILENAME]++ } END {
	for (f in s) if (f ~ /old/) o = s[f] / n[f]; else nw = s[f] / n[f]
	printf "speed-up on the 7f15316 baseline: %.2fx paths per CPU-second (new %.0f, old %.0f; means of %d runs)\n", nw / o, nw, o, n[FILENAME]
}' "$work/old.txt" "$work/new.txt"
awk '/^BenchmarkCurrent/ { s += $5; n++ } END { printf "current baseline, new engine: %.0f paths per CPU-second\n", s / n }' "$work/new.txt"

echo "== 2, 3: wall time and peak memory of backlogsim run --no-plots (current baseline, 2 workers)"
read -r c1 w1 m1 < <(timed "$work/backlogsim-new" "$work/o" baseline --paths 100000 --workers 2)
echo "100,000 paths (default: exact summary): $(awk -v m="$m1" 'BEGIN { printf "%.0f MB", m / 1024 }') peak, ${w1} s wall, ${c1} CPU-s"
read -r c1s w1s m1s < <(timed "$work/backlogsim-new" "$work/o" baseline --paths 100000 --workers 2 --summary streaming)
echo "100,000 paths (--summary streaming): $(awk -v m="$m1s" 'BEGIN { printf "%.0f MB", m / 1024 }') peak, ${w1s} s wall, ${c1s} CPU-s"
read -r c2 w2 m2 < <(timed "$work/backlogsim-new" "$work/o" baseline --paths "$big" --workers 2)
echo "$big paths: $(awk -v m="$m2" 'BEGIN { printf "%.0f MB", m / 1024 }') peak, ${w2} s wall, ${c2} CPU-s; memory ratio to the streaming 100,000 paths $(awk -v a="$m2" -v b="$m1s" 'BEGIN { printf "%.2f", a / b }')"
if $full; then
	read -r c3 w3 m3 < <(timed "$work/backlogsim-new" "$work/o" baseline --paths 10000000 --workers 2)
	echo "10,000,000 paths: $(awk -v m="$m3" 'BEGIN { printf "%.0f MB", m / 1024 }') peak, ${w3} s wall; memory ratio to the streaming 100,000 paths $(awk -v a="$m3" -v b="$m1s" 'BEGIN { printf "%.2f", a / b }')"
else
	echo "10,000,000 paths: skipped (--full)"
fi

echo "== 4: one and two workers (BenchmarkWorkers, 16,384 paths a run, $count rounds)"
go test -c -o "$work/sim.test" ./sim
(cd sim && "$work/sim.test" -test.run '^$' -test.bench '^BenchmarkWorkers$' -test.benchtime 2x -test.count "$count") >"$work/workers.txt"
benchstat -col /workers "$work/workers.txt" | grep -v '^$' || true
awk '/workers=1-/ { for (i = 1; i < NF; i++) if ($(i+1) == "paths/s") { a += $i; na++ } }
	/workers=2-/ { for (i = 1; i < NF; i++) if ($(i+1) == "paths/s") { b += $i; nb++ } }
	END { printf "paths/s: 1 worker %.0f, 2 workers %.0f; speed-up %.2f\n", a / na, b / nb, (b / nb) / (a / na) }' "$work/workers.txt"

if $full; then
	echo "== 5: tail variance reduction (32 replications each of plain and importance-sampled 50,000-path runs)"
	(cd sim && "$work/sim.test" -test.run '^$' -test.bench '^BenchmarkTailVarianceReduction$' -test.benchtime 1x -test.v) | grep -E 'Benchmark|ES 99.9'
else
	echo "== 5: tail variance reduction: skipped (--full)"
fi
