package file

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/format"
)

func init() {
	exec.RegisterSource("file", Open, Check)
}

// Check validates a file source's options without opening the file.
func Check(def *catalog.Source) error {
	_, err := parseConfig(def)
	return err
}

// Source reads a file of records, one per line (a CSV record may span
// lines inside quotes). Blank lines are skipped.
type Source struct {
	def     *catalog.Source
	env     exec.SourceEnv
	cfg     config
	f       *os.File
	r       *bufio.Reader
	dec     format.Decoder
	line    int64  // lines read so far
	off     int64  // byte offset after the last line read (position.go)
	rec     []byte // a CSV record being assembled across lines
	partial []byte // an unterminated last line of a file being tailed
	eof     bool
}

var _ exec.Source = (*Source)(nil)

// Open opens the file source def.
func Open(_ context.Context, def *catalog.Source, env exec.SourceEnv) (exec.Source, error) {
	cfg, err := parseConfig(def)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", def.Name, err)
	}
	if env.BatchSize <= 0 {
		env.BatchSize = 4096
	}
	cfg.opts.BatchSize = env.BatchSize
	full := cfg.path
	if !filepath.IsAbs(full) {
		full = filepath.Join(env.BaseDir, full)
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", def.Name, err)
	}
	dec, err := format.New(cfg.format, def.Schema, cfg.opts, env.Alloc)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("source %s: %w", def.Name, err)
	}
	return &Source{def: def, env: env, cfg: cfg, f: f, r: bufio.NewReaderSize(f, 1<<20), dec: dec}, nil
}

// Next implements exec.Source: it decodes lines until a batch is full or the
// input ends.
func (s *Source) Next(ctx context.Context) (exec.Batch, error) {
	for !s.dec.Full() {
		rec, first, err := s.readRecord()
		if err == io.EOF {
			break
		}
		if err != nil {
			return exec.Batch{}, fmt.Errorf("source %s: reading %s: %w", s.def.Name, s.cfg.path, err)
		}
		if err := s.decode(rec, first); err != nil {
			return exec.Batch{}, err
		}
		if s.line&0xffff == 0 && ctx.Err() != nil {
			// Hand out what was decoded, so the position (every record
			// read) matches the batches returned; the next call stops.
			break
		}
	}
	if b := format.FlushBatch(s.dec); b.Rec != nil {
		return b, nil
	}
	if err := ctx.Err(); err != nil {
		return exec.Batch{}, err
	}
	if s.cfg.bounded {
		return exec.Batch{}, io.EOF
	}
	select {
	case <-ctx.Done():
		return exec.Batch{}, ctx.Err()
	case <-time.After(50 * time.Millisecond):
	}
	return exec.Batch{}, nil
}

func (s *Source) decode(rec []byte, line int64) error {
	err := s.dec.Decode(rec)
	if err == nil {
		return nil
	}
	if s.cfg.onError == Fail || s.env.Errors == nil {
		return fmt.Errorf("source %s: %s:%d: %v", s.def.Name, s.cfg.path, line, err)
	}
	return s.env.Errors.BadRecord(exec.BadRecord{
		Source: s.def.Name, Raw: rec, File: s.cfg.path, Line: line, Reason: err.Error(),
	})
}

// readRecord returns the next non-blank record without its line ending and
// the number of its first line. The slice is valid until the next call.
func (s *Source) readRecord() ([]byte, int64, error) {
	for {
		if s.eof {
			return nil, 0, io.EOF
		}
		first := s.line + 1
		rec, err := s.readLine()
		if err != nil {
			return nil, 0, err
		}
		for s.cfg.format == format.CSV && openQuote(rec) && !s.eof {
			// A quoted CSV field spans lines: join the next one.
			s.rec = append(append(s.rec[:0:0], rec...), '\n')
			more, err := s.readLine()
			if err != nil {
				return nil, 0, err
			}
			rec = append(s.rec, more...)
			s.rec = rec
		}
		if len(bytes.TrimSpace(rec)) == 0 {
			continue
		}
		return rec, first, nil
	}
}

// readLine reads one line, without copying when it fits in the buffer. At
// the end of a bounded file it returns the last line and sets eof; when
// tailing, a partial last line is kept for the next call and io.EOF returned.
func (s *Source) readLine() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	n := len(line)
	if err == bufio.ErrBufferFull || len(s.partial) > 0 {
		long := append(s.partial, line...)
		for err == bufio.ErrBufferFull {
			line, err = s.r.ReadSlice('\n')
			long = append(long, line...)
		}
		line, s.partial, n = long, nil, len(long)
	}
	if err == io.EOF {
		if !s.cfg.bounded {
			s.partial = append([]byte(nil), line...)
			return nil, io.EOF
		}
		s.eof = true
		err = nil
	}
	if err != nil {
		return nil, err
	}
	s.line++
	s.off += int64(n)
	line = bytes.TrimSuffix(line, []byte{'\n'})
	return bytes.TrimSuffix(line, []byte{'\r'}), nil
}

// openQuote reports whether rec ends inside a quoted CSV field.
func openQuote(rec []byte) bool {
	return bytes.Count(rec, []byte{'"'})%2 == 1
}

// Close implements exec.Source.
func (s *Source) Close() error {
	s.dec.Release()
	return s.f.Close()
}
