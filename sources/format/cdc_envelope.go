package format

// dataOldEnvelope holds the fields Canal and Maxwell messages share: `data`
// (the row after the change, or the rows), `old` (the changed columns'
// previous values) and `type` (the operation), as offsets into the record
// being decoded.
type dataOldEnvelope struct {
	data, old   int
	dataK, oldK valueKind
	hasType     bool
}

// reset forgets the previous record's fields.
func (e *dataOldEnvelope) reset() {
	e.data, e.old, e.dataK, e.oldK, e.hasType = -1, -1, absent, absent, false
}

// field captures key if it is one of the envelope's fields; handled is
// false for any other key. format names the format in errors.
func (e *dataOldEnvelope) field(c *cdcBase, s, key []byte, v int, format string) (end int, handled bool, err error) {
	switch string(key) {
	case "data":
		kind, end, err := c.j.capture(s, v)
		e.data, e.dataK = v, kind
		return end, true, err
	case "old":
		kind, end, err := c.j.capture(s, v)
		e.old, e.oldK = v, kind
		return end, true, err
	case "type":
		kind, end, err := c.j.capture(s, v)
		if err != nil {
			return end, true, err
		}
		if kind != jsonString {
			return end, true, recErr("%s type must be a string, got %s", format, quote(s[v:end]))
		}
		str, err := c.j.stringAt(s, v)
		c.keepOp(str)
		e.hasType = true
		return end, true, err
	}
	return 0, false, nil
}
