package catalog

import (
	"strings"
	"sync"
)

// NativeChangelog reports the changelog a connector's source emits by
// itself, with no format to derive it from (a CDC generator, say); ok is
// false when the source emits none and its format decides.
type NativeChangelog func(opts Options) (mode ChangelogMode, ok bool)

var nativeChangelogs = struct {
	sync.RWMutex
	m map[string]NativeChangelog
}{m: map[string]NativeChangelog{}}

// RegisterNativeChangelog declares how a connector's sources carry changes
// natively. Connectors call it from init, beside their exec registration;
// the planner reads it through NativeChangelogOf without importing them.
func RegisterNativeChangelog(connector string, f NativeChangelog) {
	nativeChangelogs.Lock()
	defer nativeChangelogs.Unlock()
	nativeChangelogs.m[strings.ToLower(connector)] = f
}

// NativeChangelogOf is the native changelog of a source of connector with
// opts, if its connector declared one.
func NativeChangelogOf(connector string, opts Options) (ChangelogMode, bool) {
	nativeChangelogs.RLock()
	f, ok := nativeChangelogs.m[strings.ToLower(connector)]
	nativeChangelogs.RUnlock()
	if !ok {
		return 0, false
	}
	return f(opts)
}
