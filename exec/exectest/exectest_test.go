package exectest

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestParseFormatRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s, err := ParseSchema([]string{"s:varchar", "n:bigint not null", "d:decimal(5,2)", "ts:timestamp", "dt:date", "b:bool", "x:double", "i:int"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.String(); got != "(s:varchar, n:bigint not null, d:decimal(5,2), ts:timestamp(3), dt:date, b:boolean, x:double, i:int)" {
		t.Fatalf("schema = %s", got)
	}
	rows := `+I 'a b' 1 1.50 '2024-01-01 00:00:00.250' 2024-01-01 true 0.5 -7
-U 'NULL' -2 NULL NULL NULL false NULL NULL
+U NULL 3 -0.01 '1970-01-01 00:00:00.000' 1969-12-31 NULL 1e+100 0
-D 'it''s' 4 999.99 '2024-12-31 23:59:59.999' 2024-02-29 false -0 2147483647`
	b, err := ParseBatch(s, rows, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	if got := strings.Join(FormatBatch(b), "\n"); got != rows {
		t.Fatalf("round trip:\n%s\nwant\n%s", got, rows)
	}
}

func TestParseErrors(t *testing.T) {
	mem := memory.NewGoAllocator()
	s, _ := ParseSchema([]string{"a:bigint", "s:varchar"})
	for _, c := range []struct{ rows, want string }{
		{"+I 1", "1 values for 2 columns"},
		{"+X 1 a", "unknown row kind"},
		{"+I x a", "column a"},
		{"+I 1 'open", "unterminated quote"},
	} {
		if _, err := ParseBatch(s, c.rows, mem); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.rows, err, c.want)
		}
	}
	for _, bad := range []string{"a", "a:blob", "a:decimal(50,2)"} {
		if _, err := ParseSchema([]string{bad}); err == nil {
			t.Errorf("schema %q: want an error", bad)
		}
	}
}
