package file

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MarkerName is the file in the sink's root directory that records the
// last epoch delivered and that epoch's files. It is written last, by an
// atomic rename, so an epoch is delivered exactly when the marker says so.
const MarkerName = "_sqlstream_epochs"

// tmpPrefix starts the name of every file being written; a crash leaves
// only such files half-written, and opening the sink removes them.
const tmpPrefix = ".tmp-"

// tmpSuffix ends a temporary file's name so that globs for the final
// extension (*.parquet) never match it.
const tmpSuffix = ".inprogress"

// markerHeader is the first line of the marker file.
const markerHeader = "# sqlstream file sink: the last epoch delivered, then its files"

// partName is the name of the n-th file of an epoch.
func partName(epoch uint64, n int, f Format) string {
	return fmt.Sprintf("part-%010d-%d.%s", epoch, n, f.Ext())
}

// partEpoch parses the epoch out of a data file's name; ok is false for a
// name that is not part-<epoch>-<n>.<ext>.
func partEpoch(name string) (epoch uint64, ok bool) {
	rest, found := strings.CutPrefix(name, "part-")
	if !found {
		return 0, false
	}
	digits, rest, found := strings.Cut(rest, "-")
	if !found {
		return 0, false
	}
	n, rest, found := strings.Cut(rest, ".")
	if !found || (rest != Parquet.Ext() && rest != CSV.Ext()) {
		return 0, false
	}
	if _, err := strconv.ParseUint(n, 10, 32); err != nil {
		return 0, false
	}
	e, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	return e, true
}

// readMarker returns the last delivered epoch recorded in dir (0 when dir
// or its marker does not exist).
func readMarker(dir string) (uint64, error) {
	data, err := os.ReadFile(filepath.Join(dir, MarkerName))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the epoch marker: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if v, ok := strings.CutPrefix(line, "epoch "); ok {
			e, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("epoch marker %s: bad line %q", filepath.Join(dir, MarkerName), line)
			}
			return e, nil
		}
	}
	return 0, fmt.Errorf("epoch marker %s has no 'epoch' line: was it written by another program?", filepath.Join(dir, MarkerName))
}

// writeMarker records epoch and its files (relative to dir) in dir's
// marker: a temporary file, synced, renamed over the marker, then dir
// synced.
func writeMarker(dir string, epoch uint64, files []string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nepoch %d\n", markerHeader, epoch)
	for _, f := range files {
		fmt.Fprintf(&b, "file %s\n", f)
	}
	tmp := filepath.Join(dir, tmpPrefix+MarkerName+tmpSuffix)
	if err := writeSynced(tmp, b.Bytes()); err != nil {
		return fmt.Errorf("write the epoch marker: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, MarkerName)); err != nil {
		return fmt.Errorf("write the epoch marker: %w", err)
	}
	return syncDir(dir)
}

// writeSynced creates path with data and syncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes the renames and creations in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// cleanup removes what a crash left under dir: every temporary file, and
// the data files of epochs above last (renamed into place before the
// crash, but never recorded by the marker; the runner delivers those
// epochs again). It returns the removed paths, relative to dir.
func cleanup(dir string, last uint64) ([]string, error) {
	var removed []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == dir {
				return filepath.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		stale := strings.HasPrefix(name, tmpPrefix)
		if e, ok := partEpoch(name); ok && e > last {
			stale = true
		}
		if !stale {
			return nil
		}
		if err := os.Remove(path); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		removed = append(removed, rel)
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("remove the leftovers of an interrupted delivery: %w", err)
	}
	if len(removed) > 0 {
		if err := syncDirs(dir, removed); err != nil {
			return removed, err
		}
	}
	return removed, nil
}

// syncDirs syncs root and every directory between it and each of files
// (paths relative to root), each once.
func syncDirs(root string, files []string) error {
	seen := map[string]bool{}
	for _, f := range files {
		for d := filepath.Dir(f); ; d = filepath.Dir(d) {
			if seen[d] {
				break
			}
			seen[d] = true
			if err := syncDir(filepath.Join(root, d)); err != nil {
				return err
			}
			if d == "." {
				break
			}
		}
	}
	if !seen["."] {
		return syncDir(root)
	}
	return nil
}
