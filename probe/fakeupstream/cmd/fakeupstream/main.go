// Command fakeupstream serves a fake of Anthropic's status page, API and
// claude.ai on a loopback address, for running downforai against scripted
// scenarios:
//
//	go run ./probe/fakeupstream/cmd/fakeupstream -addr 127.0.0.1:8787 -mode operational
//	curl -X POST '127.0.0.1:8787/_fake/mode?name=major_outage'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
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

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("fakeupstream", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8787", "loopback `address` to listen on")
	modeName := fs.String("mode", string(fakeupstream.ModeOperational), "initial `mode`: "+modeList())
	delay := fs.Duration("delay", fakeupstream.DefaultDelay, "response delay in slow mode")
	if err := fs.Parse(args); err != nil {
		return err
	}
	mode, err := fakeupstream.ParseMode(*modeName)
	if err != nil {
		return err
	}
	ln, err := fakeupstream.ListenLoopback(*addr)
	if err != nil {
		return err
	}
	h := fakeupstream.NewHandler(mode)
	h.SetDelay(*delay)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}

	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "fakeupstream: mode %s on %s\n\n", mode, base)
	fmt.Fprintf(out, "  downforai --status-url %s --api-url %s --claude-url %s\n\n", base, base, base)
	fmt.Fprintf(out, "switch:  curl -X POST '%s/_fake/mode?name=major_outage'   (delay=2s for slow)\n", base)
	fmt.Fprintf(out, "modes:   %s\n", modeList())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	h.Close() // release hanging requests so Shutdown can finish
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func modeList() string {
	var names []string
	for _, m := range fakeupstream.Modes() {
		names = append(names, string(m))
	}
	return strings.Join(names, ", ")
}
