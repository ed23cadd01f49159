#!/usr/bin/env bash
# Descriptor exhaustion and recovery of a running VS: starts the packaged VS, lowers its
# descriptor limit under the connection budget it made at start-up, fills it with idle TCP connections to its HTTP port from several 127.0.0.x
# addresses (per-source limits and upgrade timeout raised, so that they stay for the whole hold
# time instead of being closed after 5 s as by default), cuts the VS's own connections to Redis,
# PostgreSQL and RabbitMQ while it has no descriptor left (so every client has to reconnect), then
# closes the idle connections and prints the state of every readiness check once a second until
# all are UP, and for 30 s more.
#
#   bench/fd-exhaustion.sh [nofile=1024] [hold=20]
#
# Seen on 2026-12-06 (nofile 1024, hold 30): in three runs of four everything was UP 0.2-3.2 s
# after the release (HSM included); in one the VS never came back: a class loaded lazily from a
# jar the Quarkus class loader could not open (EMFILE) failed on an event loop in the middle of
# closing connections, the VS kept all 1024 descriptors after the release, and it ignored SIGTERM.
#
# Needs root (ss -K), the services infra/setup.sh starts and a built VS
# (./mvnw -pl vs-quarkus -am package -DskipTests). Uses the test database, Redis database and
# vhost (MMO_TEST_DB, MMO_TEST_REDIS_DB, MMO_TEST_RABBITMQ_VHOST) when they are set.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
nofile=${1:-1024}
hold=${2:-20}
jar=vs-quarkus/target/quarkus-app/quarkus-run.jar
[ -r "$jar" ] || { echo "build the VS first: $jar is missing" >&2; exit 1; }
# shellcheck source=../infra/softhsm/env.sh
. infra/softhsm/env.sh
# shellcheck source=../infra/jwt/env.sh
. infra/jwt/env.sh

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
mgmt=$(free_port)
work=$(mktemp -d /tmp/fd-exhaustion-XXXX)
vhost=${MMO_TEST_RABBITMQ_VHOST:-mmo_test}
ready="http://127.0.0.1:$mgmt/q/health/ready"
t0=$(date +%s.%N)
stamp() { awk -v now="$(date +%s.%N)" -v t0="$t0" 'BEGIN { printf "%6.1fs", now - t0 }'; }

# The VS's established connections to each service, and the consumers RabbitMQ sees on its vhost.
links() {
  local line="" dport
  for dport in 6379 5432 5672; do
    line+="to :$dport $(ss -tnpH state established "( dport = :$dport )" | grep -c "pid=$vs,") "
  done
  echo "${line}consumers on $vhost: $(rabbitmqctl -q list_consumers -p "$vhost" 2>/dev/null | wc -l)"
}

# One line per poll: every check's name and state, or why readiness could not be read.
checks() {
  curl -s -m 2 "$ready" 2>/dev/null | python3 -c '
import json, sys
try:
    doc = json.load(sys.stdin)
except ValueError:
    print("unreachable"); sys.exit(1)
print(doc["status"], " ".join(c["name"].split(" ")[0] + "=" + c["status"] for c in doc["checks"]))
sys.exit(0 if doc["status"] == "UP" else 1)' || return 1
}

MMO_VS_PORT=$port MMO_VS_MANAGEMENT_PORT=$mgmt MMO_HSM_PROBE_INTERVAL=1s \
  MMO_DB_NAME=${MMO_TEST_DB:-mmo_test} MMO_REDIS_DB=${MMO_TEST_REDIS_DB:-1} \
  MMO_RABBITMQ_VHOST=$vhost \
  MMO_VS_HTTP_MAX_CONNECTIONS_PER_SOURCE=100000 MMO_VS_GS_SOURCE_CONNECTIONS_PER_MINUTE=1000000 \
  MMO_VS_GS_SOURCE_CONNECTION_BURST=100000 MMO_VS_GS_CONNECTIONS_PER_SECOND=100000 \
  MMO_VS_GS_CONNECTION_BURST=100000 MMO_VS_HTTP_UPGRADE_TIMEOUT=10m \
  prlimit --nofile=4096:4096 -- \
  java --add-opens jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED -jar "$jar" >"$work/vs.log" 2>&1 &
