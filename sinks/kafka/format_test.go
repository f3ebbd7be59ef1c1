package kafka

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/sources/format"
)

const jsonRows = `
+I 1 eu 2.50 '2024-01-02 03:04:05.120' 2024-01-02 1.5 true
+I 2 'us "west"' NULL '2024-01-02 00:00:00.000' NULL NULL false
+I 3 ap -0.05 '1999-12-31 23:59:59.999' 1999-12-31 -2.25 NULL
`

// TestJSONRecords writes append-only rows as JSON and reads them back
// with the file source's json decoder: the values are exactly the rows.
func TestJSONRecords(t *testing.T) {
	_, addr := newCluster(t, 1, "out")
	s := newSink(t, catalog.AppendOnly, nil, "brokers", addr, "topic", "out", "format", "json")
	in := batch(t, jsonRows)
	deliver(t, s, 1, in)
	recs := readTopic(t, addr, "out", true)
	want := []string{
		`{"id":1,"region":"eu","amount":2.50,"ts":"2024-01-02 03:04:05.12","d":"2024-01-02","x":1.5,"ok":true}`,
		`{"id":2,"region":"us \"west\"","amount":null,"ts":"2024-01-02 00:00:00","d":null,"x":null,"ok":false}`,
		`{"id":3,"region":"ap","amount":-0.05,"ts":"1999-12-31 23:59:59.999","d":"1999-12-31","x":-2.25,"ok":null}`,
	}
	if got := values(recs); !slices.Equal(got, want) {
		t.Fatalf("values:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range recs {
		if r.Key != nil {
			t.Errorf("record %s has key %q; an input without a key writes none", r.Value, r.Key)
		}
	}
	var vals [][]byte
	for _, r := range recs {
		vals = append(vals, r.Value)
	}
	if got, want := decode(t, format.JSON, testSchema, nil, vals), exectest.FormatBatch(in); !slices.Equal(got, want) {
		t.Fatalf("decoded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestJSONKeyed keys each message by the input's unique key.
func TestJSONKeyed(t *testing.T) {
	_, addr := newCluster(t, 1, "out")
	s := newSink(t, catalog.AppendOnly, []int{0, 1}, "brokers", addr, "topic", "out", "format", "json")
	deliver(t, s, 1, batch(t, jsonRows))
	var keys []string
	for _, r := range readTopic(t, addr, "out", true) {
		keys = append(keys, string(r.Key))
	}
	want := []string{`{"id":1,"region":"eu"}`, `{"id":2,"region":"us \"west\""}`, `{"id":3,"region":"ap"}`}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %q, want %q", keys, want)
	}
}

// TestJSONRejectsChangelog: format json on a changelog input is an error
// naming the formats to use, at open and (should a changelog row arrive
// anyway) at delivery, where it is fatal.
func TestJSONRejectsChangelog(t *testing.T) {
	cfg, err := ParseConfig(sinkDef("out", "brokers", "x:1", "topic", "out", "format", "json"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New("out", cfg, Input{Columns: testSchema.Names(), Changelog: catalog.Retract})
	var oe *exec.OptionError
	if !errors.As(err, &oe) || oe.Key != "format" || !strings.Contains(err.Error(), "debezium-json") {
		t.Fatalf("open on a changelog: %v, want an error on 'format' naming debezium-json", err)
	}

	_, addr := newCluster(t, 1, "out")
	s := newSink(t, catalog.AppendOnly, nil, "brokers", addr, "topic", "out", "format", "json")
	err = s.Deliver(t.Context(), 1, []exec.Batch{batch(t, "-D 1 eu 2.50 '2024-01-02 03:04:05.120' 2024-01-02 1.5 true")})
	if err == nil || errors.Is(err, exec.ErrRetry) || !strings.Contains(err.Error(), "upsert-json") {
		t.Fatalf("delivering a -D in format json: %v, want a fatal error naming the formats", err)
	}
	if got := readTopic(t, addr, "out", true); len(got) != 0 {
		t.Fatalf("a failed epoch left %d records visible", len(got))
	}
}

// TestDebeziumRecords covers every op mapping, including pairs split
// across batches and unpaired retractions, and reads the envelopes back
// with the debezium-json decoder.
func TestDebeziumRecords(t *testing.T) {
	s2 := mustSchema("id:bigint", "v:varchar")
	_, addr := newCluster(t, 1, "out")
	cfg, err := ParseConfig(sinkDef("out", "brokers", addr, "topic", "out", "format", "debezium-json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New("out", cfg, Input{Columns: s2.Names(), Key: []int{0}, Changelog: catalog.Retract})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b1 := batchOf(t, s2, `
+I 1 a
-U 1 a
+U 1 b
-U 2 x
`)
	b2 := batchOf(t, s2, `
+U 2 y
-U 3 p
+U 4 q
-D 1 b
-U 5 z
`)
	deliver(t, s, 1, b1, b2)
	recs := readTopic(t, addr, "out", true)
	want := []string{
		`{"id":1} {"before":null,"after":{"id":1,"v":"a"},"op":"c"}`,
		`{"id":1} {"before":{"id":1,"v":"a"},"after":{"id":1,"v":"b"},"op":"u"}`,
		`{"id":2} {"before":{"id":2,"v":"x"},"after":{"id":2,"v":"y"},"op":"u"}`,
		`{"id":3} {"before":{"id":3,"v":"p"},"after":null,"op":"d"}`,
		`{"id":4} {"before":null,"after":{"id":4,"v":"q"},"op":"c"}`,
		`{"id":1} {"before":{"id":1,"v":"b"},"after":null,"op":"d"}`,
		`{"id":5} {"before":{"id":5,"v":"z"},"after":null,"op":"d"}`,
	}
	var got []string
	var vals [][]byte
	for _, r := range recs {
		got = append(got, string(r.Key)+" "+string(r.Value))
		vals = append(vals, r.Value)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantRows := lines(`
+I 1 a
-U 1 a
+U 1 b
-U 2 x
+U 2 y
-D 3 p
+I 4 q
-D 1 b
-D 5 z
`)
	if rows := decode(t, format.DebeziumJSON, s2, nil, vals); !slices.Equal(rows, wantRows) {
		t.Fatalf("decoded:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(wantRows, "\n"))
	}
}

// TestDebeziumWithoutKey pairs a -U with the +U that follows it and
// writes messages without keys.
func TestDebeziumWithoutKey(t *testing.T) {
	_, addr := newCluster(t, 1, "out")
	s := newSink(t, catalog.Retract, nil, "brokers", addr, "topic", "out", "format", "debezium-json")
	in := batch(t, `
+I 1 eu 2.50 '2024-01-02 03:04:05.120' 2024-01-02 1.5 true
-U 1 eu 2.50 '2024-01-02 03:04:05.120' 2024-01-02 1.5 true
+U 1 eu 3.00 '2024-01-02 03:04:05.120' 2024-01-02 1.5 true
`)
	deliver(t, s, 1, in)
	recs := readTopic(t, addr, "out", true)
	var vals [][]byte
	for _, r := range recs {
		if r.Key != nil {
			t.Errorf("record has key %q", r.Key)
		}
		vals = append(vals, r.Value)
	}
	if len(recs) != 2 || !strings.Contains(string(recs[1].Value), `"op":"u"`) {
		t.Fatalf("records %q, want a c and a u", values(recs))
	}
	if got, want := decode(t, format.DebeziumJSON, testSchema, nil, vals), exectest.FormatBatch(in); !slices.Equal(got, want) {
		t.Fatalf("decoded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestUpsertRecords: values under their key, tombstones for deleted keys,
// and no tombstone for a key upserted again later in the epoch.
func TestUpsertRecords(t *testing.T) {
	s2 := mustSchema("id:bigint", "v:varchar")
	_, addr := newCluster(t, 1, "out")
	cfg, err := ParseConfig(sinkDef("out", "brokers", addr, "topic", "out", "format", "upsert-json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New("out", cfg, Input{Columns: s2.Names(), Key: []int{0}, Changelog: catalog.Retract})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deliver(t, s, 1, batchOf(t, s2, `
+I 1 a
+I 2 b
-U 1 a
`), batchOf(t, s2, `
+U 1 c
-D 2 b
+I 3 x
-D 3 x
+I 2 d
-U 4 old
+U 5 new
`))
	var got []string
	for _, r := range readTopic(t, addr, "out", true) {
		v := "<tombstone>"
		if r.Value != nil {
			v = string(r.Value)
		}
		got = append(got, string(r.Key)+" "+v)
	}
	want := []string{
		`{"id":1} {"id":1,"v":"a"}`,
		`{"id":2} {"id":2,"v":"b"}`,
		`{"id":1} {"id":1,"v":"c"}`,
		`{"id":3} {"id":3,"v":"x"}`,
		`{"id":3} <tombstone>`,
		`{"id":2} {"id":2,"v":"d"}`,
		`{"id":4} <tombstone>`,
		`{"id":5} {"id":5,"v":"new"}`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestUpsertNeedsKey: upsert-json on rows without a unique key is an
// error at open; the empty key of a single-row result is {}.
func TestUpsertNeedsKey(t *testing.T) {
	cfg, err := ParseConfig(sinkDef("out", "brokers", "x:1", "topic", "out", "format", "upsert-json"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New("out", cfg, Input{Columns: testSchema.Names(), Changelog: catalog.Retract})
	if err == nil || !strings.Contains(err.Error(), "unique key") {
		t.Fatalf("upsert-json without a key: %v, want an error about the key", err)
	}
	_, addr := newCluster(t, 1, "out")
	s := newSink(t, catalog.Retract, []int{}, "brokers", addr, "topic", "out", "format", "upsert-json")
	deliver(t, s, 1, batch(t, `
+I 1 eu 2.50 '2024-01-02 03:04:05.120' 2024-01-02 1.5 true
-U 1 eu 2.50 '2024-01-02 03:04:05.120' 2024-01-02 1.5 true
+U 2 eu 2.50 '2024-01-02 03:04:05.120' 2024-01-02 1.5 true
`))
	recs := readTopic(t, addr, "out", true)
	if len(recs) != 2 || string(recs[0].Key) != "{}" || string(recs[1].Key) != "{}" || !strings.HasPrefix(string(recs[1].Value), `{"id":2,`) {
		t.Fatalf("records %q / keys %q %q, want two values under key {}", values(recs), recs[0].Key, recs[len(recs)-1].Key)
	}
}
