-- Records the batch-chain tip that Redis holds as a batch_heads row. Only for an operator resolving
-- a stalled batch chain whose lost heads cannot be restored (vs-quarkus/README.md, "Batch chain
-- stalled"). The row leaves a gap in the audit trail below it, which the incident report must
-- explain; no batch_seq ever gets a second head: the insert does nothing on a batch_seq (or head)
-- already recorded, and the VS reads the row back and checks its hash before it extends it.
--
--   TIP='mmo:{batch}:chain'
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 \
--     -v head="$(redis-cli -n "$MMO_REDIS_DB" HGET "$TIP" head)" \
--     -v sig="$(redis-cli -n "$MMO_REDIS_DB" HGET "$TIP" sig)" \
--     -f vs-quarkus/ops/record-chain-tip.sql
--
-- head: the 118-byte BatchHead (docs/protocol.md section 6.1) in hex; sig: its 64-byte signature in
-- hex. Prints the batch_seq it recorded; nothing when the head is malformed or already recorded.
WITH tip AS (
  SELECT decode(:'head', 'hex') AS b, decode(:'sig', 'hex') AS sig
)
INSERT INTO batch_heads (batch_seq, key_id, prev_head_hash, time_ms, tree_size, root, signature,
                         head_hash, recorded_at)
SELECT ('x' || encode(substring(b FROM 35 FOR 8), 'hex'))::bit(64)::bigint,
       substring(b FROM 3 FOR 32),
       substring(b FROM 43 FOR 32),
       ('x' || encode(substring(b FROM 75 FOR 8), 'hex'))::bit(64)::bigint,
       ('x' || encode(substring(b FROM 83 FOR 4), 'hex'))::bit(32)::bigint,
       substring(b FROM 87 FOR 32),
       sig,
       -- The batch head hash: SHA-256("mmo/v1/batch-head\0" || the 118 bytes), protocol.md 7.
       sha256(decode('6d6d6f2f76312f62617463682d6865616400', 'hex') || b),
       now()
FROM tip
WHERE octet_length(b) = 118
  AND substring(b FROM 1 FOR 2) = '\x0120'::bytea
  AND octet_length(sig) = 64
ON CONFLICT DO NOTHING
RETURNING batch_seq;
