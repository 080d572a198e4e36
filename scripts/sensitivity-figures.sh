#!/usr/bin/env bash
# sensitivity-figures.sh regenerates the README's figures of the baseline's
# uncertainty (its [uncertainty] section):
#
#   1. the tornado and Sobol indices (backlogsim sensitivity), every run on
#      seed 1; the tornado on TORNADO_PATHS paths per run, the Sobol
#      indices from SOBOL_ROWS base rows of SOBOL_PATHS paths each;
#   2. the parameter band of every headline statistic (backlogsim run
#      --parameter-sets SETS) on SET_PATHS paths per set;
#
# and copies the charts the README shows to docs/figures/. The defaults
# take about 10 minutes on two idle cores; set the variables to change
# them, e.g. TORNADO_PATHS=2000 SOBOL_ROWS=8 for a quick look.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TORNADO_PATHS:=10000}"
: "${SOBOL_ROWS:=32}"
: "${SOBOL_PATHS:=1000}"
: "${SETS:=32}"
: "${SET_PATHS:=5000}"
out="${OUT:-out/figures}"

go build -o "$out/backlogsim" ./cmd/backlogsim
bin="$out/backlogsim"
"$bin" sensitivity baseline --seed 1 --paths "$TORNADO_PATHS" --sobol-rows "$SOBOL_ROWS" \
	--sobol-paths "$SOBOL_PATHS" --design-seed 1 --out "$out/sensitivity" --force
"$bin" run baseline --seed 1 --paths "$SET_PATHS" --parameter-sets "$SETS" --parameter-seed 1 \
	--out "$out/parameter-sets" --force

mkdir -p docs/figures
for f in tornado-openai-default-probability tornado-oracle-economic-loss-es \
	sobol-openai-default-probability sobol-oracle-economic-loss-es; do
	cp "$out/sensitivity/plots/$f.png" docs/figures/
done
cp "$out/parameter-sets/plots/parameter-bands-default-probability.png" docs/figures/
echo "sensitivity-figures: wrote docs/figures/ from $out"
