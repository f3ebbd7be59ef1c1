package kafka

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The epoch marker: every delivered epoch ends with one record in the
// marker topic (one partition, compacted), keyed by the sink's
// transactional id, whose value is {"epoch": n}. With exactly-once
// delivery it is written in the epoch's transaction, so it is visible to
// read_committed readers exactly when the epoch's data is.

// markerWindow is how many offsets from the end of the marker topic the
// first look for the sink's last marker reads; it grows 4x per miss.
const markerWindow = 256

// markerValue is the value of epoch's marker record.
func markerValue(epoch uint64) []byte { return fmt.Appendf(nil, `{"epoch":%d}`, epoch) }

// parseMarker reads a marker record's epoch.
func parseMarker(v []byte) (uint64, error) {
	var m struct {
		Epoch *uint64 `json:"epoch"`
	}
	if err := json.Unmarshal(v, &m); err != nil || m.Epoch == nil {
		return 0, fmt.Errorf("marker record %q is not {\"epoch\": n}", v)
	}
	return *m.Epoch, nil
}

// markerTopic is what LastDelivered needs to fetch the marker partition.
type markerTopic struct {
	id     [16]byte
	leader int32
}

// ensureTopics checks that the sink's topic exists and creates the marker
// topic (1 partition, compacted) if it is missing. It returns the marker
// topic's id and partition leader.
func (s *Sink) ensureTopics(ctx context.Context, cl *kgo.Client) (markerTopic, error) {
	meta, err := s.metadata(ctx, cl)
	if err != nil {
		return markerTopic{}, err
	}
	if code := meta[s.cfg.Topic].ErrorCode; code != 0 {
		err := kerr.ErrorForCode(code)
		if err == kerr.UnknownTopicOrPartition {
			return markerTopic{}, fatalf("topic %q does not exist on %v; create it first", s.cfg.Topic, s.cfg.Brokers)
		}
		return markerTopic{}, wrap(fmt.Sprintf("topic %q", s.cfg.Topic), err)
	}
	mt := meta[s.cfg.EpochTopic]
	if mt.ErrorCode == kerr.UnknownTopicOrPartition.Code {
		if err := s.createMarkerTopic(ctx, cl); err != nil {
			return markerTopic{}, err
		}
		if meta, err = s.metadata(ctx, cl); err != nil {
			return markerTopic{}, err
		}
		mt = meta[s.cfg.EpochTopic]
	}
	if mt.ErrorCode != 0 {
		return markerTopic{}, wrap(fmt.Sprintf("marker topic %q", s.cfg.EpochTopic), kerr.ErrorForCode(mt.ErrorCode))
	}
	for _, p := range mt.Partitions {
		if p.Partition == 0 {
			if p.Leader < 0 {
				return markerTopic{}, wrap(fmt.Sprintf("marker topic %q", s.cfg.EpochTopic), kerr.LeaderNotAvailable)
			}
			return markerTopic{id: mt.TopicID, leader: p.Leader}, nil
		}
	}
	return markerTopic{}, fatalf("marker topic %q has no partition 0", s.cfg.EpochTopic)
}

// metadata fetches the sink's two topics, by name.
func (s *Sink) metadata(ctx context.Context, cl *kgo.Client) (map[string]kmsg.MetadataResponseTopic, error) {
	req := kmsg.NewPtrMetadataRequest()
	for _, name := range []string{s.cfg.Topic, s.cfg.EpochTopic} {
		t := kmsg.NewMetadataRequestTopic()
		t.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, t)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, wrap("metadata", err)
	}
	out := make(map[string]kmsg.MetadataResponseTopic, len(resp.Topics))
	for _, t := range resp.Topics {
		if t.Topic != nil {
			out[*t.Topic] = t
		}
	}
	for _, name := range []string{s.cfg.Topic, s.cfg.EpochTopic} {
		if _, ok := out[name]; !ok {
			return nil, wrap("metadata", fmt.Errorf("no metadata for topic %q", name))
		}
	}
	return out, nil
}

func (s *Sink) createMarkerTopic(ctx context.Context, cl *kgo.Client) error {
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = int32(s.cfg.DeliveryTimeout.Milliseconds())
	t := kmsg.NewCreateTopicsRequestTopic()
	t.Topic = s.cfg.EpochTopic
	t.NumPartitions = 1
	t.ReplicationFactor = -1
	c := kmsg.NewCreateTopicsRequestTopicConfig()
	c.Name, c.Value = "cleanup.policy", kmsg.StringPtr("compact")
	t.Configs = append(t.Configs, c)
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return wrap(fmt.Sprintf("creating marker topic %q", s.cfg.EpochTopic), err)
	}
	for _, rt := range resp.Topics {
		if err := kerr.ErrorForCode(rt.ErrorCode); err != nil && err != kerr.TopicAlreadyExists {
			return wrap(fmt.Sprintf("creating marker topic %q", s.cfg.EpochTopic), err)
		}
	}
	return nil
}

