package transcript

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"downforai/probe"
)

type listed struct{ key, path string }

// list finds the transcripts: *.jsonl up to three levels below Dir
// (<project>/<session>.jsonl, and sub-agents' files below a session).
func (f *Follower) list() ([]listed, bool, error) {
	var out []listed
	info, err := os.Stat(f.o.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("cannot read %s: %w", f.o.Shown, innermost(err))
	}
	if !info.IsDir() {
		return nil, false, fmt.Errorf("%s is not a directory", f.o.Shown)
	}
	err = filepath.WalkDir(f.o.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == f.o.Dir {
				return err
			}
			return nil // an unreadable sub-directory costs only itself
		}
		rel, _ := filepath.Rel(f.o.Dir, p)
		depth := strings.Count(rel, string(filepath.Separator))
		if d.IsDir() {
			if depth >= 3 {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".jsonl") && d.Type().IsRegular() {
			out = append(out, listed{key: fileKey(rel), path: p})
		}
		return nil
	})
	if err != nil {
		return nil, true, fmt.Errorf("cannot read %s: %w", f.o.Shown, innermost(err))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, true, nil
}

// fileKey names a file by a hash of its path below Dir.
func fileKey(rel string) string {
	sum := sha256.Sum256([]byte(filepath.ToSlash(rel)))
	return hex.EncodeToString(sum[:8])
}
func errText(err error) string {
	if err == nil {
		return ""
	}
	return probe.Line(err.Error(), 200)
}

func innermost(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}
