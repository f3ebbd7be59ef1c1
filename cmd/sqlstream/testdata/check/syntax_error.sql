-- ORDER without BY at the end of a query.
CREATE SOURCE bid (
  auction BIGINT, bidder BIGINT, price BIGINT
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '1000');

CREATE MATERIALIZED VIEW cheap AS
  SELECT auction bidder, price FROM bid WHERE price < 100 ORDER;
