package difftest

import (
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Row is one row as Go values, one per column: nil for NULL, else by
// type: BOOLEAN bool, INT int32, BIGINT int64, DOUBLE float64, DECIMAL
// decimal128.Num (unscaled), VARCHAR string, DATE int32 (days since the
// epoch), TIMESTAMP int64 (ms since the epoch).
type Row []any

// Change is one changelog row.
type Change struct {
	Op  exec.Op
	Row Row
}

// Gen generates random changelogs. The zero value of each rate picks the
// default noted.
type Gen struct {
	Schema catalog.Schema
	// Domain is the number of distinct non-NULL values per column
	// (default 6): small domains make keys collide.
	Domain int
	// NullRate is the chance of a NULL in a nullable column (default 0.1).
	NullRate float64
	// UpdateRate and DeleteRate are the chances that a step updates
	// (-U/+U) or deletes (-D) a live row rather than inserting (defaults
	// 0.25 and 0.15).
	UpdateRate, DeleteRate float64
	// Values overrides the generator of a column (by index).
	Values map[int]func(r *rand.Rand) any
	// Key lists columns an update keeps (a primary key); nil lets an
	// update change any column.
	Key []int
}

func (g *Gen) defaults() {
	if g.Domain <= 0 {
		g.Domain = 6
	}
	if g.NullRate == 0 {
		g.NullRate = 0.1
	}
	if g.UpdateRate == 0 {
		g.UpdateRate = 0.25
	}
	if g.DeleteRate == 0 {
		g.DeleteRate = 0.15
	}
}

// Changelog returns about n changes (an update counts two) for g.Schema,
// deterministic by seed. Every -U/-D retracts a row that is live at that
// point; an update's -U is followed immediately by its +U.
func (g Gen) Changelog(seed uint64, n int) []Change {
	g.defaults()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var live []Row
	out := make([]Change, 0, n+1)
	for len(out) < n {
		p := r.Float64()
		switch {
		case len(live) > 0 && p < g.UpdateRate:
			i := r.IntN(len(live))
			nw := g.mutate(r, live[i])
			out = append(out, Change{exec.UpdateBefore, live[i]}, Change{exec.UpdateAfter, nw})
			live[i] = nw
		case len(live) > 0 && p < g.UpdateRate+g.DeleteRate:
			i := r.IntN(len(live))
			out = append(out, Change{exec.Delete, live[i]})
			live[i] = live[len(live)-1]
			live = live[:len(live)-1]
		default:
			row := g.row(r)
			out = append(out, Change{exec.Insert, row})
			live = append(live, row)
		}
	}
	return out
}

func (g *Gen) row(r *rand.Rand) Row {
	row := make(Row, g.Schema.Len())
	for c := range row {
		row[c] = g.value(r, c)
	}
	return row
}

// mutate returns a copy of old with one to all non-key columns redrawn.
func (g *Gen) mutate(r *rand.Rand, old Row) Row {
	nw := append(Row(nil), old...)
	for changed := false; !changed; {
		for c := range nw {
			if g.isKey(c) || r.IntN(2) == 0 {
				continue
			}
			nw[c] = g.value(r, c)
			changed = true
		}
		if len(g.Key) == len(nw) {
			break
		}
	}
	return nw
}

func (g *Gen) isKey(c int) bool {
	for _, k := range g.Key {
		if k == c {
			return true
		}
	}
	return false
}

// value draws column c: NULL at NullRate (unless NOT NULL), else one of
// Domain values of the column's type.
func (g *Gen) value(r *rand.Rand, c int) any {
	col := g.Schema.Columns[c]
	if f, ok := g.Values[c]; ok {
		return f(r)
	}
	if !col.NotNull && r.Float64() < g.NullRate {
		return nil
	}
	k := int64(r.IntN(g.Domain))
	switch col.Type.ID {
	case catalog.Boolean:
		return k%2 == 0
	case catalog.Int:
		return int32(k*7 - 10)
	case catalog.BigInt:
		return k*1_000_000_007 - 2_000_000_000
	case catalog.Double:
		return float64(k*3-5) / 4 // exact in binary: sums stay exact
	case catalog.Decimal:
		return decimal128.FromI64((k*137 - 300) % pow10(col.Type.Precision))
	case catalog.Varchar:
		return []string{"a", "b", "é", "", "long value", "a b", "Z", "0"}[k%8]
	case catalog.Date:
		return int32(19700 + k*31)
	case catalog.Timestamp:
		return 1_700_000_000_000 + k*1500
	}
	return nil
}

func pow10(p int32) int64 {
	n := int64(1)
	for i := int32(0); i < p && i < 18; i++ {
		n *= 10
	}
	return n
}

// Split cuts changes into consecutive batches of 1..maxBatch changes.
func Split(changes []Change, seed uint64, maxBatch int) [][]Change {
	r := rand.New(rand.NewPCG(seed, 7))
	var out [][]Change
	for len(changes) > 0 {
		n := min(1+r.IntN(maxBatch), len(changes))
		out = append(out, changes[:n])
		changes = changes[n:]
	}
	return out
}
