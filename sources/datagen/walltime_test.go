package datagen

import (
	"context"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/exec"
)

// With 'event_time' = 'wall', row i of a sequence source is stamped
// start + i*1000/rate ms, start being the wall clock at the first Next.
func TestWallEventTime(t *testing.T) {
	const rate = 100000.0
	d := def(t, "seq bigint, ts timestamp", "generator", "sequence", "rows", "3000", "rate", "100000", "event_time", "wall")
	before := time.Now().UnixMilli()
	src, err := exec.OpenSource(context.Background(), d, exec.SourceEnv{BatchSize: 512})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var stamps []int64
	for {
		b, err := src.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if b.Rec == nil {
			continue
		}
		ts := b.Rec.Column(1).(*array.Timestamp)
		for i := 0; i < ts.Len(); i++ {
			stamps = append(stamps, int64(ts.Value(i)))
		}
		b.Release()
		if len(stamps) == 1 && stamps[0] > time.Now().UnixMilli() {
			t.Fatalf("first row stamped %d, after the wall clock", stamps[0])
		}
	}
	if len(stamps) != 3000 {
		t.Fatalf("%d rows, want 3000", len(stamps))
	}
	if stamps[0] < before {
		t.Fatalf("first row stamped %d, before the source was opened (%d)", stamps[0], before)
	}
	for i, s := range stamps {
		if want := stamps[0] + int64(math.Round(float64(i)*(1000/rate/1))); s != want {
			t.Fatalf("row %d stamped %d, want %d", i, s, want)
		}
	}
}

// Nexmark sources at their kinds' shares of one event rate map event n to
// the same wall time, whatever the kind.
func TestWallClockNexmarkShares(t *testing.T) {
	const events = 100000.0
	now := time.UnixMilli(1_800_000_000_000)
	share := map[string]float64{"person": 1, "auction": 3, "bid": 46}
	for _, kind := range []string{"person", "auction", "bid"} {
		w := newWallClock(config{generator: "nexmark", kind: kind, rate: events * share[kind] / 50}, now, 0)
		// Event 100 000 (10 s of generator time) is due after 1 s.
		if got := w.at(dateTime(100000)); got != now.UnixMilli()+1000 {
			t.Errorf("%s: event 100000 at %d, want %d", kind, got, now.UnixMilli()+1000)
		}
	}
}

// After a Seek the mapping starts at the restored position, not at the
// first row ever generated.
func TestWallClockAfterSeek(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_000)
	w := newWallClock(config{generator: "sequence", rate: 1000}, now, 5000)
	if got := w.at(NexmarkBaseTime + 5000); got != now.UnixMilli() {
		t.Fatalf("row 5000 at %d, want %d", got, now.UnixMilli())
	}
}

func TestWallEventTimeErrors(t *testing.T) {
	for _, tc := range []struct {
		opts []string
		want string
	}{
		{[]string{"generator", "sequence", "event_time", "wall"}, "needs option 'rate'"},
		{[]string{"generator", "sequence", "rate", "10", "event_time", "now"}, "want 'generator' or 'wall'"},
		{[]string{"generator", "sequence", "event_time", "generator"}, ""},
	} {
		err := exec.CheckSource(def(t, "seq bigint", tc.opts...))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", tc.opts, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want %q", tc.opts, err, tc.want)
		}
	}
}
