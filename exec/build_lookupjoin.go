package exec

import (
	"context"
	"fmt"

	"github.com/sqlstream/sqlstream/exec/expr"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysLookupJoin, buildLookupJoin) }

// buildLookupJoin opens the lookup table of a planner.LookupJoinNode (the
// store's table or its connector) behind the lookup cache, builds the
// LookupJoin and then its input.
func buildLookupJoin(b *Builder, node planner.Physical, out Stream) error {
	n, ok := node.(*planner.LookupJoinNode)
	if !ok {
		return fmt.Errorf("build lookup join: got %T", node)
	}
	if n.Type != planner.InnerJoin && n.Type != planner.LeftJoin {
		return fmt.Errorf("lookup join %s: %s join is not supported (inner or left)", n.Table.Name, n.Type)
	}
	cfg := LookupJoinConfig{
		Ctx: b.Env().Ctx, Retry: b.Env().Retry, Name: n.Table.Name, Left: n.Type == planner.LeftJoin,
		InputKeys: n.InputKeys, Schema: n.P.Schema.Arrow(), InputWidth: n.Input.Props().Schema.Len(),
	}
	if n.Residual != nil {
		p, err := expr.CompilePredicate(n.Residual, expr.Options{Now: b.Env().Now})
		if err != nil {
			return fmt.Errorf("lookup join %s: residual %s: %w", n.Table.Name, n.Residual, err)
		}
		cfg.Residual = p
	}
	cache, err := LookupCacheOptions(n.Table, b.Settings())
	if err != nil {
		return fmt.Errorf("lookup join: %w", err)
	}
	var lt LookupTable
	err = b.retry("open lookup table "+n.Table.Name, func(ctx context.Context) error {
		var err error
		lt, err = OpenLookup(ctx, b.Env().Store, n.Table, n.TableKeys)
		return err
	})
	if err != nil {
		return fmt.Errorf("lookup join %s: %w", n.Table.Name, err)
	}
	cfg.Table = NewCachedLookup(lt, cache.MaxKeys, cache.TTL, nil)
	j, err := NewLookupJoin(cfg, out, b.Env().Alloc)
	if err != nil {
		_ = cfg.Table.Close()
		return err
	}
	b.Track("lookup join "+n.Table.Name+" (cache)", j)
	return b.Node(n.Input, j)
}
