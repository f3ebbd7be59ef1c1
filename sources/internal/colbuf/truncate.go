package colbuf

// Truncate forgets committed rows [n, Len()) and the pending row, so a
// writer can take back every row of a multi-row record (a CDC update's
// before and after images, a canal message) when a later one fails.
// n must be at most Len().
func (b *Batch) Truncate(n int) {
	if n < 0 || n > b.n {
		return
	}
	for _, c := range b.Cols {
		if c.width == 0 {
			c.dataLen = int(c.offsets[n])
		}
		c.set, c.pendingNull = false, false
		c.row = n
	}
	b.n = n
}

// PendingValue reports whether the pending row's value was set to a
// non-NULL value.
func (c *Column) PendingValue() bool { return c.set && !c.pendingNull }
