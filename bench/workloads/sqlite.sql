-- sqlite3 workload (bench/workloads.sh): an in-memory order book of @n
-- rows, indexed, aggregated, updated and pruned. Deterministic.
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, item TEXT, qty INTEGER, price REAL, note TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @n)
INSERT INTO orders
SELECT i, 'customer' || (i * 7919 % 1000), 'item' || (i % 97), i % 13 + 1, (i % 1000) / 10.0,
       printf('%0*d', 8 + i % 64, i)
FROM n;
CREATE INDEX orders_customer ON orders(customer);
SELECT customer, count(*), sum(qty * price) FROM orders GROUP BY customer ORDER BY 3 DESC LIMIT 5;
SELECT item, count(*), max(length(note)) FROM orders WHERE qty > 10 GROUP BY item ORDER BY 2 DESC LIMIT 5;
UPDATE orders SET note = note || note WHERE id % 3 = 0;
DELETE FROM orders WHERE id % 5 = 0;
SELECT o.customer, count(*) FROM orders o JOIN orders p ON p.id = o.id + 1000 AND p.customer = o.customer
GROUP BY o.customer ORDER BY 2 DESC LIMIT 3;
SELECT count(*), avg(length(note)) FROM orders;
