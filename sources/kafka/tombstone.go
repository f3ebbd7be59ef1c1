package kafka

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/sqlstream/sqlstream/catalog"
)

// tombstone turns the key of an upsert record with a null value (a Kafka
// tombstone) into the upsert-json delete record of that key, so the shared
// decoder handles it like any other delete:
//
//   - a key that is a JSON object carries the key columns by name:
//     {"id": 7} becomes {"__op":"d","id": 7};
//   - any other key is the raw value of a single-column PRIMARY KEY:
//     7 becomes {"__op":"d","id":7} for a numeric or boolean column, and
//     abc becomes {"__op":"d","id":"abc"} for a VARCHAR, DATE or TIMESTAMP
//     column (a TIMESTAMP key of digits only is epoch milliseconds).
type tombstone struct {
	single *catalog.Column // the key column when the key has one column
	prefix []byte          // {"__op":"d","<single>":
	buf    []byte
}

func newTombstone(schema catalog.Schema, key []int) *tombstone {
	t := &tombstone{}
	if len(key) == 1 {
		t.single = &schema.Columns[key[0]]
		name, _ := json.Marshal(t.single.Name)
		t.prefix = append(append([]byte(`{"__op":"d",`), name...), ':')
	}
	return t
}

// record returns the delete record of key; it is valid until the next call.
func (t *tombstone) record(key []byte) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("upsert record with a null value (a delete) but no key")
	}
	k := bytes.TrimSpace(key)
	if len(k) > 0 && k[0] == '{' {
		rest := bytes.TrimSpace(k[1:])
		t.buf = append(t.buf[:0], `{"__op":"d"`...)
		if len(rest) > 0 && rest[0] != '}' {
			t.buf = append(t.buf, ',')
		}
		return append(t.buf, rest...), nil
	}
	if t.single == nil {
		return nil, fmt.Errorf("upsert delete: the message key %s is not a JSON object with the key columns (the PRIMARY KEY has several columns)", quoteKey(key))
	}
	t.buf = append(t.buf[:0], t.prefix...)
	if t.rawScalar(k) {
		t.buf = append(t.buf, k...)
	} else {
		s, _ := json.Marshal(string(key))
		t.buf = append(t.buf, s...)
	}
	return append(t.buf, '}'), nil
}

// rawScalar reports whether k can go into the record unquoted as the
// single key column's value.
func (t *tombstone) rawScalar(k []byte) bool {
	switch t.single.Type.ID {
	case catalog.Int, catalog.BigInt, catalog.Double, catalog.Decimal:
		_, err := strconv.ParseFloat(string(k), 64)
		return err == nil && (k[0] == '-' || k[0] >= '0' && k[0] <= '9')
	case catalog.Boolean:
		return string(k) == "true" || string(k) == "false"
	case catalog.Timestamp:
		if len(k) == 0 {
			return false
		}
		for _, c := range k {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return false
}

// quoteKey renders a key for an error, shortened if long.
func quoteKey(k []byte) string {
	const max = 40
	if len(k) > max {
		return fmt.Sprintf("%q...", k[:max])
	}
	return fmt.Sprintf("%q", k)
}
