# Every command builds with the DuckDB Arrow interface.
export GOFLAGS := -tags=duckdb_arrow

.PHONY: demo test build bench check

# The main job: run the demo pipeline into demo.duckdb, then query it.
demo:
	go run ./cmd/sqlstream run queries/demo/pipeline.sql --db demo.duckdb
	go run ./cmd/sqlstream query --db demo.duckdb "SELECT * FROM demo_summary"

# The test suite (what CI runs).
test:
	go vet ./...
	go test -count=1 ./...

build:
	go build -o bin/sqlstream ./cmd/sqlstream

# Validate every pipeline under queries/.
check:
	go run ./cmd/sqlstream check queries/*/*.sql

# The README's benchmark table, one core.
bench:
	GOMAXPROCS=1 go test -run '^$$' -bench . -benchtime 3x ./cmd/sqlstream ./exec/... ./sources/...
