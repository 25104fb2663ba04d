# jq workload (bench/workloads.sh): filter, reshape and group a generated
# array of user records (jq-input.jq makes it).
[.[] | select(.score > 30)
     | {id, name: (.name | ascii_upcase), tags: (.tags | join("/")), city: .address.city}]
| group_by(.city)
| map({city: .[0].city, count: length, ids: map(.id), names: (map(.name) | join(","))})
| sort_by(-.count)
| .[0:5]
