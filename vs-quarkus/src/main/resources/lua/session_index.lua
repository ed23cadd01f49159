-- Lists a session in its game server's session index and drops the entries that have expired.
-- The index is a sorted set of session ids scored by the time (VS clock, ms) until which each
-- session's state may live. It touches only its own key, so it is safe in a Redis Cluster.
-- KEYS[1]  the index (RedisKeys.sessionIndex)
-- ARGV[1]  session id, hex
-- ARGV[2]  until when the session may live, ms (its score; never lowered)
-- ARGV[3]  now, ms: entries scored before it are dropped
-- ARGV[4]  how long the index key lives at least, ms (beyond every score it holds)
-- Returns the number of sessions listed after the call.
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return redis.call('ZCARD', KEYS[1])
