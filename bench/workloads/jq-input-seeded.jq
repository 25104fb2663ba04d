# Generates the tuning corpus's jq input (scripts/tuning-corpus): $n user
# records of the same shape as jq-input.jq's, their contents drawn from a
# Park-Miller generator started at $seed, so each seed is another input.
[foreach range($n) as $i ($seed + 1; . * 16807 % 2147483647;
  {id: $i, name: "user\(. % 100000)", score: (. % 101),
   tags: [range(. % 6) | "t\(.)"], address: {city: "city\(. % 53)", zip: (10000 + . % 90000)},
   note: ("x" * (. % 37))})]
