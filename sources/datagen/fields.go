package datagen

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
)

// field is one column a generator can produce.
type field struct {
	name string
	typ  catalog.Type
}

// bind maps each column of schema to the index of the generator field of
// the same name (case-insensitive) and checks its type.
func bind(gen string, fields []field, schema catalog.Schema) ([]int, error) {
	out := make([]int, len(schema.Columns))
	for i, c := range schema.Columns {
		out[i] = -1
		for j, f := range fields {
			if strings.EqualFold(f.name, c.Name) {
				out[i] = j
			}
		}
		if out[i] < 0 {
			return nil, fmt.Errorf("column %s: generator %s has no such column (it has: %s)", c.Name, gen, fieldList(fields))
		}
		if f := fields[out[i]]; !f.typ.Equal(c.Type) {
			return nil, fmt.Errorf("column %s: generator %s produces %s, declared %s", c.Name, gen, f.typ, c.Type)
		}
	}
	return out, nil
}

func fieldList(fields []field) string {
	var parts []string
	for _, f := range fields {
		parts = append(parts, f.name+" "+f.typ.String())
	}
	return strings.Join(parts, ", ")
}

// rng is a splitmix64 generator: tiny state, fast, good enough for data.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a uniform integer in [0, n) for 0 < n < 2^32.
func (r *rng) intn(n int64) int64 {
	return int64((r.next() >> 32) * uint64(n) >> 32)
}

// int63n returns a uniform integer in [0, n) for any n > 0.
func (r *rng) int63n(n int64) int64 {
	return int64(r.next()>>1) % n
}

// float returns a uniform float in [0, 1).
func (r *rng) float() float64 {
	return float64(r.next()>>11) / (1 << 53)
}

// seeded returns a generator for one event of a stream.
func seeded(seed, id uint64) rng {
	r := rng{s: seed*0x2545f4914f6cdd1d ^ id}
	r.next()
	return r
}

const letters = "abcdefghijklmnopqrstuvwxyz"

// randString appends n random lower-case letters to buf.
func randString(r *rng, buf []byte, n int) []byte {
	for n > 0 {
		x := r.next()
		for k := 0; k < 8 && n > 0; k++ {
			buf = append(buf, letters[(x&0xff)%26])
			x >>= 8
			n--
		}
	}
	return buf
}
