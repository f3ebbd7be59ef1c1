package exec

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Backoff of retried sink operations: the first wait, doubled after every
// failure up to maxRetryBackoff.
const (
	firstRetryBackoff = 100 * time.Millisecond
	maxRetryBackoff   = 5 * time.Second
)

// isRetry reports whether err is transient (wraps ErrRetry).
func isRetry(err error) bool { return errors.Is(err, ErrRetry) }

// retry calls f until it succeeds or fails with an error that is not
// transient (see ErrRetry). After a transient failure it logs one line
// and waits, doubling the wait from firstRetryBackoff up to
// maxRetryBackoff; once 'sink.retry.timeout' has passed since the first
// failure it gives up with an error saying so. It also gives up when ctx
// is done, returning f's last error.
func (r *Runner) retry(ctx context.Context, what string, f func(ctx context.Context) error) error {
	var start time.Time
	wait := r.opts.RetryBackoff
	if wait <= 0 {
		wait = firstRetryBackoff
	}
	for attempt := 1; ; attempt++ {
		err := f(ctx)
		if err == nil {
			if attempt > 1 {
				r.logf("%s: succeeded after %d attempts", what, attempt)
			}
			return nil
		}
		if !isRetry(err) || ctx.Err() != nil {
			return err
		}
		if attempt == 1 {
			start = time.Now()
		}
		left := r.retryTimeout - time.Since(start)
		if left <= 0 {
			return fmt.Errorf("no progress for %s ('%s'), giving up after %d attempts: %w", r.retryTimeout, RetryTimeoutOption, attempt, err)
		}
		d := min(wait, left)
		r.logf("%s: %v; retrying in %s (attempt %d)", what, err, d.Round(time.Millisecond), attempt)
		sleep(ctx, d)
		wait = min(2*wait, maxRetryBackoff)
	}
}

// logf writes one line to RunOptions.Log, if set.
func (r *Runner) logf(format string, args ...any) {
	if r.opts.Log != nil {
		r.opts.Log(fmt.Sprintf(format, args...))
	}
}
