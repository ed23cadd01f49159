#!/usr/bin/env bash
# make demo: the whole system on this machine, then a rogue host caught.
#
#   1. sets up Redis, PostgreSQL, RabbitMQ and the SoftHSM token (infra/setup.sh) and builds;
#   2. starts the VS from its jar, enrolls an honest game server through the admin API, starts it
#      and DEMO_CLIENTS bots (client-lib) playing on it, and shows live progress every second;
#   3. enrolls and starts a rogue host (demo/TeleportingGs: the real GS whose reports to the VS
#      teleport a player after DEMO_LIE_AFTER seconds) with its own bots: the VS's physics audit
#      revokes it, the Revoke reaches its clients and they leave; the kick time is printed;
#   4. goes on showing the honest match until Ctrl-C, which stops every process it started.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clients=${DEMO_CLIENTS:-20}
lie_after=${DEMO_LIE_AFTER:-8}

say() { printf '\033[1m[demo]\033[0m %s\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
metric() { # metric URL NAME: the value of one metric line, 0 when absent or unreachable
  { curl -fs "$1" 2>/dev/null || true; } |
    awk -v n="$2" '$1 == n {print $2; found=1} END {if (!found) print 0}'
}

pids=()
cleanup() {
  trap - EXIT INT TERM
  say "stopping everything"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  say "stopped; logs in $work"
}

infra/setup.sh
# shellcheck source=../infra/softhsm/env.sh
. infra/softhsm/env.sh
# shellcheck source=../infra/jwt/env.sh
. infra/jwt/env.sh
say "building the VS, the GS, the client library and the demo"
./mvnw -B -q -pl vs-quarkus,gs-vertx,client-lib,demo -am package -DskipTests -DskipFuzz \
  -Dspotless.check.skip=true

work=$(mktemp -d /tmp/mmo-demo-XXXX)
trap cleanup EXIT
trap 'exit 130' INT TERM
vs_port=$(free_port)
vs_mgmt=$(free_port)
say "starting the VS (http $vs_port, management $vs_mgmt; log $work/vs.log)"
MMO_VS_PORT=$vs_port MMO_VS_MANAGEMENT_PORT=$vs_mgmt MMO_REDIS_DB=${DEMO_REDIS_DB:-2} \
  java --add-opens jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED \
  -jar vs-quarkus/target/quarkus-app/quarkus-run.jar >"$work/vs.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$vs_mgmt/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$vs_mgmt/q/health/ready" >/dev/null || { say "VS not ready"; tail -30 "$work/vs.log"; exit 1; }
vs="http://127.0.0.1:$vs_port"
token=$(infra/jwt/mint-token.sh admin demo 3600)
curl -fs "$vs/api/trust-anchors" -H "Authorization: Bearer $token" |
  python3 -c 'import json,sys; [print(a["publicKey"]) for a in json.load(sys.stdin)]' >"$work/anchors.txt"

# start_gs NAME JAR [ENV...]: keygen, enroll through the admin API, run; sets gs_play, gs_ops
start_gs() {
  local name=$1 jar="$root/$2"
  shift 2
  local dir="$work/$name" id
  id="demo-$name-$(date +%s)"
  mkdir -p "$dir"
  java -jar "$jar" keygen --out "$dir/gs-key.pem" --gs-id "$id" >"$dir/keygen.out"
  curl -fs -X POST "$vs/api/game-servers" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "$(tail -1 "$dir/keygen.out")" >/dev/null
  gs_play=$(free_port)
  gs_ops=$(free_port)
  (cd "$dir" && env "$@" MMO_GS_GS_ID="$id" MMO_GS_VS_URL="ws://127.0.0.1:$vs_port/gs" \
    MMO_GS_KEY_FILE="$dir/gs-key.pem" MMO_GS_TRUST_ANCHORS_FILE="$work/anchors.txt" \
    MMO_GS_PLAY_HOST=127.0.0.1 MMO_GS_PLAY_PORT="$gs_play" \
    MMO_GS_OPS_HOST=127.0.0.1 MMO_GS_OPS_PORT="$gs_ops" \
    MMO_GS_TRANSCRIPT_DIR="$dir/transcripts" java -jar "$jar" run >"$dir/gs.log" 2>&1) &
  pids+=($!)
  local ready=""
  for _ in $(seq 1 120); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gs_ops/health/ready")" == 200 ]]; then
      ready=yes
      break
    fi
    sleep 0.5
  done
  [[ -n "$ready" ]] || { say "game server $id not ready"; tail -20 "$dir/gs.log"; exit 1; }
  gs_id=$id
  say "game server $id blessed (play $gs_play, ops $gs_ops; log $dir/gs.log)"
}

