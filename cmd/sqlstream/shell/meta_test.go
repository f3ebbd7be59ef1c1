package shell

import (
	"strings"
	"testing"
	"time"

	"github.com/sqlstream/sqlstream/sinks/render"
)

func TestParseMeta(t *testing.T) {
	cases := []struct {
		line string
		want meta
	}{
		{`\d`, meta{kind: metaDescribe}},
		{`  \d dws_bids  `, meta{kind: metaDescribe, name: "dws_bids"}},
		{`\d main."Odd Name"`, meta{kind: metaDescribe, name: `main."Odd Name"`}},
		{"\\d\tx", meta{kind: metaDescribe, name: "x"}},
		{`\d late_bid;`, meta{kind: metaDescribe, name: "late_bid"}},
		{`\timing`, meta{kind: metaTiming}},
		{`\timing on`, meta{kind: metaTiming, setTiming: true, timing: true}},
		{`\timing OFF`, meta{kind: metaTiming, setTiming: true, timing: false}},
		{`\format`, meta{kind: metaFormat}},
		{`\format csv`, meta{kind: metaFormat, setFormat: true, format: render.FormatCSV}},
		{`\format JSON`, meta{kind: metaFormat, setFormat: true, format: render.FormatJSON}},
		{`\watch`, meta{kind: metaWatch, every: 2 * time.Second}},
		{`\watch 1`, meta{kind: metaWatch, every: time.Second}},
		{`\watch 0.5`, meta{kind: metaWatch, every: 500 * time.Millisecond}},
		{`\q`, meta{kind: metaQuit}},
		{`\?`, meta{kind: metaHelp}},
		{`\r`, meta{kind: metaReset}},
	}
	for _, c := range cases {
		got, err := parseMeta(c.line)
		if err != nil {
			t.Errorf("parseMeta(%q): %v", c.line, err)
			continue
		}
		if got != c.want {
			t.Errorf("parseMeta(%q) = %+v, want %+v", c.line, got, c.want)
		}
	}
}

func TestParseMetaErrors(t *testing.T) {
	cases := map[string]string{
		`\x`:            `\x: invalid command (try \? for help)`,
		`\timing maybe`: `\timing: want on or off, not "maybe"`,
		`\format xml`:   `\format: unknown format "xml" (want table, csv or json)`,
		`\watch 0`:      `\watch: want a positive number of seconds, not "0"`,
		`\watch -1`:     `\watch: want a positive number of seconds, not "-1"`,
		`\watch soon`:   `\watch: want a positive number of seconds, not "soon"`,
		`\watch NaN`:    `\watch: want a positive number of seconds, not "NaN"`,
		`\q now`:        `\q: unexpected argument "now"`,
		`\d a b`:        `\d: unexpected argument "b"`,
		`select 1`:      `not a meta command: "select 1"`,
	}
	for line, want := range cases {
		_, err := parseMeta(line)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseMeta(%q) error = %v, want %q", line, err, want)
		}
	}
}
