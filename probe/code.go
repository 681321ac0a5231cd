package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"time"

	"downforai/probe/lazyre"
)

// DefaultClaudeBin is the Claude Code CLI looked up in PATH.
const DefaultClaudeBin = "claude"

// CodeProber runs `claude --version`: is Claude Code installed, and does it
// start? It makes no network call, so a failure here is about this machine.
type CodeProber struct {
	Bin     string        // name looked up in PATH, or a path; "" means DefaultClaudeBin
	Timeout time.Duration // hard limit for the command; 0 keeps the caller's deadline
}

// NewCodeProber runs bin (DefaultClaudeBin when empty).
func NewCodeProber(bin string) *CodeProber { return &CodeProber{Bin: bin} }

// versionLine matches "2.1.44 (Claude Code)"; the suffix is optional, and
// some builds print a leading "v" or "claude ".
var versionLine = lazyre.New(`^(?:claude\s+)?v?(\d+\.\d+\.\d+[0-9A-Za-z.+-]*)(?:\s+\(Claude Code\))?\s*$`)

// maxOutput bounds what we keep of the CLI's output; --version prints one
// line.
const maxOutput = 64 << 10

// Probe runs the CLI once. Not installed is ClassUnknown with Detail "not
// installed" (it says nothing about Anthropic); a crash, a non-zero exit,
// unrecognised output or no answer in time is ClassUnexpected; a version
// line is ClassOK with Detail the version.
func (p *CodeProber) Probe(ctx context.Context) Result {
	res := Result{Target: TargetCode, Time: time.Now()}
	ctx, cancel, timeout := probeContext(ctx, p.Timeout)
	defer cancel()
	bin := p.Bin
	if bin == "" {
		bin = DefaultClaudeBin
	}
	name := bin
	if i := strings.LastIndexAny(bin, `/\`); i >= 0 {
		name = bin[i+1:]
	}

	path, err := exec.LookPath(bin)
	if err != nil {
		res.Class, res.Detail = ClassUnknown, "not installed"
		if errors.Is(err, exec.ErrNotFound) && !strings.ContainsAny(bin, `/\`) {
			res.Message = Line(name+" not found in PATH", 200)
		} else if errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound) {
			res.Message = Line(bin+" not found", 200)
		} else {
			// Exists but is not executable, or similar: installed but broken.
			res.Class, res.Detail, res.ErrorType = ClassUnexpected, "", "exec"
			res.Message = Line(fmt.Sprintf("cannot run %s: %v", bin, unwrapAll(err)), 200)
		}
		return res
	}

	cmd := exec.CommandContext(ctx, path, "--version")
	var out, stderr limitedBuffer
	out.max, stderr.max = maxOutput, maxOutput
	cmd.Stdout, cmd.Stderr = &out, &stderr
	// A script that forks (sh → node) can leave a grandchild holding the
	// pipes after the kill; WaitDelay stops Wait from waiting on it forever.
	cmd.WaitDelay = time.Second
	start := time.Now()
	err = cmd.Run()
	res.Phases.Total = time.Since(start)

	switch {
	case ctx.Err() == context.DeadlineExceeded:
		res.Class, res.ErrorType = ClassUnexpected, NetTimeout
		within := ""
		if timeout > 0 {
			within = " within " + roundDur(timeout).String()
		}
		res.Message = Line(name+" --version did not answer"+within, 200)
		return res
	case ctx.Err() == context.Canceled:
		res.Class, res.ErrorType, res.Message = ClassUnknown, "canceled", "probe canceled"
		return res
	case err != nil:
		res.Class, res.ErrorType = ClassUnexpected, "exit"
		msg := fmt.Sprintf("%s --version failed: %v", name, err)
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			msg = fmt.Sprintf("%s --version exited with status %d", name, ee.ExitCode())
		}
		if l := firstLine(stderr.String()); l != "" {
			msg += ": " + l
		} else if l := firstLine(out.String()); l != "" {
			msg += ": " + l
		}
		// Mask before cutting: a key cut by Line is no longer its value.
		res.Message = Line(RedactEnv(msg), 200)
		return res
	}
	line := firstLine(out.String())
	m := versionLine.FindStringSubmatch(line)
	if m == nil {
		res.Class, res.ErrorType = ClassUnexpected, "output"
		if line == "" {
			res.Message = Line(name+" --version printed nothing", 200)
		} else {
			res.Message = Line(RedactEnv(fmt.Sprintf("%s --version printed %s, not a version", name, Quote(line))), 200)
		}
		return res
	}
	res.Class = ClassOK
	res.Detail = Line(m[1], 60)
	res.Message = Line("Claude Code "+res.Detail+" installed", 200)
	return res
}

// firstLine is the first non-blank line, sanitised.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = Line(l, 200); l != "" {
			return l
		}
	}
	return ""
}

func unwrapAll(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// limitedBuffer keeps the first max bytes written and discards the rest
// without failing the writer (a failing pipe could kill the child early).
// It does not embed bytes.Buffer: io.Copy would find its ReadFrom and
// bypass the limit.
type limitedBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return b.buf.String() }
