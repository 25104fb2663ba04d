-- lua5.4 workload for the tuning corpus (scripts/tuning-corpus): the same
-- program, another random seed per run: words of random lengths built,
-- sorted and grouped, and a churn of records of random shapes.
-- Usage: lua5.4 lua-seeded.lua SEED ITEMS
local seed = tonumber(arg[1]) or 1
local n = tonumber(arg[2]) or 50000
math.randomseed(seed)
local words = {}
for i = 1, n do
  words[i] = string.format("w%06d-%s", math.random(n), string.rep("ab", math.random(0, 12)))
end
table.sort(words)
local groups = {}
for _, w in ipairs(words) do
  local key = w:sub(1, 3 + math.random(0, 2))
  local g = groups[key]
  if g == nil then
    g = {}
    groups[key] = g
  end
  g[#g + 1] = w
end
local parts = {}
for key, g in pairs(groups) do
  parts[#parts + 1] = key .. "=" .. #g
end
table.sort(parts)
local text = table.concat(parts, ",")
local recent = {}
for i = 1, n do
  local fields = {}
  for f = 1, math.random(1, 8) do
    fields[f] = i * f
  end
  recent[math.random(1000)] = { id = i, name = "obj" .. i .. string.rep("x", math.random(0, 40)), data = fields }
end
print(#words, #text)
