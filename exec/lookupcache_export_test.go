package exec

// SetLookupCompactSlack sets the dead-row slack of lookup caches for a
// test and returns the function restoring it.
func SetLookupCompactSlack(n int) (restore func()) {
	old := lookupCompactSlack
	lookupCompactSlack = n
	return func() { lookupCompactSlack = old }
}

// LookupCacheRows returns the rows a CachedLookup's segments hold and
// how many of them live entries use.
func LookupCacheRows(lt LookupTable) (total, live int) {
	for _, s := range lt.(*CachedLookup).segs {
		if s != nil {
			total += int(s.rec.NumRows())
			live += s.live
		}
	}
	return total, live
}
