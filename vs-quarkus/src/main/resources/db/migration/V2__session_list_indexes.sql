-- The admin API lists sessions newest first (ORDER BY created_at DESC, id): all of them, of one game
-- server, or in one status. These indexes give each of those orders without sorting the sessions;
-- sessions_by_game_server (V1: gs_id, created_at) is replaced by one with the same leading column,
-- so it still serves every lookup by game server.
CREATE INDEX sessions_by_time ON sessions (created_at DESC, id);
CREATE INDEX sessions_by_status ON sessions (status, created_at DESC, id);
DROP INDEX sessions_by_game_server;
CREATE INDEX sessions_by_game_server ON sessions (gs_id, created_at DESC, id);
