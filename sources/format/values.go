package format

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// The decoders read SQL values from JSON strings and numbers and CSV fields
// with catalog/sqlval, in place and without allocating; these names give
// them the decoders' result shapes and error wording.

var errNotNumber = sqlval.ErrSyntax

func parseInt(b []byte, bits int) (int64, bool) { return sqlval.ParseInt(b, bits) }

func parseFloat(b []byte) (float64, bool) { return sqlval.ParseFloat(b) }

func parseBool(b []byte) (bool, bool) { return sqlval.ParseBool(b) }

func parseDate(b []byte) (int32, bool) { return sqlval.ParseDate(b) }

func parseTimestamp(b []byte) (int64, bool) { return sqlval.ParseTimestamp(b) }

// parseDecimal returns errNotNumber for a text that is not a number and an
// "overflows DECIMAL(p,s)" error for one that does not fit.
func parseDecimal(b []byte, prec, scale int32) (decimal128.Num, error) {
	v, err := sqlval.ParseDecimal(b, prec, scale)
	if err == sqlval.ErrRange {
		return v, fmt.Errorf("overflows DECIMAL(%d,%d)", prec, scale)
	}
	return v, err
}
