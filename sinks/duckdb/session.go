package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdrv "github.com/duckdb/duckdb-go/v2"
)

// ReadSession is one reader of the open store's database, for the
// PostgreSQL wire endpoint: its own DuckDB connection from the store's
// pool (the run holds the file's single-writer lock, so readers must share
// the store's database instance). Outside a transaction every query sees
// the last committed epoch; between Begin and Commit/Rollback all queries
// see one snapshot, and since the runner commits every view of an epoch in
// one transaction, all views at one epoch.
//
// A ReadSession is used by one goroutine at a time; the record reader a
// query returns must be released before the next call. Cancelling a
// query's context interrupts DuckDB; the session stays usable. Close
// returns the connection to the pool (rolling back an open transaction).
type ReadSession struct {
	conn *sql.Conn
	ar   *duckdrv.Arrow
	inTx bool
}

// OpenReadSession opens a read session on the store's database.
func (s *Store) OpenReadSession(ctx context.Context) (*ReadSession, error) {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, errors.New("duckdb: read session: store is closed")
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("duckdb: read session: %w", err)
	}
	r := &ReadSession{conn: conn}
	err = conn.Raw(func(dc any) error {
		r.ar, err = duckdrv.NewArrowFromConn(dc.(driver.Conn))
		return err
	})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("duckdb: read session: %w", err)
	}
	return r, nil
}

// Exec runs a statement that returns no rows, such as the session's own
// TEMP tables and views; callers are trusted: it is not checked for writes.
func (r *ReadSession) Exec(ctx context.Context, query string, args ...any) error {
	if _, err := r.conn.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("duckdb: %w", err)
	}
	return nil
}

// Query runs one statement and returns its result as Arrow record
// batches; args bind $1, $2, .... The caller releases the reader before
// its next call on the session. It does not check that the statement only
// reads (see IsRead).
func (r *ReadSession) Query(ctx context.Context, query string, args ...any) (array.RecordReader, error) {
	rd, err := r.ar.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rd, nil
}

// Describe prepares query without running it and returns its result
// columns as Arrow types (the types Query's batches will have; columns of
// types with no direct Arrow counterpart here, such as LIST or STRUCT, are
// reported as strings) and the DuckDB types of its parameters ($1, ...)
// as Arrow types, nil where DuckDB could not infer one.
func (r *ReadSession) Describe(ctx context.Context, query string) (*arrow.Schema, []arrow.DataType, error) {
	var schema *arrow.Schema
	var params []arrow.DataType
	err := r.conn.Raw(func(dc any) error {
		st, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer st.Close()
		stmt, ok := st.(*duckdrv.Stmt)
		if !ok {
			return fmt.Errorf("not a duckdb statement: %T", st)
		}
		if schema, err = stmtSchema(stmt); err != nil {
			return err
		}
		params, err = stmtParams(stmt)
		return err
	})
	return schema, params, err
}

// stmtSchema returns the result columns of a prepared statement.
func stmtSchema(stmt *duckdrv.Stmt) (*arrow.Schema, error) {
	n, err := stmt.ColumnCount()
	if err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, n)
	for i := range n {
		if t, err := stmt.ColumnType(i); err != nil || t == duckdrv.TYPE_INVALID {
			return nil, errors.New("could not determine the type of a result column: cast its parameters, e.g. $1::BIGINT")
		}
		name, err := stmt.ColumnName(i)
		if err != nil {
			return nil, err
		}
		info, err := stmt.ColumnTypeInfo(i)
		if err != nil {
			return nil, err
		}
		fields[i] = arrow.Field{Name: name, Type: arrowType(info), Nullable: true}
	}
	return arrow.NewSchema(fields, nil), nil
}

// stmtParams returns the inferred types of a prepared statement's
// parameters.
func stmtParams(stmt *duckdrv.Stmt) ([]arrow.DataType, error) {
	params := make([]arrow.DataType, stmt.NumInput())
	for i := range params {
		t, err := stmt.ParamType(i + 1)
		if err != nil {
			return nil, err
		}
		if t == duckdrv.TYPE_DECIMAL || t == duckdrv.TYPE_ANY || t == duckdrv.TYPE_INVALID {
			continue // no width known, or not inferred: the client's choice
		}
		info, err := duckdrv.NewTypeInfo(t)
		if err != nil {
			continue
		}
		params[i] = arrowType(info)
	}
	return params, nil
}

