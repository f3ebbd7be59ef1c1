package main

import (
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines a hunk shows around a change.
const diffContext = 3

// unifiedDiff renders the line difference between a and b as a unified
// diff (`--- from`, `+++ to`, `@@` hunks with diffContext lines of
// context), computed from a longest common subsequence of lines. It
// returns "" when a equals b. Plans are tens of lines, so the quadratic
// table is cheap.
func unifiedDiff(from, to, a, b string) string {
	if a == b {
		return ""
	}
	ops := lineDiff(splitLines(a), splitLines(b))
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", from, to)
	writeHunks(&out, ops)
	return out.String()
}

// splitLines splits text into lines without their newlines; "" has none.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// diffOp is one line of a diff: ' ' kept, '-' only in a, '+' only in b.
type diffOp struct {
	kind byte
	text string
}

// lineDiff returns the edit script from a to b; at a choice, deletions
// come before insertions.
func lineDiff(a, b []string) []diffOp {
	n, m := len(a), len(b)
	// lcs[i][j] is the length of a longest common subsequence of a[i:], b[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	ops := make([]diffOp, 0, n+m)
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, diffOp{' ', a[i]})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, diffOp{'-', a[i]})
			i++
		default:
			ops = append(ops, diffOp{'+', b[j]})
			j++
		}
	}
	return ops
}

// writeHunks groups the changes of ops into hunks; changes separated by at
// most 2*diffContext kept lines share a hunk.
func writeHunks(out *strings.Builder, ops []diffOp) {
	// aLine[k] and bLine[k] count the a and b lines before ops[k].
	aLine, bLine := make([]int, len(ops)+1), make([]int, len(ops)+1)
	for k, op := range ops {
		aLine[k+1], bLine[k+1] = aLine[k], bLine[k]
		if op.kind != '+' {
			aLine[k+1]++
		}
		if op.kind != '-' {
			bLine[k+1]++
		}
	}
	for k := 0; k < len(ops); {
		if ops[k].kind == ' ' {
			k++
			continue
		}
		start, last := max(0, k-diffContext), lastChange(ops, k)
		stop := min(len(ops), last+1+diffContext)
		fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aLine[start], aLine[stop]), hunkRange(bLine[start], bLine[stop]))
		for _, op := range ops[start:stop] {
			out.WriteString(string(op.kind) + op.text + "\n")
		}
		k = stop
	}
}

// lastChange is the last change of the hunk that starts with the change
// at k: the hunk ends at a run of more than 2*diffContext kept lines.
func lastChange(ops []diffOp, k int) int {
	last, kept := k, 0
	for e := k; e < len(ops) && kept <= 2*diffContext; e++ {
		if ops[e].kind == ' ' {
			kept++
			continue
		}
		last, kept = e, 0
	}
	return last
}

// hunkRange renders a hunk's line range from the lines before it and the
// lines up to its end: `start,count` (1-based; an empty range names the
// line before it, as diff -u does).
func hunkRange(before, end int) string {
	count := end - before
	if count == 0 {
		return fmt.Sprintf("%d,0", before)
	}
	return fmt.Sprintf("%d,%d", before+1, count)
}
