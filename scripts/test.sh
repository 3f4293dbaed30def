#!/usr/bin/env bash
# Builds the solution once and runs every test assembly against throwaway services.
#
#   bash scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Store]
#
# Services the tests need are started here, one function per service, each exporting the
# environment variable its tests read; a variable already set means "use that, start nothing".
#   CRMX_TEST_POSTGRES  PostgreSQL (Npgsql connection string)
#   CRMX_TEST_SMTP      an SMTP server on loopback (host:port): postfix's smtp-sink, which accepts every mail
#   CRMX_TEST_SMTP_DUMP the folder smtp-sink writes one file per accepted mail into
# A service that cannot be provided is left out: its tests ignore themselves, or fail under CI=true.
#
# After the build come two scripted checks, each counted as one test in the summary:
#   scripts/template-check.sh  packs the SDK and the plugin template, runs 'dotnet new crmx-plugin', builds and tests
#                              the generated plugin and lists it with 'crmx plugins list' in a demo folder
#   scripts/tool-check.sh      packs crmx as a .NET tool, installs and runs it
#
# The last line printed is the summary "N passed, N failed, N skipped". The exit status is non-zero
# when the build fails, a test or a scripted check fails, or no test ran (nothing passed or failed).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cleanup_actions=()
keep_results=0

