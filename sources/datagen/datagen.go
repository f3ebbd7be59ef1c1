package datagen

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

func init() {
	exec.RegisterSource("datagen", Open, Check)
	catalog.RegisterNativeChangelog("datagen", NativeChangelog)
}

// NativeChangelog is the changelog a datagen source emits: the retail
// generator's customer, account and transaction streams are CDC changelogs
// with full before-images (retract); its branch table and every other
// generator are append-only, as their (absent) format says.
func NativeChangelog(opts catalog.Options) (catalog.ChangelogMode, bool) {
	if !strings.EqualFold(opts.String("generator", ""), "retail") {
		return 0, false
	}
	if strings.EqualFold(opts.String("kind", ""), "branch") {
		return catalog.AppendOnly, true
	}
	return catalog.Retract, true
}

// generator fills batches with the rows of one stream. fill appends up to
// max rows to b (through its typed column buffers, then b.SetLen) and
// reports whether the stream has ended.
type generator interface {
	fill(b *colbuf.Batch, max int) (done bool)
}

// config is a datagen source's options, validated.
type config struct {
	generator string
	kind      string
	rows      int64 // -1: unbounded
	rate      float64
	seed      uint64
	maxDelay  time.Duration
	wallTime  bool // 'event_time' = 'wall' (walltime.go)
}

var knownOptions = []string{"connector", "generator", "kind", "rows", "rate", "seed", "max_delay", eventTimeOption}

// Check validates a datagen source without opening it.
func Check(def *catalog.Source) error {
	_, _, err := build(def)
	return err
}

func build(def *catalog.Source) (config, func(*colbuf.Batch) generator, error) {
	cfg, err := parseConfig(def)
	if err != nil {
		return cfg, nil, err
	}
	switch cfg.generator {
	case "nexmark":
		mk, err := newNexmark(cfg, def.Schema)
		return cfg, mk, err
	case "banklog":
		mk, err := newBanklog(cfg, def.Schema)
		return cfg, mk, err
	case "sequence":
		mk, err := newSequence(cfg, def.Schema)
		return cfg, mk, err
	case "retail":
		mk, err := newRetail(cfg, def.Schema)
		return cfg, mk, err
	case "":
		return cfg, nil, fmt.Errorf("option 'generator' is required (nexmark, banklog, retail or sequence)")
	}
	return cfg, nil, fmt.Errorf("unknown generator '%s' (known: nexmark, banklog, retail, sequence)", cfg.generator)
}

func parseConfig(def *catalog.Source) (config, error) {
	cfg := config{rows: -1}
	for _, opt := range def.Options {
		if !contains(knownOptions, opt.Key) {
			return cfg, exec.OptionErrorf(opt.Key, "unknown option '%s' for connector 'datagen' (known: %s)", opt.Key, strings.Join(knownOptions[1:], ", "))
		}
	}
	cfg.generator = strings.ToLower(def.Options.String("generator", ""))
	cfg.kind = strings.ToLower(def.Options.String("kind", ""))
	var err error
	if cfg.rows, err = def.Options.Int("rows", -1); err != nil {
		return cfg, err
	}
	seed, err := def.Options.Int("seed", 0)
	if err != nil {
		return cfg, err
	}
	cfg.seed = uint64(seed)
	if v, ok := def.Options.Get("rate"); ok {
		if _, err := fmt.Sscanf(strings.TrimSpace(v), "%g", &cfg.rate); err != nil || cfg.rate <= 0 || math.IsInf(cfg.rate, 0) {
			return cfg, exec.OptionErrorf("rate", "option 'rate' = '%s': want a positive number of rows per second", v)
		}
	}
	if cfg.maxDelay, err = def.Options.Duration("max_delay", time.Hour); err != nil {
		return cfg, err
	}
	if cfg.wallTime, err = parseEventTime(def, cfg.rate); err != nil {
		return cfg, err
	}
	return cfg, nil
}

func contains(list []string, s string) bool {
	for _, k := range list {
		if strings.EqualFold(k, s) {
			return true
		}
	}
	return false
}

// Source is an opened datagen source.
type Source struct {
	cfg     config
	gen     generator
	b       *colbuf.Batch
	batch   int
	start   time.Time
	emitted int64 // rows generated, the position (position.go)
	skipped int64 // rows Seek dropped, not paced by the rate
	done    bool
	wall    *wallClock // 'event_time' = 'wall': set at the first Next
}

var _ exec.Source = (*Source)(nil)

// Open opens the datagen source def.
func Open(_ context.Context, def *catalog.Source, env exec.SourceEnv) (exec.Source, error) {
	cfg, mk, err := build(def)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", def.Name, err)
	}
	if env.BatchSize <= 0 {
		env.BatchSize = 4096
	}
	b := colbuf.New(env.Alloc, def.Schema, env.BatchSize)
	return &Source{cfg: cfg, gen: mk(b), b: b, batch: env.BatchSize}, nil
}

// Next implements exec.Source. With a rate it returns at most the rows due
// by the wall clock, and an empty batch after a short wait when none is.
func (s *Source) Next(ctx context.Context) (exec.Batch, error) {
	if s.done {
		return exec.Batch{}, io.EOF
	}
	n := s.batch
	if s.cfg.rate > 0 {
		if s.start.IsZero() {
			s.start = time.Now()
			if s.cfg.wallTime {
				s.wall = newWallClock(s.cfg, s.start, s.skipped)
			}
		}
		due := int64(time.Since(s.start).Seconds()*s.cfg.rate) + 1 - (s.emitted - s.skipped)
		if due <= 0 {
			wait := time.Duration(float64(time.Second) * float64(1-due) / s.cfg.rate)
			select {
			case <-ctx.Done():
				return exec.Batch{}, ctx.Err()
			case <-time.After(min(wait, 50*time.Millisecond)):
			}
			return exec.Batch{}, nil
		}
		n = int(min(due, int64(n)))
	}
	s.done = s.gen.fill(s.b, n)
	if s.wall != nil {
		s.wall.apply(s.b)
	}
	rec := s.b.Finish()
	if rec == nil {
		if s.done {
			return exec.Batch{}, io.EOF
		}
		return exec.Batch{}, nil
	}
	s.emitted += rec.NumRows()
	b := exec.Batch{Rec: rec}
	if cg, ok := s.gen.(changelogGenerator); ok {
		b.Ops = cg.takeOps()
	}
	return b, nil
}

// Close implements exec.Source.
func (s *Source) Close() error {
	s.b.Release()
	return nil
}
