package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the build's version: set, when main was built with -ldflags
// "-X main.version=…"; otherwise the module version from the build info,
// else "dev".
func Version(set string) string {
	if set != "" {
		return set
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// versionText is what `downforai version` and --version print: the version,
// then the commit it was built from when the build recorded one.
func versionText(version string) string {
	s := "downforai " + version + "\n"
	var rev, at, dirty string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				rev = kv.Value
			case "vcs.time":
				at = kv.Value
			case "vcs.modified":
				if kv.Value == "true" {
					dirty = " (modified)"
				}
			}
		}
	}
	if rev != "" {
		s += "revision " + rev + dirty
		if at != "" {
			s += " from " + at
		}
		s += "\n"
	}
	return s + fmt.Sprintf("built with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
