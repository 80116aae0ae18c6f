#!/usr/bin/env bash
# The run command: installs what is missing, starts Azurite (data kept in .azurite/) and the ARCP host.
# Ctrl+C stops both. Listen address: ARCP_URLS (default http://localhost:5080), or pass --urls.
# With no bearer token configured, a host listening on loopback only mints a development token for this run and prints
# it with the dashboard address and a ready CLI command (Arcp:Auth:DevelopmentToken; pass it =false to turn this off).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$(repo_root)"

ensure_node_modules
echo "==> dotnet build"
# Errors in full; warnings (NU1603: transitive packages resolved one version up) are not printed.
dotnet build src/Arcp.Host --nologo -v quiet -clp:ErrorsOnly

azurite_pid=
if port_in_use 10002; then
  echo "==> Azurite already listens on the default ports; using it"
else
  mkdir -p .azurite
  node_modules/.bin/azurite --silent --skipApiVersionCheck --location .azurite --debug .azurite/debug.log >/dev/null 2>&1 &
  azurite_pid=$!
  for p in 10000 10001 10002; do wait_for_port "$p" "$azurite_pid"; done
  echo "==> Azurite (pid $azurite_pid) on 10000-10002, data in .azurite/"
fi

host_pid=
stop() {
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null && wait "$azurite_pid" 2>/dev/null
  return 0
}
trap stop EXIT INT TERM

args=(--Arcp:Auth:DevelopmentToken=true "$@")
if ! printf '%s\n' "${args[@]}" | grep -q -- '--urls'; then args+=(--urls "${ARCP_URLS:-http://localhost:5080}"); fi
dotnet run --project src/Arcp.Host --no-build -- "${args[@]}" &
host_pid=$!
wait "$host_pid"
