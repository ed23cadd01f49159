-- The VS's audit trail. Redis holds the live state; these tables are the durable record.

-- Game servers the VS admits, by their enrolled long-term Ed25519 key.
CREATE TABLE game_servers (
    id            varchar(64) PRIMARY KEY,
    public_key    bytea       NOT NULL CHECK (octet_length(public_key) = 32),
    status        varchar(16) NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    enrolled_at   timestamptz NOT NULL,
    revoked_at    timestamptz,
    revoke_reason text,
    CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL))
);

-- The software hashes each game server may report at join.
CREATE TABLE allowed_software (
    gs_id    varchar(64) NOT NULL REFERENCES game_servers (id) ON DELETE CASCADE,
    sw_hash  bytea       NOT NULL CHECK (octet_length(sw_hash) = 32),
    added_at timestamptz NOT NULL,
    PRIMARY KEY (gs_id, sw_hash)
);

-- Every session the VS admitted, with the JoinAccept that pinned it.
CREATE TABLE sessions (
    id          bytea       PRIMARY KEY CHECK (octet_length(id) = 16),
    gs_id       varchar(64) NOT NULL REFERENCES game_servers (id),
    session_key bytea       NOT NULL CHECK (octet_length(session_key) = 32),
    sw_hash     bytea       NOT NULL CHECK (octet_length(sw_hash) = 32),
    join_accept bytea       NOT NULL,
    status      varchar(16) NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED', 'ENDED')),
    created_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    end_reason  integer
);
CREATE INDEX sessions_by_game_server ON sessions (gs_id, created_at);

-- Every batch head the HSM signed: the VS's own append-only, hash-chained history.
CREATE TABLE batch_heads (
    batch_seq      bigint      PRIMARY KEY CHECK (batch_seq >= 0),
    key_id         bytea       NOT NULL CHECK (octet_length(key_id) = 32),
    prev_head_hash bytea       NOT NULL CHECK (octet_length(prev_head_hash) = 32),
    time_ms        bigint      NOT NULL,
    tree_size      bigint      NOT NULL CHECK (tree_size >= 1),
    root           bytea       NOT NULL CHECK (octet_length(root) = 32),
    signature      bytea       NOT NULL CHECK (octet_length(signature) = 64),
    head_hash      bytea       NOT NULL UNIQUE CHECK (octet_length(head_hash) = 32),
    recorded_at    timestamptz NOT NULL
);

-- Revocations of sessions or whole game servers, with their evidence.
CREATE TABLE revocations (
    id          bigserial   PRIMARY KEY,
    session_id  bytea       REFERENCES sessions (id),
    gs_id       varchar(64) REFERENCES game_servers (id),
    reason_code integer     NOT NULL CHECK (reason_code BETWEEN 1 AND 999),
    evidence    jsonb,
    decided_at  timestamptz NOT NULL,
    CHECK (session_id IS NOT NULL OR gs_id IS NOT NULL)
);
CREATE INDEX revocations_by_session ON revocations (session_id);
CREATE INDEX revocations_by_game_server ON revocations (gs_id);

-- Refused joins: who tried, why, when (bounded by the per-connection and per-gs_id join limits).
CREATE TABLE join_rejections (
    id             bigserial   PRIMARY KEY,
    gs_id          varchar(64),
    reason_code    integer     NOT NULL,
    remote_address varchar(64),
    rejected_at    timestamptz NOT NULL
);
CREATE INDEX join_rejections_by_time ON join_rejections (rejected_at);
