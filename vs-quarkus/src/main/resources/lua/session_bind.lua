-- Binds a session to a new connection after a verified resume, advancing its gs_counter.
-- KEYS[1]  the session hash
-- ARGV[1]  the gs_counter of the ResumeRequest: a u63 in canonical decimal (no sign, no leading
--          zero), compared exactly as a string, never as a Lua number (a double)
-- ARGV[2]  owner: the connection now bound (replica id / connection id)
-- ARGV[3]  TTL, ms
-- Returns 'OK', 'MISSING', 'REVOKED' or 'NOT_INCREASING'.
-- uses: lib/u63 (greater)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'MISSING'
end
local s = redis.call('HMGET', KEYS[1], 'status', 'gscount')
if s[1] ~= 'active' then
  return 'REVOKED'
end
if not greater(ARGV[1], s[2]) then
  return 'NOT_INCREASING'
end
redis.call('HSET', KEYS[1], 'gscount', ARGV[1], 'owner', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 'OK'
