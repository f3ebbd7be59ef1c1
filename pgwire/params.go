package pgwire

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgtype"
	wire "github.com/jeroenrinzema/psql-wire"
)

// paramOIDs are the parameter types announced to the client: the type a
// client gave in Parse, else the one the backend inferred, else text.
func paramOIDs(inferred []arrow.DataType, client []uint32) []uint32 {
	oids := make([]uint32, max(len(inferred), len(client)))
	for i := range oids {
		switch {
		case i < len(client) && client[i] != 0:
			oids[i] = client[i]
		case i < len(inferred) && inferred[i] != nil:
			oids[i] = oidOf(inferred[i])
		default:
			oids[i] = oidText
		}
	}
	return oids
}

// decodeParams decodes bound parameters into values the backend binds:
// text-format values as strings (the backend casts them to the
// parameter's type), binary ones by their announced type.
func decodeParams(ps []wire.Parameter, oids []uint32) ([]any, error) {
	if len(ps) != len(oids) {
		return nil, sqlError(codeSyntax, "", "bind message supplies %d parameters, but the statement requires %d", len(ps), len(oids))
	}
	args := make([]any, len(ps))
	for i, p := range ps {
		if p.Value() == nil {
			continue
		}
		if p.Format() == wire.TextFormat {
			args[i] = string(p.Value())
			continue
		}
		v, err := p.Scan(oids[i])
		if err != nil {
			return nil, sqlError(codeSyntax, "", "parameter $%d: %v", i+1, err)
		}
		args[i] = bindable(v)
	}
	return args, nil
}

// bindable converts a decoded parameter to a value the backend can bind:
// exact numerics and intervals as their text.
func bindable(v any) any {
	switch x := v.(type) {
	case pgtype.Numeric:
		b, err := x.MarshalJSON()
		if err != nil {
			return nil
		}
		return string(b)
	case pgtype.Interval:
		return fmt.Sprintf("%d months %d days %d microseconds", x.Months, x.Days, x.Microseconds)
	case pgtype.Time:
		us := x.Microseconds
		return fmt.Sprintf("%02d:%02d:%02d.%06d", us/3_600_000_000, us/60_000_000%60, us/1_000_000%60, us%1_000_000)
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}
