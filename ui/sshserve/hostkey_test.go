package sshserve

import (
	"os"
	"path/filepath"
	"testing"

	"downforai/probe"
)

// TestHostKeyLeavesItsDirectoryAlone: the host key sits beside the
// database, whose directory may be shared (/tmp, a 1777 spool, a team's
// state directory). Writing a new key must not change that directory's
// mode — wish's key writer chmods it to 0700 (cold7 E12) — while the key
// itself is 0600 and serves viewers; a directory that is missing is
// created 0700.
func TestHostKeyLeavesItsDirectoryAlone(t *testing.T) {
	for _, mode := range []os.FileMode{0o777 | os.ModeSticky, 0o755} {
		t.Run(mode.String(), func(t *testing.T) {
			shared := filepath.Join(t.TempDir(), "shared")
			if err := os.Mkdir(shared, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(shared, mode); err != nil {
				t.Fatal(err)
			}
			before, err := os.Stat(shared)
			if err != nil {
				t.Fatal(err)
			}
			key := filepath.Join(shared, "ssh_host_ed25519_key")
			r := newRigWith(t, func(o *Options) { o.HostKeyPath = key })
			v := connect(t, r)
			v.waitFor(t, "Live signals")
			r.publish(probe.ClassOverloaded, 529)
			v.waitFor(t, "529")
			after, err := os.Stat(shared)
			if err != nil {
				t.Fatal(err)
			}
			if after.Mode() != before.Mode() {
				t.Errorf("the key's directory went from %v to %v", before.Mode(), after.Mode())
			}
			fi, err := os.Stat(key)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("host key mode %v, want 0600", fi.Mode().Perm())
			}
		})
	}
	t.Run("missing directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "new", "state")
		if err := ensurePrivate(filepath.Join(dir, "k")); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("created directory mode %v, want 0700", fi.Mode().Perm())
		}
		if err := ensurePrivate(filepath.Join(dir, "k")); err != nil {
			t.Errorf("an existing key: %v", err)
		}
	})
}
