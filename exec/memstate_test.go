package exec_test

// memState is an in-memory operator state (exec.StateWriter and
// exec.StateReader) for the operators' checkpoint tests, counting writes.
type memState struct {
	m          map[string]string
	puts, dels int
	badDels    int // deletes of keys the store does not hold
}

func newMemState() *memState { return &memState{m: map[string]string{}} }

func (s *memState) Put(k, v []byte) error {
	s.m[string(k)] = string(v)
	s.puts++
	return nil
}

func (s *memState) Delete(k []byte) error {
	if _, ok := s.m[string(k)]; !ok {
		s.badDels++
	}
	delete(s.m, string(k))
	s.dels++
	return nil
}

func (s *memState) Scan(f func(k, v []byte) error) error {
	for k, v := range s.m {
		if err := f([]byte(k), []byte(v)); err != nil {
			return err
		}
	}
	return nil
}

// writes counts the entries written so far.
func (s *memState) writes() int { return s.puts + s.dels }

// count returns the number of entries whose key starts with prefix.
func (s *memState) count(prefix byte) int {
	n := 0
	for k := range s.m {
		if len(k) > 0 && k[0] == prefix {
			n++
		}
	}
	return n
}

// resetCounts forgets the write counts.
func (s *memState) resetCounts() { s.puts, s.dels = 0, 0 }
