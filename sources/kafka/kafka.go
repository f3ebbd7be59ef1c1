package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/format"
)

func init() {
	exec.RegisterSource("kafka", Open, Check)
}

// pollWait is the longest Next waits for records when none are buffered.
const pollWait = 20 * time.Millisecond

// Check validates a Kafka source's options without connecting.
func Check(def *catalog.Source) error {
	_, err := parseConfig(def)
	return err
}

// partition is the read state of one topic partition.
type partition struct {
	topic string
	id    int32
	next  int64 // offset of the next record to read
	end   int64 // scan.bounded: stop before this offset; -1 unbounded
	done  bool  // reached end (bounded only)
	// event time, for the per-partition watermark (watermark.go)
	maxTs  int64
	hasTs  bool
	active time.Time // when the partition last produced a record
}

// Source reads the partitions of one or more topics with a franz-go
// client assigned to them directly (no group membership), decoding the
// record values with sources/format into batches of the source schema.
type Source struct {
	def    *catalog.Source
	env    exec.SourceEnv
	cfg    config
	cl     *kgo.Client
	dec    format.Decoder
	schema *arrow.Schema
	parts  []*partition
	index  map[string][]int32 // topic → partition id → index in parts (-1: none)
	open   int                // partitions not done

	trackRows bool // keep per-row metadata (metadata columns or a WATERMARK)
	withKey   bool // a kafka_key column exists
	keyNotNul bool // ... and is NOT NULL
	rows      metaRows
	del       *tombstone
	started   bool

	wm    int64 // the last watermark returned by Watermark
	hasWm bool

	lag lagState // records behind the partitions' high watermarks (lag.go)
}

var (
	_ exec.PositionedSource = (*Source)(nil)
	_ exec.WatermarkSource  = (*Source)(nil)
)

// Open connects to the brokers, reads the topics' partitions and resolves
// every partition's start offset (and end offset when bounded).
func Open(ctx context.Context, def *catalog.Source, env exec.SourceEnv) (exec.Source, error) {
	cfg, err := parseConfig(def)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", def.Name, err)
	}
	if env.BatchSize <= 0 {
		env.BatchSize = 4096
	}
	if env.Alloc == nil {
		env.Alloc = memory.DefaultAllocator
	}
	cfg.opts.BatchSize = env.BatchSize
	s := &Source{def: def, env: env, cfg: cfg, schema: def.Schema.Arrow()}
	s.trackRows = len(cfg.meta) > 0 || def.Watermark != nil
	for _, m := range cfg.meta {
		if m.kind == metaKey {
			s.withKey = true
			s.keyNotNul = def.Schema.Columns[m.col].NotNull
		}
	}
	if cfg.format == format.UpsertJSON {
		s.del = newTombstone(payloadSchema(def.Schema, cfg.payload), cfg.opts.Key)
	}
	if err := s.connect(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("source %s: %w", def.Name, err)
	}
	if s.dec, err = format.New(cfg.format, payloadSchema(def.Schema, cfg.payload), cfg.opts, env.Alloc); err != nil {
		s.Close()
		return nil, fmt.Errorf("source %s: %w", def.Name, err)
	}
	return s, nil
}

