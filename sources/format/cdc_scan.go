package format

// JSON structure walkers for the CDC envelopes. They check the grammar
// like the row decoder does and report positions in the whole record.

// valueKind is what a captured envelope field holds.
type valueKind uint8

const (
	absent valueKind = iota
	jsonNull
	jsonObject
	jsonArray
	jsonString
	jsonOther // a number or a boolean
)

// capture skips the value at s[v] and reports its kind and its end.
func (d *jsonDecoder) capture(s []byte, v int) (valueKind, int, error) {
	end, err := d.skipValue(s, v)
	if err != nil {
		return absent, end, err
	}
	switch s[v] {
	case 'n':
		return jsonNull, end, nil
	case '{':
		return jsonObject, end, nil
	case '[':
		return jsonArray, end, nil
	case '"':
		return jsonString, end, nil
	}
	return jsonOther, end, nil
}

// fields walks the JSON object at s[i], calling f with each key and the
// index of its value; f returns the index after the value. fields returns
// the index after the object. key is valid only during the call.
func (d *jsonDecoder) fields(s []byte, i int, f func(key []byte, v int) (int, error)) (int, error) {
	if i >= len(s) || s[i] != '{' {
		return i, syntax(s, i)
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return i, syntax(s, i)
		}
		key, j, err := readString(s, i, &d.keyBuf)
		if err != nil {
			return j, err
		}
		i = skipWS(s, j)
		if i >= len(s) || s[i] != ':' {
			return i, syntax(s, i)
		}
		if i, err = f(key, skipWS(s, i+1)); err != nil {
			return i, err
		}
		i = skipWS(s, i)
		if i < len(s) && s[i] == ',' {
			i = skipWS(s, i+1)
			continue
		}
		if i < len(s) && s[i] == '}' {
			return i + 1, nil
		}
		return i, syntax(s, i)
	}
}

// elems appends the start of every element of the JSON array at s[i] to
// starts, checking each one's structure, and returns the index after it.
func (d *jsonDecoder) elems(s []byte, i int, starts []int) ([]int, int, error) {
	if i >= len(s) || s[i] != '[' {
		return starts, i, syntax(s, i)
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == ']' {
		return starts, i + 1, nil
	}
	for {
		starts = append(starts, i)
		end, err := d.skipValue(s, i)
		if err != nil {
			return starts, end, err
		}
		i = skipWS(s, end)
		if i < len(s) && s[i] == ',' {
			i = skipWS(s, i+1)
			continue
		}
		if i < len(s) && s[i] == ']' {
			return starts, i + 1, nil
		}
		return starts, i, syntax(s, i)
	}
}

// rowAt decodes the JSON object at s[i] into the pending row (fields are
// matched to columns as in the json format) and returns the index after it.
func (d *jsonDecoder) rowAt(s []byte, i int) (int, error) {
	return d.fields(s, i, func(key []byte, v int) (int, error) {
		if col := d.lookup(key); col >= 0 {
			return d.value(d.b.Cols[col], s, v)
		}
		return d.skipValue(s, v)
	})
}

// stringAt reads the JSON string at s[v] (kind must be jsonString).
func (d *jsonDecoder) stringAt(s []byte, v int) ([]byte, error) {
	str, _, err := readString(s, v, &d.valBuf)
	return str, err
}

// isNullRecord reports a record that is the JSON literal null (a tombstone).
func isNullRecord(s []byte) bool {
	i := skipWS(s, 0)
	if len(s)-i < 4 || string(s[i:i+4]) != "null" {
		return false
	}
	return skipWS(s, i+4) == len(s)
}

// topLevel walks the record's top-level object with f and checks that
// nothing but whitespace follows it.
func (d *jsonDecoder) topLevel(s []byte, f func(key []byte, v int) (int, error)) error {
	end, err := d.fields(s, skipWS(s, 0), f)
	if err != nil {
		return err
	}
	return d.trailing(s, end)
}
