package format

import "github.com/sqlstream/sqlstream/exec"

// debeziumDecoder decodes Debezium change events: the bare envelope
// {before, after, op, source, ts_ms, ...} or the {schema, payload}
// wrapper of the JSON converter with schemas enabled. op c (create) and r
// (snapshot read) are +I after; u is -U before, +U after; d is -D before.
// A `null` record (or a null payload) is a Kafka tombstone: it is ignored
// and counted. Fields other than before, after, op and payload are skipped.
type debeziumDecoder struct {
	cdcBase
	before, after   int // start of the image object, or -1
	beforeK, afterK valueKind
	hasOp, nullPay  bool
	rec             []byte                               // the record being decoded
	walk            func(key []byte, v int) (int, error) // d.field over rec, made once
}

func newDebeziumDecoder(base cdcBase) *debeziumDecoder {
	d := &debeziumDecoder{cdcBase: base}
	d.walk = func(key []byte, v int) (int, error) { return d.field(d.rec, key, v) }
	return d
}

var _ ChangelogDecoder = (*debeziumDecoder)(nil)

// Decode implements Decoder.
func (d *debeziumDecoder) Decode(rec []byte) error {
	if isNullRecord(rec) {
		d.ignored++
		return nil
	}
	d.before, d.after, d.beforeK, d.afterK, d.hasOp, d.nullPay = -1, -1, absent, absent, false, false
	d.rec = rec
	err := d.j.topLevel(rec, d.walk)
	d.rec = nil
	if err != nil {
		return err
	}
	if d.nullPay && !d.hasOp {
		d.ignored++
		return nil
	}
	d.begin()
	return d.finish(d.apply(rec))
}

// field records one envelope field; payload is walked as the envelope.
func (d *debeziumDecoder) field(s, key []byte, v int) (int, error) {
	switch string(key) {
	case "before":
		kind, end, err := d.j.capture(s, v)
		d.before, d.beforeK = v, kind
		return end, err
	case "after":
		kind, end, err := d.j.capture(s, v)
		d.after, d.afterK = v, kind
		return end, err
	case "op":
		kind, end, err := d.j.capture(s, v)
		if err != nil || kind == jsonNull {
			return end, err
		}
		if kind != jsonString {
			return end, recErr("debezium op must be a string, got %s", quote(s[v:end]))
		}
		str, err := d.j.stringAt(s, v)
		d.keepOp(str)
		d.hasOp = true
		return end, err
	case "payload":
		if v < len(s) && s[v] == '{' {
			return d.j.fields(s, v, d.walk)
		}
		kind, end, err := d.j.capture(s, v)
		if err == nil && kind != jsonNull {
			err = recErr("debezium payload must be an object, got %s", quote(s[v:end]))
		}
		d.nullPay = true
		return end, err
	}
	return d.j.skipValue(s, v)
}

// apply adds the rows of the decoded envelope.
func (d *debeziumDecoder) apply(s []byte) error {
	if !d.hasOp {
		return recErr("debezium record has no op field")
	}
	op := string(d.opBuf)
	switch op {
	case "c", "r":
		if d.afterK != jsonObject {
			return recErr("debezium %s record without after image", opWord(op))
		}
		return d.row(s, d.after, -1, exec.Insert, "after", -1)
	case "u":
		if d.beforeK != jsonObject {
			return recErr("debezium update without before image (set REPLICA IDENTITY FULL)")
		}
		if d.afterK != jsonObject {
			return recErr("debezium update without after image")
		}
		if err := d.row(s, d.before, -1, exec.UpdateBefore, "before", -1); err != nil {
			return err
		}
		return d.row(s, d.after, -1, exec.UpdateAfter, "after", -1)
	case "d":
		if d.beforeK != jsonObject {
			return recErr("debezium delete without before image (set REPLICA IDENTITY FULL)")
		}
		return d.row(s, d.before, -1, exec.Delete, "before", -1)
	}
	return recErr("debezium op %s is not one of c, r, u, d", quote(d.opBuf))
}

func opWord(op string) string {
	if op == "r" {
		return "read (snapshot)"
	}
	return "create"
}
