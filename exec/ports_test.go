package exec

import "testing"

func TestPortsAlign(t *testing.T) {
	p := NewPorts(3)
	if _, ok := p.Watermark(0, 10); ok {
		t.Fatal("one port of three: no watermark yet")
	}
	p.Watermark(1, 5)
	if wm, ok := p.Watermark(2, 7); !ok || wm != 5 {
		t.Fatalf("watermark = %d, %v; want 5", wm, ok)
	}
	if _, ok := p.Watermark(1, 4); ok {
		t.Fatal("a port going back must not move the watermark")
	}
	p.Barrier(0, 1)
	p.Barrier(1, 1)
	if _, ok := p.Barrier(0, 2); ok {
		t.Fatal("barrier 1 is not complete on port 2")
	}
	if e, ok := p.Barrier(2, 1); !ok || e != 1 {
		t.Fatalf("barrier = %d, %v; want 1", e, ok)
	}
	last, wm, wmOK, _, _ := p.Close(1)
	if last || !wmOK || wm != 7 {
		t.Fatalf("close port 1: last=%v wm=%d,%v; want false 7 true", last, wm, wmOK)
	}
	if last, _, _, _, _ := p.Close(1); last {
		t.Fatal("closing twice must be ignored")
	}
	p.Close(0)
	last, wm, wmOK, _, _ = p.Close(2)
	if !last || !wmOK || wm != MaxWatermark {
		t.Fatalf("close all: last=%v wm=%d,%v", last, wm, wmOK)
	}
}
