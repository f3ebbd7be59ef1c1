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
	dataOldEnvelope
}

var _ ChangelogDecoder = (*maxwellDecoder)(nil)

// Decode implements Decoder.
func (d *maxwellDecoder) Decode(rec []byte) error {
	d.reset()
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
	if end, ok, err := d.dataOldEnvelope.field(&d.cdcBase, s, key, v, "maxwell"); ok {
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
