//go:build unix

package inventory

import (
	"os"
	"syscall"
)

// openNonBlocking is the flag that keeps opening a named pipe from
// waiting for a writer.
const openNonBlocking = syscall.O_NONBLOCK

// fileKey returns a file's device and inode.
func fileKey(st os.FileInfo) ([2]uint64, bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return [2]uint64{}, false
	}
	return [2]uint64{uint64(sys.Dev), sys.Ino}, true
}
