-- DuckDB batch equivalent of q1 (currency conversion), exact DECIMAL.
SELECT auction, bidder, price * 0.908 AS price, date_time, extra FROM bid
