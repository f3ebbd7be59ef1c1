package file

import (
	"sort"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// NullPartition is the directory value of a NULL partition column, as
// DuckDB writes and reads it (col=NULL).
const NullPartition = "NULL"

// partition is the rows of one partition directory within an epoch.
type partition struct {
	dir  string  // "col=value/col2=value2" relative to the root, "" unpartitioned
	rows []int32 // row indexes into the epoch's columns, ascending
}

// partitioner splits an epoch's rows by the values of the partition
// columns.
type partitioner struct {
	names []string // partition column names
	cols  []int    // their indexes
}

// split returns the partitions of the n rows of cols, ordered by
// directory. Runs of rows with the same directory cost one map lookup.
func (p *partitioner) split(cols []arrow.Array, n int) []*partition {
	if len(p.cols) == 0 {
		rows := make([]int32, n)
		for i := range rows {
			rows[i] = int32(i)
		}
		return []*partition{{rows: rows}}
	}
	rcols := make([]render.Column, len(p.cols))
	for k, c := range p.cols {
		rcols[k] = render.NewColumn(cols[c])
	}
	byDir := map[string]*partition{}
	var key, prev []byte
	var cur *partition
	for i := range n {
		key = p.appendDir(key[:0], rcols, i)
		if cur == nil || string(key) != string(prev) {
			cur = byDir[string(key)]
			if cur == nil {
				cur = &partition{dir: string(key)}
				byDir[cur.dir] = cur
			}
			prev = append(prev[:0], key...)
		}
		cur.rows = append(cur.rows, int32(i))
	}
	out := make([]*partition, 0, len(byDir))
	for _, pt := range byDir {
		out = append(out, pt)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].dir < out[b].dir })
	return out
}

// appendDir appends the directory of row i: name=value segments joined by
// '/', each value its text (DATE as YYYY-MM-DD) escaped as Hive does.
func (p *partitioner) appendDir(dst []byte, rcols []render.Column, i int) []byte {
	for k, c := range rcols {
		if k > 0 {
			dst = append(dst, '/')
		}
		dst = appendEscaped(dst, p.names[k])
		dst = append(dst, '=')
		if c.IsNull(i) {
			dst = append(dst, NullPartition...)
			continue
		}
		start := len(dst)
		dst = c.AppendText(dst, i)
		if needsEscape(dst[start:]) {
			v := string(dst[start:])
			dst = appendEscaped(dst[:start], v)
		}
	}
	return dst
}

// hiveEscaped are the bytes Hive percent-encodes in a partition path
// segment (besides control characters).
const hiveEscaped = "\"#%'*/:=?\\{[]^"

func escapeByte(c byte) bool {
	if c < 0x20 || c == 0x7f {
		return true
	}
	for j := range len(hiveEscaped) {
		if hiveEscaped[j] == c {
			return true
		}
	}
	return false
}

func needsEscape(b []byte) bool {
	for _, c := range b {
		if escapeByte(c) {
			return true
		}
	}
	return false
}

// appendEscaped appends s with the bytes Hive escapes written as %XX.
func appendEscaped(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for j := range len(s) {
		c := s[j]
		if escapeByte(c) {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
			continue
		}
		dst = append(dst, c)
	}
	return dst
}
