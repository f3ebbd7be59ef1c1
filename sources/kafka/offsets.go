package kafka

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/sqlstream/sqlstream/exec"
)

// Offset lookups at open (partitions, start and end offsets, a group's
// committed offsets), issued as raw kmsg requests through the kgo client,
// which routes them to the partition leaders or the group coordinator and
// retries broker connection failures itself. Per-partition retriable
// errors (a leader moving) are retried here with backoff for up to
// lookupTimeout; what still fails is returned wrapping exec.ErrRetry.

// lookupTimeout bounds the retries of one lookup.
const lookupTimeout = 30 * time.Second

// Special ListOffsets timestamps.
const (
	tsLatest   = -1
	tsEarliest = -2
)

// tp names one partition of one topic.
type tp struct {
	topic string
	part  int32
}

func (t tp) String() string { return fmt.Sprintf("%s/%d", t.topic, t.part) }

// retry runs f until it succeeds, fails for good, or lookupTimeout passes.
// f reports whether its error is transient.
func retry(ctx context.Context, what string, f func(context.Context) (transient bool, err error)) error {
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	wait := 50 * time.Millisecond
	for {
		transient, err := f(ctx)
		if err == nil {
			return nil
		}
		if !transient {
			return fmt.Errorf("%s: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w: %w", what, exec.ErrRetry, err)
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

// requestError classifies an error of cl.Request: kgo has already retried
// what it could, so only broker-side retriable errors and network
// failures are transient.
func requestError(err error) (bool, error) {
	if errors.Is(err, context.Canceled) {
		return false, err
	}
	return true, err
}

// topicPartitions returns the partitions of every topic, sorted. A topic
// that does not exist is an error once lookupTimeout has passed (it may
// be being created).
func topicPartitions(ctx context.Context, cl *kgo.Client, topics []string) (map[string][]int32, error) {
	out := map[string][]int32{}
	err := retry(ctx, "reading topic metadata", func(ctx context.Context) (bool, error) {
		req := kmsg.NewPtrMetadataRequest()
		for _, t := range topics {
			rt := kmsg.NewMetadataRequestTopic()
			rt.Topic = kmsg.StringPtr(t)
			req.Topics = append(req.Topics, rt)
		}
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			return requestError(err)
		}
		for _, t := range resp.Topics {
			name := ""
			if t.Topic != nil {
				name = *t.Topic
			}
			if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
				if errors.Is(err, kerr.UnknownTopicOrPartition) {
					return true, fmt.Errorf("topic %q does not exist", name)
				}
				return kerr.IsRetriable(err), fmt.Errorf("topic %q: %w", name, err)
			}
			ps := make([]int32, 0, len(t.Partitions))
			for _, p := range t.Partitions {
				ps = append(ps, p.Partition)
			}
			sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
			out[name] = ps
		}
		for _, t := range topics {
			if len(out[t]) == 0 {
				return true, fmt.Errorf("topic %q has no partitions", t)
			}
		}
		return false, nil
	})
	return out, err
}

// listOffsets returns, for every partition of parts, the offset of
// ListOffsets at timestamp ts (tsEarliest, tsLatest, or epoch ms: the
// first record at or after it, -1 when none). committed asks for the last
// stable offset (read_committed) as the latest.
func listOffsets(ctx context.Context, cl *kgo.Client, parts []tp, ts int64, committed bool) (map[tp]int64, error) {
	out := make(map[tp]int64, len(parts))
	what := "listing offsets"
	switch ts {
	case tsEarliest:
		what = "listing start offsets"
	case tsLatest:
		what = "listing end offsets"
	}
	err := retry(ctx, what, func(ctx context.Context) (bool, error) {
		req := kmsg.NewPtrListOffsetsRequest()
		req.ReplicaID = -1
		if committed {
			req.IsolationLevel = 1
		}
		byTopic := map[string]int{}
		for _, p := range parts {
			if _, done := out[p]; done {
				continue
			}
			i, ok := byTopic[p.topic]
			if !ok {
				i = len(req.Topics)
				byTopic[p.topic] = i
				rt := kmsg.NewListOffsetsRequestTopic()
				rt.Topic = p.topic
				req.Topics = append(req.Topics, rt)
			}
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition = p.part
			rp.Timestamp = ts
			req.Topics[i].Partitions = append(req.Topics[i].Partitions, rp)
		}
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			return requestError(err)
		}
		var firstErr error
		transient := true
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("partition %s/%d: %w", t.Topic, p.Partition, err)
					}
					transient = transient && kerr.IsRetriable(err)
					continue
				}
				out[tp{t.Topic, p.Partition}] = p.Offset
			}
		}
		if firstErr != nil {
			return transient, firstErr
		}
		for _, p := range parts {
			if _, ok := out[p]; !ok {
				return true, fmt.Errorf("partition %s missing from the response", p)
			}
		}
		return false, nil
	})
	return out, err
}

// groupOffsets returns the offsets group has committed for parts; a
// partition without a commit is absent.
func groupOffsets(ctx context.Context, cl *kgo.Client, group string, parts []tp) (map[tp]int64, error) {
	out := make(map[tp]int64, len(parts))
	err := retry(ctx, fmt.Sprintf("fetching the offsets of group %q", group), func(ctx context.Context) (bool, error) {
		req := kmsg.NewPtrOffsetFetchRequest()
		req.Group = group
		byTopic := map[string]int{}
		for _, p := range parts {
			i, ok := byTopic[p.topic]
			if !ok {
				i = len(req.Topics)
				byTopic[p.topic] = i
				rt := kmsg.NewOffsetFetchRequestTopic()
				rt.Topic = p.topic
				req.Topics = append(req.Topics, rt)
			}
			req.Topics[i].Partitions = append(req.Topics[i].Partitions, p.part)
		}
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			return requestError(err)
		}
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			return kerr.IsRetriable(err), err
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
					return kerr.IsRetriable(err), fmt.Errorf("partition %s/%d: %w", t.Topic, p.Partition, err)
				}
				if p.Offset >= 0 {
					out[tp{t.Topic, p.Partition}] = p.Offset
				}
			}
		}
		return false, nil
	})
	return out, err
}
