-- The batch-head chain tip: read, compare-and-set, and replace by a rebuild. Every change of the
-- tip goes through here, so all VS replicas extend one chain (vs-quarkus/README.md, "Batch heads
-- through the audit queue").
--
-- Each tip records the run_id of the Redis process that wrote it. A tip written by another run
-- (Redis restarted, perhaps from an older snapshot, or a replica was promoted) is stale: it may be
-- behind heads that were released, so it is never extended; only a rebuild replaces it.
--
-- KEYS[1]  the chain tip, a hash {epoch, seq, hash, head, sig, durable, committed, run}
--          (RedisKeys.batchChainTip()); seq is -1 and hash, head, sig are '' before the first head
-- ARGV[1]  'read', 'cas' (extend or mark durable: only a current tip of this run matches) or
--          'replace' (a rebuild: the tip as it was read matches, stale or not)
-- ARGV[2]  for cas/replace: '1' when the caller saw a tip, '0' when it saw none
-- ARGV[3..6]  the epoch, seq, hash and run of the tip the caller saw, as read (run: replace only)
-- ARGV[7..13] the new epoch, seq, hash, head (hex), sig (hex), durable ('1'/'0'), committed
--
-- Returns {state, current run_id, epoch, seq, hash, head, sig, durable, committed, run} after the
-- call, where state is 'absent', 'stale', 'damaged' (not a hash) or 'current'; for cas/replace, the new tip when the
-- caller's view matched, else the tip that is there.
local tip = KEYS[1]
local fields = {'epoch', 'seq', 'hash', 'head', 'sig', 'durable', 'committed', 'run'}
local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')

local function state()
  local kind = redis.call('TYPE', tip).ok
  if kind == 'none' then
    return {'absent', run}
  end
  if kind ~= 'hash' then
    return {'damaged', run, '', '', '', '', '', '', '', ''}
  end
  local values = redis.call('HMGET', tip, unpack(fields))
  local reply = {values[8] == run and 'current' or 'stale', run}
  for i = 1, #fields do
    reply[i + 2] = values[i] or ''
  end
  return reply
end

local mode = ARGV[1]
local now = state()
if mode == 'read' then
  return now
end
local matches
if now[1] == 'absent' then
  matches = ARGV[2] == '0'
else
  matches = ARGV[2] == '1' and now[3] == ARGV[3] and now[4] == ARGV[4] and now[5] == ARGV[5]
  if mode == 'cas' then
    matches = matches and now[1] == 'current'
  else
    matches = matches and now[10] == ARGV[6]
  end
end
if not matches then
  return now
end
redis.call('DEL', tip)
redis.call('HSET', tip, 'epoch', ARGV[7], 'seq', ARGV[8], 'hash', ARGV[9], 'head', ARGV[10],
  'sig', ARGV[11], 'durable', ARGV[12], 'committed', ARGV[13], 'run', run)
return state()
