# Generates the jq workload's input: $n user records. Deterministic.
[range($n) | {id: ., name: "user\(.)", score: (. * 37 % 101),
              tags: [range(. % 5) | "t\(.)"], address: {city: "city\(. % 50)", zip: (10000 + .)}}]
