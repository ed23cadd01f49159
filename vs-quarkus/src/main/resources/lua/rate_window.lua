-- Counts one event in a fixed window and says whether it is within the limit.
-- KEYS[1]  the window's counter (its name carries the window number)
-- ARGV[1]  the limit
-- ARGV[2]  window length, ms (the counter expires with its window)
-- Returns 1 when the event is allowed, 0 when the limit is exceeded.
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if n > tonumber(ARGV[1]) then
  return 0
end
return 1
