-- A query reads a source that was never declared.
CREATE SOURCE bid (
  auction BIGINT, bidder BIGINT, price BIGINT, date_time TIMESTAMP(3)
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '1000');

CREATE MATERIALIZED VIEW bids_per_auction AS
  SELECT auction, COUNT(*) AS bids FROM bids GROUP BY auction;
