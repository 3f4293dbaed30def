# The frame of the scripted checks (scripts/NAME-check.sh, which take no arguments), sourced first by each:
#   source "$repo_root/scripts/check-frame.sh" NAME "$@"
# It refuses arguments with a usage line (exit 2) and gives the check: log (lines "[NAME-check] …"); fail (says what
# failed, prints "NAME check: FAILED" last and exits 1); a scratch folder $work, deleted on exit; dotnet without its
# banner and telemetry. The check prints "NAME check: passed" last itself.
check_name="$1"
if (($# > 1)); then
  echo "usage: bash scripts/$check_name-check.sh" >&2
  exit 2
fi

log() { printf '[%s-check] %s\n' "$check_name" "$*"; }
fail() {
  printf '[%s-check] FAILED: %s\n' "$check_name" "$*" >&2
  echo "$check_name check: FAILED"
  exit 1
}

work="$(mktemp -d -t "crmx-$check_name-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
