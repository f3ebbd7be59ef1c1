# Every command builds with the DuckDB Arrow interface.
export GOFLAGS := -tags=duckdb_arrow

.PHONY: demo test build bench check

# The main job: run the demo pipelines into DuckDB files, then query them.
demo:
	go run ./cmd/sqlstream run queries/retail_dw/pipeline.sql --db retail.duckdb
	go run ./cmd/sqlstream query --db retail.duckdb \
	  "SELECT o.branch_id, o.region, o.customers, o.accounts, n.net_inflow AS region_net_inflow FROM ads_branch_overview o JOIN ads_net_inflow n USING (region) ORDER BY o.branch_id LIMIT 8"
	go run ./cmd/sqlstream run queries/demo/pipeline.sql --db demo.duckdb
	go run ./cmd/sqlstream query --db demo.duckdb \
	  "SELECT band, count(*) AS bids, sum(price_eur) AS total_eur, max(price_eur) AS top_eur FROM bid_eur GROUP BY band ORDER BY band"
	go run ./cmd/sqlstream query --db demo.duckdb \
	  "SELECT channel, count(*) AS loan_requests, sum(amount) AS amount, min(customer_masked) AS sample_customer FROM dwd_loan_request GROUP BY channel ORDER BY channel"

# The test suite (what CI runs).
test:
	go vet ./...
	go test -count=1 -timeout 30m ./...

build:
	go build -o bin/sqlstream ./cmd/sqlstream

# Validate every pipeline under queries/.
check:
	go run ./cmd/sqlstream check queries/*/*.sql

# The README's benchmark table, one core.
bench:
	GOMAXPROCS=1 go test -run '^$$' -bench Nexmark -benchtime 3x ./cmd/sqlstream
	GOMAXPROCS=1 go test -run '^$$' -bench JSONLinesVsDuckDB -benchtime 1x ./sources/file
	GOMAXPROCS=1 go test -run '^$$' -bench FilterProject ./exec
	go test -run '^$$' -bench . ./exec/expr
	GOMAXPROCS=1 go test -run '^$$' -bench 'HashAgg|Join' -benchtime 3x ./exec
	GOMAXPROCS=1 go test -run '^$$' -bench 'LookupJoin|CommitChangelog' -benchtime 5x ./sinks/duckdb
	GOMAXPROCS=1 go test -run '^$$' -bench KafkaSourceVsConsumer -benchtime 1x ./sources/kafka
	GOMAXPROCS=1 go test -run '^$$' -bench PostgresUpsertSink -benchtime 1x ./sinks/postgres
	SQLSTREAM_CKBENCH_KEYS=10000000 GOMAXPROCS=1 go test -run '^$$' -bench CheckpointOverhead -benchtime 1x ./cmd/sqlstream
