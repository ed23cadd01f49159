#!/usr/bin/env bash
# Kick times on real processes (e2e/src/test/java/dev/mmo/e2e/KickTimes.java): ROUNDS game
# servers from their jar, each with CLIENTS real clients (client-lib), each session revoked by an
# operator through the VS admin API; then HIDDEN_ROUNDS whose host hides the Revoke. Prints
# request -> last client out and newest ticket -> client out (docs/benchmarks.md).
#
#   bench/kick-times.sh [rounds=20] [clients=10] [hidden-rounds=3]
#
# Uses the e2e suite's set-up: one VS from its jar against the local Redis (database 1),
# PostgreSQL (mmo_test) and RabbitMQ (vhost mmo_test), as `make test` leaves them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds=${1:-20}
clients=${2:-10}
hidden=${3:-3}

# shellcheck source=../infra/softhsm/env.sh
. infra/softhsm/env.sh
# shellcheck source=../infra/jwt/env.sh
. infra/jwt/env.sh

log=$(mktemp /tmp/kick-times-XXXX.log)
if ! ./mvnw -B -pl vs-quarkus,gs-vertx,auditor,client-lib,e2e -am verify \
    -DskipFuzz -Dspotless.check.skip=true -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=KickTimes -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dkick.rounds="$rounds" -Dkick.clients="$clients" -Dkick.hidden-rounds="$hidden" >"$log" 2>&1; then
  tail -60 "$log"
  echo "kick times: the run failed; whole log in $log" >&2
  exit 1
fi
grep -h '^kick:' e2e/target/failsafe-reports/dev.mmo.e2e.KickTimes-output.txt 2>/dev/null \
  || grep '^kick:' "$log"
