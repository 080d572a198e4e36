#!/usr/bin/env bash
# check-report.sh renders a backlogsim HTML report headless in Chromium and
# checks that it is not blank and that every chart and table made it to the
# page.
#
# Usage: scripts/check-report.sh [REPORT.html [SCREENSHOT.png]]
#
# Without REPORT.html it writes the report of the output package's test
# model (go test ./output -run TestDumpCharts) and checks that. The
# screenshot goes to SCREENSHOT.png, or to report.png next to the report.
# Chromium (Debian's chromium package) is installed with apt-get if missing.
set -euo pipefail

cd "$(dirname "$0")/.."

fail() {
	echo "check-report: $*" >&2
	exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

report=${1:-}
if [ -z "$report" ]; then
	out=$(mktemp -d)
	echo "check-report: writing the test model's report to $out"
	BACKLOGSIM_DUMP="$out" go test ./output -run '^TestDumpCharts$' -count=1 >/dev/null
	report="$out/report.html"
fi
[ -f "$report" ] || fail "no report at $report"
report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
shot=${2:-$(dirname "$report")/report.png}

browser=""
for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
if [ -z "$browser" ]; then
	echo "check-report: installing chromium"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
	browser=chromium
fi

chrome() {
	"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d -p "$work")" "$@"
}

rm -f "$shot"
chrome --hide-scrollbars --screenshot="$shot" --window-size=1400,6000 "file://$report" >"$work/shot.log" 2>&1 ||
	{ cat "$work/shot.log" >&2; fail "chromium could not take a screenshot"; }
[ -s "$shot" ] || { cat "$work/shot.log" >&2; fail "no screenshot written"; }
size=$(wc -c <"$shot")
# A blank 1400x6000 page compresses to a few kilobytes; the report's text,
# tables and charts take hundreds.
[ "$size" -gt 150000 ] || fail "screenshot $shot is only $size bytes: blank or nearly so?"

chrome --dump-dom "file://$report" >"$work/dom.html" 2>"$work/dom.log" ||
	{ cat "$work/dom.log" >&2; fail "chromium could not load the report"; }
[ -s "$work/dom.html" ] || fail "empty DOM"

# Every chart of the report is an <svg> in the rendered DOM, with the
# chart's figure around it; every table is there.
charts=$(grep -o 'id="chart-[a-z0-9-]*"' "$report" | sed 's/id="chart-//; s/"$//' | sort -u)
n=$(printf '%s\n' "$charts" | grep -c . || true)
[ "$n" -gt 0 ] || fail "the report has no charts"
missing=0
for c in $charts; do
	grep -q "id=\"chart-$c\"" "$work/dom.html" || { echo "missing figure chart-$c" >&2; missing=1; }
	grep -q "<svg id=\"svg-$c\"" "$work/dom.html" || { echo "missing <svg> svg-$c" >&2; missing=1; }
done
for t in settings table-providers table-suppliers table-customers; do
	grep -q "<table[^>]*id=\"$t\"" "$work/dom.html" || { echo "missing table $t" >&2; missing=1; }
done
svgs=$(grep -o '<svg ' "$work/dom.html" | wc -l)
[ "$svgs" -eq "$n" ] || { echo "$svgs <svg> elements in the DOM for $n charts" >&2; missing=1; }
grep -q '<td class="name">' "$work/dom.html" || { echo "no table rows" >&2; missing=1; }
[ "$missing" -eq 0 ] || fail "the rendered report is incomplete"

echo "check-report: ok: $n charts and 4 tables rendered; screenshot $shot ($size bytes)"
