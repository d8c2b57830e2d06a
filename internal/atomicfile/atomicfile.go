// Package atomicfile replaces a file's contents so that a reader, a crash or
// a full disk never sees a partial file: the new contents go to a temporary
// file in the same directory, which is synced and renamed over the original.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// A Result says what Replace did beside the replacement.
type Result struct {
	Backup  string   // the backup's path, if one was written
	Removed []string // temporary files of an earlier run that was killed, removed
	Owner   string   // when the file's owner could not be kept: what changed, for a warning
}

// LockTimeout is how long Replace waits for another process editing a
// file in the same directory.
var LockTimeout = 30 * time.Second

// Replace writes data to path atomically. old must be the contents the
// caller read from path: if the file no longer holds them, Replace refuses
// rather than lose someone else's change. The check and the rename happen
// under an exclusive advisory lock (flock) on the file's directory, so two
// processes editing one file cannot both succeed: the second finds the
// first's change and refuses. The file's permission bits are kept, and its
// owner and group where the process may set them. A symbolic link is
// followed and the file it names is replaced; the link stays.
//
// If backupSuffix is not empty, old is first saved (atomically, with the
// same mode) to the file's name plus backupSuffix.
//
// Temporary files are named .NAME.genid-migrate-tmp-*; under the lock,
// those in the directory that a killed run left (same owner) are removed,
// and listed in the Result.
func Replace(path string, old, data []byte, backupSuffix string) (Result, error) {
	var res Result
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return res, err
	}
	st, err := os.Stat(real)
	if err != nil {
		return res, err
	}
	if !st.Mode().IsRegular() {
		return res, fmt.Errorf("%s is not a regular file", path)
	}
	unlock, err := lockDir(filepath.Dir(real))
	if err != nil {
		return res, err
	}
	defer unlock()
	res.Removed = removeStale(filepath.Dir(real))
	if now, err := os.ReadFile(real); err == nil && !bytes.Equal(now, old) {
		return res, fmt.Errorf("%s changed while it was being edited (another process wrote it); nothing was written: run again", path)
	}
	if backupSuffix != "" {
		res.Backup = real + backupSuffix
		if err := write(res.Backup, old, st); err != nil {
			return res, fmt.Errorf("writing the backup: %w", err)
		}
	}
	if err := writeChecked(real, old, data, st); err != nil {
		return res, err
	}
	if uid, gid, ok := ownerOf(st); ok && os.Getuid() != 0 && (uid != os.Getuid() || gid != os.Getgid()) {
		if now, err := os.Stat(real); err == nil {
			if nu, ng, ok := ownerOf(now); ok && (nu != uid || ng != gid) {
				res.Owner = fmt.Sprintf("%s was owned by %d:%d and is now owned by %d:%d (only root keeps the owner of a file it replaces); chown it back if that matters", path, uid, gid, nu, ng)
			}
		}
	}
	return res, nil
}

// tmpMarker is in the name of every temporary file this package makes.
const tmpMarker = ".genid-migrate-tmp-"

// removeStale removes this package's temporary files in dir (same
// owner) that a killed run left. The caller holds dir's lock, which every
// writer of this package takes, so none of them is in use.
func removeStale(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(globEscape(dir), ".*"+tmpMarker+"*"))
	var removed []string
	for _, m := range matches {
		st, err := os.Lstat(m)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		if uid, _, ok := ownerOf(st); ok && uid != os.Getuid() {
			continue
		}
		if os.Remove(m) == nil {
			removed = append(removed, m)
		}
	}
	return removed
}

// globEscape escapes the characters filepath.Match treats specially.
func globEscape(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', '\\':
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// lockDir takes an exclusive flock on dir, waiting up to LockTimeout.
func lockDir(dir string) (unlock func(), err error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(LockTimeout)
	for {
		busy, err := tryLock(d)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		if !busy {
			return func() { unlockFile(d); d.Close() }, nil
		}
		if time.Now().After(deadline) {
			d.Close()
			return nil, fmt.Errorf("another process has been editing a file in %s for %s (its lock is held); nothing was written", dir, LockTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeChecked writes data over real, checking just before the rename that
// real still holds old.
func writeChecked(real string, old, data []byte, st os.FileInfo) error {
	tmp, err := stage(real, data, st)
	if err != nil {
		return err
	}
	now, err := os.ReadFile(real)
	if err == nil && !bytes.Equal(now, old) {
		err = fmt.Errorf("%s changed while it was being edited; nothing was written", real)
	}
	if err == nil {
		err = os.Rename(tmp, real)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(real))
}

// write writes data to name atomically with st's mode and owner.
func write(name string, data []byte, st os.FileInfo) error {
	tmp, err := stage(name, data, st)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(name))
}

// stage writes data to a synced temporary file beside name and returns its
// path.
func stage(name string, data []byte, st os.FileInfo) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+tmpMarker+"*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(tmp)
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(st.Mode().Perm()); err != nil {
		return fail(err)
	}
	if uid, gid, ok := ownerOf(st); ok {
		// Keeping the owner needs privilege; without it the file is ours.
		if err := f.Chown(uid, gid); err != nil && !errors.Is(err, os.ErrPermission) {
			return fail(err)
		}
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// Write writes data to path atomically with mode perm, creating the file
// or replacing it whole: a reader never sees a partial file.
func Write(path string, data []byte, perm os.FileMode) error {
	unlock, err := lockDir(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer unlock()
	tmp, err := stage(path, data, modeOnly(perm))
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(path))
}

// modeOnly is a FileInfo that gives stage a mode and no owner.
type modeOnly os.FileMode

func (m modeOnly) Name() string       { return "" }
func (m modeOnly) Size() int64        { return 0 }
func (m modeOnly) Mode() os.FileMode  { return os.FileMode(m) }
func (m modeOnly) ModTime() time.Time { return time.Time{} }
func (m modeOnly) IsDir() bool        { return false }
func (m modeOnly) Sys() any           { return nil }
