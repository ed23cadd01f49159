-- Batch heads reach PostgreSQL through the audit queue (vs-quarkus/README.md, "Batch heads through
-- the audit queue"), so signing goes on while PostgreSQL is down. The chain tip lives in Redis; when
-- Redis loses it, a replica rebuilds it from the newest recorded head after a fence has drained the
-- queue, and starts a new epoch there.

-- The epoch a head was signed in. Heads recorded before epochs existed are epoch 0.
ALTER TABLE batch_heads ADD COLUMN epoch bigint NOT NULL DEFAULT 0 CHECK (epoch >= 0);
ALTER TABLE batch_heads ALTER COLUMN epoch DROP DEFAULT;

-- One row per rebuild of the chain tip: from first_seq on, the chain continues in this epoch only.
-- A head of an older epoch at or above first_seq was never released (its signer could not mark it
-- durable on the replaced tip): it is kept in superseded_batch_heads, never in batch_heads.
CREATE TABLE batch_chain_epochs (
    epoch          bigint      PRIMARY KEY CHECK (epoch >= 1),
    first_seq      bigint      NOT NULL CHECK (first_seq >= 0),
    prev_head_hash bytea       NOT NULL CHECK (octet_length(prev_head_hash) = 32),
    fence_id       uuid        NOT NULL,
    started_at     timestamptz NOT NULL
);

-- Signed heads that lost their position to a rebuilt tip; evidence, never part of the chain.
CREATE TABLE superseded_batch_heads (
    epoch          bigint      NOT NULL,
    batch_seq      bigint      NOT NULL CHECK (batch_seq >= 0),
    key_id         bytea       NOT NULL CHECK (octet_length(key_id) = 32),
    prev_head_hash bytea       NOT NULL CHECK (octet_length(prev_head_hash) = 32),
    time_ms        bigint      NOT NULL,
    tree_size      bigint      NOT NULL CHECK (tree_size >= 1),
    root           bytea       NOT NULL CHECK (octet_length(root) = 32),
    signature      bytea       NOT NULL CHECK (octet_length(signature) = 64),
    head_hash      bytea       NOT NULL CHECK (octet_length(head_hash) = 32),
    recorded_at    timestamptz NOT NULL,
    PRIMARY KEY (epoch, batch_seq)
);

-- Fences a rebuild sent through the audit queue: once one is here, every record the broker
-- confirmed before it was sent is written too (the queue has a single active consumer).
CREATE TABLE audit_fences (
    id         uuid        PRIMARY KEY,
    written_at timestamptz NOT NULL
);
