package sshserve

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever this machine's zone database holds
)

func TestViewerZone(t *testing.T) {
	server := time.FixedZone("SRV", 3600)
	for _, tt := range []struct {
		tz, want string
	}{
		{"", "SRV"},                                  // not sent: the server's
		{"Asia/Tokyo", "Asia/Tokyo"},                 // an IANA name
		{":Asia/Kolkata", "Asia/Kolkata"},            // POSIX's ":" prefix
		{"UTC", "UTC"},                               //
		{"CET-1CEST,M3.5.0,M10.5.0/3", "SRV"},        // a POSIX rule: not a zone name Go loads
		{"Not/AZone", "SRV"},                         // unknown
		{"../../../../etc/passwd", "SRV"},            // no path out of the zone database
		{"/etc/localtime", "SRV"},                    // nor an absolute one
		{"Asia/Tokyo\x1b[2J", "SRV"},                 // nor an escape
		{string(make([]byte, maxZoneName+1)), "SRV"}, // nor a flood
	} {
		if got := viewerZone(tt.tz, server).String(); got != tt.want {
			t.Errorf("viewerZone(%q) = %s, want %s", tt.tz, got, tt.want)
		}
	}
}

// A session's TZ reaches its dashboard: two viewers of one engine, each
// in their own zone, and one that sends none sees the server's.
func TestEachSessionHasItsOwnZone(t *testing.T) {
	r := newRig(t, 0)
	tokyo := connectWith(t, r, darkAnswer, map[string]string{"TZ": "Asia/Tokyo"})
	kolkata := connectWith(t, r, darkAnswer, map[string]string{"TZ": ":Asia/Kolkata"})
	none := connect(t, r)
	server, _ := time.Now().Zone()
	tokyo.waitFor(t, "test · JST")
	kolkata.waitFor(t, "test · IST")
	none.waitFor(t, "test · "+server)
}
