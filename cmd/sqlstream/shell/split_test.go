package shell

import (
	"slices"
	"testing"
)

func TestSplitter(t *testing.T) {
	cases := []struct {
		name    string
		lines   []string
		want    []string
		pending string // Pending() after the last line
		inCode  bool
	}{
		{"one line", []string{"select 1;"}, []string{"select 1"}, "", true},
		{"two on a line", []string{"select 1; select 2;"}, []string{"select 1", "select 2"}, "", true},
		{"multi-line", []string{"select a,", "  b", "from t;"}, []string{"select a,\n  b\nfrom t"}, "", true},
		{"unterminated", []string{"select 1; select"}, []string{"select 1"}, "select", true},
		{"empty statements", []string{";; ;", "select 1;;"}, []string{"select 1"}, "", true},
		{"semicolon in string", []string{"select 'a;b', 'it''s;';"}, []string{"select 'a;b', 'it''s;'"}, "", true},
		{"string spans lines", []string{"select 'a", ";b';"}, []string{"select 'a\n;b'"}, "", true},
		{"open string", []string{"select 'a;"}, nil, "select 'a;", false},
		{"quoted identifier", []string{`select 1 as "x;y";`}, []string{`select 1 as "x;y"`}, "", true},
		{"escape string", []string{`select E'a\';b';`}, []string{`select E'a\';b'`}, "", true},
		{"backslash in plain string", []string{`select 'a\';`}, []string{`select 'a\'`}, "", true},
		{"line comment", []string{"select 1 -- no; not here", ";"}, []string{"select 1 -- no; not here"}, "", true},
		{"comment only", []string{"-- just a comment;", "/* and; this */ ;"}, nil, "", true},
		{"block comment", []string{"select /* a; /* nested; */ b; */ 1;"}, []string{"select /* a; /* nested; */ b; */ 1"}, "", true},
		{"open block comment", []string{"select 1 /* ;"}, nil, "select 1 /* ;", false},
		{"dollar quote", []string{"select $$a;b$$, $x$c;$$;d$x$;"}, []string{"select $$a;b$$, $x$c;$$;d$x$"}, "", true},
		{"parameter is no dollar quote", []string{"select $1;"}, []string{"select $1"}, "", true},
		{"trailing comment dropped", []string{"select 1; -- done"}, []string{"select 1"}, "", true},
		{"unicode", []string{"select '日本;語', 'é';"}, []string{"select '日本;語', 'é'"}, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s splitter
			var got []string
			for _, l := range c.lines {
				got = append(got, s.Feed(l+"\n")...)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("statements = %q, want %q", got, c.want)
			}
			if p := s.Pending(); p != c.pending {
				t.Errorf("Pending() = %q, want %q", p, c.pending)
			}
			if s.InCode() != c.inCode {
				t.Errorf("InCode() = %v, want %v", s.InCode(), c.inCode)
			}
			if s.Empty() != (c.pending == "" && c.inCode) {
				t.Errorf("Empty() = %v with pending %q", s.Empty(), c.pending)
			}
		})
	}
}

func TestSplitterReset(t *testing.T) {
	var s splitter
	s.Feed("select 'open\n")
	s.Reset()
	if !s.Empty() || !s.InCode() {
		t.Fatal("Reset left input behind")
	}
	if got := s.Feed("select 2;\n"); !slices.Equal(got, []string{"select 2"}) {
		t.Fatalf("after Reset: %q", got)
	}
}

func TestCutMeta(t *testing.T) {
	cases := []struct {
		pending, line string
		sql, meta     string
		ok            bool
	}{
		{"", `\d`, "", `\d`, true},
		{"", `select 1 \watch 2`, "select 1 ", `\watch 2`, true},
		{"", `select '\x' \watch`, `select '\x' `, `\watch`, true},
		{"", `select E'\'' \g`, `select E'\'' `, `\g`, true},
		{"", `select 1 -- \d`, `select 1 -- \d`, "", false},
		{"select 'open\n", `still\text' \q`, `still\text' `, `\q`, true},
		{"select 'open\n", `still\text`, `still\text`, "", false},
		{"", `select 1`, `select 1`, "", false},
	}
	for _, c := range cases {
		var s splitter
		s.Feed(c.pending)
		before := s
		sql, meta, ok := s.CutMeta(c.line)
		if sql != c.sql || meta != c.meta || ok != c.ok {
			t.Errorf("CutMeta(%q) after %q = %q, %q, %v; want %q, %q, %v", c.line, c.pending, sql, meta, ok, c.sql, c.meta, c.ok)
		}
		if s != before {
			t.Errorf("CutMeta(%q) changed the splitter", c.line)
		}
	}
}
