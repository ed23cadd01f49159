#!/usr/bin/env bash
# Runs the VS under simulated game servers (dev.mmo.bench.load.VsLoad): N sessions, each sending a
# Heartbeat and a TranscriptDigest every heartbeat interval (the VS's, 1 s by default), for S seconds;
# then R operator revocations.
# Prints digest -> receipt and revoke -> Revoke latencies (docs/benchmarks.md).
#
#   bench/vs-load.sh [sessions=1000] [seconds=30] [revokes=50]
#
# Starts one VS from the packaged jar on free ports against the local Redis (database 3),
# PostgreSQL (database mmo) and RabbitMQ, with connection limits raised for one source address.
# VS_JAVA_OPTS goes to the VS's JVM (a profile: VS_JAVA_OPTS=-XX:StartFlightRecording=filename=vs.jfr).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sessions=${1:-1000}
seconds=${2:-30}
revokes=${3:-50}

# shellcheck source=../infra/softhsm/env.sh
. infra/softhsm/env.sh
# shellcheck source=../infra/jwt/env.sh
. infra/jwt/env.sh

./mvnw -B -q -pl vs-quarkus,bench -am package -DskipTests -DskipFuzz -Dspotless.check.skip=true

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp /tmp/vs-load-XXXX.log)
MMO_VS_PORT=$port MMO_VS_MANAGEMENT_PORT=$mport MMO_REDIS_DB=${MMO_REDIS_DB:-3} \
  MMO_VS_GS_SOURCE_CONNECTIONS_PER_MINUTE=1000000 MMO_VS_GS_SOURCE_CONNECTION_BURST=100000 \
  MMO_VS_GS_CONNECTIONS_PER_SECOND=100000 MMO_VS_GS_CONNECTION_BURST=100000 \
  MMO_VS_GS_MAX_BINDS_IN_FLIGHT=1024 \
  java --add-opens jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED ${VS_JAVA_OPTS:-} \
  -jar vs-quarkus/target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
vs=$!
trap 'kill $vs 2>/dev/null; wait $vs 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$mport/q/health/ready" >/dev/null 2>&1 && break
  kill -0 $vs 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$mport/q/health/ready" >/dev/null || { echo "VS not ready; log: $log"; exit 1; }

# The probe, run by the load generator. "memory" (before the joins and after the measured window):
# the VS heap after a full GC, and Redis's used_memory and key count in the VS's database.
# "cpu" (at the start and end of the measured window): CPU time so far, in clock ticks, of the VS,
# the load generator (the probe's parent), Redis, RabbitMQ, PostgreSQL (every process of each),
# and of the whole machine, busy and idle (/proc/stat).
redis_db=${MMO_REDIS_DB:-3}
probe=$(mktemp /tmp/vs-load-probe-XXXX.sh)
cat >"$probe" <<PROBE
#!/usr/bin/env bash
set -euo pipefail
ticks() { # pids...: utime + stime of each, summed (a process gone meanwhile counts nothing)
  local sum=0 pid
  for pid in "\$@"; do
    [[ -r /proc/\$pid/stat ]] || continue
    sum=\$(( sum + \$(awk '{sub(/^.*\) /, ""); print \$12 + \$13}' /proc/\$pid/stat 2>/dev/null || echo 0) ))
  done
  echo \$sum
}
case "\${1:-memory}" in
  memory)
    jcmd $vs GC.run >/dev/null
    sleep 1
    heap=\$(curl -fs "http://127.0.0.1:$mport/q/metrics" |
      awk '/^jvm_memory_used_bytes\{area="heap"/ {s += \$NF} END {printf "%d", s}')
    redis=\$(redis-cli -n $redis_db info memory | tr -d '\r' | awk -F: '/^used_memory:/ {print \$2}')
    keys=\$(redis-cli -n $redis_db dbsize)
    echo "\$heap \$redis \$keys" ;;
  cpu)
    echo "hz=\$(getconf CLK_TCK)"
    echo "vs=\$(ticks $vs)"
    echo "load=\$(ticks \$PPID)"
    echo "redis=\$(ticks \$(pgrep -x redis-server || true))"
    echo "rabbitmq=\$(ticks \$(pgrep -f -u rabbitmq . || pgrep beam || true))"
    echo "postgresql=\$(ticks \$(pgrep -x postgres || true))"
    awk '/^cpu / {print "busy=" \$2+\$3+\$4+\$7+\$8+\$9; print "idle=" \$5+\$6}' /proc/stat ;;
  *) echo "usage: probe memory|cpu" >&2; exit 2 ;;
esac
PROBE
chmod +x "$probe"
trap 'kill $vs 2>/dev/null; wait $vs 2>/dev/null || true; rm -f "$probe"' EXIT

token=$(infra/jwt/mint-token.sh admin vs-load 3600)
java -cp bench/target/benchmarks.jar dev.mmo.bench.load.VsLoad \
  "http://127.0.0.1:$port" "$token" "$sessions" "$seconds" "$revokes" "$probe"
# Let the audit writer finish the queue before the VS stops (records would wait for the next VS).
for _ in $(seq 1 240); do
  depth=$(curl -fs "http://127.0.0.1:$mport/q/metrics" |
    awk '/^mmo_vs_audit_(queue_depth|held) / {n += int($2); seen++} END {if (seen == 2) print n}')
  [[ "${depth:-1}" == "0" ]] && break
  sleep 0.5
done
echo "audit records not yet written at the end (queued + held): ${depth:-unknown}"
echo "VS metrics (notarization percentiles, receipts, heartbeats):"
curl -fs "http://127.0.0.1:$mport/q/metrics" | grep -E '^mmo_vs_(notarization|receipts|heartbeats|batch_statements_per_signature|revocations)' || true
echo "VS log: $log"
