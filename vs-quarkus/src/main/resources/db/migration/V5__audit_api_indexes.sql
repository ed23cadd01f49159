-- The audit API lists revocations newest first (ORDER BY decided_at DESC, id DESC): all of them, of
-- one game server, of one session, or with one reason code. These indexes give each of those orders
-- without sorting the revocations. V1's revocations_by_session (session_id) and
-- revocations_by_game_server (gs_id) are replaced by indexes with the same leading column, so they
-- still serve every lookup by session or game server.
-- A session's receipts are read in gs_counter order through the primary key (session_id, gs_counter).
CREATE INDEX revocations_by_time ON revocations (decided_at DESC, id DESC);
CREATE INDEX revocations_by_reason ON revocations (reason_code, decided_at DESC, id DESC);
DROP INDEX revocations_by_session;
CREATE INDEX revocations_by_session ON revocations (session_id, decided_at DESC, id DESC);
DROP INDEX revocations_by_game_server;
CREATE INDEX revocations_by_game_server ON revocations (gs_id, decided_at DESC, id DESC);
