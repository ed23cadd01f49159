-- Advances a session's ticket chain tip by one ticket, atomically, so that any VS replica can
-- continue the chain and no counter is ever issued twice.
-- KEYS[1]  the session hash
-- ARGV[1]  owner expected to be bound (replica id / connection id)
-- ARGV[2]  counter of the current tip (decimal, compared as a string)
-- ARGV[3]  statement hash of the current tip, hex
-- ARGV[4]  the new ticket's counter (current + 1)
-- ARGV[5]  the new ticket's statement hash, hex
-- ARGV[6]  the tickets kept after this one (KeptTicket encoding, the new one last): the caller
--          read them together with ARGV[2] and ARGV[3], so they belong to the tip it checks
-- ARGV[7]  TTL, ms
-- Returns 'OK', 'MISSING', 'REVOKED', 'NOT_OWNER' (another connection took the session over) or
-- 'CONFLICT' (the tip moved: re-read it).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'MISSING'
end
local s = redis.call('HMGET', KEYS[1], 'status', 'owner', 'tcount', 'thash')
if s[1] ~= 'active' then
  return 'REVOKED'
end
if s[2] ~= ARGV[1] then
  return 'NOT_OWNER'
end
if s[3] ~= ARGV[2] or s[4] ~= ARGV[3] then
  return 'CONFLICT'
end
redis.call('HSET', KEYS[1], 'tcount', ARGV[4], 'thash', ARGV[5], 'kept', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 'OK'
