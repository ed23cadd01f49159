#!/usr/bin/env bash
# The audit trail under load with PostgreSQL stopped: runs bench/vs-load.sh, stops the local
# PostgreSQL cluster for OUTAGE seconds in the middle of it, starts it again, waits for the audit
# queue to drain, then compares the receipts the simulated game servers received with the receipts
# PostgreSQL holds (docs/benchmarks.md, "PostgreSQL down under load").
#
#   bench/pg-outage.sh [sessions=300] [outage=60]
#
# Needs root (pg_ctlcluster) and the local cluster infra/setup.sh runs. Stops PostgreSQL for real:
# do not run it beside anything else that needs the database.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sessions=${1:-300}
outage=${2:-60}
before=20
seconds=$((before + outage + 30))
db="postgresql://mmo:mmo@127.0.0.1:5432/mmo"
ver=$(pg_lsclusters -h | awk '$2 == "main" {print $1; exit}')

count() { psql -X -q -tA "$db" -c "$1"; }
start_pg() { pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true; }
trap start_pg EXIT

receipts_before=$(count "SELECT count(*) FROM receipts")
heads_before=$(count "SELECT count(*) FROM batch_heads")
out=$(mktemp /tmp/pg-outage-XXXX.log)
bench/vs-load.sh "$sessions" "$seconds" 0 >"$out" 2>&1 &
load=$!

# Joins need PostgreSQL: wait until every session joined and ran a while, then stop it.
until grep -q '^joined' "$out"; do
  kill -0 $load 2>/dev/null || { cat "$out"; exit 1; }
  sleep 1
done
sleep $((before + 5))
echo "stopping PostgreSQL for ${outage}s"
pg_ctlcluster --skip-systemctl-redirect "$ver" main stop -m fast
sleep "$outage"
echo "starting PostgreSQL"
start_pg
wait $load || { cat "$out"; exit 1; }
cat "$out"

# vs-load.sh stops its VS only after the audit queue is empty, so every record is in by now.
received=$(awk -F': ' '/^receipts received in all/ {print $2}' "$out")
receipts_after=$(count "SELECT count(*) FROM receipts")
heads_after=$(count "SELECT count(*) FROM batch_heads")
dups=$(count "SELECT count(*) FROM (SELECT session_id, gs_counter FROM receipts GROUP BY 1, 2 HAVING count(*) > 1) d")
echo "receipts received by the game servers: $received"
echo "receipts written to PostgreSQL during the run: $((receipts_after - receipts_before)), duplicates: $dups"
breaks=$(count "SELECT count(*) FROM batch_heads h LEFT JOIN batch_heads p ON p.batch_seq = h.batch_seq - 1 WHERE h.batch_seq > 0 AND (p.head_hash IS NULL OR p.head_hash <> h.prev_head_hash)")
echo "batch heads written during the run: $((heads_after - heads_before)), breaks in the recorded chain: $breaks"
