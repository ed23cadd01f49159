-- Commits an audited TranscriptDigest: advances gs_counter, makes the digest the new baseline and
-- stores every player's notarized position, atomically. The caller audited the digest against the
-- baseline it read (ARGV[3]); if another digest was notarized since, nothing is written.
-- KEYS[1]  the session hash (RedisKeys.session)
-- KEYS[2]  the session's notarized player positions (RedisKeys.sessionPlayers)
-- ARGV[1]  owner expected to be bound (replica id / connection id)
-- ARGV[2]  the digest's gs_counter: a u63 in canonical decimal, compared as a string
-- ARGV[3]  gs_counter of the baseline digest the audit used ('0' for the JoinAccept)
-- ARGV[4]  the digest's tick (decimal)
-- ARGV[5]  now, ms: the VS time of notarization
-- ARGV[6]  SHA-256 of the digest frame, hex
-- ARGV[7]  TTL, ms
-- ARGV[8]  the most players a session may have notarized positions for
-- ARGV[9], ARGV[10], ...  pairs of player key (hex) and position ('x:y:tick:gs_counter')
-- Returns 'OK', 'MISSING', 'REVOKED', 'NOT_OWNER', 'NOT_INCREASING', 'CONFLICT' (the baseline
-- moved: audit again) or 'TOO_MANY_PLAYERS'.
-- uses: lib/u63 (greater)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'MISSING'
end
local s = redis.call('HMGET', KEYS[1], 'status', 'owner', 'gscount', 'ncount')
if s[1] ~= 'active' then
  return 'REVOKED'
end
if s[2] ~= ARGV[1] then
  return 'NOT_OWNER'
end
if not greater(ARGV[2], s[3]) then
  return 'NOT_INCREASING'
end
if s[4] ~= ARGV[3] then
  return 'CONFLICT'
end
local added = 0
for i = 9, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
    added = added + 1
  end
end
if redis.call('HLEN', KEYS[2]) + added > tonumber(ARGV[8]) then
  return 'TOO_MANY_PLAYERS'
end
if #ARGV >= 10 then
  redis.call('HSET', KEYS[2], unpack(ARGV, 9))
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
redis.call('HSET', KEYS[1], 'gscount', ARGV[2], 'ncount', ARGV[2], 'ntick', ARGV[4],
  'ntime', ARGV[5], 'ndigest', ARGV[6], 'hb', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 'OK'
