//go:build !unix

package inventory

import "os"

// openNonBlocking: there are no named pipes to wait on in a tree here.
const openNonBlocking = 0

// fileKey: no device and inode numbers here; directories reached twice
// through links are not recognised (Windows trees rarely hold such links).
func fileKey(os.FileInfo) ([2]uint64, bool) { return [2]uint64{}, false }
