package main

import (
	"log/slog"

	"downforai/probe"
	"downforai/probe/config"
	"downforai/store"
	"downforai/ui/cli"
)

// ownStore is what every engine that owns the database (the dashboard,
// serve) does once it is open: a stopper whose forced exit runs rescue
// and then closes the file, a note in the log when the file was empty,
// and done — deferred by the caller — which closes the database, logs
// that it stopped and ends the stopper.
func ownStore(c config.Config, db *store.Recorder, logger *slog.Logger, rescue ...func()) (stop *cli.Stopper, done func()) {
	stop = cli.NewStopper(logger)
	for _, fn := range rescue {
		stop.Rescue(fn)
	}
	stop.Rescue(func() { db.Close() })
	logOpened(logger, c, db.History)
	return stop, func() {
		if err := db.Close(); err != nil {
			logger.Error("closing the database", "err", err)
		}
		logger.Info("stopped")
		stop.Done()
	}
}

// logOpened notes in the log that the database was an empty file, which
// Open made a new database.
func logOpened(logger *slog.Logger, c config.Config, hist probe.History) {
	if st, ok := hist.(*store.Store); ok && st.WasEmpty() {
		logger.Info("the database was an empty file: initialised it", "db", c.DB)
	}
}

// startJudging starts the check of every page of the database file that
// store.OpenRecorder leaves to the background (store.Options.JudgeInBackground).
func startJudging(hist probe.History) {
	if st, ok := hist.(*store.Store); ok {
		st.StartJudging()
	}
}
