#!/usr/bin/env bash
# bench.sh measures backlogsim's speed, scaling, memory and tail precision
# in one sitting and prints the figures the README quotes:
#
#   1. ns per entity-step of the full model and of the raw random draws it
#      needs, and their ratio (BenchmarkSimulate, BenchmarkRawDraws);
#   2. baseline paths per second with one and two workers (BenchmarkWorkers);
#   3. peak memory (maximum resident set) of `backlogsim run --no-plots` at
#      100,000 and 10,000,000 paths (/usr/bin/time -v);
#   4. the variance-reduction factor at equal time of importance sampling
#      for ES 99.9% of Oracle's backlog lost (BenchmarkTailVarianceReduction).
#
# Usage: scripts/bench.sh [--quick]   (--quick: 1,000,000 paths instead of
# 10,000,000 for the memory figure, and fewer benchmark repetitions)
#
# It takes about 15 minutes on two cores (3 with --quick). Nothing else
# should run meanwhile: the figures are wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/.."

big=10000000
count=5
if [ "${1:-}" = "--quick" ]; then
	big=1000000
	count=2
fi

if ! [ -x /usr/bin/time ]; then
	echo "bench: installing GNU time"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine"
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(go version)"

echo "== 1, 2: engine cost and scaling (go test -bench, -count $count)"
go test ./sim -run '^$' -bench '^(BenchmarkSimulate|BenchmarkRawDraws|BenchmarkWorkers)$' \
	-benchtime 5x -count "$count" | tee "$work/bench.txt" | grep '^Benchmark'
awk '
	/^BenchmarkSimulate-/ { for (i = 1; i < NF; i++) if ($(i+1) == "ns/entity-step") { full += $i; nf++ } }
	/^BenchmarkRawDraws-/ { for (i = 1; i < NF; i++) if ($(i+1) == "ns/entity-step") { raw += $i; nr++ } }
	/^BenchmarkWorkers\/workers=1-/ { for (i = 1; i < NF; i++) if ($(i+1) == "paths/s") { w1 += $i; n1++ } }
	/^BenchmarkWorkers\/workers=2-/ { for (i = 1; i < NF; i++) if ($(i+1) == "paths/s") { w2 += $i; n2++ } }
	END {
		printf "full model: %.1f ns/entity-step; raw draws: %.1f ns/entity-step; ratio %.2f\n", full/nf, raw/nr, (full/nf)/(raw/nr)
		printf "paths/s: 1 worker %.0f, 2 workers %.0f; speed-up %.2f\n", w1/n1, w2/n2, (w2/n2)/(w1/n1)
	}' "$work/bench.txt"

echo "== 3: peak memory of backlogsim run --no-plots"
go build -o "$work/backlogsim" ./cmd/backlogsim
peak() {
	rm -rf "$work/out"
	/usr/bin/time -v "$work/backlogsim" run --paths "$1" --out "$work/out" --no-plots --quiet "${@:2}" 2>&1 |
		awk '/Maximum resident set size/ { kb = $NF } /Elapsed \(wall clock\)/ { t = $NF } END { print kb, t }'
}
read -r small_kb small_t < <(peak 100000)
read -r smalls_kb smalls_t < <(peak 100000 --summary streaming)
read -r big_kb big_t < <(peak "$big")
awk -v s="$small_kb" -v st="$small_t" -v ss="$smalls_kb" -v sst="$smalls_t" -v b="$big_kb" -v bt="$big_t" -v n="$big" 'BEGIN {
	printf "100,000 paths (exact summary): %.0f MB in %s\n", s/1024, st
	printf "100,000 paths (streaming summary): %.0f MB in %s\n", ss/1024, sst
	printf "%d paths (streaming, the default above 250,000): %.0f MB in %s\n", n, b/1024, bt
	printf "peak memory ratio, %d to 100,000 paths: %.2f against the exact run, %.2f against the streaming run\n", n, b/s, b/ss
}'

echo "== 4: tail variance reduction (32 replications each of plain and importance-sampled 50,000-path runs)"
go test ./sim -run '^$' -bench '^BenchmarkTailVarianceReduction$' -benchtime 1x | grep -E 'Benchmark|ES 99.9'
