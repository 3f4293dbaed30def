#!/usr/bin/env bash
# Checks the plugin template end to end, as a plugin author would use it:
#   bash scripts/pack-sdk.sh --no-install FEED        the SDK, the test kit and the template in one package folder
#   dotnet new install FEED/CrmExtensions.Templates.<version>.nupkg   into a template folder of its own
#   dotnet new crmx-plugin -n Acme.Thanks             the plugin must be renamed and point at FEED
#   dotnet build, dotnet test                         must pass
#   crmx demo, then dotnet publish into crmx-demo/plugins/Acme.Thanks
#   crmx plugins list                                 must list Acme.Thanks as loaded (not refused or disabled)
# all in a temporary folder that is deleted afterwards, with a package folder of its own, so neither the packages
# just packed nor the template reach the user's. crmx runs from the Release build of host/CrmExtensions.Host (built
# here; incremental after scripts/test.sh's build).
#
#   bash scripts/template-check.sh
#
# Prints "template check: passed" last and exits 0, or says what failed and exits 1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/check-frame.sh
source "$repo_root/scripts/check-frame.sh" template "$@"
name="Acme.Thanks"

# Runs a command with its output in a log file of the scratch folder, shown only when the command fails.
#   quietly LOG DESCRIPTION COMMAND...
quietly() {
  local log_file="$work/$1" what="$2"
  shift 2
  if ! "$@" > "$log_file" 2>&1; then
    tail -n 40 "$log_file" >&2
    fail "$what did not succeed"
  fi
}
in_dir() { (cd "$1" && shift && "$@"); }
crmx() { dotnet "$repo_root/host/CrmExtensions.Host/bin/Release/net10.0/crmx.dll" "$@"; }

started=$SECONDS
feed="$work/feed"
hive="$work/templates"

log "packing the SDK, the test kit and the template into $feed"
quietly pack.log "scripts/pack-sdk.sh" bash "$repo_root/scripts/pack-sdk.sh" --no-install "$feed"
template="$(find "$feed" -maxdepth 1 -name 'CrmExtensions.Templates.*.nupkg' | head -n 1)"
[[ -n "$template" ]] || fail "scripts/pack-sdk.sh wrote no CrmExtensions.Templates package into $feed"
version="$(basename "$template" .nupkg)"
version="${version#CrmExtensions.Templates.}"
log "packed $(basename "$template")"

log "installing the template into a scratch template folder; dotnet new crmx-plugin -n $name"
quietly install.log "dotnet new install $(basename "$template")" dotnet new install "$template" --debug:custom-hive "$hive"
quietly new.log "dotnet new crmx-plugin -n $name" in_dir "$work" dotnet new crmx-plugin -n "$name" --debug:custom-hive "$hive"
plugin="$work/$name"
[[ -f "$plugin/src/$name/$name.csproj" && -f "$plugin/tests/$name.Tests/$name.Tests.csproj" && -f "$plugin/README.md" ]] \
  || fail "dotnet new crmx-plugin did not create src/$name, tests/$name.Tests and README.md in $plugin"
grep -q "public const string Id = \"$name\";" "$plugin/src/$name/Startup.cs" \
  || fail "the generated plugin's id is not '$name' (src/$name/Startup.cs)"
grep -q "value=\"$feed\"" "$plugin/nuget.config" || fail "the generated nuget.config does not point at $feed"
grep -q "Include=\"CrmExtensions.Sdk\" Version=\"$version\"" "$plugin/src/$name/$name.csproj" \
  || fail "the generated plugin does not reference CrmExtensions.Sdk $version"

# A package folder of its own: the global one may hold an older CrmExtensions.Sdk of the same version, which restore
# would take instead of the one just packed; and the packages just packed must not land in it.
log "dotnet build, dotnet test (Release) in the generated solution"
quietly build.log "dotnet build of the generated solution" \
  env NUGET_PACKAGES="$work/packages" dotnet build "$plugin" -c Release -nologo
quietly test.log "dotnet test of the generated solution" \
  env NUGET_PACKAGES="$work/packages" dotnet test "$plugin" -c Release --no-build -nologo
passed="$(grep -o 'Passed: *[0-9]*\|succeeded: *[0-9]*' "$work/test.log" | grep -o '[0-9]*' | tail -n 1)"
[[ "${passed:-0}" -gt 0 ]] || { cat "$work/test.log" >&2; fail "dotnet test ran no test in the generated solution"; }
log "generated tests: $passed passed"

log "building crmx (host/CrmExtensions.Host, Release) and running crmx demo"
quietly host.log "dotnet build host/CrmExtensions.Host" \
  dotnet build "$repo_root/host/CrmExtensions.Host/CrmExtensions.Host.csproj" -c Release -v q -nologo
mkdir -p "$work/demo"
quietly demo.log "crmx demo" in_dir "$work/demo" crmx demo
plugins="$work/demo/crmx-demo/plugins"
[[ -d "$plugins" ]] || fail "crmx demo made no plugins folder at crmx-demo/plugins"

log "publishing $name into crmx-demo/plugins/$name; crmx plugins list"
quietly publish.log "dotnet publish src/$name" \
  env NUGET_PACKAGES="$work/packages" dotnet publish "$plugin/src/$name" -c Release --no-build -o "$plugins/$name" -nologo
quietly list.log "crmx plugins list" in_dir "$work/demo/crmx-demo" crmx plugins list
line="$(grep -E "^  $name 1\.0\.0 \(SDK $version\) \[$name\]: " "$work/list.log" || true)"
if [[ -z "$line" ]]; then
  cat "$work/list.log" >&2
  fail "crmx plugins list does not list $name as loaded"
fi
log "crmx plugins list:${line}"

log "took $((SECONDS - started))s"
echo "template check: passed"
