package kafka

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// benchRecords is the number of ~100-byte JSON records in the benchmark topic.
const benchRecords = 1_000_000

const benchSchema = "id bigint, account varchar, amount bigint, currency varchar, channel varchar, ts bigint"

// fillBench writes n records of about 100 bytes to the 4 partitions of topic.
func fillBench(b *testing.B, addr, topic string, n int) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(addr, ",")...), kgo.ProducerLinger(5*time.Millisecond),
		kgo.RecordPartitioner(kgo.RoundRobinPartitioner()), kgo.MaxBufferedRecords(100_000))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	var firstErr error
	var buf []byte
	for i := 0; i < n; i++ {
		buf = append(buf[:0], `{"id":`...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, `,"account":"ACC-`...)
		buf = strconv.AppendInt(buf, int64(1_000_000+i%50_000), 10)
		buf = append(buf, `","amount":`...)
		buf = strconv.AppendInt(buf, int64(i*7919%100_000), 10)
		buf = append(buf, `,"currency":"EUR","channel":"web","ts":`...)
		buf = strconv.AppendInt(buf, 1_700_000_000_000+int64(i), 10)
		buf = append(buf, '}')
		r := &kgo.Record{Topic: topic, Value: append([]byte(nil), buf...)}
		cl.Produce(context.Background(), r, func(_ *kgo.Record, err error) {
			if err != nil && firstErr == nil {
				firstErr = err
			}
		})
	}
	if err := cl.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	if firstErr != nil {
		b.Fatal(firstErr)
	}
}

// BenchmarkKafkaSourceVsConsumer reads the same topic with the kafka
// source (decode into Arrow batches, then discard) and with a bare
// franz-go consumer that only counts records, and reports both rates and
// their ratio (target >= 0.5), each the best of three alternating runs.
//
//	GOFLAGS=-tags=duckdb_arrow GOMAXPROCS=1 go test ./sources/kafka -run XXX -bench KafkaSourceVsConsumer -benchtime 1x
func BenchmarkKafkaSourceVsConsumer(b *testing.B) {
	addr := cluster(b, 4, "bench")
	fillBench(b, addr, "bench", benchRecords)
	d := def(b, benchSchema, "brokers", addr, "topic", "bench", "format", "json", "scan.bounded", "latest")
	var ours, bare time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// best of 3 alternating rounds: the machines are noisy and the
		// broker shares the one core
		bestOurs, bestBare := time.Duration(1<<62), time.Duration(1<<62)
		for round := 0; round < 3; round++ {
			start := time.Now()
			if n := bareConsume(b, addr, "bench", benchRecords); n != benchRecords {
				b.Fatalf("consumer read %d records, want %d", n, benchRecords)
			}
			bestBare = min(bestBare, time.Since(start))
			start = time.Now()
			if n := sourceConsume(b, d); n != benchRecords {
				b.Fatalf("source read %d rows, want %d", n, benchRecords)
			}
			bestOurs = min(bestOurs, time.Since(start))
		}
		ours += bestOurs
		bare += bestBare
	}
	oursRate := float64(benchRecords*b.N) / ours.Seconds()
	bareRate := float64(benchRecords*b.N) / bare.Seconds()
	b.ReportMetric(oursRate, "records/s")
	b.ReportMetric(bareRate, "franz-go-records/s")
	b.ReportMetric(oursRate/bareRate, "ratio")
}

// bareConsume counts the records of topic from the start with PollFetches.
func bareConsume(b *testing.B, addr, topic string, want int) int {
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(addr, ",")...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	n := 0
	for n < want {
		fs := cl.PollFetches(context.Background())
		if err := fs.Err(); err != nil {
			b.Fatal(err)
		}
		n += fs.NumRecords()
	}
	return n
}

// sourceConsume reads the bounded source to its end, discarding batches.
func sourceConsume(b *testing.B, d *catalog.Source) int {
	src, err := exec.OpenSource(context.Background(), d, exec.SourceEnv{})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	n := 0
	for {
		batch, err := src.Next(context.Background())
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(fmt.Errorf("source: %w", err))
		}
		n += batch.NumRows()
		batch.Release()
	}
}
