package exec

import "math"

// Ports aligns what the input ports of a multi-input operator receive
// besides rows: the operator's watermark is the minimum over its ports'
// watermarks, its barrier for an epoch goes out once every port has
// passed it, and a closed port counts as at MaxWatermark and past every
// barrier. The operator calls these from its ports' Stream methods and
// forwards what they report (after emitting what the new watermark
// closes, for Watermark).
type Ports struct {
	wm     []int64
	bar    []uint64
	closed []bool
	fwdWM  int64
	fwdBar uint64
	open   int
}

// NewPorts aligns n ports.
func NewPorts(n int) *Ports {
	p := &Ports{wm: make([]int64, n), bar: make([]uint64, n), closed: make([]bool, n), fwdWM: MinWatermark, open: n}
	for i := range p.wm {
		p.wm[i] = MinWatermark
	}
	return p
}

// Watermark records port i's watermark t and returns the operator's
// watermark and whether it advanced (then forward it).
func (p *Ports) Watermark(i int, t int64) (int64, bool) {
	p.wm[i] = max(p.wm[i], t)
	return p.advanceWM()
}

// Current is the operator's watermark: the minimum over its ports.
func (p *Ports) Current() int64 { return p.fwdWM }

// Barrier records that port i passed epoch and returns the epoch to
// forward, if one is now complete on every port.
func (p *Ports) Barrier(i int, epoch uint64) (uint64, bool) {
	p.bar[i] = max(p.bar[i], epoch)
	return p.advanceBar()
}

// Close closes port i. last reports whether it was the last open port
// (then close the operator's output after forwarding). A port closed
// twice is ignored. Forward wm and bar when their flags are set.
func (p *Ports) Close(i int) (last bool, wm int64, wmOK bool, bar uint64, barOK bool) {
	if p.closed[i] {
		return false, 0, false, 0, false
	}
	p.closed[i] = true
	p.open--
	p.wm[i], p.bar[i] = MaxWatermark, math.MaxUint64
	wm, wmOK = p.advanceWM()
	bar, barOK = p.advanceBar()
	return p.open == 0, wm, wmOK, bar, barOK
}

// Closed reports whether port i is closed.
func (p *Ports) Closed(i int) bool { return p.closed[i] }

func (p *Ports) advanceWM() (int64, bool) {
	m := p.wm[0]
	for _, w := range p.wm[1:] {
		m = min(m, w)
	}
	if m > p.fwdWM {
		p.fwdWM = m
		return m, true
	}
	return p.fwdWM, false
}

func (p *Ports) advanceBar() (uint64, bool) {
	m := p.bar[0]
	for _, b := range p.bar[1:] {
		m = min(m, b)
	}
	if m > p.fwdBar && m != math.MaxUint64 {
		p.fwdBar = m
		return m, true
	}
	return p.fwdBar, false
}
