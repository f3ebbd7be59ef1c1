package exec

import (
	"fmt"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
)

// Options of the lookup cache. Each is read from the lookup table's WITH
// options first (a connector table: CREATE TABLE ... WITH (...,
// 'lookup.cache.ttl' = '1 min')), then from the pipeline's SET settings
// (SET 'lookup.cache.ttl' = '1 min'), which is the only way to set them for
// a DuckDB table since those have no WITH clause.
const (
	// OptLookupCacheMaxRows bounds the number of cached keys (each key's
	// matched rows, or its miss, is one entry, as Flink's
	// lookup.cache.max-rows counts); 0 turns the cache off.
	OptLookupCacheMaxRows = "lookup.cache.max-rows"
	// OptLookupCacheTTL is how long an entry is trusted; '0s' means until
	// it is evicted.
	OptLookupCacheTTL = "lookup.cache.ttl"
)

// Defaults of the lookup cache options.
const (
	DefaultLookupCacheMaxRows = 100000
	DefaultLookupCacheTTL     = 10 * time.Minute
)

// LookupCacheConfig is the resolved cache configuration of one lookup.
type LookupCacheConfig struct {
	MaxKeys int
	TTL     time.Duration
}

// LookupCacheOptions resolves the cache options of table t (its WITH
// options win over settings, the pipeline's SET statements).
func LookupCacheOptions(t *catalog.Table, settings catalog.Options) (LookupCacheConfig, error) {
	cfg := LookupCacheConfig{MaxKeys: DefaultLookupCacheMaxRows, TTL: DefaultLookupCacheTTL}
	for _, opts := range []catalog.Options{settings, t.Options} {
		n, err := opts.Int(OptLookupCacheMaxRows, int64(cfg.MaxKeys))
		if err != nil {
			return cfg, fmt.Errorf("table %s: %w", t.Name, err)
		}
		if n < 0 {
			return cfg, fmt.Errorf("table %s: option '%s' = %d: must not be negative", t.Name, OptLookupCacheMaxRows, n)
		}
		cfg.MaxKeys = int(n)
		if cfg.TTL, err = opts.Duration(OptLookupCacheTTL, cfg.TTL); err != nil {
			return cfg, fmt.Errorf("table %s: %w", t.Name, err)
		}
	}
	return cfg, nil
}
