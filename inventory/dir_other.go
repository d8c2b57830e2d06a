//go:build !linux

package inventory

import "os"

// readDir returns a directory's entries sorted by name, and the
// directory's device and inode where the platform has them.
func (w *walker) readDir(path string) (entries []dirEntry, key [2]uint64, keyOK bool, err error) {
	key, keyOK = dirKey(path)
	des, err := os.ReadDir(path)
	if err != nil {
		return nil, key, keyOK, err
	}
	for _, d := range des {
		entries = append(entries, dirEntry{name: d.Name(), typ: d.Type()})
	}
	return entries, key, keyOK, nil
}
