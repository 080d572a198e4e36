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

# Every small-multiples figure (loss-*-all) must show one panel per firm:
# a copy of the report with a script added measures, in the browser, each
# firm's panel title and x-axis label and checks that they lie inside the
# figure and that no two titles overlap. The firms are read from the
# report's provider and supplier tables, not from the charts.
probe="$(dirname "$report")/.check-panels-$$.html"
trap 'rm -rf "$work" "$probe"' EXIT
{
	cat "$report"
	cat <<'JS'
<script>
window.addEventListener('load', () => {
  const firms = [...document.querySelectorAll('#table-providers tbody td.name, #table-suppliers tbody td.name')]
    .filter(td => !td.hasAttribute('colspan')).map(td => td.textContent.trim());
  const lines = [];
  for (const svg of document.querySelectorAll('svg[id^="svg-loss-"][id$="-all"]')) {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')];
    const rect = e => e.getBoundingClientRect();
    const inside = r => r.width > 0 && r.height > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 &&
      r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    const titles = [], missing = [];
    for (const f of firms) {
      const t = texts.find(e => e.textContent.trim() === f);
      if (t && inside(rect(t))) titles.push(rect(t)); else missing.push(f);
    }
    let overlaps = 0;
    for (let i = 0; i < titles.length; i++) for (let j = i + 1; j < titles.length; j++) {
      const a = titles[i], b = titles[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
    }
    const axes = texts.filter(e => e.textContent.trim() === 'Loss (USD bn)' && inside(rect(e))).length;
    lines.push(`PANELS ${svg.id} firms=${firms.length} titles=${titles.length} axes=${axes} overlaps=${overlaps} missing=${missing.join('|')}`);
  }
  const pre = document.createElement('pre');
  pre.id = 'panel-check';
  pre.textContent = lines.join('\n');
  document.body.appendChild(pre);
});
</script>
JS
} >"$probe"
chrome --virtual-time-budget=10000 --dump-dom "file://$probe" >"$work/probe.html" 2>"$work/probe.log" ||
	{ cat "$work/probe.log" >&2; fail "chromium could not load the panel probe"; }
panels=$(grep -o 'PANELS svg-[^<]*' "$work/probe.html" || true)
[ -n "$panels" ] || { echo "no small-multiples figure measured" >&2; missing=1; }
while read -r _ id firms titles axes overlaps miss; do
	[ -n "${id:-}" ] || continue
	f=${firms#firms=}
	if [ "$f" -eq 0 ] || [ "${titles#titles=}" -ne "$f" ] || [ "${axes#axes=}" -ne "$f" ] || [ "${overlaps#overlaps=}" -ne 0 ]; then
		echo "$id: $f firms but ${titles#titles=} panel titles and ${axes#axes=} axes shown, ${overlaps#overlaps=} overlapping titles; ${miss}" >&2
		missing=1
	fi
done <<<"$panels"
npanels=$(printf '%s\n' "$panels" | grep -c PANELS || true)
[ "$svgs" -eq "$n" ] || { echo "$svgs <svg> elements in the DOM for $n charts" >&2; missing=1; }
grep -q '<td class="name">' "$work/dom.html" || { echo "no table rows" >&2; missing=1; }
[ "$missing" -eq 0 ] || fail "the rendered report is incomplete"

echo "check-report: ok: $n charts and 4 tables rendered, every firm's panel in $npanels small-multiples figures; screenshot $shot ($size bytes)"