# start_bots NAME PLAY GSID SECONDS: bots in the background, their log in $work/NAME-bots.log
start_bots() {
  java -jar "$root/client-lib/target/client-lib-bots.jar" --gs "ws://127.0.0.1:$2/play" --gs-id "$3" \
    --trust-anchors "$work/anchors.txt" --clients "$clients" --seconds "$4" \
    >"$work/$1-bots.log" 2>&1 &
  pids+=($!)
}

start_gs honest gs-vertx/target/gs-vertx.jar
honest_ops=$gs_ops
start_bots honest "$gs_play" "$gs_id" 86400

progress() { # one line: what the VS and the honest GS did in the last second
  local tickets receipts inputs clients_now
  tickets=$(metric "http://127.0.0.1:$vs_mgmt/q/metrics" mmo_vs_tickets_issued_total)
  receipts=$(metric "http://127.0.0.1:$vs_mgmt/q/metrics" mmo_vs_receipts_total)
  inputs=$(metric "http://127.0.0.1:$honest_ops/metrics" mmo_gs_inputs_verified_total)
  clients_now=$(metric "http://127.0.0.1:$honest_ops/metrics" mmo_gs_clients_connected)
  printf '[demo] VS: %6.0f tickets %7.0f receipts | honest GS: %3.0f clients, %6.0f verified inputs/s\n' \
    "$tickets" "$receipts" "$clients_now" "$(python3 -c "print(max(0, $inputs - ${last_inputs:-0}))")"
  last_inputs=$inputs
}

say "honest match running with $clients bots; progress every second"
for _ in $(seq 1 8); do progress; sleep 1; done

say "now a rogue host: the same GS, but its reports to the VS teleport a player after ${lie_after}s"
start_gs rogue demo/target/demo.jar MMO_DEMO_TELEPORT_AFTER="$lie_after"
rogue_dir="$work/rogue"
rogue_session=$(grep -o 'joined: session [0-9a-f]*' "$rogue_dir/gs.log" | tail -1 | awk '{print $3}')
start_bots rogue "$gs_play" "$gs_id" 60
for _ in $(seq 1 60); do
  progress
  grep -q 'session revoked' "$rogue_dir/gs.log" 2>/dev/null && break
  sleep 1
done
sleep 2
lied_at=$(grep -o 'teleporting player [0-9a-f]* at [0-9]*' "$rogue_dir/gs.log" | awk '{print $5}' | head -1)
decided=$(curl -fs "$vs/api/sessions/$rogue_session/revocations" -H "Authorization: Bearer $token" |
  python3 -c '
import json, re, sys, datetime
r = json.load(sys.stdin)["items"][0]
at = re.sub(r"(\.\d{1,6})\d*", r"\1", r["decidedAt"]).replace("Z", "+00:00")
print(r["reasonName"], int(datetime.datetime.fromisoformat(at).timestamp() * 1000))')
say "the VS revoked the rogue host: ${decided% *} (the lie at $lied_at ms, the decision at ${decided#* } ms)"
last_out=$(grep -o 'kicked at [0-9]*' "$work/rogue-bots.log" | awk '{print $3}' | sort -n | tail -1)
if [[ -n "$last_out" && -n "$lied_at" ]]; then
  say "kick time: lie -> last client out $((last_out - lied_at)) ms; revoke decision -> last client out $((last_out - ${decided#* })) ms"
fi
grep -E '^done|disconnects' "$work/rogue-bots.log" | tail -2 | sed 's/^/[demo] rogue bots: /'

say "the honest match goes on; Ctrl-C stops everything"
while true; do progress; sleep 1; done
