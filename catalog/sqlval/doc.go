// Package sqlval owns the text forms and the calendar arithmetic of SQL
// values: how a DATE, a TIMESTAMP(3), a DECIMAL(p,s), an integer, a DOUBLE
// and a BOOLEAN are spelled in text and read back, and the proleptic
// Gregorian calendar under DATE (days since 1970-01-01) and TIMESTAMP
// (milliseconds since 1970-01-01 00:00:00 UTC).
//
// It is the one implementation every layer uses: the JSON and CSV decoders
// (sources/format), CAST and date arithmetic (exec/expr), literal binding
// (planner/scalar) and the renderers. A text accepted in one place is
// accepted, and means the same value, everywhere. Callers wrap a failure in
// their own wording; parsers here return ok=false or a sentinel error and
// never allocate.
//
// Parsers are generic over [Text] (a string or a byte slice, read in place).
// Surrounding ASCII white space is ignored. The accepted grammar:
//
//	date      = year "-" month "-" day              (1-4, 1-2, 1-2 digits; a real date, years 0-9999)
//	timestamp = date [ sep clock [ zone ] ]          (date alone is midnight)
//	sep       = " " | "T" | "t"
//	clock     = hh ":" mi [ ":" ss [ "." digits ] ] (1-2 digits each; hh<=23, mi<=59, ss<=60;
//	                                                 fraction digits beyond milliseconds are truncated)
//	zone      = "Z" | "z" | ("+"|"-") hh [ [":"] mi ] (an offset is subtracted: the result is UTC)
//	decimal   = [ "+"|"-" ] digits [ "." [digits] ] [ ("e"|"E") ["+"|"-"] digits ]
//	          | [ "+"|"-" ] "." digits [ exponent ]
//	integer   = [ "+"|"-" ] digits
//	boolean   = true|t|1|yes|y|on | false|f|0|no|n|off   (any case)
//
// A DATE parsed from a timestamp text keeps the (UTC) day and drops the time.
// Decimals round half away from zero to the scale and fail with [ErrRange]
// when the result needs more than the precision's digits.
package sqlval
