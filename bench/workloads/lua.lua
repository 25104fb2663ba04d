-- lua5.4 workload (bench/workloads.sh): strings built, sorted, counted and
-- scanned, and a churn of small tables, for arg[1] items. Deterministic.
local n = tonumber(arg[1]) or 100000
local words = {}
for i = 1, n do
  words[i] = string.format("w%05d-%s", (i * 7919) % n, string.rep("ab", i % 7))
end
table.sort(words)
local counts = {}
for _, w in ipairs(words) do
  local key = w:sub(1, 4)
  counts[key] = (counts[key] or 0) + 1
end
local parts = {}
for key, count in pairs(counts) do
  parts[#parts + 1] = key .. "=" .. count
end
table.sort(parts)
local text = table.concat(parts, ",")
local total = 0
for digits in text:gmatch("=(%d+)") do
  total = total + tonumber(digits)
end
local recent = {}
for i = 1, n do
  recent[i % 1000 + 1] = { id = i, name = "obj" .. i, data = { i, i * 2, i * 3 } }
end
print(#words, total, #text, recent[1].name)
