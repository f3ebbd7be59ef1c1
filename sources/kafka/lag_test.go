package kafka

import (
	"context"
	"testing"
)

// TestKafkaLag: the lag is unknown before the first fetch, then the
// records between the source's position and the partitions' high
// watermarks after every batch, down to 0 when caught up.
func TestKafkaLag(t *testing.T) {
	addr := cluster(t, 2, "lag")
	p := producer(t, addr)
	const n = 1000
	fill(t, p, "lag", 2, 0, n, 1_700_000_000_000)
	src := opened(t, def(t, "id bigint", "brokers", addr, "topic", "lag", "format", "json"), nil, 100)
	if lag, known := src.Lag(); known {
		t.Fatalf("lag before the first fetch = %d, want unknown", lag)
	}
	read := 0
	for read < n {
		b, err := src.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if b.Rec == nil {
			continue
		}
		read += int(b.Rec.NumRows())
		b.Release()
		lag, known := src.Lag()
		if !known || lag < 0 || lag > int64(n-read) {
			t.Fatalf("after %d of %d records: lag %d (known %v), want at most %d", read, n, lag, known, n-read)
		}
	}
	if lag, _ := src.Lag(); lag != 0 {
		t.Errorf("caught up: lag %d, want 0", lag)
	}
}
