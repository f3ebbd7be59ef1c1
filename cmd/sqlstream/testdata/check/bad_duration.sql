-- A state TTL that is not a duration.
SET 'state.ttl' = 'one day';

CREATE SOURCE bid (
  auction BIGINT, price BIGINT
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '1000');

CREATE MATERIALIZED VIEW top_price AS SELECT auction, MAX(price) AS top FROM bid GROUP BY auction;
