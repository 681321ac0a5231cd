package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// crashWriterEnv makes the test binary a writer that never stops on its own:
// it appends results (and now and then a status snapshot) to the database
// named by the variable and prints "ack <target> <unixnano>" after each
// commit returns. DOWNFORAI_CRASH_FROM is its first time, in Unix nanoseconds.
const crashWriterEnv = "DOWNFORAI_CRASH_WRITER"

func TestMain(m *testing.M) {
	if path := os.Getenv(crashWriterEnv); path != "" {
		crashWriter(path)
		return
	}
	os.Exit(m.Run())
}

func crashWriter(path string) {
	from, _ := strconv.ParseInt(os.Getenv("DOWNFORAI_CRASH_FROM"), 10, 64)
	s, err := Open(path, Options{LockTimeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer:", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	targets := []probe.Target{probe.TargetAPI, probe.TargetClaudeAI, probe.TargetStatus}
	for i := 0; ; i++ {
		when := time.Unix(0, from).Add(time.Duration(i) * time.Second)
		r := okResult(targets[i%len(targets)], when)
		// New texts now and then, so commits also grow the strings bucket.
		r.Message = fmt.Sprintf("answer %d", i%97)
		r.RequestID = fmt.Sprintf("req_%d", i)
		if err := s.PutResult(r); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			os.Exit(3)
		}
		fmt.Fprintf(out, "ack %s %d\n", r.Target, when.UnixNano())
		out.Flush() // the ack leaves only after the commit returned
		if i%10 == 0 {
			if _, err := s.PutStatus(probe.Status{Fetched: when, Indicator: "none", Description: fmt.Sprintf("round %d", i)}); err != nil {
				fmt.Fprintln(os.Stderr, "writer:", err)
				os.Exit(3)
			}
		}
	}
}

// TestKilledWriterLosesNothingAcknowledged starts a writer process, kills
// it with SIGKILL mid-writes at seven chosen points (killPoints), and after
// every kill reopens the file, runs bbolt's consistency check and looks for
// every result the writer acknowledged (printed after its commit returned).
func TestKilledWriterLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a dozen processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/history.db"
	acked := map[probe.Target][]time.Time{}
	total := 0
	// Where to kill, in acknowledged writes: in the second commit of a new
	// file, in the third, just after a status snapshot (written after ack
	// 11, every tenth), while the strings bucket still grows (new texts
	// until ack 97), and once it has stopped. The kill lands in whatever
	// commit or fsync the writer is in by then.
	killPoints := []int{1, 2, 11, 12, 40, 97, 140}
	rounds := len(killPoints)
	for round, killAfter := range killPoints {
		from := base.Add(time.Duration(round) * 24 * time.Hour) // rounds never share a time
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), crashWriterEnv+"="+path, "DOWNFORAI_CRASH_FROM="+strconv.FormatInt(from.UnixNano(), 10))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		n := 0
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 3 || f[0] != "ack" {
				t.Fatalf("writer said %q", sc.Text())
			}
			ns, _ := strconv.ParseInt(f[2], 10, 64)
			tg := probe.Target(f[1])
			acked[tg] = append(acked[tg], time.Unix(0, ns))
			n++
			if n == killAfter {
				// Mid-write: the writer is already in its next commit.
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: writer ended with %v, not by SIGKILL; stderr %s", round, err, stderr.String())
		}
		total += n
		verifyAfterCrash(t, path, acked, round)
	}
	if total < rounds {
		t.Fatalf("only %d acknowledged writes in %d rounds", total, rounds)
	}
}

// verifyAfterCrash opens the file as the next downforai would, checks
// bbolt's invariants (page accounting, freelist, ordering) and finds every
// acknowledged result.
func verifyAfterCrash(t *testing.T, path string, acked map[probe.Target][]time.Time, round int) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
	}
	defer s.Close()
	err = s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("round %d: consistency check: %v", round, err)
	}
	for tg, want := range acked {
		got, err := s.Range(tg, time.Time{}, time.Time{})
		if err != nil {
			t.Fatalf("round %d: read %s: %v", round, tg, err)
		}
		have := make(map[int64]bool, len(got))
		for _, r := range got {
			have[r.Time.UnixNano()] = true
		}
		for _, w := range want {
			if !have[w.UnixNano()] {
				t.Fatalf("round %d: acknowledged %s result at %v is missing", round, tg, w)
			}
		}
	}
	if _, _, err := s.LatestStatus(); err != nil {
		t.Fatalf("round %d: latest status: %v", round, err)
	}
}
