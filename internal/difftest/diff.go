package difftest

import (
	"fmt"
	"sort"
	"strings"
)

// Diff compares two multisets of normalized rows (in any order) and
// returns "" when they are equal, else a readable report of the rows only
// in got and only in want (at most max of each; max <= 0 means 20).
func Diff(got, want []string, max int) string {
	if max <= 0 {
		max = 20
	}
	count := map[string]int{}
	for _, r := range got {
		count[r]++
	}
	for _, r := range want {
		count[r]--
	}
	var extra, missing []string
	for r, n := range count {
		for ; n > 0; n-- {
			extra = append(extra, r)
		}
		for ; n < 0; n++ {
			missing = append(missing, r)
		}
	}
	if len(extra) == 0 && len(missing) == 0 {
		return ""
	}
	sort.Strings(extra)
	sort.Strings(missing)
	var b strings.Builder
	fmt.Fprintf(&b, "%d rows got, %d want; %d only in got, %d only in want\n", len(got), len(want), len(extra), len(missing))
	section(&b, "only in got (operator):", extra, max)
	section(&b, "only in want (DuckDB):", missing, max)
	return b.String()
}

func section(b *strings.Builder, title string, rows []string, max int) {
	if len(rows) == 0 {
		return
	}
	b.WriteString(title + "\n")
	for i, r := range rows {
		if i == max {
			fmt.Fprintf(b, "  ... %d more\n", len(rows)-max)
			break
		}
		b.WriteString("  " + r + "\n")
	}
}
