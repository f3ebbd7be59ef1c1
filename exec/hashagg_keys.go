package exec

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/agg"
)

// groupIndex maps the group key of each row to a group id, creating
// groups through aggGroups.newID, and keeps every group's key to build
// output rows.
type groupIndex interface {
	// assign sets gids[i] to the group of row i of the key columns.
	assign(cols []arrow.Array, gids []int32, t *aggGroups)
	// appendKeys appends the key of each group of gs to bs, one builder
	// per key column.
	appendKeys(gs []int32, bs []array.Builder) error
	// forget removes group g's key.
	forget(g int32)
	bytes() int64
}

// newGroupIndex picks the index for key columns of the given types: a
// hash table on the value itself for one fixed-width column of at most 8
// bytes, else a map on the encoded key.
func newGroupIndex(types []catalog.Type) (groupIndex, error) {
	if len(types) == 1 {
		if ix, ok := newU64Index(types[0]); ok {
			return ix, nil
		}
	}
	enc, err := agg.NewKeyEncoder(types)
	if err != nil {
		return nil, err
	}
	return &strIndex{enc: enc, index: map[string]int32{}}, nil
}

// strIndex is the general groupIndex: a map on agg.KeyEncoder keys.
type strIndex struct {
	enc   *agg.KeyEncoder
	index map[string]int32
	keys  []string // by id; the key a group was created with
	size  int64
}

var _ groupIndex = (*strIndex)(nil)

func (x *strIndex) assign(cols []arrow.Array, gids []int32, t *aggGroups) {
	x.enc.Encode(cols, len(gids))
	for i := range gids {
		key := x.enc.Key(i)
		g, ok := x.index[string(key)]
		if !ok {
			g = x.add(key, t)
		}
		gids[i] = g
	}
}

func (x *strIndex) add(key []byte, t *aggGroups) int32 {
	k := strings.Clone(string(key))
	g := t.newID()
	for int(g) >= len(x.keys) {
		x.keys = append(x.keys, "")
	}
	x.keys[g] = k
	x.index[k] = g
	x.size += int64(len(k)) + 48
	return g
}

func (x *strIndex) appendKeys(gs []int32, bs []array.Builder) error {
	for _, g := range gs {
		if err := x.enc.Decode(x.keys[g], bs); err != nil {
			return fmt.Errorf("hash-agg: %w", err)
		}
	}
	return nil
}

func (x *strIndex) forget(g int32) {
	delete(x.index, x.keys[g])
	x.size -= int64(len(x.keys[g])) + 48
	x.keys[g] = ""
}

func (x *strIndex) bytes() int64 { return x.size + int64(cap(x.keys))*16 }
