// Command fakeupstream serves a fake of Anthropic's status page, API and
// claude.ai on loopback addresses, for running downforai against scripted
// scenarios:
//
//	go run ./probe/fakeupstream/cmd/fakeupstream -addr 127.0.0.1:8787 -mode operational
//	curl -X POST '127.0.0.1:8787/_fake/mode?name=major_outage'
//	curl -X POST '127.0.0.1:8787/_fake/mode?status=challenge&api=reset'
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"downforai/probe/fakeupstream"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fakeupstream:", err)
		os.Exit(1)
	}
}

// keys collects a repeatable flag.
type keys []string

func (k *keys) String() string     { return fmt.Sprintf("%d keys", len(*k)) }
func (k *keys) Set(s string) error { *k = append(*k, s); return nil }

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("fakeupstream", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8787", "loopback `address` to listen on (the status page, and the others unless split)")
	apiAddr := fs.String("api-addr", "", "serve the API on this loopback `address` of its own (needed for api=refused)")
	claudeAddr := fs.String("claude-addr", "", "serve claude.ai on this loopback `address` of its own (needed for claude=refused)")
	modeName := fs.String("mode", string(fakeupstream.ModeOperational), "initial `mode`: "+modeList())
	status := fs.String("status", "", "status page `state`, overriding the mode's")
	api := fs.String("api", "", "API `state`, overriding the mode's")
	claude := fs.String("claude", "", "claude.ai `state`, overriding the mode's")
	usage := fs.String("usage", "", "`state` of /api/oauth/usage (default ok)")
	delay := fs.Duration("delay", fakeupstream.DefaultDelay, "response delay in slow mode")
	flap := fs.Duration("flap", fakeupstream.DefaultFlap, "how long api=flap stays ok, then overloaded")
	var accept, models keys
	fs.Var(&models, "model", "`MODEL:STATE` of POST /v1/messages for one model (repeatable), e.g. claude-opus-4-5:529")
	fs.Var(&accept, "accept-key", "a `credential` the API accepts (repeatable; none: any)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: fakeupstream [flags]")
		fs.PrintDefaults()
		fmt.Fprintln(fs.Output(), "\nstates:\n"+fakeupstream.StateList())
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	mode, err := fakeupstream.ParseMode(*modeName)
	if err != nil {
		return err
	}
	var sc fakeupstream.Scenario
	if *status != "" {
		if sc.Status, err = fakeupstream.ParseStatusState(*status); err != nil {
			return err
		}
	}
	if *api != "" {
		if sc.API, err = fakeupstream.ParseAPIState(*api); err != nil {
			return err
		}
	}
	if *claude != "" {
		if sc.Claude, err = fakeupstream.ParseClaudeState(*claude); err != nil {
			return err
		}
	}
	h := fakeupstream.NewHandler(mode)
	h.SetScenario(sc)
	if *usage != "" {
		us, err := fakeupstream.ParseUsageState(*usage)
		if err != nil {
			return err
		}
		h.SetUsage(us)
	}
	h.SetDelay(*delay)
	h.SetFlap(*flap)
	h.SetAccepted(accept...)
	for _, m := range models {
		id, st, _ := strings.Cut(m, ":")
		ms, err := fakeupstream.ParseModelState(st)
		if err != nil || id == "" {
			return fmt.Errorf("-model %q: want MODEL:STATE (%v)", m, err)
		}
		h.SetModel(id, ms)
	}
	srv, err := fakeupstream.Start(h, *addr, *apiAddr, *claudeAddr)
	if err != nil {
		return err
	}

	now := h.Scenario()
	fmt.Fprintf(out, "fakeupstream: mode %s (status %s, api %s, claude %s)\n\n", mode, now.Status, now.API, now.Claude)
	fmt.Fprintf(out, "  downforai --status-url %s --api-url %s --claude-url %s\n\n", srv.StatusURL, srv.APIURL, srv.ClaudeURL)
	fmt.Fprintf(out, "switch:  curl -X POST '%s/_fake/mode?name=major_outage'   (delay=2s for slow)\n", srv.URL)
	fmt.Fprintf(out, "         curl -X POST '%s/_fake/mode?status=challenge&api=reset&claude=ok'\n", srv.URL)
	fmt.Fprintf(out, "         curl -X POST '%s/_fake/mode?model=claude-opus-4-5:529&model=claude-haiku-4-5:ok'\n", srv.URL)
	fmt.Fprintf(out, "modes:   %s\n%s\n", modeList(), fakeupstream.StateList())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	return srv.Err()
}

func modeList() string {
	var names []string
	for _, m := range fakeupstream.Modes() {
		names = append(names, string(m))
	}
	return strings.Join(names, ", ")
}
