package exec_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

var dimSchema = catalog.Schema{Columns: []catalog.Column{
	{Name: "id", Type: catalog.BigIntType}, {Name: "name", Type: catalog.VarcharType},
}}

// dim is id 1..5 (id 3 twice); ids outside match nothing.
const dimRows = "+I 1 a\n+I 2 b\n+I 3 c\n+I 3 cc\n+I 4 d\n+I 5 e\n"

func newDim(t *testing.T) *memLookup {
	t.Helper()
	m, err := newMemLookup(dimSchema, dimRows, []int{0}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// lookupKeys runs a lookup of bigint keys (-1 is NULL) and renders the
// answer as sorted "keyRow:id:name" lines.
func lookupKeys(t *testing.T, lt exec.LookupTable, keys ...int64) string {
	t.Helper()
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	for _, k := range keys {
		if k < 0 {
			b.AppendNull()
		} else {
			b.Append(k)
		}
	}
	col := b.NewArray()
	defer col.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "c0", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	rec := array.NewRecordBatch(schema, []arrow.Array{col}, int64(len(keys)))
	defer rec.Release()
	rows, keyRow, err := lt.Lookup(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Release()
	if len(keyRow) != int(rows.NumRows()) {
		t.Fatalf("%d key rows for %d rows", len(keyRow), rows.NumRows())
	}
	var lines []string
	for i := range int(rows.NumRows()) {
		lines = append(lines, fmt.Sprintf("%d:%s:%s", keyRow[i],
			exectest.FormatValue(rows.Column(0), i), exectest.FormatValue(rows.Column(1), i)))
	}
	slices.Sort(lines)
	return strings.Join(lines, " ")
}

func check(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got %s\nwant %s", what, got, want)
	}
}

func TestCachedLookupBatchesMisses(t *testing.T) {
	m := newDim(t)
	c := exec.NewCachedLookup(m, 100, 0, nil)
	defer c.Close()
	// Distinct missing keys go to the inner table once, in one batch;
	// NULL keys never do.
	check(t, "first", lookupKeys(t, c, 1, 3, 1, -1, 9), "0:1:a 1:3:c 1:3:cc 2:1:a")
	check(t, "inner keys", strings.Join(m.lastKeys, ","), "1,3,9")
	if m.calls != 1 {
		t.Errorf("calls = %d, want 1", m.calls)
	}
	// Only the new key is fetched; 9 is a cached miss.
	check(t, "second", lookupKeys(t, c, 9, 3, 2, 1), "1:3:c 1:3:cc 2:2:b 3:1:a")
	check(t, "inner keys", strings.Join(m.lastKeys, ","), "2")
	// All cached: no call at all.
	check(t, "third", lookupKeys(t, c, 2, 9, 3), "0:2:b 2:3:c 2:3:cc")
	check(t, "only NULL", lookupKeys(t, c, -1, -1), "")
	if m.calls != 2 || m.keys != 4 {
		t.Errorf("calls = %d, keys = %d; want 2, 4", m.calls, m.keys)
	}
	if rows, bytes := c.(exec.StateReporter).StateSize(); rows != 4 || bytes <= 0 {
		t.Errorf("state size = %d keys, %d bytes; want 4 keys", rows, bytes)
	}
}

func TestCachedLookupEvictsLeastRecentlyUsed(t *testing.T) {
	m := newDim(t)
	c := exec.NewCachedLookup(m, 2, 0, nil)
	defer c.Close()
	lookupKeys(t, c, 1)
	lookupKeys(t, c, 2)
	lookupKeys(t, c, 1) // 1 is now the most recent
	lookupKeys(t, c, 3) // evicts 2
	calls := m.calls
	check(t, "cached", lookupKeys(t, c, 1, 3), "0:1:a 1:3:c 1:3:cc")
	if m.calls != calls {
		t.Errorf("1 and 3 should be cached")
	}
	check(t, "evicted", lookupKeys(t, c, 2), "0:2:b")
	if m.calls != calls+1 {
		t.Errorf("2 should have been evicted and fetched again")
	}
	// A batch with more distinct keys than the bound still answers all.
	check(t, "wide", lookupKeys(t, c, 1, 2, 3, 4, 5), "0:1:a 1:2:b 2:3:c 2:3:cc 3:4:d 4:5:e")
}

func TestCachedLookupTTL(t *testing.T) {
	m := newDim(t)
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c := exec.NewCachedLookup(m, 100, time.Minute, func() time.Time { return now })
	defer c.Close()
	lookupKeys(t, c, 1, 9)
	now = now.Add(59 * time.Second)
	lookupKeys(t, c, 1, 9)
	if m.calls != 1 {
		t.Errorf("calls = %d within the TTL, want 1", m.calls)
	}
	now = now.Add(time.Second)
	check(t, "expired", lookupKeys(t, c, 9, 1), "1:1:a")
	check(t, "refetched", strings.Join(m.lastKeys, ","), "9,1")
}

func TestCachedLookupDisabled(t *testing.T) {
	m := newDim(t)
	if c := exec.NewCachedLookup(m, 0, time.Minute, nil); c != exec.LookupTable(m) {
		t.Errorf("max keys 0: want the inner table itself, got %T", c)
	}
	m.Close()
}

// TestCachedLookupRandom checks the cache against the table itself over
// random key batches with a small bound, so entries are evicted and
// segments compacted all the time.
func TestCachedLookupRandom(t *testing.T) {
	defer exec.SetLookupCompactSlack(0)()
	for _, max := range []int{1, 3, 7, 50} {
		direct, inner := newDim(t), newDim(t)
		c := exec.NewCachedLookup(inner, max, 0, nil)
		rng := rand.New(rand.NewPCG(uint64(max), 1))
		for round := range 300 {
			keys := make([]int64, rng.IntN(20))
			for i := range keys {
				keys[i] = int64(rng.IntN(9)) - 1 // -1 is NULL; 6, 7 miss
			}
			want := lookupKeys(t, direct, keys...)
			if got := lookupKeys(t, c, keys...); got != want {
				t.Fatalf("max %d round %d keys %v:\n got %s\nwant %s", max, round, keys, got, want)
			}
			if total, live := exec.LookupCacheRows(c); total > 2*live {
				t.Fatalf("max %d round %d: segments hold %d rows for %d live ones", max, round, total, live)
			}
		}
		if rows, _ := c.(exec.StateReporter).StateSize(); rows > int64(max) {
			t.Errorf("max %d: %d keys cached", max, rows)
		}

		c.Close()
		direct.Close()
		if !inner.closed {
			t.Error("Close did not close the inner table")
		}
	}
}

func TestLookupCacheOptions(t *testing.T) {
	opt := func(kv ...string) catalog.Options {
		var o catalog.Options
		for i := 0; i < len(kv); i += 2 {
			o = append(o, catalog.Option{Key: kv[i], Value: kv[i+1]})
		}
		return o
	}
	tab := &catalog.Table{Name: "dim"}
	cfg, err := exec.LookupCacheOptions(tab, nil)
	if err != nil || cfg.MaxKeys != 100000 || cfg.TTL != 10*time.Minute {
		t.Errorf("defaults: %+v, %v", cfg, err)
	}
	settings := opt("lookup.cache.max-rows", "10", "lookup.cache.ttl", "30s")
	cfg, err = exec.LookupCacheOptions(tab, settings)
	if err != nil || cfg.MaxKeys != 10 || cfg.TTL != 30*time.Second {
		t.Errorf("settings: %+v, %v", cfg, err)
	}
	tab.Options = opt("lookup.cache.ttl", "1 min")
	cfg, err = exec.LookupCacheOptions(tab, settings)
	if err != nil || cfg.MaxKeys != 10 || cfg.TTL != time.Minute {
		t.Errorf("WITH over SET: %+v, %v", cfg, err)
	}
	for _, bad := range []catalog.Options{opt("lookup.cache.max-rows", "-1"), opt("lookup.cache.max-rows", "x"), opt("lookup.cache.ttl", "soon")} {
		if _, err := exec.LookupCacheOptions(tab, bad); err == nil || !strings.Contains(err.Error(), "table dim") {
			t.Errorf("%v: got %v, want an error naming the table", bad, err)
		}
	}
}
