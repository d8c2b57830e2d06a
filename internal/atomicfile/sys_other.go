//go:build !unix

package atomicfile

import "os"

// ownerOf: files have no Unix owner here.
func ownerOf(os.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }

// tryLock: no advisory directory locks here (Windows); the check of the
// file's content just before the rename still refuses most lost updates.
func tryLock(*os.File) (busy bool, err error) { return false, nil }

func unlockFile(*os.File) {}
