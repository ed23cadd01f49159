-- Marks a session revoked: from now on no replica advances its tickets. The decision's reason and
-- time are stored, so every round and every replica signs the same Revoke.
-- KEYS[1]  the session hash
-- ARGV[1]  reason code
-- ARGV[2]  when it was decided, ms
-- Returns 'REVOKED' when this call revoked it, 'ALREADY' when it was revoked before, 'MISSING'.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'MISSING'
end
if redis.call('HGET', KEYS[1], 'status') ~= 'active' then
  return 'ALREADY'
end
redis.call('HSET', KEYS[1], 'status', 'revoked', 'reason', ARGV[1], 'revoked', ARGV[2])
return 'REVOKED'