vs=$!
hog=
cleanup() {
  [ -n "$hog" ] && kill "$hog" 2>/dev/null || true
  kill "$vs" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$vs" 2>/dev/null || break; sleep 0.5; done
  # Seen once: shutdown stuck loading a class from a jar the class loader failed to open while the
  # descriptors were gone. Keep the evidence, then end it.
  if kill -0 "$vs" 2>/dev/null; then
    jstack "$vs" >"$work/jstack.txt" 2>&1 || true
    kill -9 "$vs" 2>/dev/null || true
    echo "the VS did not stop within 10 s of SIGTERM; thread dump: $work/jstack.txt"
  fi
  echo "VS log: $work/vs.log"
}
trap cleanup EXIT
for _ in $(seq 1 120); do checks >/dev/null && break; sleep 0.5; done
# The VS sizes its connection budget to the limit it starts with (4096: 3008 connections), so that
# no flood takes the descriptors it needs; lowered under that budget now, the flood below takes
# every one: the fault the budget prevents, to watch the VS recover from it.
prlimit --pid "$vs" --nofile="$nofile:$nofile"
echo "$(stamp) VS pid $vs ready (nofile lowered to $nofile): $(checks)"
echo "$(stamp) descriptors in use: $(ls /proc/$vs/fd | wc -l); $(links)"

# Idle connections from 127.0.0.2-9, more than the VS has descriptors, held until stdin closes.
mkfifo "$work/hold"
cat >"$work/hog.py" <<'EOF'
import socket, sys

port, wanted = int(sys.argv[1]), int(sys.argv[2])
held = []
for i in range(wanted):
    s = socket.socket()
    s.settimeout(0.5)
    s.bind(("127.0.0.%d" % (2 + i % 8), 0))
    try:
        s.connect(("127.0.0.1", port))
        held.append(s)
    except OSError:
        s.close()
print("connections open:", len(held), flush=True)
sys.stdin.read()
for s in held:
    s.close()
print("released", flush=True)
EOF
python3 "$work/hog.py" "$port" "$((nofile + 200))" <"$work/hold" >"$work/hog.out" 2>&1 &
hog=$!
exec 3>"$work/hold"
until grep -q "connections open" "$work/hog.out"; do sleep 0.5; done
echo "$(stamp) $(cat "$work/hog.out"); VS descriptors: $(ls /proc/$vs/fd | wc -l)"

# Cut only this VS's connections to the three services: each client must open a new one now.
for dport in 6379 5432 5672; do
  ss -tnpH state established "( dport = :$dport )" | grep "pid=$vs," | awk '{print $3}' |
    while read -r local; do
      ss -K -tnH state established "( sport = :${local##*:} and dport = :$dport )" >/dev/null
    done
done
echo "$(stamp) cut the VS's connections to Redis, PostgreSQL and RabbitMQ"
echo "$(stamp) after the cut: $(links)"
end=$(( $(date +%s) + hold ))
while [ "$(date +%s)" -lt "$end" ]; do
  echo "$(stamp) exhausted: $(checks || true); VS descriptors: $(ls /proc/$vs/fd | wc -l); $(links)"
  sleep 2
done

exec 3>&-
wait "$hog" || true
hog=
echo "$(stamp) released the idle connections; VS descriptors: $(ls /proc/$vs/fd | wc -l)"
released=$(date +%s.%N)
for _ in $(seq 1 120); do
  if line=$(checks); then
    echo "$(stamp) all UP $(awk -v now="$(date +%s.%N)" -v r="$released" \
      'BEGIN { printf "%.1f", now - r }') s after the release: $line"
    # Readiness does not tell everything (a RabbitMQ consumer that gave up): watch the links.
    for _ in 1 2 3 4 5 6; do sleep 5; echo "$(stamp) $(checks || true); $(links)"; done
    exit 0
  fi
  echo "$(stamp) $line"
  sleep 1
done
echo "$(stamp) not ready 120 s after the release"
exit 1
