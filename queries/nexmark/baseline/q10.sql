-- DuckDB batch equivalent of q10 (log to a file system): the rows of every
-- partition file, the partition columns last as hive_partitioning reads
-- them back.
SELECT auction, bidder, price, date_time, extra, strftime(date_time, '%Y-%m-%d') AS dt, strftime(date_time, '%H:%M') AS hm
FROM bid
