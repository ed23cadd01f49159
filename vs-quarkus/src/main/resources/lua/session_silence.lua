-- Revokes a session whose game server has been silent too long, unless a heartbeat came meanwhile.
-- Every replica's sweeper may call it for the same session: exactly one call revokes.
-- KEYS[1]  the session hash (RedisKeys.session)
-- ARGV[1]  now, ms
-- ARGV[2]  the longest silence allowed, ms
-- ARGV[3]  the reason code to revoke with (MISSED_HEARTBEATS)
-- Returns 'REVOKED' when this call revoked it, 'ALREADY' when it was revoked before, 'MISSING', or
-- the time of the last heartbeat (decimal ms) when the session is still within its allowance.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'MISSING'
end
local s = redis.call('HMGET', KEYS[1], 'status', 'hb')
if s[1] ~= 'active' then
  return 'ALREADY'
end
if tonumber(s[2]) + tonumber(ARGV[2]) >= tonumber(ARGV[1]) then
  return s[2]
end
redis.call('HSET', KEYS[1], 'status', 'revoked', 'reason', ARGV[3], 'revoked', ARGV[1])
return 'REVOKED'
