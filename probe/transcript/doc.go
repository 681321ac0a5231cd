// Package transcript follows Claude Code's session transcripts — the JSON
// lines it appends to $CLAUDE_CONFIG_DIR/projects/<project>/<session>.jsonl
// (default ~/.claude/projects) — and turns them into what a monitor needs:
// one probe.Result per API call Claude Code made (its status, class, error
// type, a short cleaned message, request id, retry attempt, whether it gave
// up) and the tokens each answer used, for the 5-hour usage window.
//
// The format is not an official API; it is described by third parties
// (reference/anthropic-formats.md §3.6) and changes between versions. The
// parser therefore keeps to a few fields, accepts another shape of any of
// them (a string where an object was, a number as text), and skips what it
// does not recognise instead of failing.
//
// What it keeps is deliberately little: never a prompt, tool input or
// output, file contents, a path or the working directory. The session id is
// kept only as a short hash; messages are cleaned of control characters,
// credentials and paths, and cut short.
package transcript