// arrowType is the Arrow type DuckDB's Arrow export (default options)
// gives a column of the DuckDB type info.
func arrowType(info duckdrv.TypeInfo) arrow.DataType {
	switch info.InternalType() {
	case duckdrv.TYPE_BOOLEAN:
		return arrow.FixedWidthTypes.Boolean
	case duckdrv.TYPE_TINYINT:
		return arrow.PrimitiveTypes.Int8
	case duckdrv.TYPE_SMALLINT:
		return arrow.PrimitiveTypes.Int16
	case duckdrv.TYPE_INTEGER:
		return arrow.PrimitiveTypes.Int32
	case duckdrv.TYPE_BIGINT:
		return arrow.PrimitiveTypes.Int64
	case duckdrv.TYPE_UTINYINT:
		return arrow.PrimitiveTypes.Uint8
	case duckdrv.TYPE_USMALLINT:
		return arrow.PrimitiveTypes.Uint16
	case duckdrv.TYPE_UINTEGER:
		return arrow.PrimitiveTypes.Uint32
	case duckdrv.TYPE_UBIGINT:
		return arrow.PrimitiveTypes.Uint64
	case duckdrv.TYPE_FLOAT:
		return arrow.PrimitiveTypes.Float32
	case duckdrv.TYPE_DOUBLE:
		return arrow.PrimitiveTypes.Float64
	case duckdrv.TYPE_HUGEINT:
		return &arrow.Decimal128Type{Precision: 38, Scale: 0}
	case duckdrv.TYPE_DECIMAL:
		d := info.Details().(*duckdrv.DecimalDetails)
		return &arrow.Decimal128Type{Precision: int32(d.Width), Scale: int32(d.Scale)}
	case duckdrv.TYPE_VARCHAR:
		return arrow.BinaryTypes.String
	case duckdrv.TYPE_BLOB:
		return arrow.BinaryTypes.Binary
	case duckdrv.TYPE_DATE:
		return arrow.FixedWidthTypes.Date32
	case duckdrv.TYPE_TIME:
		return arrow.FixedWidthTypes.Time64us
	case duckdrv.TYPE_TIMESTAMP:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case duckdrv.TYPE_TIMESTAMP_S:
		return &arrow.TimestampType{Unit: arrow.Second}
	case duckdrv.TYPE_TIMESTAMP_MS:
		return &arrow.TimestampType{Unit: arrow.Millisecond}
	case duckdrv.TYPE_TIMESTAMP_NS:
		return &arrow.TimestampType{Unit: arrow.Nanosecond}
	case duckdrv.TYPE_TIMESTAMP_TZ:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case duckdrv.TYPE_INTERVAL:
		return arrow.FixedWidthTypes.MonthDayNanoInterval
	}
	return arrow.BinaryTypes.String
}

// serialized is the part of json_serialize_sql's answer IsRead needs.
type serialized struct {
	Error        bool   `json:"error"`
	ErrorType    string `json:"error_type"`
	ErrorMessage string `json:"error_message"`
}

// IsRead reports whether query is a statement that only reads: DuckDB's
// json_serialize_sql accepts exactly the SELECT statements (including
// WITH, VALUES and set operations). An error means query does not parse.
func (r *ReadSession) IsRead(ctx context.Context, query string) (bool, error) {
	var out string
	if err := r.conn.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", query).Scan(&out); err != nil {
		return false, fmt.Errorf("duckdb: %w", err)
	}
	var s serialized
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		return false, fmt.Errorf("duckdb: json_serialize_sql: %w", err)
	}
	if !s.Error {
		return true, nil
	}
	if s.ErrorType == "parser" {
		return false, errors.New(s.ErrorMessage)
	}
	return false, nil
}

// Begin starts a transaction: every query until Commit or Rollback reads
// one snapshot.
func (r *ReadSession) Begin(ctx context.Context) error {
	return r.txExec(ctx, "BEGIN TRANSACTION", true)
}

// Commit ends the transaction.
func (r *ReadSession) Commit(ctx context.Context) error { return r.txExec(ctx, "COMMIT", false) }

// Rollback ends the transaction.
func (r *ReadSession) Rollback(ctx context.Context) error { return r.txExec(ctx, "ROLLBACK", false) }

func (r *ReadSession) txExec(ctx context.Context, stmt string, begin bool) error {
	if _, err := r.conn.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("duckdb: %s: %w", stmt, err)
	}
	r.inTx = begin
	return nil
}

// Close rolls back an open transaction and closes the connection (rather
// than returning it to the store's pool), which drops the session's
// temporary tables and views.
func (r *ReadSession) Close() error {
	var errs []error
	if r.inTx {
		errs = append(errs, r.Rollback(context.Background()))
	}
	// ErrBadConn from Raw makes database/sql discard the connection.
	if err := r.conn.Raw(func(any) error { return driver.ErrBadConn }); !errors.Is(err, driver.ErrBadConn) {
		errs = append(errs, err)
	}
	if err := r.conn.Close(); !errors.Is(err, sql.ErrConnDone) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
