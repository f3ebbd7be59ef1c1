package exec

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// push stores a batch of input i: each row takes its key's slot for the
// input; keys whose partial row becomes complete are emitted and freed
// at once, others get a timer (resolution, or a partner's expiry).
func (j *UniqueJoin) push(i int, b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	for _, op := range b.Ops {
		if op != Insert {
			return fmt.Errorf("got a %s row: the unique-key join takes append-only input", op)
		}
	}
	in := j.ins[i]
	in.enc.encode(b.Rec, &in.keys)
	tcol := b.Rec.Column(j.times[i])
	rows, slots := in.rows[:0], in.slots[:0]
	j.emitG = j.emitG[:0]
	var alone []int32
	var dup error
	for r := 0; r < n; r++ {
		t, ok := timeAt(tcol, r)
		if in.keys.null[r] || !ok {
			if i == 0 && j.allLeft {
				alone = append(alone, int32(r))
			}
			continue
		}
		g := j.groups.groupFor(&in.keys, r)
		if j.groups.slot(g, i) >= 0 {
			// The rows before it stay joined; the rest of the batch is not.
			dup = fmt.Errorf("duplicate join key %s: the input is declared unique on it (PRIMARY KEY)", keyText(b.Rec, in.enc.cols, r))
			break
		}
		s := in.alloc(t)
		rows, slots = append(rows, int32(r)), append(slots, s)
		j.groups.set(g, i, s)
		if int(j.groups.count[g]) == j.n {
			j.groups.gen[g]++ // its timers are void: it leaves now
			j.emitG = append(j.emitG, g)
			continue
		}
		j.schedule(g, i, t)
	}
	in.rows, in.slots = rows, slots
	in.copyIn(b.Rec, rows, slots)
	if err := j.emit(j.emitG); err != nil {
		return err
	}
	if len(alone) > 0 {
		if err := j.emitAlone(b, alone); err != nil {
			return err
		}
	}
	// A row may be due already (a partner behind its first row's bound).
	if err := j.expire(j.ports.Current()); err != nil {
		return err
	}
	j.notePeak()
	return dup
}

// schedule sets the timer of group g after input i's row at t arrived:
// with its first-input row present, the time by which every missing
// input's chance has passed; else when this partner row expires.
func (j *UniqueJoin) schedule(g int32, i int, t int64) {
	if s0 := j.groups.slot(g, 0); s0 >= 0 {
		j.due.push(ujTimer{at: j.deadline(g, j.ins[0].times[s0]), g: g, gen: j.groups.gen[g]})
		return
	}
	j.due.push(ujTimer{at: satAdd(t, -j.lowCum[i]), g: g, gen: j.groups.gen[g]})
}

// deadline is the latest event time at which a missing input of g could
// still match its first-input row at t0: g resolves once the watermark
// passes it.
func (j *UniqueJoin) deadline(g int32, t0 int64) int64 {
	d := MinWatermark
	for i := 1; i < j.n; i++ {
		if j.groups.slot(g, i) < 0 {
			d = max(d, satAdd(t0, j.upCum[i]))
		}
	}
	return d
}

// expire fires the timers below watermark w: keys whose missing partners
// can no longer come are resolved (emitted or dropped as the chain says),
// partner rows whose first-input row can no longer come are discarded.
func (j *UniqueJoin) expire(w int64) error {
	j.emitG = j.emitG[:0]
	for len(j.due) > 0 && j.due[0].at < w {
		tm := j.due.pop()
		g := tm.g
		if j.groups.gen[g] != tm.gen {
			continue
		}
		if s0 := j.groups.slot(g, 0); s0 >= 0 {
			if j.deadline(g, j.ins[0].times[s0]) < w {
				j.groups.gen[g]++
				j.emitG = append(j.emitG, g)
			}
			continue
		}
		for i := 1; i < j.n; i++ {
			if s := j.groups.slot(g, i); s >= 0 && satAdd(j.ins[i].times[s], -j.lowCum[i]) < w {
				j.ins[i].release(s)
				j.groups.set(g, i, -1)
			}
		}
		if j.groups.count[g] == 0 {
			j.groups.drop(g)
		}
	}
	return j.emit(j.emitG)
}

// keyText renders row r's key columns for an error: (a, b).
func keyText(rec arrow.RecordBatch, cols []int, r int) string {
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = rec.Schema().Field(c).Name + "=" + rec.Column(c).ValueStr(r)
	}
	return "(" + strings.Join(vals, ", ") + ")"
}
