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

// Replace writes data to path atomically. old must be the contents the
// caller read from path: if the file no longer holds them, Replace refuses
// rather than lose someone else's change. The file's permission bits are
// kept, and its owner and group where the process may set them. A symbolic
// link is followed and the file it names is replaced; the link stays.
//
// If backupSuffix is not empty, old is first saved (atomically, with the
// same mode) to the file's name plus backupSuffix.
//
// Replace returns the path of the backup, if one was written.
func Replace(path string, old, data []byte, backupSuffix string) (backup string, err error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	if backupSuffix != "" {
		backup = real + backupSuffix
		if err := write(backup, old, st); err != nil {
			return "", fmt.Errorf("writing the backup: %w", err)
		}
	}
	return backup, writeChecked(real, old, data, st)
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
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
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
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		// Keeping the owner needs privilege; without it the file is ours.
		if err := f.Chown(int(sys.Uid), int(sys.Gid)); err != nil && !errors.Is(err, os.ErrPermission) {
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
