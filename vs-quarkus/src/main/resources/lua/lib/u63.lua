-- Comparison of u63 counters passed as canonical decimal strings (no sign, no leading zero),
-- exactly, never as Lua numbers (doubles lose precision above 2^53).
local function greater(a, b)
  if #a ~= #b then
    return #a > #b
  end
  for i = 1, #a do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x > y
    end
  end
  return false
end
