package exec

// expire drops, on both sides, the rows not changed for longer than the
// state TTL, without emitting anything (see Join). It sweeps the whole
// state at most once per half TTL, so a row lives between TTL and 1.5 TTL
// after its last change.
func (j *Join) expire(now int64) {
	if j.ttl <= 0 || now-j.lastSweep < j.ttl/2 {
		return
	}
	j.lastSweep = now
	for _, js := range []*joinSide{j.left, j.right} {
		js.expire(now - j.ttl)
	}
}

// expire removes every live slot last changed before cutoff.
func (js *joinSide) expire(cutoff int64) {
	for s := int32(0); s < int32(js.nslots); s++ {
		if js.rows[s].count > 0 && js.rows[s].touched < cutoff {
			js.remove(s)
			js.freeSlot(s)
		}
	}
	for _, c := range js.cols {
		c.compact(js.nslots)
	}
}
