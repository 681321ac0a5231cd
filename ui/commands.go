package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wrapCommands wraps s to w cells like wrap, except that each command in
// backticks (`downforai db salvage --db X --to NEW.db`) is set on lines of
// its own, indented, without the backticks: a command the user must copy
// is never broken inside a token. When it is wider than the screen it is
// broken between arguments only, each line but the last ending in " \",
// so that what is copied still runs in a shell. render styles each line.
func wrapCommands(s string, w int, render func(string) string) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	text := func(t string) {
		if t = strings.TrimSpace(t); t != "" {
			for _, l := range wrap(t, w) {
				out = append(out, render(l))
			}
		}
	}
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			break
		}
		before, cmd := s[:i], s[i+1:i+1+j]
		s = s[i+2+j:]
		// The sentence goes on around the command: "… read with:" above
		// it, "then move …" below.
		before = strings.TrimRight(before, " ")
		if before != "" && !strings.ContainsAny(before[len(before)-1:], ":.;,") {
			before += ":"
		}
		text(before)
		for _, l := range commandLines(cmd, w) {
			out = append(out, render(l))
		}
		s = strings.TrimLeft(s, " ,")
	}
	text(s)
	return out
}

// commandLines sets cmd on lines of at most w cells, indented by two
// (continuations by four), broken only between arguments (never inside
// single quotes), each line but the last ending in " \". A continuation
// too wide for its indent loses it; an argument wider than a whole line
// is cut there as a last resort.
func commandLines(cmd string, w int) []string {
	const more = " \\"
	args := shellFields(cmd)
	var lines [][]string
	for i, a := range args {
		tail := ""
		if i < len(args)-1 {
			tail = more
		}
		if n := len(lines); n > 0 {
			cur := lines[n-1]
			if ansi.StringWidth(cmdIndent(n-1)+strings.Join(append(cur, a), " ")+tail) <= w {
				lines[n-1] = append(cur, a)
				continue
			}
		}
		lines = append(lines, []string{a})
	}
	var out []string
	for i, l := range lines {
		s := strings.Join(l, " ")
		if i < len(lines)-1 {
			s += more
		}
		in := cmdIndent(i)
		if ansi.StringWidth(in+s) > w {
			in = ""
		}
		if ansi.StringWidth(in+s) <= w {
			out = append(out, in+s)
			continue
		}
		out = append(out, strings.Split(ansi.Hardwrap(s, w, false), "\n")...)
	}
	return out
}

// cmdIndent is the indent of a command's line i.
func cmdIndent(i int) string {
	if i == 0 {
		return "  "
	}
	return "    "
}

// shellFields splits a command at spaces outside single quotes.
func shellFields(cmd string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range cmd {
		switch {
		case r == '\'':
			quoted = !quoted
			cur.WriteRune(r)
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
