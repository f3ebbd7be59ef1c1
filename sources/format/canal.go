package format

import "github.com/sqlstream/sqlstream/exec"

// canalDecoder decodes Canal flat messages {data: [...], old: [...],
// type, isDdl, database, table, ...}: one message carries the rows of one
// binlog event. INSERT is +I per data row; UPDATE is, per row k, -U (data[k]
// overlaid with old[k], which holds the changed columns' previous values)
// then +U data[k]; DELETE is -D per data row. Canal quotes every value, so
// numbers and booleans are accepted as strings too. DDL messages (isDdl
// true) and messages with no rows are ignored and counted. A message with
// one bad row adds none of its rows.
type canalDecoder struct {
	cdcBase
	dataOldEnvelope
	isDDL    bool
	dataRows []int // starts of data's elements
	oldRows  []int
}

var _ ChangelogDecoder = (*canalDecoder)(nil)

// Decode implements Decoder.
func (d *canalDecoder) Decode(rec []byte) error {
	d.reset()
	d.isDDL = false
	err := d.j.topLevel(rec, func(key []byte, v int) (int, error) {
		return d.field(rec, key, v)
	})
	if err != nil {
		return err
	}
	d.begin()
	return d.finish(d.apply(rec))
}

func (d *canalDecoder) field(s, key []byte, v int) (int, error) {
	if end, ok, err := d.dataOldEnvelope.field(&d.cdcBase, s, key, v, "canal"); ok {
		return end, err
	}
	if string(key) == "isDdl" {
		kind, end, err := d.j.capture(s, v)
		d.isDDL = err == nil && kind == jsonOther && s[v] == 't'
		return end, err
	}
	return d.j.skipValue(s, v)
}

func (d *canalDecoder) apply(s []byte) error {
	if d.isDDL {
		d.ignored++
		return nil
	}
	if !d.hasType {
		return recErr("canal message has no type field")
	}
	typ := string(d.opBuf)
	var op exec.Op
	switch typ {
	case "INSERT":
		op = exec.Insert
	case "UPDATE":
		op = exec.UpdateAfter
	case "DELETE":
		op = exec.Delete
	default:
		return recErr("canal type %s is not one of INSERT, UPDATE, DELETE", quote(d.opBuf))
	}
	rows, err := d.rows(s, d.data, d.dataK, "data", d.dataRows[:0])
	d.dataRows = rows
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		d.ignored++
		return nil
	}
	if op == exec.UpdateAfter {
		return d.updates(s, rows)
	}
	for k, at := range rows {
		if err := d.row(s, at, -1, op, "data", k); err != nil {
			return err
		}
	}
	return nil
}

// updates adds the -U/+U pair of every row of an UPDATE message.
func (d *canalDecoder) updates(s []byte, rows []int) error {
	old, err := d.rows(s, d.old, d.oldK, "old", d.oldRows[:0])
	d.oldRows = old
	if err != nil {
		return err
	}
	if len(old) != len(rows) {
		return recErr("canal UPDATE has %d data rows but %d old rows", len(rows), len(old))
	}
	for k, at := range rows {
		if err := d.row(s, at, old[k], exec.UpdateBefore, "old", k); err != nil {
			return err
		}
		if err := d.row(s, at, -1, exec.UpdateAfter, "data", k); err != nil {
			return err
		}
	}
	return nil
}

// rows lists the objects of the array field at s[v] (none when absent or null).
func (d *canalDecoder) rows(s []byte, v int, kind valueKind, name string, into []int) ([]int, error) {
	switch kind {
	case absent, jsonNull:
		return into, nil
	case jsonArray:
	default:
		return into, recErr("canal %s must be an array of objects", name)
	}
	into, _, err := d.j.elems(s, v, into)
	if err != nil {
		return into, err
	}
	for k, at := range into {
		if s[at] != '{' {
			return into, recErr("canal %s[%d] must be an object", name, k)
		}
	}
	return into, nil
}
