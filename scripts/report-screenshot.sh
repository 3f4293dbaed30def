#!/usr/bin/env bash
# Opens the HTML reports of 'crmx demo' in a real headless browser (Debian's chromium) and takes a screenshot of
# the Pareto chart.
#
#   bash scripts/report-screenshot.sh [OUT_DIR]
#
# Builds crmx (Debug, or $CONFIGURATION), runs the demo in a temporary folder, then for every report page:
# loads it with --dump-dom and fails on a console error, an uncaught exception or a page without its chart and
# table; and writes OUT_DIR/pareto.png (default: a temporary folder), failing when the PNG is missing or so
# small that nothing was drawn. Installs chromium with apt-get when run as root and it is missing.
# Exit status: 0 all good, 1 a check failed, 3 no browser could be found or installed.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
configuration="${CONFIGURATION:-Debug}"
log() { printf '[report-screenshot] %s\n' "$*"; }
fail() { printf '[report-screenshot] FAILED: %s\n' "$*" >&2; exit 1; }

# The browser scripts/test.sh found (CRMX_TEST_CHROMIUM) when it runs this, else chromium on the PATH.
find_browser() { [[ -n "${CRMX_TEST_CHROMIUM:-}" ]] && echo "$CRMX_TEST_CHROMIUM" || command -v chromium || command -v chromium-browser || true; }

browser="$(find_browser)"
if [[ -z "$browser" && "$(id -u)" == 0 ]]; then
  log "chromium not found: installing Debian's chromium package (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null || true
  browser="$(find_browser)"
fi
if [[ -z "$browser" ]]; then
  printf '[report-screenshot] no chromium found (install the chromium package, or run as root to have it installed)\n' >&2
  exit 3
fi

work="$(mktemp -d -t crmx-report-shot.XXXXXX)"
trap 'rm -rf "$work"' EXIT
out="${1:-$work/out}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

log "building crmx ($configuration)"
dotnet build "$repo_root/host/CrmExtensions.Host" -c "$configuration" -v quiet -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "build"; }
crmx="$repo_root/host/CrmExtensions.Host/bin/$configuration/net10.0/crmx.dll"

log "running the demo in $work/demo"
(cd "$work" && dotnet "$crmx" demo --dir demo --counterparties 2000 > "$work/demo.log" 2>&1) || { cat "$work/demo.log" >&2; fail "crmx demo"; }
reports="$work/demo/reports"

# One profile for the run, inside the temporary folder: root needs --no-sandbox, and nothing touches $HOME.
chrome=("$browser" --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir="$work/profile" --enable-logging=stderr --v=0)

for page in pareto aging managers dynamics; do
  file="$reports/$page.html"
  [[ -f "$file" ]] || fail "the demo wrote no $page.html"
  "${chrome[@]}" --dump-dom "file://$file" > "$work/$page.dom" 2> "$work/$page.log" || { cat "$work/$page.log" >&2; fail "chromium could not load $page.html"; }
  if grep -E 'Uncaught|ERROR:CONSOLE|Refused to' "$work/$page.log"; then
    fail "$page.html logged errors in the browser"
  fi
  grep -q '<svg' "$work/$page.dom" || fail "$page.html has no chart once loaded"
  grep -q '</table>' "$work/$page.dom" || fail "$page.html has no table once loaded"
  log "$page.html loads without errors: chart and table present"
done

png="$out/pareto.png"
rm -f "$png"
"${chrome[@]}" --screenshot="$png" --window-size=1200,900 --hide-scrollbars "file://$reports/pareto.html" > /dev/null 2> "$work/shot.log" || { cat "$work/shot.log" >&2; fail "screenshot"; }
[[ -f "$png" ]] || fail "no screenshot written"
[[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || fail "$png is not a PNG"
size="$(stat -c %s "$png")"
# A blank 1200x900 page compresses to a few KB; bars, lines, labels and a table take tens of KB.
(( size > 20000 )) || fail "$png is only $size bytes: the page looks empty"
log "screenshot of the Pareto chart: $png ($size bytes)"
