package kafka

import (
	"encoding/binary"
	"fmt"
)

// positionVersion is the first byte of an encoded position.
const positionVersion = 1

// A position is the next offset of every partition, and for a bounded
// source its end offset, so a restored bounded run stops where the
// original would have:
//
//	version byte (1)
//	uvarint  number of topics
//	per topic: uvarint name length, name, uvarint number of partitions,
//	  per partition: uvarint partition, uvarint next offset,
//	  uvarint end offset + 1 (0: unbounded)
//
// Partitions are grouped by topic in the source's order.

// encodePosition encodes the position of parts.
func encodePosition(parts []*partition) []byte {
	buf := []byte{positionVersion}
	var topics []string
	count := map[string]int{}
	for _, p := range parts {
		if count[p.topic] == 0 {
			topics = append(topics, p.topic)
		}
		count[p.topic]++
	}
	buf = binary.AppendUvarint(buf, uint64(len(topics)))
	for _, t := range topics {
		buf = binary.AppendUvarint(buf, uint64(len(t)))
		buf = append(buf, t...)
		buf = binary.AppendUvarint(buf, uint64(count[t]))
		for _, p := range parts {
			if p.topic != t {
				continue
			}
			buf = binary.AppendUvarint(buf, uint64(p.id))
			buf = binary.AppendUvarint(buf, uint64(p.next))
			buf = binary.AppendUvarint(buf, uint64(p.end+1))
		}
	}
	return buf
}

// savedOffsets is one partition's decoded position.
type savedOffsets struct {
	next, end int64 // end -1: unbounded
}

// decodePosition decodes a position written by encodePosition.
func decodePosition(pos []byte) (map[tp]savedOffsets, error) {
	if len(pos) == 0 || pos[0] != positionVersion {
		return nil, fmt.Errorf("kafka position: unknown encoding (version byte %v)", pos[:min(1, len(pos))])
	}
	d := decoder{b: pos[1:]}
	out := map[tp]savedOffsets{}
	for nt := d.uvarint(); nt > 0 && d.err == nil; nt-- {
		n := d.uvarint()
		if d.err == nil && n > uint64(len(d.b)) {
			d.err = fmt.Errorf("topic name of %d bytes past the end", n)
		}
		if d.err != nil {
			break
		}
		topic := string(d.b[:n])
		d.b = d.b[n:]
		for np := d.uvarint(); np > 0 && d.err == nil; np-- {
			part, next, end := d.uvarint(), d.uvarint(), d.uvarint()
			if part > 1<<31-1 || next > 1<<63-1 || end > 1<<63-1 {
				d.err = fmt.Errorf("partition %d of %s out of range", part, topic)
			}
			out[tp{topic, int32(part)}] = savedOffsets{next: int64(next), end: int64(end) - 1}
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return nil, fmt.Errorf("kafka position: %w", d.err)
	}
	return out, nil
}

// decoder reads uvarints, keeping the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = fmt.Errorf("truncated")
		return 0
	}
	d.b = d.b[n:]
	return v
}
