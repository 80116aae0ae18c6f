#!/usr/bin/env bash
# The test command: installs what is missing, starts a private Azurite on free ports, runs every test project,
# stops Azurite by PID and prints "N passed, N failed[, N skipped]". Exit code is non-zero on any failure.
# ARCP_TEST_FILTER=<dotnet test --filter expression> runs only the matching tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$(repo_root)"

configuration=${CONFIGURATION:-Release}
results=test-results

ensure_node_modules
# The dashboard's browser tests drive Debian's Chromium. Best-effort: without it those tests fail and say why.
if [ ! -x /usr/bin/chromium ]; then
  echo "==> apt-get install chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
    || echo "warning: chromium could not be installed; the dashboard tests will fail" >&2
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
rm -rf "$results"
mkdir -p "$results"
echo "==> dotnet restore + build ($configuration)"
# Errors go to the console in full; warnings go to $results/build-warnings.log. NU1603 (a transitive package resolved
# one version up) stays a warning but is only counted; any other warning is printed once.
build_log=$results/build-warnings.log
quiet() { "$@" -clp:ErrorsOnly -flp:"verbosity=quiet;append;logfile=$build_log"; }
quiet dotnet restore ArcpFunctions.sln --nologo -v quiet
quiet dotnet build ArcpFunctions.sln --no-restore --nologo -v quiet -c "$configuration"
grep -E ': warning [A-Z]+[0-9]+' "$build_log" | grep -v ': warning NU1603' | sort -u || true
echo "    NU1603 restore warnings ($(grep ': warning NU1603: ' "$build_log" | sed 's/^.*: warning NU1603: //; s/ \[[^]]*\]$//' | sort -u | wc -l) distinct) not shown: see $build_log"

mapfile -t ports < <(free_ports 3)
azurite_dir=$(mktemp -d)
# Azurite writes its debug/metadata files into the working directory: give it a private one.
(cd "$azurite_dir" && exec "$OLDPWD/node_modules/.bin/azurite" --silent --inMemoryPersistence --skipApiVersionCheck --disableProductStyleUrl \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "${ports[0]}" --queuePort "${ports[1]}" --tablePort "${ports[2]}" >"$azurite_dir/azurite.log" 2>&1) &
azurite_pid=$!
cleanup() { kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; rm -rf "$azurite_dir"; }
trap cleanup EXIT
for p in "${ports[@]}"; do wait_for_port "$p" "$azurite_pid" || { cat "$azurite_dir/azurite.log" >&2; exit 1; }; done
echo "==> Azurite (pid $azurite_pid) on blob ${ports[0]}, queue ${ports[1]}, table ${ports[2]}"
export ARCP_TEST_STORAGE
ARCP_TEST_STORAGE=$(azurite_connection_string "${ports[0]}" "${ports[1]}" "${ports[2]}")

export ARCP_TEST_SCREENSHOTS="$PWD/$results/screenshots"
status=0
# One test assembly at a time (-m:1): the suites start hosts, workers and browsers against one Azurite, and on two
# cores running them side by side only trades wall time for timing noise. A hung test fails after 8 minutes with its
# name in the log instead of holding the run.
filter=()
if [ -n "${ARCP_TEST_FILTER:-}" ]; then filter=(--filter "$ARCP_TEST_FILTER"); echo "==> only tests matching $ARCP_TEST_FILTER"; fi
# Per assembly: its name, any failure in full, and its "Passed!/Failed!" line; the lines every assembly repeats
# without news are dropped (a blame hang report is kept).
set +e
dotnet test ArcpFunctions.sln --no-build --nologo -c "$configuration" -m:1 "${filter[@]}" \
  --blame-hang-timeout 8m --blame-hang-dump-type none \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" 2>&1 \
  | grep --line-buffered -v -E "^(A total of 1 test files matched the specified pattern\.|Data collector 'Blame' message: All tests finished running, Sequence file will not be generated\.|Results File: .*\.trx|)$"
status=${PIPESTATUS[0]}
set -e

summary_status=0
node scripts/lib/summarize-trx.mjs "$results" || summary_status=$?
if [ $status -ne 0 ] || [ $summary_status -ne 0 ]; then exit 1; fi
