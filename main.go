// Command downforai answers "is Claude down, or is it me?" in a terminal: it
// probes claude.ai, the Claude API and Claude Code from this machine, reads
// Anthropic's status page, keeps every observation in a bbolt file and shows
// it all in a tabbed dashboard.
//
// main wires the long-running front doors — the dashboard, the viewer of
// another process's engine, serve — from settings (probe/config) → store →
// engine → program, then cancels, waits and closes. The command line itself
// (commands, flags, help, the one-shot commands) is ui/cli. main owns no
// logic of its own. Its files, by concern: main.go the entry and the
// doors; main_dashboard.go the dashboard and its viewer; main_serve.go
// serve; main_engine.go the engine and what follows it (the detector, the
// attach socket, Claude Code's sessions, metrics and notifications);
// main_store.go the database an engine owns.
package main

import (
	"io"
	"os"

	"downforai/probe/config"
	"downforai/ui/cli"
)

// Exit codes shared by every front door (cli's).
const (
	exitOK    = cli.ExitOK
	exitFail  = cli.ExitFail
	exitUsage = cli.ExitUsage
)

// version is set at build time with -ldflags "-X main.version=…";
// otherwise cli.Version finds it in the build info.
var version = ""

func buildVersion() string { return cli.Version(version) }

// env is how main reads the environment, so tests can hand in their own.
type env = config.Env

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests.
func run(args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	return cli.Run(args, baseEnv(getenv, stdin, stdout, stderr), doors)
}

// doors are the commands that run an engine (or watch one): main's wiring.
var doors = cli.Doors{
	Dashboard: runDashboard,
	Serve:     func(r cli.Env) int { return runServe(r.Config, r.Getenv, r.Stderr) },
}

func baseEnv(getenv env, stdin io.Reader, stdout, stderr io.Writer) cli.Env {
	return cli.Env{Version: buildVersion(), Getenv: getenv, Stdin: stdin, Stdout: stdout, Stderr: stderr}
}
