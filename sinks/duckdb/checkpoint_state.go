package duckdb

import (
	"database/sql/driver"
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	duckdrv "github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/exec"
)

// stateBuf buffers one operator's state changes of an epoch: the last
// write per key, its value bytes in one arena. Store.Commit applies every
// operator's changes in bulk (flushState).
type stateBuf struct {
	store *Store
	op    string
	last  map[string]stateVal
	arena []byte
}

// stateVal is a buffered change: a value (arena[off:off+n]) or a delete.
type stateVal struct {
	off, n int
	del    bool
}

var (
	_ exec.StateWriter = (*stateBuf)(nil)
	_ exec.StateReader = stateReader{}
)

// State returns the writer of operator op's state changes for the next
// Commit and the reader of its committed state (exec.CheckpointStore).
func (s *Store) State(op string) (exec.StateWriter, exec.StateReader, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ck == nil {
		return nil, nil, errNoResume("state of " + op)
	}
	b, ok := s.ck.states[op]
	if !ok {
		b = &stateBuf{store: s, op: op, last: map[string]stateVal{}}
		s.ck.states[op] = b
	}
	return b, stateReader{store: s, op: op}, nil
}

// Put buffers key = value (both copied).
func (b *stateBuf) Put(key, value []byte) error {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	off := len(b.arena)
	b.arena = append(b.arena, value...)
	b.last[string(key)] = stateVal{off: off, n: len(value)}
	return nil
}

// Delete buffers the removal of key.
func (b *stateBuf) Delete(key []byte) error {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	b.last[string(key)] = stateVal{del: true}
	return nil
}

func (b *stateBuf) reset() {
	clear(b.last)
	b.arena = b.arena[:0]
}

// The operator state is an append-only log: each commit inserts the
// epoch's changes (a NULL value is a delete) and nothing else, so a
// checkpoint costs what changed, not the total state (DuckDB has no index
// join: a DELETE of changed keys would scan the whole table every time).
// The committed state of a key is its newest entry. When the log has grown
// past twice its live entries (plus a floor), one commit compacts it to
// the live entries: that rewrite costs the whole state, but it happens
// only after at least as many changes as the state holds, so the cost per
// change stays constant.
type stateLog struct {
	rows    int64 // entries in the table
	live    int64 // live entries after the last compaction (or at start)
	counted bool  // rows and live were read from the table
}

// compactFloor keeps small states from compacting all the time (a
// variable for tests).
var compactFloor int64 = 1 << 20

