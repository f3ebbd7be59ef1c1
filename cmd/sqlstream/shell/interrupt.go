package shell

import (
	"context"
	"os"
	"os/signal"
	"sync"
)

// interrupts turns Ctrl-C (SIGINT) into cancelling what the shell is
// doing: the running statement or \watch. Between statements, while the
// line editor reads a prompt, the terminal delivers Ctrl-C as a key
// instead (liner clears ISIG), so a SIGINT outside a scope is ignored and
// never ends the process. A nil *interrupts leaves SIGINT alone.
type interrupts struct {
	sig    chan os.Signal
	mu     sync.Mutex
	cancel context.CancelFunc // of the current scope; nil outside one
}

// catchInterrupts starts catching SIGINT until stop.
func catchInterrupts() *interrupts {
	it := &interrupts{sig: make(chan os.Signal, 1)}
	signal.Notify(it.sig, os.Interrupt)
	go it.loop()
	return it
}

func (it *interrupts) loop() {
	for range it.sig {
		it.mu.Lock()
		if it.cancel != nil {
			it.cancel()
		}
		it.mu.Unlock()
	}
}

// scope returns a context that Ctrl-C cancels, and the function that ends
// the scope (call it before the next scope starts).
func (it *interrupts) scope(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	if it == nil {
		return ctx, cancel
	}
	it.mu.Lock()
	it.cancel = cancel
	it.mu.Unlock()
	return ctx, func() {
		it.mu.Lock()
		it.cancel = nil
		it.mu.Unlock()
		cancel()
	}
}

// stop restores SIGINT's default behaviour.
func (it *interrupts) stop() {
	if it != nil {
		signal.Stop(it.sig)
		close(it.sig)
	}
}
