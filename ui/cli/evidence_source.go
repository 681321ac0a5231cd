package cli

import (
	"context"
	"fmt"
	"time"

	"downforai/probe"
	"downforai/probe/config"
	"downforai/probe/remote"
)

// runningSource is the history of the downforai that holds the database
// (a dashboard, serve), asked on its attach socket (D25): bbolt's lock is
// exclusive for the writer and shared for a reader, so while it runs the
// file cannot be opened even read-only, and its socket is where its
// history is. note says which source it is and the age of its newest
// result, for the report.
type runningSource struct {
	cl   *remote.Client
	note string
}

// askRunning dials the attach socket of the downforai that holds c.DB;
// err when none answers.
func askRunning(c config.Config, now time.Time) (runningSource, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cl, err := remote.Dial(ctx, remote.SocketPath(c.DB), remote.DBName(c.DB))
	if err != nil {
		return runningSource{}, err
	}
	h := cl.Hello()
	var newest time.Time
	targets := h.Targets
	if len(targets) == 0 {
		targets = probe.Targets() // an engine that does not list them
	}
	for _, t := range targets {
		if rs, err := cl.Recent(t, 1); err == nil && len(rs) > 0 && rs[len(rs)-1].Time.After(newest) {
			newest = rs[len(rs)-1].Time
		}
	}
	age := "it has recorded no result yet"
	if !newest.IsZero() {
		age = "its newest result " + probe.Span{Least: time.Second, Under: "under a second"}.Format(now.Sub(newest)) + " old"
	}
	return runningSource{cl: cl, note: fmt.Sprintf("history from the running downforai (pid %d; %s), beside one fresh round of probes", h.PID, age)}, nil
}
