package probe

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeClaude writes an executable shell script named claude into a fresh
// directory and returns its path.
func fakeClaude(t *testing.T, script string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "claude")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCodeProbe(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		timeout time.Duration
		class   Class
		errType string
		detail  string
		msg     string
	}{
		{"version", `echo "2.1.44 (Claude Code)"`, 0, ClassOK, "", "2.1.44", "Claude Code 2.1.44 installed"},
		{"old version", `echo "1.0.81 (Claude Code)"`, 0, ClassOK, "", "1.0.81", "1.0.81"},
		{"bare semver", `printf '2.0.0-beta.1\n'`, 0, ClassOK, "", "2.0.0-beta.1", ""},
		{"leading blank line", `echo; echo "2.1.44 (Claude Code)"`, 0, ClassOK, "", "2.1.44", ""},
		{"garbage", `echo "Segmentation fault, but cheerful"`, 0, ClassUnexpected, "output", "", `printed "Segmentation fault, but cheerful", not a version`},
		{"escape in output", `printf '\033]0;pwned\007oops\n'`, 0, ClassUnexpected, "output", "", `"oops"`},
		{"nothing", `true`, 0, ClassUnexpected, "output", "", "printed nothing"},
		{"exit 1", `echo "Error: cannot find module" >&2; exit 1`, 0, ClassUnexpected, "exit", "", "claude --version exited with status 1: Error: cannot find module"},
		{"hang", `exec sleep 30`, 100 * time.Millisecond, ClassUnexpected, NetTimeout, "", "claude --version did not answer within 100ms"},
		{"hang in a child", `sleep 30; echo 1.0.0`, 100 * time.Millisecond, ClassUnexpected, NetTimeout, "", "did not answer within 100ms"},
		{"flood", `yes | head -c 5000000; exit 0`, 0, ClassUnexpected, "output", "", `printed "y", not a version`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewCodeProber(fakeClaude(t, tt.script))
			p.Timeout = tt.timeout
			if p.Timeout == 0 {
				p.Timeout = 10 * time.Second
			}
			res := p.Probe(context.Background())
			if res.Target != TargetCode || res.Time.IsZero() {
				t.Errorf("target %q time %v", res.Target, res.Time)
			}
			if res.Class != tt.class || res.ErrorType != tt.errType || res.Detail != tt.detail || !strings.Contains(res.Message, tt.msg) {
				t.Errorf("got %v %q %q %q, want %v %q %q containing %q", res.Class, res.ErrorType, res.Detail, res.Message, tt.class, tt.errType, tt.detail, tt.msg)
			}
		})
	}
}

func TestCodeProbeNotInstalled(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	res := NewCodeProber("").Probe(context.Background())
	if res.Class != ClassUnknown || res.Detail != "not installed" || res.Message != "claude not found in PATH" {
		t.Errorf("not in PATH: %+v", res)
	}
	res = NewCodeProber(filepath.Join(t.TempDir(), "missing", "claude")).Probe(context.Background())
	if res.Class != ClassUnknown || res.Detail != "not installed" || !strings.Contains(res.Message, "not found") {
		t.Errorf("missing path: %+v", res)
	}
}

func TestCodeProbeFromPATH(t *testing.T) {
	bin := fakeClaude(t, `echo "2.1.44 (Claude Code)"`)
	t.Setenv("PATH", filepath.Dir(bin))
	if res := NewCodeProber("claude").Probe(context.Background()); res.Class != ClassOK || res.Detail != "2.1.44" || res.Phases.Total <= 0 {
		t.Errorf("%+v", res)
	}
}

func TestCodeProbeNotExecutable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "claude")
	if err := os.WriteFile(path, []byte("#!/bin/sh\necho 1.0.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := NewCodeProber(path).Probe(context.Background())
	if res.Class != ClassUnexpected || res.ErrorType != "exec" || !strings.Contains(res.Message, "permission denied") {
		t.Errorf("%+v", res)
	}
}

func TestCodeProbeCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := NewCodeProber(fakeClaude(t, `exec sleep 30`)).Probe(ctx)
	if res.Class != ClassUnknown || res.ErrorType != "canceled" {
		t.Errorf("%+v", res)
	}
}

