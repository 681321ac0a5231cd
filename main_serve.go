package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"downforai/probe/config"
	"downforai/store"
	"downforai/ui/sshserve"
)

// runServe wires store, engine and the front doors of `downforai serve`,
// then stops them in reverse order on SIGINT, SIGTERM or SIGHUP, within
// shutdownGrace.
func runServe(c config.Config, getenv env, stderr io.Writer) int {
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	db, err := store.OpenRecorder(c.DB, time.Duration(c.Retention), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	rec, hist := db.Rec, db.History
	stop, done := ownStore(c, db, logger)
	defer done()
	startJudging(hist)
	ctx := stop.Context()

	eng, targets := newEngine(c, getenv, rec, hist, logger)
	uiOpts := dashboardOptions(c, hist, targets, logger)

	notifier := startNotifier(c, getenv, logger, true)
	defer notifier.Close()
	var wg sync.WaitGroup
	var closers []func()
	defer func() {
		stop.Stop("serve ended")
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		wg.Wait()
	}()

	if c.SSHAddr != "" {
		srv, err := sshserve.New(sshserve.Options{
			Addr:           c.SSHAddr,
			HostKeyPath:    filepath.Join(filepath.Dir(c.DB), "ssh_host_ed25519_key"),
			AuthorizedKeys: c.AuthorizedKeys,
			MaxSessions:    c.MaxSessions,
			IdleTimeout:    sshIdle(c.SSHIdleTimeout),
			Subscribe:      eng.Subscribe,
			UI:             uiOpts,
			Terminal:       notifier.AddTerminal,
			Logger:         logger,
		})
		if err != nil {
			fmt.Fprintf(stderr, "downforai serve: %v\n", err)
			return exitFail
		}
		ln, err := srv.Listen()
		if err != nil {
			fmt.Fprintf(stderr, "downforai serve: %v\n", err)
			return exitFail
		}
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil {
				logger.Error("ssh server stopped", "err", err)
			}
		})
		closers = append(closers, func() {
			// Each viewer's dashboard ends and says goodbye; a viewer that
			// does not hang up then is cut off.
			sctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			srv.Shutdown(sctx)
		})
		logger.Info("ssh listening", "addr", ln.Addr().String(), "authorized_keys", c.AuthorizedKeys, "max_sessions", c.MaxSessions,
			"idle_timeout", time.Duration(c.SSHIdleTimeout).String())
	}

	// serve's /metrics is what it is run for: an address it cannot bind,
	// from a flag or the file, ends it (a service manager says so).
	ln, err := bindMetrics(c)
	if err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	startWatch(ctx, &wg, c, c.StaleAfter(), hist, eng.Subscribe, targets, logger, ln, notifier)
	serveSocket(ctx, &wg, c, hist, db.WhenOpen, eng, targets, listenAddr(ln), logger)
	startSessions(ctx, &wg, c, getenv, eng, hist, logger)
	logger.Info("serving", "version", buildVersion(), "db", c.DB, "config", c.Path, "targets", len(targets),
		"webhook", c.Webhook != "")
	if err := eng.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("engine stopped", "err", err)
		return exitFail
	}
	return exitOK
}

// sshIdle turns the --ssh-idle-timeout setting (0: never) into
// sshserve's (negative: never).
func sshIdle(d config.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return time.Duration(d)
}
