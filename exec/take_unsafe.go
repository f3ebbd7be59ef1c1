package exec

import "unsafe"

// reinterpret128 views a byte slice as 16-byte words (decimal128 and
// month-day-nano interval values).
func reinterpret128(b []byte) []word128 {
	if len(b) < 16 {
		return nil
	}
	return unsafe.Slice((*word128)(unsafe.Pointer(&b[0])), len(b)/16)
}