// connect creates the client and resolves the partitions and offsets.
func (s *Source) connect(ctx context.Context) error {
	isolation := kgo.ReadUncommitted()
	if s.cfg.committed {
		isolation = kgo.ReadCommitted()
	}
	name := s.def.Name
	var err error
	s.cl, err = kgo.NewClient(
		kgo.SeedBrokers(s.cfg.brokers...),
		kgo.ClientID(s.cfg.clientID),
		kgo.FetchIsolationLevel(isolation),
		kgo.KeepControlRecords(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.WithLogger(kgo.BasicLogger(os.Stderr, kgo.LogLevelWarn, func() string { return "kafka source " + name + ": " })),
	)
	if err != nil {
		return err
	}
	byTopic, err := topicPartitions(ctx, s.cl, s.cfg.topics)
	if err != nil {
		return err
	}
	var tps []tp
	s.index = map[string][]int32{}
	now := time.Now()
	for _, t := range s.cfg.topics {
		ps := byTopic[t]
		idx := make([]int32, ps[len(ps)-1]+1)
		for i := range idx {
			idx[i] = -1
		}
		for _, p := range ps {
			idx[p] = int32(len(s.parts))
			s.parts = append(s.parts, &partition{topic: t, id: p, end: -1, active: now})
			tps = append(tps, tp{t, p})
		}
		s.index[t] = idx
	}
	start, err := s.startOffsets(ctx, tps)
	if err != nil {
		return err
	}
	var ends map[tp]int64
	if s.cfg.bounded {
		if ends, err = listOffsets(ctx, s.cl, tps, tsLatest, s.cfg.committed); err != nil {
			return err
		}
	}
	for i, p := range s.parts {
		p.next = start[tps[i]]
		if s.cfg.bounded {
			p.end = ends[tps[i]]
		}
	}
	s.countOpen()
	return nil
}

// startOffsets resolves the startup mode to an offset per partition.
func (s *Source) startOffsets(ctx context.Context, tps []tp) (map[tp]int64, error) {
	switch s.cfg.startup {
	case startLatest:
		return listOffsets(ctx, s.cl, tps, tsLatest, s.cfg.committed)
	case startTimestamp:
		at, err := listOffsets(ctx, s.cl, tps, s.cfg.startMs, s.cfg.committed)
		if err != nil {
			return nil, err
		}
		var after []tp // no record at or after the time: start at the end
		for _, p := range tps {
			if at[p] < 0 {
				after = append(after, p)
			}
		}
		if len(after) > 0 {
			end, err := listOffsets(ctx, s.cl, after, tsLatest, s.cfg.committed)
			if err != nil {
				return nil, err
			}
			for p, o := range end {
				at[p] = o
			}
		}
		return at, nil
	}
	start, err := listOffsets(ctx, s.cl, tps, tsEarliest, s.cfg.committed)
	if err != nil || s.cfg.startup != startGroupOffsets {
		return start, err
	}
	group, err := groupOffsets(ctx, s.cl, s.cfg.group, tps)
	if err != nil {
		return nil, err
	}
	for p, o := range group {
		start[p] = max(o, start[p]) // a commit below the log start: the log start
	}
	return start, nil
}

// countOpen marks the partitions at their end done and counts the others.
func (s *Source) countOpen() {
	s.open = 0
	for _, p := range s.parts {
		p.done = p.end >= 0 && p.next >= p.end
		if !p.done {
			s.open++
		}
	}
}

// Position implements exec.PositionedSource: the next offset of every
// partition (and its end offset when bounded).
func (s *Source) Position() ([]byte, error) {
	return encodePosition(s.parts), nil
}

// Seek implements exec.PositionedSource: partitions in pos resume at
// their saved offsets (and keep their saved end offsets when bounded);
// partitions pos does not name (added since) start by the startup mode;
// partitions of topics the source no longer reads are ignored.
func (s *Source) Seek(pos []byte) error {
	if s.started {
		return fmt.Errorf("source %s: Seek after the first Next", s.def.Name)
	}
	saved, err := decodePosition(pos)
	if err != nil {
		return fmt.Errorf("source %s: %w", s.def.Name, err)
	}
	for _, p := range s.parts {
		o, ok := saved[tp{p.topic, p.id}]
		if !ok {
			continue
		}
		p.next = o.next
		if s.cfg.bounded && o.end >= 0 {
			p.end = o.end
		}
	}
	s.countOpen()
	return nil
}

// start assigns the client the partitions still to read, at their offsets.
func (s *Source) start() {
	s.started = true
	assign := map[string]map[int32]kgo.Offset{}
	for _, p := range s.parts {
		if p.done {
			continue
		}
		if assign[p.topic] == nil {
			assign[p.topic] = map[int32]kgo.Offset{}
		}
		assign[p.topic][p.id] = kgo.NewOffset().At(p.next)
	}
	s.cl.AddConsumePartitions(assign)
}

// Next implements exec.Source: it decodes the records buffered by the
// client into one batch of up to the batch size, waiting at most pollWait
// when none are buffered (an empty batch then). A bounded source returns
// io.EOF once every partition reached its end offset.
func (s *Source) Next(ctx context.Context) (exec.Batch, error) {
	if !s.started {
		s.start()
	}
	waited := false
	for s.open > 0 {
		room := s.env.BatchSize - s.dec.Len()
		if room <= 0 {
			break
		}
		fs := s.cl.PollRecords(nil, room)
		if fs.NumRecords() == 0 && len(fs.Errors()) == 0 {
			if waited || s.dec.Len() > 0 {
				break
			}
			waited = true
			pctx, cancel := context.WithTimeout(ctx, pollWait)
			fs = s.cl.PollRecords(pctx, room)
			cancel()
		}
		if err := s.fetchErrors(ctx, fs); err != nil {
			return exec.Batch{}, fmt.Errorf("source %s: %w", s.def.Name, err) // pending rows stay pending
		}
		if fs.NumRecords() == 0 {
			break
		}
		if err := s.consume(fs); err != nil {
			return exec.Batch{}, err
		}
	}
	b, err := s.flush()
	if err != nil || b.Rec != nil {
		return b, err
	}
	if s.open == 0 {
		return exec.Batch{}, io.EOF
	}
	return exec.Batch{}, ctx.Err()
}

// fetchErrors returns the first error of fs that the client does not
// recover from by itself. Transient errors (a broker that went away, a
// leader moving) are retried inside franz-go and logged by it: Next
// returns no rows meanwhile rather than an error.
func (s *Source) fetchErrors(ctx context.Context, fs kgo.Fetches) error {
	for _, fe := range fs.Errors() {
		var loss *kgo.ErrDataLoss
		switch {
		case errors.Is(fe.Err, context.DeadlineExceeded) && ctx.Err() == nil:
			// our own poll timeout
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(fe.Err, &loss):
			fmt.Fprintf(os.Stderr, "kafka source %s: %v\n", s.def.Name, fe.Err)
		case errors.Is(fe.Err, kgo.ErrClientClosed):
			return fmt.Errorf("kafka client closed")
		case kerr.IsRetriable(fe.Err) || kgo.IsRetryableBrokerErr(fe.Err):
		default:
			return fmt.Errorf("fetching %s/%d: %w", fe.Topic, fe.Partition, fe.Err)
		}
	}
	return nil
}

// consume decodes the records of fs, advancing each partition's offset.
func (s *Source) consume(fs kgo.Fetches) error {
	now := time.Now()
	for i := range fs {
		for j := range fs[i].Topics {
			t := &fs[i].Topics[j]
			idx := s.index[t.Topic]
			for k := range t.Partitions {
				fp := &t.Partitions[k]
				if int(fp.Partition) >= len(idx) || idx[fp.Partition] < 0 {
					continue
				}
				pi := idx[fp.Partition]
				s.observeHighWatermark(pi, fp.HighWatermark)
				if len(fp.Records) == 0 {
					continue
				}
				if err := s.consumePartition(pi, fp.Records, now); err != nil {
					return err
				}
			}
		}
	}
	s.updateLag()
	return nil
}

func (s *Source) consumePartition(pi int32, recs []*kgo.Record, now time.Time) error {
	p := s.parts[pi]
	if p.done {
		return nil
	}
	p.active = now
	for _, r := range recs {
		if r.Offset < p.next {
			continue
		}
		if p.end >= 0 && r.Offset >= p.end {
			break
		}
		p.next = r.Offset + 1
		if r.Attrs.IsControl() {
			continue
		}
		if err := s.record(pi, r); err != nil {
			return err
		}
	}
	if p.end >= 0 && p.next >= p.end {
		p.done = true
		s.open--
		s.cl.PauseFetchPartitions(map[string][]int32{p.topic: {p.id}})
	}
	return nil
}

// record decodes one record into the pending batch.
func (s *Source) record(pi int32, r *kgo.Record) error {
	val := r.Value
	if val == nil {
		switch s.cfg.format {
		case format.UpsertJSON:
			del, err := s.del.record(r.Key)
			if err != nil {
				return s.bad(r, r.Key, err.Error())
			}
			val = del
		case format.DebeziumJSON:
			val = nullRecord // a tombstone after a delete: ignored
		default:
			return s.bad(r, r.Key, "record has a null value (a tombstone)")
		}
	}
	if s.keyNotNul && r.Key == nil {
		return s.bad(r, val, "column kafka_key is NOT NULL but the record has no key")
	}
	if !s.trackRows {
		if err := s.dec.Decode(val); err != nil {
			return s.bad(r, val, err.Error())
		}
		return nil
	}
	before := s.dec.Len()
	if err := s.dec.Decode(val); err != nil {
		return s.bad(r, val, err.Error())
	}
	if n := s.dec.Len() - before; n > 0 {
		s.rows.add(n, pi, r.Offset, r.Timestamp.UnixMilli(), r.Key, s.withKey)
	}
	return nil
}

var nullRecord = []byte("null")

// bad reports a record that could not be decoded, or fails with it.
func (s *Source) bad(r *kgo.Record, raw []byte, reason string) error {
	where := fmt.Sprintf("%s/%d", r.Topic, r.Partition)
	if s.cfg.failOnBad || s.env.Errors == nil {
		return fmt.Errorf("source %s: %s offset %d: %s", s.def.Name, where, r.Offset, reason)
	}
	return s.env.Errors.BadRecord(exec.BadRecord{Source: s.def.Name, Raw: raw, File: where, Line: r.Offset, Reason: reason})
}

// flush returns the pending rows with their metadata columns, and
// advances the partitions' event times.
func (s *Source) flush() (exec.Batch, error) {
	b := format.FlushBatch(s.dec)
	if b.Rec == nil {
		return b, nil
	}
	defer s.rows.reset()
	if !s.trackRows {
		return b, nil
	}
	n := int(b.Rec.NumRows())
	if len(s.rows.part) != n {
		b.Release()
		return exec.Batch{}, fmt.Errorf("source %s: %d rows decoded but %d recorded", s.def.Name, n, len(s.rows.part))
	}
	if len(s.cfg.meta) > 0 {
		cols := make([]arrow.Array, s.schema.NumFields())
		for i, c := range s.cfg.payload {
			cols[c] = b.Rec.Column(i)
		}
		var made []arrow.Array
		for _, m := range s.cfg.meta {
			a := s.rows.column(m, s.parts, s.schema.Field(m.col).Type, s.env.Alloc)
			cols[m.col] = a
			made = append(made, a)
		}
		rec := array.NewRecordBatch(s.schema, cols, int64(n))
		for _, a := range made {
			a.Release()
		}
		b.Rec.Release()
		b.Rec = rec
	}
	if s.def.Watermark != nil {
		s.observe(b.Rec.Column(s.def.Watermark.Column))
	}
	return b, nil
}

// Close implements exec.Source.
func (s *Source) Close() error {
	if s.dec != nil {
		s.dec.Release()
		s.dec = nil
	}
	if s.cl != nil {
		s.cl.Close()
		s.cl = nil
	}
	return nil
}
