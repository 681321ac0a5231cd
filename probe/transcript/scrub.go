package transcript

// What is kept of error text: credentials masked, paths replaced, cut short.

import (
	"strings"

	"downforai/probe"
	"downforai/probe/lazyre"
)

// rePath matches what looks like a file path: /home/…, ~/…, C:\…. Error
// text rarely holds one, but a monitor has no business keeping it.
var rePath = lazyre.New(`(?:~|[A-Za-z]:)?(?:[/\\][\w.@+-]+){2,}[/\\]?`)

// reURL keeps URLs out of rePath's way: "https://status.claude.com" is
// useful and names no file.
var reURL = lazyre.New(`[a-z][a-z0-9+.-]*://[^\s"'<>]+`)

// clean makes error text fit to keep: credentials masked, paths replaced,
// one line, cut short.
func clean(s string) string {
	return probe.Line(scrubPaths(probe.Redact(s)), maxMessage)
}

// scrubPaths replaces file paths with "…", leaving URLs alone.
func scrubPaths(s string) string {
	paths := rePath.FindAllStringIndex(s, -1)
	if paths == nil {
		return s
	}
	urls := reURL.FindAllStringIndex(s, -1)
	var b strings.Builder
	last := 0
	for _, p := range paths {
		inURL := false
		for _, u := range urls {
			if p[0] < u[1] && u[0] < p[1] {
				inURL = true
				break
			}
		}
		if inURL {
			continue
		}
		b.WriteString(s[last:p[0]])
		b.WriteString("…")
		last = p[1]
	}
	b.WriteString(s[last:])
	return b.String()
}
