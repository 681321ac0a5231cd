// Package catalogue is what downforai knows about Claude's problems: one
// Entry per known problem, in a Group (Anthropic's side, your credential,
// your quota, your network, your request, Claude Code) — what it is, whose
// side it usually lies on, its error signatures (the exact strings the
// API, the SDKs, Claude Code, curl and proxies print), its common causes,
// the fix in order, and which live probe or local check confirms it — and
// the FAQ, each question naming the entries and the live facts it ends on.
//
// It decides which entry a thing stands for, and nothing about the present:
//
//   - Read: pasted text → Clues. The paste is normalised first (JSON and
//     JSON inside JSON strings unescaped, \u003e and HTML entities
//     decoded, quotes straightened, Claude Code's ⎿ and retry lines,
//     Python reprs, SSE frames, curl -v and text wrapped mid-word all
//     read alike) and taken apart: HTTP statuses, Anthropic's error types
//     and foreign ones, the message, the request id, an HTML title, the
//     hosts it was sent to, and whose error it is (Cloudflare's page for
//     api.anthropic.com, a gateway relaying another body, a local access
//     log).
//   - Find: Clues → Match. Every entry scores on its signatures (exact,
//     whitespace and case free), error codes (whole words) and looser
//     patterns; an agreeing status or error type adds, a contradicting
//     one takes away; the structural rules (whose page, whose body, where
//     the request went) weigh most; the error type alone, then a status
//     that means one thing, are the last resort. The most specific wins,
//     Match says what matched and how sure it is, and false means nothing
//     honestly fits.
//   - MatchResult: a failing probe result → entry;
//   - ForCheck: what a local check found (id, class, cause) → entry.
//
// Whether the entry holds right now is for judge and diagnose, which
// import it. The catalogue imports only probe: it is a leaf.
package catalogue
