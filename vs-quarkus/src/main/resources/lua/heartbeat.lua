-- Accepts a verified Heartbeat: advances the session's gs_counter and records when the game server
-- was last heard, atomically, so that a counter is accepted at most once across every replica.
-- KEYS[1]  the session hash (RedisKeys.session)
-- KEYS[2]  the session's notarized player positions (RedisKeys.sessionPlayers): TTL refreshed
-- ARGV[1]  owner expected to be bound (replica id / connection id)
-- ARGV[2]  the heartbeat's gs_counter: a u63 in canonical decimal, compared as a string
-- ARGV[3]  now, ms
-- ARGV[4]  TTL, ms
-- Returns 'OK', 'MISSING', 'REVOKED', 'NOT_OWNER' (another connection took the session over) or
-- 'NOT_INCREASING'.
-- uses: lib/u63 (greater)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'MISSING'
end
local s = redis.call('HMGET', KEYS[1], 'status', 'owner', 'gscount')
if s[1] ~= 'active' then
  return 'REVOKED'
end
if s[2] ~= ARGV[1] then
  return 'NOT_OWNER'
end
if not greater(ARGV[2], s[3]) then
  return 'NOT_INCREASING'
end
redis.call('HSET', KEYS[1], 'gscount', ARGV[2], 'hb', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 'OK'
