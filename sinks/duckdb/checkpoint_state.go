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

// flushState applies every operator's buffered changes inside Commit's
// transaction: one DELETE of every changed key (a join with an Arrow view
// of the keys) and one INSERT of the new values. The caller holds mu.
func (s *Store) flushState() error {
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
	keys, puts, err := s.stateRecords(ops)
	if err != nil {
		return err
	}
	defer releaseRecords(keys)
	defer releaseRecords(puts)
	kr := recordReader(keys)
	defer kr.Release()
	err = s.registerView(kr, func(view string) error {
		return s.exec(fmt.Sprintf("DELETE FROM %s AS t USING %s AS c WHERE t.op = c.op AND t.k = c.k", StateTable, view))
	})
	if err != nil || len(puts) == 0 {
		return err
	}
	pr := recordReader(puts)
	defer pr.Release()
	return s.registerView(pr, func(view string) error {
		return s.exec(fmt.Sprintf("INSERT INTO %s SELECT op, k, v FROM %s", StateTable, view))
	})
}

var (
	stateKeySchema = arrow.NewSchema([]arrow.Field{
		{Name: "op", Type: arrow.BinaryTypes.String},
		{Name: "k", Type: arrow.BinaryTypes.Binary},
	}, nil)
	statePutSchema = arrow.NewSchema([]arrow.Field{
		{Name: "op", Type: arrow.BinaryTypes.String},
		{Name: "k", Type: arrow.BinaryTypes.Binary},
		{Name: "v", Type: arrow.BinaryTypes.Binary},
	}, nil)
)

// stateRows bounds the rows of one Arrow record of state changes.
const stateRows = 1 << 16

// stateRecords builds the records of every changed key (op, k) and of
// every put (op, k, v) of ops.
func (s *Store) stateRecords(ops []string) (keys, puts []arrow.RecordBatch, err error) {
	mem := memory.DefaultAllocator
	kb := array.NewRecordBuilder(mem, stateKeySchema)
	defer kb.Release()
	pb := array.NewRecordBuilder(mem, statePutSchema)
	defer pb.Release()
	nk, np := 0, 0
	for _, op := range ops {
		b := s.ck.states[op]
		for k, v := range b.last {
			kb.Field(0).(*array.StringBuilder).Append(op)
			kb.Field(1).(*array.BinaryBuilder).AppendString(k)
			if nk++; nk == stateRows {
				keys, nk = append(keys, kb.NewRecordBatch()), 0
			}
			if v.del {
				continue
			}
			pb.Field(0).(*array.StringBuilder).Append(op)
			pb.Field(1).(*array.BinaryBuilder).AppendString(k)
			pb.Field(2).(*array.BinaryBuilder).Append(b.arena[v.off : v.off+v.n])
			if np++; np == stateRows {
				puts, np = append(puts, pb.NewRecordBatch()), 0
			}
		}
	}
	if nk > 0 {
		keys = append(keys, kb.NewRecordBatch())
	}
	if np > 0 {
		puts = append(puts, pb.NewRecordBatch())
	}
	return keys, puts, nil
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
		reader, err := ar.QueryContext(s.ctx, "SELECT k, v FROM "+StateTable+" WHERE op = ?", r.op)
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
			for i := range int(rec.NumRows()) {
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
