package kafka

import (
	"testing"

	"github.com/sqlstream/sqlstream/sources/internal/fakesink"
)

// TestKafkaFormats reads every format of the file source from a topic,
// bounded, and checks the rows with their ops.
func TestKafkaFormats(t *testing.T) {
	const schema = "id bigint not null, name varchar"
	type kv struct{ key, value string }
	for _, tc := range []struct {
		format string
		pk     bool
		recs   []kv
		want   []string
	}{
		{"json", false, []kv{{"", `{"id": 1, "name": "a"}`}, {"", `{"id": 2}`}}, []string{
			`+I 1 | "a"`, `+I 2 | NULL`}},
		{"csv", false, []kv{{"", `3,c`}, {"", `4,`}, {"", `"5","e,f"`}}, []string{
			`+I 3 | "c"`, `+I 4 | NULL`, `+I 5 | "e,f"`}},
		{"debezium-json", false, []kv{
			{"", `{"before": null, "after": {"id": 1, "name": "a"}, "op": "c"}`},
			{"", `{"schema": {}, "payload": {"before": {"id": 1, "name": "a"}, "after": {"id": 1, "name": "b"}, "op": "u"}}`},
			{"", `{"before": {"id": 1, "name": "b"}, "after": null, "op": "d"}`},
			{`{"id": 1}`, null}, // the tombstone after a delete: ignored
		}, []string{`+I 1 | "a"`, `-U 1 | "a"`, `+U 1 | "b"`, `-D 1 | "b"`}},
		{"canal-json", false, []kv{
			{"", `{"data": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}], "type": "INSERT"}`},
			{"", `{"data": [{"id": "2", "name": "c"}], "old": [{"name": "b"}], "type": "UPDATE"}`},
			{"", `{"data": [{"id": "1", "name": "a"}], "type": "DELETE"}`},
		}, []string{`+I 1 | "a"`, `+I 2 | "b"`, `-U 2 | "b"`, `+U 2 | "c"`, `-D 1 | "a"`}},
		{"maxwell-json", false, []kv{
			{"", `{"type": "insert", "data": {"id": 1, "name": "a"}}`},
			{"", `{"type": "update", "data": {"id": 1, "name": "b"}, "old": {"name": "a"}}`},
			{"", `{"type": "delete", "data": {"id": 1, "name": "b"}}`},
		}, []string{`+I 1 | "a"`, `-U 1 | "a"`, `+U 1 | "b"`, `-D 1 | "b"`}},
		{"upsert-json", true, []kv{
			{`{"id": 1}`, `{"id": 1, "name": "a"}`},
			{"2", `{"id": 2, "name": "b"}`},
			{`{"id": 1}`, null}, // tombstone, JSON key
			{"2", null},         // tombstone, raw key of the single key column
			{"3", `{"id": 3, "__op": "d"}`},
		}, []string{`+U 1 | "a"`, `+U 2 | "b"`, `-D 1 | NULL`, `-D 2 | NULL`, `-D 3 | NULL`}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			addr := cluster(t, 1, "t")
			p := producer(t, addr)
			for _, r := range tc.recs {
				produce(t, p, rec("t", 0, r.key, r.value, 0))
			}
			d := def(t, schema, "brokers", addr, "topic", "t", "format", tc.format, "scan.bounded", "latest")
			if tc.pk {
				d.PrimaryKey = []int{0}
			}
			for _, batch := range []int{1, 4096} {
				errs := &fakesink.Errors{}
				got := drainAll(t, opened(t, d, errs, batch), true)
				if join(got) != join(tc.want) {
					t.Errorf("batch %d rows:\n%s\nwant:\n%s", batch, join(got), join(tc.want))
				}
				if len(errs.Recs) != 0 {
					t.Errorf("bad records: %q", errs.Lines())
				}
			}
		})
	}
}

// TestKafkaUpsertTombstoneKeys checks the key-to-delete mapping: a string
// key column, a composite key from a JSON key, and keys that cannot name
// the row.
func TestKafkaUpsertTombstoneKeys(t *testing.T) {
	addr := cluster(t, 1, "s", "c")
	p := producer(t, addr)
	produce(t, p, rec("s", 0, "abc", null, 0), rec("s", 0, `"q"`, null, 0), rec("s", 0, "", null, 0))
	d := def(t, "code varchar not null, n bigint", "brokers", addr, "topic", "s", "format", "upsert", "scan.bounded", "latest")
	d.PrimaryKey = []int{0}
	errs := &fakesink.Errors{}
	got := drainAll(t, opened(t, d, errs, 0), true)
	if want := `-D "abc" | NULL` + "\n" + `-D "\"q\"" | NULL`; join(got) != want {
		t.Errorf("rows:\n%s\nwant:\n%s", join(got), want)
	}
	if want := "s/0:2: upsert record with a null value (a delete) but no key"; join(errs.Lines()) != want {
		t.Errorf("bad records %q, want %q", errs.Lines(), want)
	}

	produce(t, p, rec("c", 0, `{"a": 1, "b": "x"}`, null, 0), rec("c", 0, "7", null, 0), rec("c", 0, `{"a": 2}`, null, 0))
	d = def(t, "a bigint not null, b varchar not null, v double", "brokers", addr, "topic", "c", "format", "upsert-json", "scan.bounded", "latest")
	d.PrimaryKey = []int{0, 1}
	errs = &fakesink.Errors{}
	got = drainAll(t, opened(t, d, errs, 0), true)
	if want := `-D 1 | "x" | NULL`; join(got) != want {
		t.Errorf("rows:\n%s\nwant:\n%s", join(got), want)
	}
	want := `c/0:1: upsert delete: the message key "7" is not a JSON object with the key columns (the PRIMARY KEY has several columns)` + "\n" +
		`c/0:2: delete (__op "d") without key column b`
	if join(errs.Lines()) != want {
		t.Errorf("bad records:\n%s\nwant:\n%s", join(errs.Lines()), want)
	}
}
