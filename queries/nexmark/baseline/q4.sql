-- DuckDB batch equivalent of q4 (average price for a category).
SELECT Q.category, avg(Q.final) AS avg
FROM (
  SELECT max(B.price) AS final, A.category
  FROM auction A JOIN bid B ON A.id = B.auction
  WHERE B.date_time BETWEEN A.date_time AND A.expires
  GROUP BY A.id, A.category
) Q
GROUP BY Q.category
