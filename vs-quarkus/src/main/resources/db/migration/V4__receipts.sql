-- Notarized claims: every ProtectedReceipt the VS released, with the signed TranscriptDigest that
-- made the claim, so an auditor can check a transcript against what was notarized.
CREATE TABLE receipts (
    session_id   bytea       NOT NULL REFERENCES sessions (id),
    gs_counter   bigint      NOT NULL CHECK (gs_counter >= 1),
    receipt_tip  bytea       NOT NULL CHECK (octet_length(receipt_tip) = 32),
    digest_hash  bytea       NOT NULL CHECK (octet_length(digest_hash) = 32),
    notarized_at timestamptz NOT NULL,
    receipt      bytea       NOT NULL,
    digest       bytea       NOT NULL,
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (session_id, gs_counter)
);

-- A revocation decided by the VS carries a record id, so that a record delivered twice (an audit
-- pipeline retrying after a failure) is written once.
ALTER TABLE revocations ADD COLUMN record_id uuid UNIQUE;
