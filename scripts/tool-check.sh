#!/usr/bin/env bash
# Checks that crmx installs as a .NET tool and works from the installed copy:
#   dotnet pack host/CrmExtensions.Host -c Release -o FEED
#   dotnet tool install --tool-path TOOLS --add-source FEED CrmExtensions.Crmx
#   TOOLS/crmx --version, then TOOLS/crmx demo in an empty folder (the shipped plugins and the sample campaign pack
#   must come from inside the tool)
# all in a temporary folder that is deleted afterwards.
# The pack builds (incrementally after a Release build): the host copies the shipped plugins beside crmx in a build
# step, which 'dotnet pack --no-build' would skip, leaving them out of the tool.
#
#   bash scripts/tool-check.sh
#
# Prints "tool check: passed" last and exits 0, or says what failed and exits 1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/check-frame.sh
source "$repo_root/scripts/check-frame.sh" tool "$@"
package_id="CrmExtensions.Crmx"

# A package folder of its own: the global one may hold an older CrmExtensions.Crmx of the same version, which
# 'dotnet tool install' would take instead of the one just packed.
export NUGET_PACKAGES="$work/packages"

log "packing host/CrmExtensions.Host (Release) into $work/feed"
if ! dotnet pack "$repo_root/host/CrmExtensions.Host/CrmExtensions.Host.csproj" -c Release -o "$work/feed" \
    -v q -nologo > "$work/pack.log" 2>&1; then
  cat "$work/pack.log" >&2
  fail "dotnet pack host/CrmExtensions.Host did not succeed"
fi
package="$(find "$work/feed" -maxdepth 1 -name "$package_id.*.nupkg" ! -name '*.snupkg' | head -n 1)"
[[ -n "$package" ]] || fail "dotnet pack wrote no $package_id package into $work/feed"
log "packed $(basename "$package")"

log "installing $package_id into a scratch tool path"
if ! dotnet tool install --tool-path "$work/tools" --add-source "$work/feed" "$package_id" > "$work/install.log" 2>&1; then
  cat "$work/install.log" >&2
  fail "dotnet tool install $package_id from $work/feed did not succeed"
fi
crmx="$work/tools/crmx"
[[ -x "$crmx" ]] || fail "the installed tool has no 'crmx' command in $work/tools"

version="$("$crmx" --version 2>&1)" || fail "crmx --version exited with status $?: $version"
[[ "$version" == crmx\ * ]] || fail "crmx --version printed '$version', not 'crmx <version> …'"
log "crmx --version: $version"

log "running crmx demo from the installed tool"
mkdir -p "$work/demo"
if ! (cd "$work/demo" && "$crmx" demo > "$work/demo.out" 2> "$work/demo.err"); then
  tail -n 20 "$work/demo.out" >&2 || true
  cat "$work/demo.err" >&2 || true
  fail "crmx demo exited with a failure"
fi
for plugin in Greetings Lifecycle Receivables Sales; do
  grep -q "shipped plugins installed in plugins/.*CrmExtensions.Plugins.$plugin" "$work/demo.out" \
    || fail "crmx demo did not install the shipped plugin CrmExtensions.Plugins.$plugin from the tool"
done
grep -q "campaign 'demo-statement' (campaigns/statement)" "$work/demo.out" \
  || fail "crmx demo did not run the sample campaign pack from the tool"
[[ -f "$work/demo/crmx-demo/campaigns/statement/pack.json" ]] \
  || fail "crmx demo did not copy the sample campaign pack out of the tool"
log "crmx demo: shipped plugins and the sample campaign pack found inside the tool"

echo "tool check: passed"
