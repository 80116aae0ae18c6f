# Shared helpers of the run and test commands. Sourced, not executed.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

# Installs Azurite (npm ci) when node_modules is missing or older than the lock file (a linked one only when missing).
ensure_node_modules() {
  # A linked node_modules belongs to another checkout: never reinstall through the link (npm ci would empty its target).
  if [ -L node_modules ] && [ -x node_modules/.bin/azurite ]; then return; fi
  if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> npm ci (Azurite)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Prints N free loopback ports, one per line.
free_ports() {
  node -e '
    const net = require("net");
    const n = Number(process.argv[1]); const servers = []; const ports = [];
    const next = () => {
      if (ports.length === n) { servers.forEach(s => s.close()); console.log(ports.join("\n")); return; }
      const s = net.createServer(); servers.push(s);
      s.listen(0, "127.0.0.1", () => { ports.push(s.address().port); next(); });
    };
    next();' "$1"
}

# Waits until something accepts TCP connections on 127.0.0.1:$1.
wait_for_port() {
  local port=$1 pid=${2:-} tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "Azurite exited before listening on port $port" >&2; return 1
    fi
    tries=$((tries + 1))
    if [ $tries -gt 300 ]; then echo "Timed out waiting for port $port" >&2; return 1; fi
    sleep 0.1
  done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

azurite_connection_string() {
  local blob=$1 queue=$2 table=$3
  printf '%s' "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
}
