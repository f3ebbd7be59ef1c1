package exec

// LagReporter is implemented by sources that know how far they are behind
// their input, such as a Kafka source (records between its position and
// the partitions' high watermarks). Stats reports it per source.
type LagReporter interface {
	// Lag returns the number of records not read yet, and false while it
	// is not known (before the first fetch). It is safe to call from any
	// goroutine while the source is read.
	Lag() (int64, bool)
}

// sourceLag returns src's lag, or -1 when it does not report one or does
// not know it yet.
func sourceLag(src Source) int64 {
	lr, ok := src.(LagReporter)
	if !ok {
		return -1
	}
	if lag, known := lr.Lag(); known {
		return lag
	}
	return -1
}
