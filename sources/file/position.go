package file

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/format"
)

// positionVersion tags the encoding of a file source's position.
const positionVersion = 1

var _ exec.PositionedSource = (*Source)(nil)

// Position implements exec.PositionedSource: the byte offset of the next
// unread record and the number of lines before it (for the line numbers
// of errors_<source>). Every record before the offset is in a batch Next
// returned (Next never keeps decoded rows back). While tailing, an
// unterminated last line is not counted: it is read again after a Seek.
func (s *Source) Position() ([]byte, error) {
	pos := binary.AppendUvarint(nil, positionVersion)
	pos = binary.AppendUvarint(pos, uint64(s.off))
	return binary.AppendUvarint(pos, uint64(s.line)), nil
}

// Seek implements exec.PositionedSource: it moves to a position taken by
// Position, before the first Next. A CSV file with a header has its
// header read first, so columns still match by name. A file shorter than
// the position was replaced or truncated: that is an error.
func (s *Source) Seek(pos []byte) error {
	off, line, err := decodePosition(pos)
	if err != nil {
		return fmt.Errorf("source %s: %w", s.def.Name, err)
	}
	if s.off != 0 || s.line != 0 {
		return fmt.Errorf("source %s: seek after reading", s.def.Name)
	}
	if off == 0 {
		return nil
	}
	st, err := s.f.Stat()
	if err != nil {
		return fmt.Errorf("source %s: %w", s.def.Name, err)
	}
	if st.Size() < off {
		return fmt.Errorf("source %s: %s has %d bytes, fewer than the checkpoint's position %d: the file was replaced or truncated", s.def.Name, s.cfg.path, st.Size(), off)
	}
	if s.cfg.format == format.CSV && s.cfg.opts.CSVHeader {
		if err := s.readHeader(); err != nil {
			return err
		}
	}
	if _, err := s.f.Seek(off, io.SeekStart); err != nil {
		return fmt.Errorf("source %s: seek %s to %d: %w", s.def.Name, s.cfg.path, off, err)
	}
	s.r.Reset(s.f)
	s.off, s.line, s.partial, s.eof = off, line, nil, false
	return nil
}

// readHeader feeds the first record of a CSV file with a header to the
// decoder, which takes it as the header and adds no row.
func (s *Source) readHeader() error {
	rec, line, err := s.readRecord()
	if err == io.EOF {
		return fmt.Errorf("source %s: %s has no header", s.def.Name, s.cfg.path)
	}
	if err != nil {
		return fmt.Errorf("source %s: reading %s: %w", s.def.Name, s.cfg.path, err)
	}
	if err := s.dec.Decode(rec); err != nil {
		return fmt.Errorf("source %s: %s:%d: %v", s.def.Name, s.cfg.path, line, err)
	}
	if s.dec.Len() != 0 {
		return fmt.Errorf("source %s: %s: the header record decoded as a row", s.def.Name, s.cfg.path)
	}
	return nil
}

// decodePosition reads a position written by Position.
func decodePosition(pos []byte) (off, line int64, err error) {
	var vals [3]uint64
	for i := range vals {
		v, n := binary.Uvarint(pos)
		if n <= 0 {
			return 0, 0, fmt.Errorf("bad position %x", pos)
		}
		vals[i], pos = v, pos[n:]
	}
	if vals[0] != positionVersion || len(pos) != 0 {
		return 0, 0, fmt.Errorf("bad position (version %d, %d extra bytes)", vals[0], len(pos))
	}
	return int64(vals[1]), int64(vals[2]), nil
}
