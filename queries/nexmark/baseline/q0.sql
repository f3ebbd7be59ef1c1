-- DuckDB batch equivalent of q0 (pass-through) over every generated bid.
SELECT auction, bidder, price, date_time, extra FROM bid
