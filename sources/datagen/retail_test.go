package datagen

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

var retailSchemas = map[string]string{
	"customer":    "customer_id bigint, name varchar, phone varchar, id_card varchar, branch_id int, risk_level varchar, created_at timestamp, updated_at timestamp",
	"account":     "account_id bigint, customer_id bigint, product varchar, balance decimal(18,2), status varchar, opened_at timestamp",
	"transaction": "txn_id bigint, account_id bigint, customer_id bigint, kind varchar, amount decimal(18,2), channel varchar, ts timestamp",
	"branch":      "branch_id int, name varchar, region varchar",
}

// collectOps reads a bounded source to the end and renders each row with its op.
func collectOps(t *testing.T, d *catalog.Source, batch int) []string {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	src, err := exec.OpenSource(context.Background(), d, exec.SourceEnv{Alloc: alloc, BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var rows []string
	for {
		b, err := src.Next(context.Background())
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		if b.Rec == nil {
			continue
		}
		if b.Ops != nil && len(b.Ops) != b.NumRows() {
			t.Fatalf("%d ops for %d rows", len(b.Ops), b.NumRows())
		}
		for i, r := range srctest.Rows(b.Rec) {
			rows = append(rows, b.Op(i).String()+" "+r)
		}
		b.Release()
	}
}

// replay applies a changelog keyed by the first column and checks that it
// is consistent: +I of a new key, -U/-D of exactly the row stored for the
// key, +U right after the -U of the same key. It returns the final table
// and the number of events (an update counts once).
func replay(t *testing.T, rows []string) (map[string]string, int, map[string]int) {
	t.Helper()
	table := map[string]string{}
	ops := map[string]int{}
	events := 0
	pendingU := ""
	for i, line := range rows {
		op, row, _ := strings.Cut(line, " ")
		key, _, _ := strings.Cut(row, " |")
		ops[op]++
		if pendingU != "" && (op != "+U" || key != pendingU) {
			t.Fatalf("row %d: %s follows a -U of key %s", i, line, pendingU)
		}
		switch op {
		case "+I":
			if old, ok := table[key]; ok {
				t.Fatalf("row %d: +I of live key %s (stored %s)", i, key, old)
			}
			table[key] = row
			events++
		case "-U", "-D":
			if table[key] != row {
				t.Fatalf("row %d: %s retracts %q, stored %q", i, op, row, table[key])
			}
			delete(table, key)
			if op == "-U" {
				pendingU = key
			} else {
				events++
			}
		case "+U":
			if pendingU != key {
				t.Fatalf("row %d: +U without -U", i)
			}
			table[key], pendingU = row, ""
			events++
		}
	}
	if pendingU != "" {
		t.Fatalf("changelog ends after a -U")
	}
	return table, events, ops
}

func TestRetailChangelogConsistent(t *testing.T) {
	for kind, schema := range retailSchemas {
		d := def(t, schema, "generator", "retail", "kind", kind, "rows", "3000", "seed", "7")
		rows := collectOps(t, d, 512)
		table, events, ops := replay(t, rows)
		if kind == "branch" {
			if events != 20 || len(table) != 20 || ops["+I"] != 20 {
				t.Errorf("branch: %d events, %d rows, ops %v; want 20 inserts", events, len(table), ops)
			}
			continue
		}
		if events != 3000 {
			t.Errorf("%s: %d events, want 3000 (rows counts events)", kind, events)
		}
		if ops["+I"] == 0 || ops["-U"] == 0 || ops["-D"] == 0 || ops["-U"] != ops["+U"] {
			t.Errorf("%s: ops %v, want inserts, updates and deletes", kind, ops)
		}
		// Batch size does not change the stream; a batch of 1 splits updates.
		if got := collectOps(t, d, 1); strings.Join(got, "\n") != strings.Join(rows, "\n") {
			t.Errorf("%s: batch size 1 changes the changelog", kind)
		}
	}
}

func TestRetailDeterministic(t *testing.T) {
	for kind, schema := range retailSchemas {
		a := collectOps(t, def(t, schema, "generator", "retail", "kind", kind, "rows", "500", "seed", "1"), 100)
		b := collectOps(t, def(t, schema, "generator", "retail", "kind", kind, "rows", "500", "seed", "1"), 333)
		c := collectOps(t, def(t, schema, "generator", "retail", "kind", kind, "rows", "500", "seed", "2"), 100)
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("%s: same seed, different rows", kind)
		}
		if kind != "branch" && strings.Join(a, "\n") == strings.Join(c, "\n") {
			t.Errorf("%s: seeds 1 and 2 give the same rows", kind)
		}
	}
}

func TestRetailSample(t *testing.T) {
	d := def(t, "customer_id bigint, phone varchar, id_card varchar, risk_level varchar, updated_at timestamp",
		"generator", "retail", "kind", "customer", "rows", "3", "seed", "1")
	rows := collectOps(t, d, 10)
	if len(rows) != 3 {
		t.Fatalf("rows %q", rows)
	}
	for _, r := range rows {
		f := strings.Split(r, " | ")
		if !strings.HasPrefix(f[0], "+I 100000") || len(strings.Trim(f[1], `"`)) != 11 || len(strings.Trim(f[2], `"`)) != 18 {
			t.Errorf("row %s: want +I, an 11-digit phone and an 18-character id card", r)
		}
	}
	// Accounts reference customers by a rule the transaction stream shares.
	acc := collectOps(t, def(t, "account_id bigint, customer_id bigint", "generator", "retail", "kind", "account", "rows", "60"), 64)
	txn := collectOps(t, def(t, "account_id bigint, customer_id bigint", "generator", "retail", "kind", "transaction", "rows", "400"), 64)
	owner := map[string]string{}
	for _, r := range acc {
		f := strings.Split(strings.TrimPrefix(r[3:], ""), " | ")
		owner[f[0]] = f[1]
	}
	for _, r := range txn {
		f := strings.Split(r[3:], " | ")
		if o, ok := owner[f[0]]; ok && o != f[1] {
			t.Errorf("transaction %s: customer %s, account owner %s", r, f[1], o)
		}
	}
}

func TestRetailOptions(t *testing.T) {
	for _, tc := range []struct{ schema, kind, want string }{
		{"x bigint", "customer", "column x: generator retail customer has no such column"},
		{"balance double", "account", "column balance: generator retail account produces DECIMAL(18,2)"},
		{"a int", "bogus", "generator retail needs customer, account, transaction or branch"},
	} {
		err := exec.CheckSource(def(t, tc.schema, "generator", "retail", "kind", tc.kind))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: err %v, want %q", tc.kind, tc.schema, err, tc.want)
		}
	}
}
