-- Creates a session's live state, unless it exists.
-- KEYS[1]  the session hash (RedisKeys.session)
-- ARGV[1]  gs_id
-- ARGV[2]  session key, hex
-- ARGV[3]  pinned sw_hash, hex
-- ARGV[4]  statement hash of the JoinAccept, hex: the chain tip before ticket 1
-- ARGV[5]  owner: the connection bound to the session (replica id / connection id)
-- ARGV[6]  now, ms
-- ARGV[7]  TTL, ms
-- ARGV[8]  the JoinAccept's issued_at_ms: the session clock's origin (tick 0) and the baseline of
--          the first TranscriptDigest
-- ARGV[9]  the rules the JoinAccept pinned (SessionRules encoding)
-- Returns 1 when created, 0 when the session already existed.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1],
  'gs', ARGV[1], 'skey', ARGV[2], 'sw', ARGV[3],
  'status', 'active', 'reason', '0',
  'tcount', '0', 'thash', ARGV[4], 'kept', '',
  'gscount', '0', 'owner', ARGV[5], 'created', ARGV[6], 'hb', ARGV[6],
  'rules', ARGV[9], 'ncount', '0', 'ntick', '0', 'ntime', ARGV[8], 'ndigest', '',
  'start', ARGV[8])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 1
