#!/usr/bin/env bash
# Redis's own time per call (INFO commandstats usec_per_call, 30,000 calls each from redis-benchmark, one client) of
# single commands and scripts, on a private, otherwise idle redis-server. Needs redis-server, redis-cli and
# redis-benchmark on PATH (Debian: redis-server and redis-tools). Run from anywhere:
#   bash allocator-benchmarks/script-cost/script-cost.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
range="$root/allocator-core/src/main/resources/io/github/idallocator/range"
port=$((20000 + RANDOM % 20000))
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "/tmp/idallocator-script-cost-$port.pid" --logfile "/tmp/idallocator-script-cost-$port.log"
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -f /tmp/idallocator-script-cost-$port.log' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
cli() { redis-cli -p "$port" "$@"; }

# An operation's full text as LuaScripts builds it: the helpers named on its "-- needs:" line, then the file.
compose() {
  local needs
  needs="$(grep -m1 '^-- needs:' "$1" | cut -d: -f2-)"
  for helper in $needs; do cat "$range/$helper"; echo; done
  cat "$1"
}

# Runs redis-benchmark with the given command and prints the server's time per call of one command name.
per_call() {
  local label=$1 command=$2
  shift 2
  cli config resetstat >/dev/null
  redis-benchmark -p "$port" -n 30000 -c 1 -q "$@" >/dev/null 2>&1
  printf '%-62s %6s us\n' "$label" \
    "$(cli info commandstats | grep "^cmdstat_$command:" | sed -E 's/.*usec_per_call=([0-9.]+).*/\1/')"
}

echo "redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/') on 127.0.0.1:$port"
for bits in 4096 65536 262144 1048576; do
  cli del bitmap >/dev/null
  cli eval "redis.call('SETRANGE', KEYS[1], 0, string.rep('\\255', tonumber(ARGV[1])))" 1 bitmap $((bits / 8)) >/dev/null
  per_call "BITPOS 0 over a full bitmap of $bits bits" bitpos BITPOS bitmap 0
done

keys="idalloc:{c}:meta idalloc:{c}:bitmap idalloc:{c}:full idalloc:{c}:leases idalloc:{c}:deadlines"
keys="$keys idalloc:{c}:ranges idalloc:{c}:resting idalloc:{c}:creator idalloc:{c}:notes"
# allocate.lua's arguments: a range of 2^18 ids (no block summary), no reuse delay, a 5-minute lease, one id, no note.
args="0 262143 262144 0 instance-0123456789abcdef 300000 1 ''"
run_script() {
  local label=$1 text=$2 sha
  cli flushall >/dev/null
  cli script flush >/dev/null
  sha="$(cli script load "$text")"
  # shellcheck disable=SC2086
  eval per_call "\"$label\"" evalsha EVALSHA "$sha" 9 $keys $args
  echo "    leases stored afterwards: $(cli hlen 'idalloc:{c}:leases')"
}
run_script "EVALSHA 'return 1' with allocate's 9 keys and 8 arguments" "return 1"
run_script "EVALSHA allocate.lua (library), 2^18 ids" "$(compose "$range/allocate.lua")"
run_script "EVALSHA allocate_inlined.lua (same commands, inline), 2^18 ids" \
  "$(cat "$root/allocator-benchmarks/script-cost/allocate_inlined.lua")"
