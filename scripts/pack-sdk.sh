#!/usr/bin/env bash
# Packs everything a plugin author needs into one local package folder, then installs the plugin template from it:
#   CrmExtensions.Sdk            what a plugin compiles against
#   CrmExtensions.Sdk.Testing    the test kit, with the packages it depends on (CrmExtensions.Sdk.Shared,
#                                CrmExtensions.Mail.Templates, CrmExtensions.Formats)
#   CrmExtensions.Templates      'dotnet new crmx-plugin', whose --feed defaults to this folder
# (the projects listed in sdk/CrmExtensions.Sdk.Packages.slnf, packed in Release).
#
#   bash scripts/pack-sdk.sh [--no-install] [FEED]     FEED defaults to artifacts/feed
#   dotnet new crmx-plugin -n Acme.Thanks              then: cd Acme.Thanks && dotnet build && dotnet test
#
# --no-install only packs (scripts/template-check.sh installs the template into a scratch template folder of its own).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
install=1
if [[ "${1:-}" == "--no-install" ]]; then
  install=0
  shift
fi
if (($# > 1)) || [[ "${1:-}" == -* ]]; then
  echo "usage: bash scripts/pack-sdk.sh [--no-install] [FEED]" >&2
  exit 2
fi

log() { printf '[pack-sdk] %s\n' "$*"; }

feed="${1:-$repo_root/artifacts/feed}"
mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

log "packing the SDK, its test kit and the plugin template (Release) into $feed"
dotnet pack "$repo_root/sdk/CrmExtensions.Sdk.Packages.slnf" -c Release -v q -nologo \
  -p:PackageOutputPath="$feed" -p:CrmxPluginFeed="$feed"

version="$(dotnet msbuild "$repo_root/sdk/CrmExtensions.Templates/CrmExtensions.Templates.csproj" -getProperty:Version)"
template="$feed/CrmExtensions.Templates.$version.nupkg"
[[ -f "$template" ]] || { echo "[pack-sdk] dotnet pack wrote no $template" >&2; exit 1; }
log "packed SDK $version: $(cd "$feed" && ls CrmExtensions.*."$version".nupkg | tr '\n' ' ')"

# NuGet takes a version it has already extracted over the one just packed: say so rather than build on a stale SDK.
global_packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')"
if [[ -d "${global_packages%/}/crmextensions.sdk/$version" ]]; then
  log "note: ${global_packages%/}/crmextensions.sdk/$version exists; projects restored on this machine keep that copy" \
    "until it is removed (rm -rf ${global_packages%/}/crmextensions.*/$version)"
fi

if ((install == 1)); then
  log "installing the template: dotnet new install $template"
  dotnet new install "$template" --force
  log "next: dotnet new crmx-plugin -n Acme.Thanks && cd Acme.Thanks && dotnet build && dotnet test"
fi
