-- Compare-and-set of the batch-head chain tip. Every change of the tip goes through here, so all
-- VS replicas extend one chain: a head is chained only onto the tip its signer built it on.
--
-- KEYS[1]  the chain tip, a hash {seq, hash, head, sig, durable} (RedisKeys.batchChainTip())
-- ARGV[1]  the seq of the tip the caller saw, or -1 when it saw no tip
-- ARGV[2]  the head hash (hex) of the tip the caller saw; unused when ARGV[1] is -1
-- ARGV[3]  new seq (decimal)
-- ARGV[4]  new head hash (hex)
-- ARGV[5]  new batch head, its 118 bytes in hex
-- ARGV[6]  new head signature, 64 bytes in hex
-- ARGV[7]  1 when the new head is already in PostgreSQL (durable), else 0
--
-- Returns the tip after the call as {seq, hash, head, sig, durable}: the new tip when the caller's
-- view was current, else the tip that is there; an empty array when there is no tip.
local tip = KEYS[1]
local fields = {'seq', 'hash', 'head', 'sig', 'durable'}
local current = redis.call('HMGET', tip, unpack(fields))
local matches
if current[1] == false then
  matches = ARGV[1] == '-1'
else
  matches = current[1] == ARGV[1] and current[2] == ARGV[2]
end
if not matches then
  if current[1] == false then
    return {}
  end
  return current
end
redis.call('HSET', tip, 'seq', ARGV[3], 'hash', ARGV[4], 'head', ARGV[5], 'sig', ARGV[6],
  'durable', ARGV[7])
return {ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]}