// flushState appends every operator's buffered changes to the state log
// inside Commit's transaction, tagged with epoch, and compacts the log
// when it is due. The caller holds mu.
func (s *Store) flushState(epoch uint64) error {
	ops := make([]string, 0, len(s.ck.states))
	for op, b := range s.ck.states {
		if len(b.last) > 0 {
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 {
		return nil
	}
	sort.Strings(ops)
	recs, n := s.stateRecords(ops)
	defer releaseRecords(recs)
	r := recordReader(recs)
	defer r.Release()
	err := s.registerView(r, func(view string) error {
		return s.exec(fmt.Sprintf("INSERT INTO %s SELECT op, k, v, ?::UBIGINT FROM %s", StateTable, view), epoch)
	})
	if err != nil {
		return err
	}
	return s.maybeCompact(int64(n))
}

// maybeCompact counts added entries and rewrites the log to its live
// entries once it holds more than twice as many plus compactFloor.
func (s *Store) maybeCompact(added int64) error {
	l := &s.ck.log
	if !l.counted {
		var n int64
		if err := s.conn.QueryRowContext(s.ctx, "SELECT count(*) FROM "+StateTable).Scan(&n); err != nil {
			return fmt.Errorf("count state log: %w", err)
		}
		l.rows, l.live, l.counted = n, n-added, true
	} else {
		l.rows += added
	}
	if l.rows <= 2*l.live+compactFloor {
		return nil
	}
	for _, q := range []string{
		"CREATE TEMP TABLE _sqlstream_state_live AS SELECT op, k, v, epoch FROM " + StateTable +
			" QUALIFY row_number() OVER (PARTITION BY op, k ORDER BY epoch DESC) = 1",
		"DELETE FROM " + StateTable,
		"INSERT INTO " + StateTable + " SELECT * FROM _sqlstream_state_live WHERE v IS NOT NULL",
		"DROP TABLE _sqlstream_state_live",
	} {
		if err := s.exec(q); err != nil {
			return fmt.Errorf("compact state log: %w", err)
		}
	}
	var n int64
	if err := s.conn.QueryRowContext(s.ctx, "SELECT count(*) FROM "+StateTable).Scan(&n); err != nil {
		return fmt.Errorf("count state log: %w", err)
	}
	l.rows, l.live = n, n
	return nil
}

// stateSchema is a state log entry without its epoch; v is NULL for a
// delete.
var stateSchema = arrow.NewSchema([]arrow.Field{
	{Name: "op", Type: arrow.BinaryTypes.String},
	{Name: "k", Type: arrow.BinaryTypes.Binary},
	{Name: "v", Type: arrow.BinaryTypes.Binary, Nullable: true},
}, nil)

// stateRows bounds the rows of one Arrow record of state changes.
const stateRows = 1 << 16

// stateRecords builds the records of every change (op, k, v) of ops and
// returns how many there are.
func (s *Store) stateRecords(ops []string) ([]arrow.RecordBatch, int) {
	b := array.NewRecordBuilder(memory.DefaultAllocator, stateSchema)
	defer b.Release()
	var recs []arrow.RecordBatch
	n, total := 0, 0
	for _, op := range ops {
		buf := s.ck.states[op]
		for k, v := range buf.last {
			b.Field(0).(*array.StringBuilder).Append(op)
			b.Field(1).(*array.BinaryBuilder).AppendString(k)
			if v.del {
				b.Field(2).AppendNull()
			} else {
				b.Field(2).(*array.BinaryBuilder).Append(buf.arena[v.off : v.off+v.n])
			}
			total++
			if n++; n == stateRows {
				recs, n = append(recs, b.NewRecordBatch()), 0
			}
		}
	}
	if n > 0 {
		recs = append(recs, b.NewRecordBatch())
	}
	return recs, total
}

// recordReader reads recs (retained by the reader; the caller keeps its
// references).
func recordReader(recs []arrow.RecordBatch) array.RecordReader {
	r, err := array.NewRecordReader(recs[0].Schema(), recs)
	if err != nil {
		panic(err) // unreachable: every record has the same schema
	}
	return r
}

func releaseRecords(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

// stateReader reads one operator's committed state.
type stateReader struct {
	store *Store
	op    string
}

// Scan calls f for every committed entry of the operator, reading the
// state table through DuckDB's Arrow interface. f must not call the
// store.
func (r stateReader) Scan(f func(key, value []byte) error) error {
	s := r.store
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.conn.Raw(func(dc any) error {
		ar, err := duckdrv.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		// The newest entry per key; deleted keys (NULL values) are
		// skipped below.
		reader, err := ar.QueryContext(s.ctx, "SELECT k, v FROM "+StateTable+" WHERE op = ?"+
			" QUALIFY row_number() OVER (PARTITION BY k ORDER BY epoch DESC) = 1", r.op)
		if err != nil {
			return err
		}
		defer reader.Release()
		for reader.Next() {
			rec := reader.RecordBatch()
			ks, err := bytesColumn(rec.Column(0))
			if err != nil {
				return err
			}
			vs, err := bytesColumn(rec.Column(1))
			if err != nil {
				return err
			}
			vnull := rec.Column(1)
			for i := range int(rec.NumRows()) {
				if vnull.IsNull(i) {
					continue
				}
				if err := f(ks.Value(i), vs.Value(i)); err != nil {
					return err
				}
			}
		}
		return reader.Err()
	})
	if err != nil {
		return fmt.Errorf("duckdb: state of %s: %w", r.op, err)
	}
	return nil
}

// bytesArray is a column of byte strings, whatever its Arrow layout.
type bytesArray interface {
	Value(i int) []byte
}

func bytesColumn(a arrow.Array) (bytesArray, error) {
	switch a := a.(type) {
	case *array.Binary:
		return a, nil
	case *array.LargeBinary:
		return a, nil
	case *array.BinaryView:
		return a, nil
	}
	return nil, fmt.Errorf("state column is %s, want binary", a.DataType())
}
