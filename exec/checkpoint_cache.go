package exec

// cacheState marks an operator whose state is only a cache of data it
// can fetch again (the lookup join's cache of table rows): it needs no
// checkpoint, and a restored run starts with an empty cache.
type cacheState interface {
	stateIsCache()
}

func (*LookupJoin) stateIsCache() {}
