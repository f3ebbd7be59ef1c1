package sqlval

import "testing"

// go test -run '^$' -bench . ./catalog/sqlval

var (
	benchTimestamps = [][]byte{[]byte("2025-01-01 00:01:40.123"), []byte("2024-01-01T10:00:00+02:00"), []byte("2024-02-29")}
	benchDecimals   = [][]byte{[]byte("12.345"), []byte("-0.005"), []byte("999999.99")}
	benchSink       int64
)

func BenchmarkParseTimestamp(b *testing.B) {
	for i := 0; i < b.N; i++ {
		v, _ := ParseTimestamp(benchTimestamps[i%len(benchTimestamps)])
		benchSink += v
	}
}

func BenchmarkParseDecimal(b *testing.B) {
	for i := 0; i < b.N; i++ {
		v, _ := ParseDecimal(benchDecimals[i%len(benchDecimals)], 10, 2)
		benchSink += int64(v.LowBits())
	}
}

func BenchmarkAppendTimestamp(b *testing.B) {
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = AppendTimestamp(buf[:0], 1735689700123+int64(i), FracMillis)
	}
	benchSink += int64(len(buf))
}
