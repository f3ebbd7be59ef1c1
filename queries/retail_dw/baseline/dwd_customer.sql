-- DuckDB batch equivalent of dwd_customer. MASK(s, head, tail) written
-- out: a string of at most head + tail characters is kept, otherwise the
-- characters between the first head and the last tail become '*'.
-- SHA2(s, 256) is DuckDB's sha256 (lower-case hex, as MySQL's).
SELECT c.customer_id,
       CASE WHEN length(c.phone) <= 7 THEN c.phone
            ELSE left(c.phone, 3) || repeat('*', length(c.phone) - 7) || right(c.phone, 4) END AS phone,
       CASE WHEN length(c.id_card) <= 10 THEN c.id_card
            ELSE left(c.id_card, 6) || repeat('*', length(c.id_card) - 10) || right(c.id_card, 4) END AS id_card,
       substr(sha256(c.id_card), 1, 16) AS id_card_key,
       c.branch_id,
       b.region,
       c.risk_level,
       c.created_at
FROM customer c
JOIN dim_branch b ON c.branch_id = b.branch_id
WHERE c.risk_level IS NOT NULL
