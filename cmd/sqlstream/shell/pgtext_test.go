package shell

import (
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
)

func TestIsJSONNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-12": true, "2.50": true, "1e+20": true, "-0.5E-3": true, "123456789012345678901234567890": true,
		"": false, "-": false, "01": false, ".5": false, "5.": false, "1e": false, "NaN": false,
		"Infinity": false, "-Infinity": false, "+1": false, "1 ": false, "0x10": false,
	} {
		if got := isJSONNumber(s); got != want {
			t.Errorf("isJSONNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestJSONValue(t *testing.T) {
	cases := []struct {
		oid  uint32
		text string
		want string
	}{
		{pgtype.Int8OID, "-42", "-42"},
		{pgtype.NumericOID, "2.50", "2.50"},
		{pgtype.NumericOID, "NaN", "null"},
		{pgtype.Float8OID, "-Infinity", "null"},
		{pgtype.Float8OID, "1e+20", "1e+20"},
		{pgtype.BoolOID, "t", "true"},
		{pgtype.BoolOID, "false", "false"},
		{pgtype.JSONBOID, `{"a": [1]}`, `{"a": [1]}`},
		{pgtype.TextOID, "say \"hi\"\n", `"say \"hi\"\n"`},
		{pgtype.TimestampOID, "2024-05-02 09:15:00.25", `"2024-05-02 09:15:00.25"`},
		{0, "unknown type", `"unknown type"`},
	}
	for _, c := range cases {
		if got := jsonValue(kindOf(c.oid), c.text); got != c.want {
			t.Errorf("jsonValue(oid %d, %q) = %s, want %s", c.oid, c.text, got, c.want)
		}
	}
}
