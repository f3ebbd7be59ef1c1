package datagen

import (
	"encoding/binary"
	"fmt"

	"github.com/sqlstream/sqlstream/exec"
)

// positionVersion tags the encoding of a datagen source's position.
const positionVersion = 1

var _ exec.PositionedSource = (*Source)(nil)

// Position implements exec.PositionedSource: the number of rows
// generated so far. Every generator is deterministic for its options and
// independent of how its rows are cut into batches, so the count alone
// says where the stream is.
func (s *Source) Position() ([]byte, error) {
	return binary.AppendUvarint(binary.AppendUvarint(nil, positionVersion), uint64(s.emitted)), nil
}

// Seek implements exec.PositionedSource: it generates the rows up to the
// position again and drops them. With a rate, the rows after the position
// are paced from the first Next on, as at a start.
func (s *Source) Seek(pos []byte) error {
	version, n := binary.Uvarint(pos)
	if n <= 0 || version != positionVersion {
		return fmt.Errorf("datagen: bad position %x", pos)
	}
	count, m := binary.Uvarint(pos[n:])
	if m <= 0 || n+m != len(pos) {
		return fmt.Errorf("datagen: bad position %x", pos)
	}
	if s.emitted != 0 {
		return fmt.Errorf("datagen: seek after reading")
	}
	want := int64(count)
	for s.emitted < want && !s.done {
		s.done = s.gen.fill(s.b, int(min(int64(s.batch), want-s.emitted)))
		if rec := s.b.Finish(); rec != nil {
			s.emitted += rec.NumRows()
			rec.Release()
		}
		if cg, ok := s.gen.(changelogGenerator); ok {
			cg.takeOps()
		}
	}
	if s.emitted < want {
		return fmt.Errorf("datagen: position %d is beyond the generator's %d rows", want, s.emitted)
	}
	s.skipped = s.emitted
	return nil
}