// TestCodeProbeMasksTheEnvironmentsCredentials: `claude --version` runs
// with the user's environment; a wrapper that prints it (whole, or cut by
// the message's length, or in a shape no pattern knows) never puts the
// credential into a Result — neither from the prober nor through the
// engine, where every surface (store, screen, check, export) starts.
func TestCodeProbeMasksTheEnvironmentsCredentials(t *testing.T) {
	key := "sk-ant-api03-" + strings.Repeat("a", 80) + "Xy7AAA"
	token := "plain-token-0123456789abcdef" // no sk-ant- shape: only its value gives it away
	t.Setenv("ANTHROPIC_API_KEY", key)
	t.Setenv("ANTHROPIC_AUTH_TOKEN", token)
	for _, script := range []string{
		`echo "claude: bad config, key=$ANTHROPIC_API_KEY token=$ANTHROPIC_AUTH_TOKEN"; exit 2`,
		`echo "claude: bad config, key=$ANTHROPIC_API_KEY token=$ANTHROPIC_AUTH_TOKEN" >&2; exit 2`,
		`echo "$ANTHROPIC_AUTH_TOKEN $ANTHROPIC_API_KEY"`,         // not a version
		`printf '%0180d key=%s\n' 0 "$ANTHROPIC_API_KEY"; exit 1`, // the key where the 200-rune cut falls
	} {
		bin := fakeClaude(t, script)
		direct := NewCodeProber(bin)
		direct.Timeout = 10 * time.Second
		eng := NewEngine([]Check{{Target: TargetCode, Run: func(ctx context.Context) Event {
			// A prober that forgot to mask: the engine still must.
			return Event{Result: Result{Target: TargetCode, Class: ClassUnexpected, Message: "raw: " + key + " " + token}}
		}}}, nil)
		results := []Result{direct.Probe(context.Background())}
		for _, ev := range eng.RunOnce(context.Background()) {
			results = append(results, ev.Result)
		}
		for _, r := range results {
			all := r.Message + r.Detail + r.ErrorType + r.RequestID
			if strings.Contains(all, strings.Repeat("a", 20)) || strings.Contains(all, token) {
				t.Errorf("%s: a credential reached the result: %q", script, all)
			}
		}
		if !strings.Contains(results[0].Message+results[1].Message, "sk-ant-api03-…") {
			t.Errorf("%s: want the key masked, not dropped: %q / %q", script, results[0].Message, results[1].Message)
		}
	}
}

// TestAuthStatusMasksTheEnvironmentsCredentials: `claude auth status`
// runs with the user's environment too; one that prints it (on stdout or
// stderr, failing or not, the key where a line is cut) never puts a
// credential into the Claude Code auth check — the Troubleshooting tab
// and the report copied from it (TestSecretsNeverLeak saw the token there
// whenever the local checks ran before its screen was read).
func TestAuthStatusMasksTheEnvironmentsCredentials(t *testing.T) {
	key := "sk-ant-api03-" + strings.Repeat("a", 80) + "Xy7AAA"
	token := "plain-token-0123456789abcdef" // no sk-ant- shape: only its value gives it away
	t.Setenv("ANTHROPIC_API_KEY", key)
	t.Setenv("ANTHROPIC_AUTH_TOKEN", token)
	for _, script := range []string{
		`echo "claude: bad config, key=$ANTHROPIC_API_KEY token=$ANTHROPIC_AUTH_TOKEN" >&2; exit 2`,
		`echo "claude: bad config, key=$ANTHROPIC_API_KEY token=$ANTHROPIC_AUTH_TOKEN"`,
		`echo "logged in, token=$ANTHROPIC_AUTH_TOKEN key=$ANTHROPIC_API_KEY"`,
		`printf '%0150d token=%s key=%s\n' 0 "$ANTHROPIC_AUTH_TOKEN" "$ANTHROPIC_API_KEY"; exit 1`, // where the 200-rune cut falls
	} {
		lc := NewLocalChecker(LocalOptions{ClaudeBin: fakeClaude(t, script), Timeout: 10 * time.Second})
		chk := lc.authStatus(context.Background())
		if strings.Contains(chk.Text, strings.Repeat("a", 20)) || strings.Contains(chk.Text, "plain-token") {
			t.Errorf("%s: a credential reached the check: %q", script, chk.Text)
		}
	}
}