// readLast returns the epoch of the sink's last committed marker (0 when
// there is none), reading the marker partition backwards from its last
// stable offset in growing windows.
//
// A transaction of another producer still open in the marker partition
// holds the last stable offset back, and with it markers of ours written
// after it: that is a retriable error, not a stale answer.
func (s *Sink) readLast(ctx context.Context, cl *kgo.Client, mt markerTopic) (uint64, error) {
	end, err := s.listOffset(ctx, cl, -1, 1)
	if err != nil {
		return 0, err
	}
	hwm, err := s.listOffset(ctx, cl, -1, 0)
	if err != nil {
		return 0, err
	}
	if end < hwm {
		return 0, fmt.Errorf("marker topic %q has a transaction open at offset %d (another sink writing the topic?); waiting for it to end", s.cfg.EpochTopic, end)
	}
	start, err := s.listOffset(ctx, cl, -2, 0)
	if err != nil {
		return 0, err
	}
	window := int64(markerWindow)
	for end > start {
		from := max(start, end-window)
		epoch, found, err := s.scanMarkers(ctx, cl, mt, from, end)
		if err != nil || found {
			return epoch, err
		}
		end, window = from, window*4
	}
	return 0, nil
}

// listOffset returns the marker partition's end offset (ts -1): its
// last stable offset with isolation 1 (read_committed), its high
// watermark with 0; or its log start offset (ts -2).
func (s *Sink) listOffset(ctx context.Context, cl *kgo.Client, ts int64, isolation int8) (int64, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	req.IsolationLevel = isolation
	t := kmsg.NewListOffsetsRequestTopic()
	t.Topic = s.cfg.EpochTopic
	p := kmsg.NewListOffsetsRequestTopicPartition()
	p.Partition, p.Timestamp = 0, ts
	t.Partitions = append(t.Partitions, p)
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return 0, wrap("listing marker offsets", err)
	}
	for _, rt := range resp.Topics {
		for _, rp := range rt.Partitions {
			if rp.Partition != 0 {
				continue
			}
			if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
				return 0, wrap("listing marker offsets", err)
			}
			return rp.Offset, nil
		}
	}
	return 0, wrap("listing marker offsets", fmt.Errorf("no answer for %s/0", s.cfg.EpochTopic))
}

// scanMarkers reads the committed records of [from, end) of the marker
// partition and returns the epoch of the last one keyed by the sink.
func (s *Sink) scanMarkers(ctx context.Context, cl *kgo.Client, mt markerTopic, from, end int64) (epoch uint64, found bool, err error) {
	broker := cl.Broker(int(mt.leader))
	for off := from; off < end; {
		req := kmsg.NewPtrFetchRequest()
		req.IsolationLevel = 1
		req.MaxBytes = 4 << 20
		t := kmsg.NewFetchRequestTopic()
		t.Topic, t.TopicID = s.cfg.EpochTopic, mt.id
		p := kmsg.NewFetchRequestTopicPartition()
		p.Partition, p.FetchOffset, p.PartitionMaxBytes = 0, off, 4<<20
		t.Partitions = append(t.Partitions, p)
		req.Topics = append(req.Topics, t)
		kresp, err := broker.RetriableRequest(ctx, req)
		if err != nil {
			return 0, false, wrap("reading marker topic", err)
		}
		resp := kresp.(*kmsg.FetchResponse)
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			return 0, false, wrap("reading marker topic", err)
		}
		if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
			return 0, false, wrap("reading marker topic", fmt.Errorf("fetch answered %d topics", len(resp.Topics)))
		}
		fp, next := kgo.ProcessFetchPartition(kgo.ProcessFetchPartitionOpts{
			Offset: off, IsolationLevel: kgo.ReadCommitted(), Topic: s.cfg.EpochTopic,
		}, &resp.Topics[0].Partitions[0], kgo.DefaultDecompressor(), nil)
		if fp.Err != nil {
			return 0, false, wrap("reading marker topic", fp.Err)
		}
		for _, r := range fp.Records {
			if r.Offset >= end || string(r.Key) != s.cfg.TransactionalID {
				continue
			}
			e, err := parseMarker(r.Value)
			if err != nil {
				return 0, false, fatalf("marker topic %q offset %d: %v (is another program writing it?)", s.cfg.EpochTopic, r.Offset, err)
			}
			epoch, found = e, true
		}
		if next <= off {
			return 0, false, wrap("reading marker topic", fmt.Errorf("fetch at offset %d made no progress (last stable offset %d)", off, end))
		}
		off = next
	}
	return epoch, found, nil
}