log() { printf '[test.sh] %s\n' "$*"; }
warn() { printf '[test.sh] warning: %s\n' "$*" >&2; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# Cleanup runs newest first, once, whether the script ends normally, fails or is interrupted.
cleanup() {
  local i
  for ((i = ${#cleanup_actions[@]} - 1; i >= 0; i--)); do
    eval "${cleanup_actions[i]}" || true
  done
  cleanup_actions=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A random port well away from 5432 and the ephemeral range; free now, checked again by the caller.
# Prints what FINDER finds; when it finds nothing and this is root, runs INSTALLER (whose log goes to stderr) and
# looks again. Prints nothing, with a warning saying which tests go without, when it still has nothing.
#   find_or_install FINDER INSTALLER WHAT PACKAGE SERVER TESTS
find_or_install() {
  local finder="$1" installer="$2" what="$3" package="$4" server="$5" tests="$6" found
  found="$("$finder")"
  if [[ -z "$found" ]]; then
    if ! is_root; then
      warn "$what not found and not root: no $server started; $tests tests will be ignored (failed under CI=true)"
      return 0
    fi
    if ! "$installer" >&2; then
      warn "installing $package failed: no $server started"
      return 0
    fi
    found="$("$finder")"
    if [[ -z "$found" ]]; then
      warn "$package installed but $what still not found: no $server started"
      return 0
    fi
  fi
  echo "$found"
}

pick_free_port() {
  local port attempt
  for attempt in $(seq 1 50); do
    port=$((20000 + $(od -An -tu2 -N2 /dev/urandom | tr -d ' ') % 12000))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# ---------------------------------------------------------------- PostgreSQL

postgres_bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    echo "$dir"
  fi
}

install_postgres() {
  log "PostgreSQL server binaries not found: installing Debian's postgresql package (apt-get)"
  # Like the official postgres image: no 'main' cluster; this script runs its own throwaway one.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/crmx-test.conf
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql > /dev/null
}

# Runs a server binary as the cluster's owner: initdb and postgres refuse to run as root.
as_postgres_owner() {
  if is_root; then
    # From /, since the postgres user may not be allowed into the caller's folder.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

start_postgres() {
  if [[ -n "${CRMX_TEST_POSTGRES:-}" ]]; then
    log "PostgreSQL: using CRMX_TEST_POSTGRES from the environment, starting nothing"
    return 0
  fi

  local bin
  bin="$(find_or_install postgres_bin_dir install_postgres "PostgreSQL server binaries" postgresql "PostgreSQL server" PostgreSQL)"
  [[ -n "$bin" ]] || return 0
  if is_root && ! id postgres > /dev/null 2>&1; then
    warn "running as root but there is no 'postgres' user to own the cluster: no server started"
    return 0
  fi

  local dir password port locale attempt
  dir="$(mktemp -d -t crmx-pg.XXXXXX)"
  cleanup_actions+=("rm -rf '$dir'")
  if is_root; then
    chown postgres: "$dir"
  fi
  password="$(random_hex 16)"
  printf '%s\n' "$password" > "$dir/pwfile"
  if is_root; then
    chown postgres: "$dir/pwfile"
  fi
  # C.UTF-8 keeps upper()/lower() right for Cyrillic without depending on generated locales.
  locale="C.UTF-8"
  if ! locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale="C"
  fi

  log "PostgreSQL: initdb a throwaway cluster ($("$bin/postgres" --version | awk '{print $3}'), $locale) in $dir"
  if ! as_postgres_owner "$bin/initdb" -D "$dir/data" -U crmx --pwfile="$dir/pwfile" \
      --auth=scram-sha-256 --encoding=UTF8 --locale="$locale" > "$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    warn "initdb failed: no server started"
    return 0
  fi
  rm -f "$dir/pwfile"
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$dir'"
    # A throwaway cluster: durability buys nothing and costs test time.
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
    echo "max_connections = 200"
  } >> "$dir/data/postgresql.conf"

  # Another process may take the port between the check and the bind: try a few.
  for attempt in 1 2 3 4 5; do
    port="$(pick_free_port)" || break
    if as_postgres_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port" start > /dev/null; then
      cleanup_actions+=("log 'PostgreSQL: stopping the server and deleting $dir'; as_postgres_owner '$bin/pg_ctl' -D '$dir/data' -m immediate -w stop > /dev/null")
      export CRMX_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=crmx;Password=$password;Database=postgres"
      log "PostgreSQL: listening on 127.0.0.1:$port; CRMX_TEST_POSTGRES exported"
      return 0
    fi
  done
  cat "$dir/server.log" >&2 || true
  warn "PostgreSQL would not start: no server started"
  return 0
}

# ---------------------------------------------------------------- SMTP (postfix's smtp-sink)

smtp_sink_bin() {
  local path
  for path in /usr/sbin/smtp-sink /usr/bin/smtp-sink /usr/local/sbin/smtp-sink; do
    if [[ -x "$path" ]]; then
      echo "$path"
      return 0
    fi
  done
}

install_smtp_sink() {
  log "smtp-sink not found: installing Debian's postfix package for its smtp-sink binary (apt-get); the postfix daemon is not started"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix > /dev/null
  # A package install may start the mail system; the tests want only smtp-sink, and nothing on port 25.
  postfix stop > /dev/null 2>&1 || true
}

start_smtp() {
  if [[ -n "${CRMX_TEST_SMTP:-}" ]]; then
    log "SMTP: using CRMX_TEST_SMTP from the environment, starting nothing"
    return 0
  fi

  local bin
  bin="$(find_or_install smtp_sink_bin install_smtp_sink smtp-sink postfix "SMTP server" SMTP)"
  [[ -n "$bin" ]] || return 0

  local dir port attempt pid user_args=()
  dir="$(mktemp -d -t crmx-smtp.XXXXXX)"
  cleanup_actions+=("rm -rf '$dir'")
  mkdir -p "$dir/dump"
  if is_root; then
    # smtp-sink will not keep root's privileges; the user it switches to must be able to reach and write the dump
    # (mktemp makes the folder above it private to root).
    chmod 755 "$dir"
    chmod 777 "$dir/dump"
    user_args=(-u nobody)
  fi

  for attempt in 1 2 3 4 5; do
    port="$(pick_free_port)" || break
    # -d: one file per mail (the tests count business keys in them); backlog 1000 for bursts of connections.
    "$bin" "${user_args[@]}" -d "$dir/dump/%M." "127.0.0.1:$port" 1000 > "$dir/smtp-sink.log" 2>&1 &
    pid=$!
    sleep 0.3
    if kill -0 "$pid" 2> /dev/null && port_in_use "$port"; then
      cleanup_actions+=("log 'SMTP: stopping smtp-sink'; kill $pid 2> /dev/null; wait $pid 2> /dev/null")
      export CRMX_TEST_SMTP="127.0.0.1:$port" CRMX_TEST_SMTP_DUMP="$dir/dump"
      log "SMTP: smtp-sink listening on 127.0.0.1:$port, dumping into $dir/dump; CRMX_TEST_SMTP and CRMX_TEST_SMTP_DUMP exported"
      return 0
    fi
    kill "$pid" 2> /dev/null || true
  done
  cat "$dir/smtp-sink.log" >&2 || true
  warn "smtp-sink would not start: no SMTP server started"
  return 0
}

# ---------------------------------------------------------------- a real browser for the web workspace

# Debian's chromium for the web tests (Playwright drives it; its own browser download is never used). Exports
# CRMX_TEST_CHROMIUM; installs the package when root. Without it the browser tests ignore themselves (fail under CI=true).
find_chromium() { command -v chromium || command -v chromium-browser || true; }

install_chromium() {
  log "chromium: installing Debian's chromium package (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
}

provide_chromium() {
  if [[ -n "${CRMX_TEST_CHROMIUM:-}" ]]; then
    log "chromium: using CRMX_TEST_CHROMIUM=$CRMX_TEST_CHROMIUM"
    return 0
  fi
  local found
  found="$(find_or_install find_chromium install_chromium "chromium" "chromium" "browser" "web browser")"
  if [[ -n "$found" ]]; then
    export CRMX_TEST_CHROMIUM="$found"
    log "chromium: $found; CRMX_TEST_CHROMIUM exported"
  fi
  # The web tests screenshot every page at a laptop's and a phone's width into this folder (kept after the run).
  export CRMX_WEB_SCREENSHOTS="${CRMX_WEB_SCREENSHOTS:-$repo_root/artifacts/web-screenshots}"
  mkdir -p "$CRMX_WEB_SCREENSHOTS"
  log "web screenshots go to $CRMX_WEB_SCREENSHOTS"
}

# ---------------------------------------------------------------- reports in a real browser

# The HTML reports opened in headless chromium, and a screenshot of the Pareto chart (scripts/report-screenshot.sh).
# Optional: without chromium it is skipped with a warning, except under CI=true where that is a failure.
check_report_pages() {
  local code=0
  CONFIGURATION=Release bash "$repo_root/scripts/report-screenshot.sh" || code=$?
  if ((code == 3)); then
    if [[ "${CI:-}" == "true" ]]; then
      log "report pages: no chromium under CI=true"
      return 1
    fi
    warn "report pages: no chromium; the browser check was skipped"
    return 0
  fi
  return "$code"
}

# ---------------------------------------------------------------- scripted checks

checks_passed=0
checks_failed=0

# Runs one of the scripted checks, which print "... check: passed" or say what failed; each counts as one test.
#   run_check DESCRIPTION SCRIPT
run_check() {
  log "checking $1 (scripts/$2)"
  if bash "$repo_root/scripts/$2"; then
    checks_passed=$((checks_passed + 1))
  else
    log "the $1 check failed"
    checks_failed=$((checks_failed + 1))
  fi
}

# ---------------------------------------------------------------- results

# Sums one attribute of every <Counters .../> element in the TRX files of a folder.
sum_counter() {
  local results="$1" name="$2" total=0 value
  while read -r value; do
    total=$((total + value))
  done < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | sed -n "s/.* $name=\"\([0-9]*\)\".*/\1/p")
  echo "$total"
}

# ---------------------------------------------------------------- main

main() {
  cd "$repo_root"
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

  local results status=0 passed=0 failed=0 skipped=0 total
  results="$(mktemp -d -t crmx-test-results.XXXXXX)"
  cleanup_actions+=("[[ \${keep_results:-0} == 1 ]] || rm -rf '$results'")

  log "building CrmExtensions.sln (Release)"
  if ! dotnet build CrmExtensions.sln -c Release; then
    log "build failed"
    cleanup
    echo "0 passed, 0 failed, 0 skipped"
    return 1
  fi

  # The plugin template: packed with the SDK, generated, built, tested and loaded by crmx. crmx as a .NET tool: packed,
  # installed into a scratch tool path, run (--version, demo). Each is counted as one check in the summary, so a broken
  # template or tool fails the run like a failing test. The template first: it packs on the build just made, while the
  # tool check restores the host into a package folder of its own, after which the projects would build again.
  run_check "the plugin template" template-check.sh
  run_check "crmx as a .NET tool" tool-check.sh

  start_postgres
  start_smtp
  provide_chromium

  log "running tests (CI=${CI:-<unset>}); TRX results in $results"
  dotnet test CrmExtensions.sln -c Release --no-build --logger trx --results-directory "$results" "$@" 2>&1 \
    | tee "$results/console.log" || status=$?

  # Test hosts finishing in the same second race for a TRX name; a lost file would hide its counts.
  local runs trx_files
  runs="$(grep -c '^Test run for ' "$results/console.log" || true)"
  trx_files="$(find "$results" -maxdepth 1 -name '*.trx' | wc -l)"
  if ((trx_files != runs)); then
    log "$runs test assemblies ran but $trx_files TRX files were written: the summary would be incomplete"
    status=1
    keep_results=1
  fi

  total="$(sum_counter "$results" total)"
  passed="$(sum_counter "$results" passed)"
  failed=$(($(sum_counter "$results" failed) + $(sum_counter "$results" error) + $(sum_counter "$results" timeout) + $(sum_counter "$results" aborted)))
  skipped=$((total - passed - failed))

  if ((failed > 0)); then
    log "$failed test(s) failed; TRX results kept in $results"
    keep_results=1
    status=1
  elif ((status != 0)); then
    log "dotnet test exited with status $status; TRX results kept in $results"
    keep_results=1
  elif ((passed + failed == 0)); then
    log "no test ran"
    status=1
  fi
  passed=$((passed + checks_passed))
  failed=$((failed + checks_failed))
  if ((checks_failed > 0)); then
    status=1
  fi

  if ! check_report_pages; then
    log "the HTML reports failed in the browser"
    status=1
  fi

  cleanup
  echo "$passed passed, $failed failed, $skipped skipped"
  return "$status"
}

main "$@"
