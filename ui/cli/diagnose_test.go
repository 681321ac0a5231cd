package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadTailKeepsTheEnd (cold5 D30): stdin longer than diagnose reads
// keeps its end, the error of a piped scroll-back, and counts the rest.
func TestReadTailKeepsTheEnd(t *testing.T) {
	in := strings.Repeat("x", 1<<20) + "API Error: 529 Overloaded"
	b, dropped, err := readTail(strings.NewReader(in), 1000)
	if err != nil || !bytes.HasSuffix(b, []byte("API Error: 529 Overloaded")) || dropped+len(b) != len(in) || len(b) < 1000 || len(b) > 2000 {
		t.Errorf("kept %d, dropped %d of %d (%v)", len(b), dropped, len(in), err)
	}
	b, dropped, _ = readTail(strings.NewReader("short"), 1000)
	if string(b) != "short" || dropped != 0 {
		t.Errorf("short: %q %d", b, dropped)
	}
}
