package scalar_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// testScope is table t with a column of every type, plus table u sharing
// the column name i (for ambiguity).
type testScope struct{}

type testCol struct {
	table, name string
	t           catalog.Type
}

var testCols = []testCol{
	{"t", "b", catalog.BooleanType}, {"t", "i", catalog.IntType}, {"t", "bi", catalog.BigIntType},
	{"t", "d", catalog.DoubleType}, {"t", "dc", catalog.DecimalType(10, 2)},
	{"t", "dw", catalog.DecimalType(38, 10)}, {"t", "d5", catalog.DecimalType(5, 3)},
	{"t", "s", catalog.VarcharType}, {"t", "dt", catalog.DateType}, {"t", "ts", catalog.TimestampType},
	{"t", "price", catalog.BigIntType}, {"t", "k", catalog.BigIntType}, {"u", "k", catalog.IntType}, {"u", "name", catalog.VarcharType},
}

func (testScope) Resolve(qual, col string) (int, catalog.Type, error) {
	found := -1
	var names []string
	for i, c := range testCols {
		if qual != "" && !strings.EqualFold(c.table, qual) {
			continue
		}
		names = append(names, c.name)
		if strings.EqualFold(c.name, col) {
			if found >= 0 {
				return 0, catalog.Type{}, fmt.Errorf("column %s is ambiguous", col)
			}
			found = i
		}
	}
	if found < 0 {
		hint := ""
		if s := scalar.Suggest(col, names); s != "" {
			hint = " (did you mean " + s + "?)"
		}
		return 0, catalog.Type{}, fmt.Errorf("column %s does not exist%s", col, hint)
	}
	return found, testCols[found].t, nil
}

func parseExpr(t *testing.T, text string) ast.ExprNode {
	t.Helper()
	st, err := parser.New().ParseOneStmt("SELECT "+text, "", "")
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	return st.(*ast.SelectStmt).Fields.Fields[0].Expr
}

// TestBind: each input line is an expression; the output shows its bound
// tree and type, or the error.
func TestBind(t *testing.T) {
	datadriven.RunTest(t, "testdata/bind", func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != "bind" {
			t.Fatalf("unknown command %s", d.Cmd)
		}
		var out strings.Builder
		for _, line := range strings.Split(strings.TrimSpace(d.Input), "\n") {
			if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			e, err := scalar.Bind(testScope{}, parseExpr(t, line))
			if err != nil {
				fmt.Fprintf(&out, "%s\n  error: %v\n", line, err)
				continue
			}
			fmt.Fprintf(&out, "%s\n  %s : %s\n", line, e, e.Type())
		}
		return out.String()
	})
}

func TestErrorCarriesNode(t *testing.T) {
	root := parseExpr(t, "1 + UPPR(s)")
	_, err := scalar.Bind(testScope{}, root)
	var be *scalar.Error
	if !errors.As(err, &be) {
		t.Fatalf("want *scalar.Error, got %T %v", err, err)
	}
	call, ok := be.Node.(*ast.FuncCallExpr)
	if !ok || call.FnName.L != "uppr" {
		t.Fatalf("error node is %T, want the UPPR call", be.Node)
	}
	if want := "function UPPR does not exist (did you mean UPPER?)"; be.Msg != want {
		t.Fatalf("message %q, want %q", be.Msg, want)
	}
}

func TestNotScalar(t *testing.T) {
	for _, text := range []string{"SUM(bi) + 1", "ROW_NUMBER() OVER (ORDER BY ts)", "COUNT(*)"} {
		_, err := scalar.Bind(testScope{}, parseExpr(t, text))
		if !errors.Is(err, scalar.ErrNotScalar) {
			t.Errorf("%s: want ErrNotScalar, got %v", text, err)
		}
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"UPPER", "LOWER", "SUBSTRING", "DATE_FORMAT"}
	for name, want := range map[string]string{
		"uppr": "UPPER", "LOWR": "LOWER", "substr1ng": "SUBSTRING", "date_fromat": "DATE_FORMAT",
		"xyz": "", "": "",
	} {
		if got := scalar.Suggest(name, cands); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", name, got, want)
		}
	}
}
