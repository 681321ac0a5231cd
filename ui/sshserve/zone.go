package sshserve

import (
	"strings"
	"time"
)

// viewerZone is the time zone a session's dashboard prints its times in:
// the zone the client's TZ names ("Europe/Paris", POSIX's ":Europe/Paris"),
// else server, the zone of the process. OpenSSH sends TZ only when told
// to (ssh -o SendEnv=TZ); a TZ this machine's zone database does not know
// — a POSIX rule such as "CET-1CEST,M3.5.0,M10.5.0/3", say — keeps the
// server's zone, which the tab bar names, so no time reads as another
// zone's.
func viewerZone(tz string, server *time.Location) *time.Location {
	tz = strings.TrimPrefix(tz, ":")
	if tz == "" || len(tz) > maxZoneName {
		return server
	}
	// LoadLocation refuses "..", absolute paths and names that are no
	// zone, so a client's TZ opens nothing but a zone file.
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return server
	}
	return loc
}

// maxZoneName bounds a client's TZ: the longest IANA name is 32 bytes
// (America/Argentina/ComodRivadavia).
const maxZoneName = 64
