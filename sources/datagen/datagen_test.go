package datagen

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"strconv"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

func def(t testing.TB, schema string, opts ...string) *catalog.Source {
	t.Helper()
	sch, err := srctest.ParseSchema(schema)
	if err != nil {
		t.Fatal(err)
	}
	d := &catalog.Source{Name: "s", Schema: sch, Connector: "datagen"}
	for i := 0; i+1 < len(opts); i += 2 {
		d.Options = append(d.Options, catalog.Option{Key: opts[i], Value: opts[i+1]})
	}
	return d
}

// collect reads a bounded source to the end and renders its rows.
func collect(t testing.TB, d *catalog.Source, batch int) []string {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	src, err := exec.OpenSource(context.Background(), d, exec.SourceEnv{Alloc: alloc, BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for {
		b, err := src.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if b.Rec == nil {
			continue
		}
		if !b.Rec.Schema().Equal(d.Schema.Arrow()) {
			t.Fatalf("schema %s, want %s", b.Rec.Schema(), d.Schema.Arrow())
		}
		for _, col := range b.Rec.Columns() {
			if v, ok := col.(interface{ ValidateFull() error }); ok {
				if err := v.ValidateFull(); err != nil {
					t.Fatal(err)
				}
			}
		}
		rows = append(rows, srctest.Rows(b.Rec)...)
		b.Release()
	}
	src.Close()
	if alloc.CurrentAlloc() != 0 {
		t.Fatalf("%d bytes leaked", alloc.CurrentAlloc())
	}
	return rows
}

const (
	bidSchema     = "auction bigint, bidder bigint, price bigint, channel varchar, url varchar, date_time timestamp, extra varchar"
	auctionSchema = "id bigint, item_name varchar, description varchar, initial_bid bigint, reserve bigint, date_time timestamp, expires timestamp, seller bigint, category bigint, extra varchar"
	personSchema  = "id bigint, name varchar, email_address varchar, credit_card varchar, city varchar, state varchar, date_time timestamp, extra varchar"
)

func TestNexmarkMixAndDeterminism(t *testing.T) {
	bids := collect(t, def(t, bidSchema, "generator", "nexmark", "kind", "bid", "rows", "1000", "seed", "7"), 100)
	auctions := collect(t, def(t, auctionSchema, "generator", "nexmark", "kind", "auction", "rows", "1000", "seed", "7"), 0)
	persons := collect(t, def(t, personSchema, "generator", "nexmark", "kind", "person", "rows", "1000", "seed", "7"), 7)
	if len(bids) != 920 || len(auctions) != 60 || len(persons) != 20 {
		t.Fatalf("mix: %d bids, %d auctions, %d persons; want 920, 60, 20", len(bids), len(auctions), len(persons))
	}
	again := collect(t, def(t, bidSchema, "generator", "nexmark", "kind", "bid", "rows", "1000", "seed", "7"), 33)
	if strings.Join(again, "\n") != strings.Join(bids, "\n") {
		t.Error("same seed, different bids")
	}
	other := collect(t, def(t, bidSchema, "generator", "nexmark", "kind", "bid", "rows", "1000", "seed", "8"), 33)
	if strings.Join(other, "\n") == strings.Join(bids, "\n") {
		t.Error("different seeds, same bids")
	}
	// A subset of the columns, in another order, sees the same values.
	sub := collect(t, def(t, "price bigint, AUCTION bigint", "generator", "nexmark", "kind", "bid", "rows", "1000", "seed", "7"), 0)
	for i, row := range sub {
		f := strings.Split(bids[i], " | ")
		if row != f[2]+" | "+f[0] {
			t.Fatalf("row %d: subset %q, full %q", i, row, bids[i])
		}
	}
	t.Logf("first bid: %s\nfirst auction: %s\nfirst person: %s", bids[0], auctions[0], persons[0])
}

// Bids reference auctions and people that exist (or are about to: the
// model's id lead), and persons/auctions ids are dense.
func TestNexmarkReferences(t *testing.T) {
	auctions := collect(t, def(t, "id bigint, seller bigint", "generator", "nexmark", "kind", "auction", "rows", "5000"), 0)
	for i, a := range auctions {
		f := strings.Split(a, " | ")
		if f[0] != itoa(1000+i) {
			t.Fatalf("auction %d has id %s", i, f[0])
		}
	}
	hot := 0
	bids := collect(t, def(t, "auction bigint", "generator", "nexmark", "kind", "bid", "rows", "5000"), 0)
	for _, b := range bids {
		if b == "1000" || b == "1100" {
			hot++
		}
	}
	if hot < len(bids)/4 {
		t.Errorf("only %d of %d bids on hot auctions", hot, len(bids))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestCheckErrors(t *testing.T) {
	for _, tc := range []struct {
		d    *catalog.Source
		want string
	}{
		{def(t, "x bigint"), "option 'generator' is required"},
		{def(t, "x bigint", "generator", "tpch"), "unknown generator 'tpch'"},
		{def(t, "x bigint", "generator", "nexmark"), "option 'kind' = ''"},
		{def(t, "x bigint", "generator", "nexmark", "kind", "bid"), "column x: generator nexmark bid has no such column (it has: auction BIGINT, bidder BIGINT, price BIGINT"},
		{def(t, "price int", "generator", "nexmark", "kind", "bid"), "column price: generator nexmark bid produces BIGINT, declared INT"},
		{def(t, "price bigint", "generator", "nexmark", "kind", "bid", "speed", "1"), "unknown option 'speed'"},
		{def(t, "price bigint", "generator", "nexmark", "kind", "bid", "rows", "many"), "option 'rows' = 'many'"},
		{def(t, "price bigint", "generator", "nexmark", "kind", "bid", "rate", "-1"), "option 'rate' = '-1'"},
		{def(t, "amount decimal(18,2)", "generator", "banklog", "kind", "response"), "column amount: generator banklog response has no such column"},
		{def(t, "amount decimal(18,2)", "generator", "banklog", "kind", "request"), ""},
	} {
		err := exec.CheckSource(tc.d)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", tc.d.Options, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want %q", tc.d.Options, err, tc.want)
		}
	}
}

func TestSequenceAndRate(t *testing.T) {
	d := def(t, "ts timestamp, seq bigint", "generator", "sequence", "rows", "5", "rate", "1000")
	rows := collect(t, d, 2)
	if len(rows) != 5 || rows[4] != "2025-01-01 00:00:00.004 | 4" {
		t.Fatalf("rows %q", rows)
	}
}
