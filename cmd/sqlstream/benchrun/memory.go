package benchrun

import (
	"bufio"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sqlstream/sqlstream/exec"
)

// heapMetric is the Go heap's live and not yet swept objects: every Go
// allocation, and so every Arrow buffer of the default allocator.
const heapMetric = "/memory/classes/heap/objects:bytes"

// sampleEvery is the sampler's period.
const sampleEvery = 10 * time.Millisecond

// sampler polls the Go heap and the runner's operator state from its own
// goroutine until stop; the peaks are read after stop.
type sampler struct {
	runner *exec.Runner
	quit   chan struct{}
	wg     sync.WaitGroup

	peakHeap       uint64
	peakStateBytes int64
}

func startSampler(r *exec.Runner) *sampler {
	s := &sampler{runner: r, quit: make(chan struct{})}
	s.wg.Add(1)
	go s.loop()
	return s
}

func (s *sampler) loop() {
	defer s.wg.Done()
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	m := []metrics.Sample{{Name: heapMetric}}
	for {
		s.sample(m)
		select {
		case <-s.quit:
			return
		case <-t.C:
		}
	}
}

func (s *sampler) sample(m []metrics.Sample) {
	metrics.Read(m)
	if m[0].Value.Kind() == metrics.KindUint64 {
		s.peakHeap = max(s.peakHeap, m[0].Value.Uint64())
	}
	_, bytes := s.runner.Stats().StateTotals()
	s.peakStateBytes = max(s.peakStateBytes, bytes)
}

// stop ends the sampling, after one last sample.
func (s *sampler) stop() {
	close(s.quit)
	s.wg.Wait()
	s.sample([]metrics.Sample{{Name: heapMetric}})
}

// resetPeakRSS resets the kernel's peak-RSS mark (VmHWM) of this process to
// its current RSS; false when the kernel does not allow it.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS returns VmHWM from /proc/self/status in bytes, or 0 when it
// cannot be read (not Linux).
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "VmHWM:") {
			continue
		}
		fields := strings.Fields(strings.TrimPrefix(line, "VmHWM:"))
		if len(fields) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}
