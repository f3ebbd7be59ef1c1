package format

import "github.com/sqlstream/sqlstream/exec"

// maxwellDecoder decodes Maxwell's daemon records {database, table, type,
// ts, data: {...}, old: {...}}. insert (and bootstrap-insert) is +I data;
// update is -U (data overlaid with old, which holds the changed columns'
// previous values) then +U data; delete is -D data. Maxwell's DDL and
// bootstrap-start/-complete records carry no row: they are ignored and
// counted. Any other type is a bad record.
type maxwellDecoder struct {
	cdcBase
	data, old   int
	dataK, oldK valueKind
	hasType     bool
}

var _ ChangelogDecoder = (*maxwellDecoder)(nil)

// Decode implements Decoder.
func (d *maxwellDecoder) Decode(rec []byte) error {
	d.data, d.old, d.dataK, d.oldK, d.hasType = -1, -1, absent, absent, false
	err := d.j.topLevel(rec, func(key []byte, v int) (int, error) {
		return d.field(rec, key, v)
	})
	if err != nil {
		return err
	}
	d.begin()
	return d.finish(d.apply(rec))
}

func (d *maxwellDecoder) field(s, key []byte, v int) (int, error) {
	switch string(key) {
	case "data":
		kind, end, err := d.j.capture(s, v)
		d.data, d.dataK = v, kind
		return end, err
	case "old":
		kind, end, err := d.j.capture(s, v)
		d.old, d.oldK = v, kind
		return end, err
	case "type":
		kind, end, err := d.j.capture(s, v)
		if err != nil {
			return end, err
		}
		if kind != jsonString {
			return end, recErr("maxwell type must be a string, got %s", quote(s[v:end]))
		}
		str, err := d.j.stringAt(s, v)
		d.keepOp(str)
		d.hasType = true
		return end, err
	}
	return d.j.skipValue(s, v)
}

func (d *maxwellDecoder) apply(s []byte) error {
	if !d.hasType {
		return recErr("maxwell record has no type field")
	}
	typ := string(d.opBuf)
	switch typ {
	case "insert", "update", "delete", "bootstrap-insert":
	case "bootstrap-start", "bootstrap-complete", "table-create", "table-alter", "table-drop",
		"database-create", "database-alter", "database-drop":
		d.ignored++
		return nil
	default:
		return recErr("maxwell type %s is not one of insert, update, delete", quote(d.opBuf))
	}
	if d.dataK != jsonObject {
		return recErr("maxwell %s without data object", typ)
	}
	switch typ {
	case "update":
		if d.oldK != jsonObject {
			return recErr("maxwell update without old object (the changed columns' old values)")
		}
		if err := d.row(s, d.data, d.old, exec.UpdateBefore, "old", -1); err != nil {
			return err
		}
		return d.row(s, d.data, -1, exec.UpdateAfter, "data", -1)
	case "delete":
		return d.row(s, d.data, -1, exec.Delete, "data", -1)
	}
	return d.row(s, d.data, -1, exec.Insert, "data", -1)
}
