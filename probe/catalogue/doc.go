// Package catalogue is what downforai knows about Claude's problems: one
// Entry per known problem — what it is, whose side it usually lies on, how
// it shows itself (HTTP statuses, Anthropic error types, the exact strings
// the API, the SDKs, Claude Code and curl print), its causes, the fix in
// order, and which live probe or local check confirms it.
//
// It decides which entry a thing stands for, and nothing about the present:
//
//   - Match: error text (lower case) → entry, by signature, then fragment,
//     then error type and status as tie-breakers; an error type or status
//     alone where it means one thing;
//   - MatchResult: a failing probe result → entry;
//   - ForCheck: what a local check found (id, class, cause) → entry.
//
// Whether the entry holds right now is for judge and diagnose, which
// import it. The catalogue imports only probe: it is a leaf.
package catalogue
