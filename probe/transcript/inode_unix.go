//go:build unix

package transcript

import (
	"os"
	"syscall"
)

// inodeOf is the file's inode, which survives a rename and changes when a
// file is replaced.
func inodeOf(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
