package ui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Bubble Tea v1's renderer rewrites a changed line whole: a strip row
// whose probe cell changed from "1ms" to "3ms" cost its 400 bytes, and an
// idle minute cost what every probe round rewrote of the wide rows. The
// frames pass through Output, which knows what each row holds (the
// renderer's lines, as last written), so it writes only the cells of a
// line that changed: the cursor to the first of them (CHA), then up to
// the last, with their SGR state. The screen ends up exactly as the whole
// line would have left it. Whatever Output does not fully understand is
// written as it came and forgets what it knew (screenRows.reset).

// cell is one column of a row: a rune of width 1 and the SGR sequences in
// force (since the last reset), as written.
type cell struct {
	r   rune
	sgr string
}

var blankCell = cell{r: ' '}

// rowCells is a row as the renderer wrote it: its cells and whether the
// rest of the row was erased (a line shorter than the terminal ends with
// EL, which blanks the rest).
type rowCells struct {
	cells  []cell
	erased bool
	resets bool // the line resets the style somewhere
}

// at is the cell at column i; ok false past the end of a row not erased.
func (r rowCells) at(i int) (cell, bool) {
	if i < len(r.cells) {
		return r.cells[i], true
	}
	return blankCell, r.erased
}

// parseRow reads one line of a frame: printable runes of width 1, SGR
// sequences, and one EL at the very end. Anything else (other escapes,
// wide or zero-width characters, a style left open) is not understood.
// The cells' styles are those the line sets from the default state.
func parseRow(line string) (rowCells, bool) {
	var row rowCells
	sgr := ""
	for i := 0; i < len(line); {
		c := line[i]
		if c == 0x1b {
			if i+1 >= len(line) || line[i+1] != '[' {
				return row, false
			}
			j := i + 2
			for j < len(line) && (line[j] >= '0' && line[j] <= '9' || line[j] == ';' || line[j] == ':') {
				j++
			}
			if j >= len(line) {
				return row, false
			}
			params, final := line[i+2:j], line[j]
			switch {
			case final == 'm' && (params == "" || params == "0"):
				sgr = ""
				row.resets = true
			case final == 'm':
				sgr += line[i : j+1]
			case final == 'K' && params == "" && j == len(line)-1:
				if sgr != "" {
					return row, false // EL would erase with a colour
				}
				row.erased = true
			default:
				return row, false
			}
			i = j + 1
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		if r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r < 0xa0) || ansi.StringWidth(string(r)) != 1 {
			return row, false
		}
		row.cells = append(row.cells, cell{r, sgr})
		i += size
	}
	if sgr != "" {
		return row, false // the next line would inherit it
	}
	return row, true
}

// rowDiff is what to write, with the cursor at the start of the row
// holding old and the default style in force, so that it holds new; ok
// false when the two cannot be compared (a row's width is unknown).
//
// A stretch of cells that moved left (a strip gaining a probe on the
// right) is moved by the terminal: DCH at its start pulls the rest of the
// row left, ICH at its end pushes what follows back into place, and only
// the cells that are new are written. Both are VT102 and every terminal
// has them.
func rowDiff(old, new rowCells) (string, bool) {
	if !old.erased && !new.erased && len(old.cells) != len(new.cells) {
		return "", false
	}
	n := max(len(old.cells), len(new.cells))
	cur := make([]cell, n) // the row as the terminal holds it, as we go
	want := make([]cell, n)
	for i := range n {
		a, aok := old.at(i)
		b, bok := new.at(i)
		if !aok || !bok {
			return "", false
		}
		cur[i], want[i] = a, b
	}
	var b strings.Builder
	style := ""
	unstyle := func() {
		if style != "" {
			b.WriteString(ansi.ResetStyle)
			style = ""
		}
	}
	col := 0 // where the cursor is
	moveTo := func(i int) {
		if i != col {
			b.WriteString("\x1b[" + strconv.Itoa(i+1) + "G")
			col = i
		}
	}
	for i := 0; i < n; {
		if cur[i] == want[i] {
			i++
			continue
		}
		// A stretch that moved left by k cells?
		bestK, bestEnd := 0, 0
		for k := 1; k <= 3; k++ {
			e := i
			for e+k < n && want[e] == cur[e+k] {
				e++
			}
			if e-i >= minShift && e-i > bestEnd-i {
				bestK, bestEnd = k, e
			}
		}
		if bestK > 0 {
			unstyle()
			moveTo(i)
			k, e := bestK, bestEnd
			b.WriteString("\x1b[" + strconv.Itoa(k) + "P")
			moveTo(e)
			b.WriteString("\x1b[" + strconv.Itoa(k) + "@")
			copy(cur[i:e], cur[i+k:e+k])
			for j := e; j < e+k; j++ {
				cur[j] = blankCell
			}
			i = e
			continue
		}
		// Else write the cells from here to the end of the changed
		// stretch (unchanged gaps shorter than a cursor move included).
		end := i + 1
		for j := end; j < n; j++ {
			if cur[j] != want[j] {
				end = j + 1
			} else if j-end >= minGap {
				break
			}
		}
		if end >= len(new.cells) && new.erased && allBlank(want[max(i, len(new.cells)):end]) {
			// The rest of new is blank: write up to its end, erase the rest.
			moveTo(i)
			for j := i; j < len(new.cells); j++ {
				writeCell(&b, &style, want[j])
			}
			unstyle()
			b.WriteString(ansi.EraseLineRight)
			for j := i; j < n; j++ {
				cur[j] = want[j]
			}
			col = -1
			break
		}
		moveTo(i)
		for j := i; j < end; j++ {
			writeCell(&b, &style, want[j])
			cur[j] = want[j]
		}
		col = end
		i = end
	}
	unstyle()
	return b.String(), true
}

