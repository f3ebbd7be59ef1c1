package pgwire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// fakeBackend answers a few fixed queries from memory. Its "store" is a
// version counter that tests bump; a transaction reads the version it
// began at, like a snapshot.
type fakeBackend struct {
	version atomic.Int64
	opened  atomic.Int64
	closed  atomic.Int64
	started chan struct{} // receives when "SELECT sleep" starts
}

func newFake() *fakeBackend { return &fakeBackend{started: make(chan struct{}, 1)} }

func (b *fakeBackend) Open(context.Context, string) (Session, error) {
	b.opened.Add(1)
	return &fakeSession{b: b}, nil
}

type fakeSession struct {
	b        *fakeBackend
	snapshot int64
	inTx     bool
}

var writeWords = map[string]bool{"INSERT": true, "UPDATE": true, "DELETE": true, "CREATE": true, "DROP": true, "COPY": true, "PRAGMA": true}

func (s *fakeSession) IsRead(_ context.Context, sql string) (bool, error) {
	kw := keywords(sql, 1)
	if len(kw) == 0 || kw[0] == "SELEC" {
		return false, fmt.Errorf("syntax error at or near %q", strings.Fields(sql)[0])
	}
	return !writeWords[kw[0]], nil
}

func (s *fakeSession) Describe(_ context.Context, sql string) (*arrow.Schema, []arrow.DataType, error) {
	switch sql {
	case "SELECT types":
		return typesSchema, nil, nil
	case "SELECT counter", "SELECT sleep":
		return arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int64}}, nil), nil, nil
	case "SELECT echo($1, $2)":
		return arrow.NewSchema([]arrow.Field{{Name: "echo", Type: arrow.BinaryTypes.String}}, nil),
			[]arrow.DataType{arrow.PrimitiveTypes.Int64, nil}, nil
	}
	return nil, nil, fmt.Errorf("Catalog Error: no such query %q", sql)
}

func (s *fakeSession) Query(ctx context.Context, sql string, args []any) (array.RecordReader, error) {
	switch sql {
	case "SELECT types":
		return reader(typesRecord()), nil
	case "SELECT counter":
		v := s.b.version.Load()
		if s.inTx {
			v = s.snapshot
		}
		return reader(int64Record("n", v)), nil
	case "SELECT sleep":
		s.b.started <- struct{}{}
		<-ctx.Done()
		return nil, errors.New("INTERRUPT Error: Interrupted!")
	case "SELECT echo($1, $2)":
		sb := array.NewStringBuilder(memory.DefaultAllocator)
		sb.Append(fmt.Sprintf("%T:%v %T:%v", args[0], args[0], args[1], args[1]))
		arr := sb.NewArray()
		defer arr.Release()
		sch := arrow.NewSchema([]arrow.Field{{Name: "echo", Type: arrow.BinaryTypes.String}}, nil)
		return reader(array.NewRecordBatch(sch, []arrow.Array{arr}, 1)), nil
	}
	return nil, fmt.Errorf("no such query %q", sql)
}

func (s *fakeSession) Begin(context.Context) error {
	s.inTx, s.snapshot = true, s.b.version.Load()
	return nil
}
func (s *fakeSession) Commit(context.Context) error   { s.inTx = false; return nil }
func (s *fakeSession) Rollback(context.Context) error { s.inTx = false; return nil }
func (s *fakeSession) Close() error                   { s.b.closed.Add(1); return nil }

func reader(rec arrow.RecordBatch) array.RecordReader {
	defer rec.Release()
	rd, _ := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
	return rd
}

func int64Record(name string, v int64) arrow.RecordBatch {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.Append(v)
	arr := b.NewArray()
	defer arr.Release()
	sch := arrow.NewSchema([]arrow.Field{{Name: name, Type: arrow.PrimitiveTypes.Int64}}, nil)
	return array.NewRecordBatch(sch, []arrow.Array{arr}, 1)
}

var typesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "i2", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
	{Name: "i4", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "i8", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "f8", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "dec", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
	{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Millisecond}, Nullable: true},
	{Name: "tstz", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "iv", Type: arrow.FixedWidthTypes.MonthDayNanoInterval, Nullable: true},
	{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
}, nil)

// typesRecord has one row of values and one row of NULLs.
func typesRecord() arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, typesSchema)
	defer b.Release()
	ts := time.Date(2024, 3, 1, 10, 20, 30, 123e6, time.UTC)
	b.Field(0).(*array.BooleanBuilder).Append(true)
	b.Field(1).(*array.Int16Builder).Append(-7)
	b.Field(2).(*array.Int32Builder).Append(123456)
	b.Field(3).(*array.Int64Builder).Append(1 << 40)
	b.Field(4).(*array.Float64Builder).Append(2.5)
	b.Field(5).(*array.Decimal128Builder).Append(decimal128.FromI64(-1250))
	b.Field(6).(*array.StringBuilder).Append("héllo")
	b.Field(7).(*array.BinaryBuilder).Append([]byte{0, 1, 255})
	b.Field(8).(*array.Date32Builder).Append(arrow.Date32FromTime(ts))
	b.Field(9).(*array.TimestampBuilder).Append(arrow.Timestamp(ts.UnixMilli()))
	b.Field(10).(*array.TimestampBuilder).Append(arrow.Timestamp(ts.UnixMicro()))
	b.Field(11).(*array.MonthDayNanoIntervalBuilder).Append(arrow.MonthDayNanoInterval{Months: 1, Days: 2, Nanoseconds: 3e9})
	lb := b.Field(12).(*array.ListBuilder)
	lb.Append(true)
	lb.ValueBuilder().(*array.Int32Builder).AppendValues([]int32{1, 2}, nil)
	for _, f := range b.Fields() {
		f.AppendNull()
	}
	return b.NewRecordBatch()
}

// startServer serves a fake backend on a free loopback port.
func startServer(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := srv.Serve(l); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		wg.Wait()
	})
	return srv, l.Addr().String()
}