// minShift is the shortest moved stretch worth DCH and ICH (about 12
// bytes) rather than its cells; minGap the longest unchanged gap written
// over rather than skipped with a cursor move.
const (
	minShift = 4
	minGap   = 3
)

func writeCell(b *strings.Builder, style *string, c cell) {
	if c.sgr != *style {
		if *style != "" {
			b.WriteString(ansi.ResetStyle)
		}
		b.WriteString(c.sgr)
		*style = c.sgr
	}
	b.WriteRune(c.r)
}

func allBlank(cs []cell) bool {
	for _, c := range cs {
		if c != blankCell {
			return false
		}
	}
	return true
}

// screenRows is what Output knows of the rows on the alternate screen.
type screenRows struct {
	rows map[int]rowCells
	// unsure: the style in force is not known to be the default (a line
	// not understood may have left one open), so rows written now may not
	// look as their text says until a line resets the style.
	unsure bool
}

// reset forgets every row: what is on the screen is no longer known.
func (s *screenRows) reset() { s.rows, s.unsure = nil, true }

// frameTail ends every frame: EL below (when it has fewer lines than the
// last), then the cursor to the start of the last line.
func frameTail(f string) (body, tail string, ok bool) {
	if !strings.HasSuffix(f, "H") {
		return "", "", false
	}
	i := strings.LastIndex(f, "\x1b[")
	if i < 0 {
		return "", "", false
	}
	for _, c := range f[i+2 : len(f)-1] {
		if c != ';' && (c < '0' || c > '9') {
			return "", "", false
		}
	}
	if strings.HasSuffix(f[:i], ansi.EraseScreenBelow) {
		i -= len(ansi.EraseScreenBelow)
	}
	return f[:i], f[i:], true
}

// frame rewrites one frame of the renderer (it starts by homing the
// cursor) to write only changed cells; ok false when p is not a frame
// Output understands, which then goes out as it came.
func (s *screenRows) frame(p []byte) ([]byte, bool) {
	f := string(p)
	if !strings.HasPrefix(f, ansi.CursorHomePosition) {
		return nil, false
	}
	body, tail, ok := frameTail(f[len(ansi.CursorHomePosition):])
	if !ok {
		return nil, false
	}
	if s.rows == nil || repaint(body) {
		// A frame that starts with CR is a repaint: the first frame, or
		// the renderer's answer to a resize (or a restart). A terminal
		// that got shorter or narrower has moved and cut its rows (tmux
		// and xterm keep the bottom ones), so what was written is no longer
		// what the rows hold: diffing against it spliced new cells into
		// stale rows ("Claude C7de CLI") and left the tab bar and the
		// verdict off the screen for good. The repaint writes every row
		// whole, and what it writes is known again.
		s.rows = map[int]rowCells{}
	}
	lines := strings.Split(body, "\n")
	var out strings.Builder
	out.Grow(len(p))
	out.WriteString(ansi.CursorHomePosition)
	for k, l := range lines {
		last := k == len(lines)-1
		if l == "" { // skipped: the row is as it was
			if !last {
				out.WriteByte('\n')
			}
			continue
		}
		line := strings.TrimSuffix(l, "\r")
		lead := ""
		if strings.HasPrefix(line, "\r") { // the first frame's first line
			lead, line = "\r", line[1:]
		}
		newRow, ok := parseRow(line)
		old, had := s.rows[k]
		if ok && !newRow.erased && (len(newRow.cells) == 0 || had && len(old.cells) > len(newRow.cells)) {
			// The renderer ends a line with EL only once it knows the
			// terminal's width; a frame drawn before that (the first one is
			// drawn at once, FirstFrame) writes a shorter line over a
			// longer one and leaves the old line's tail on the screen: a
			// stale "Open incidents: the status page is not read yet" stood
			// under the legend for good. The line is shorter than a row
			// that fitted (or empty), so it ends before the last column and
			// EL there erases exactly the tail.
			line += ansi.EraseLineRight
			newRow.erased = true
		}
		diff := ""
		if ok && had && !s.unsure {
			if d, dok := rowDiff(old, newRow); dok && len(d) < len(line) {
				diff, line = d, ""
			}
		}
		switch {
		case ok && !s.unsure:
			s.rows[k] = newRow
		case ok:
			delete(s.rows, k)
			s.unsure = !newRow.resets
		default:
			delete(s.rows, k)
			s.unsure = true
		}
		out.WriteString(lead)
		out.WriteString(diff)
		out.WriteString(line)
		if !last {
			out.WriteString("\r\n")
		}
	}
	if strings.HasPrefix(tail, ansi.EraseScreenBelow) {
		for k := range s.rows {
			if k >= len(lines) {
				delete(s.rows, k)
			}
		}
	}
	out.WriteString(tail)
	return []byte(out.String()), true
}

// repaint tells a frame the renderer draws whole, from a forgotten
// screen: its first line starts with CR. (A frame whose first line is
// merely empty, written without EL before the width is known, starts
// with CR LF.)
func repaint(body string) bool {
	return strings.HasPrefix(body, "\r") && !strings.HasPrefix(body, "\r\n")
}

// harmless is a write that leaves every cell as it was: notifications
// (BEL, OSC 9 and 777) and OSC 52.
func harmless(p []byte) bool {
	s := string(p)
	for s != "" {
		switch {
		case s[0] == '\a':
			s = s[1:]
		case strings.HasPrefix(s, "\x1b]"):
			end := strings.IndexAny(s[2:], "\a\x1b")
			if end < 0 {
				return false
			}
			end += 2
			if s[end] == '\a' {
				s = s[end+1:]
				continue
			}
			if !strings.HasPrefix(s[end:], "\x1b\\") {
				return false
			}
			s = s[end+2:]
		default:
			return false
		}
	}
	return true
}
