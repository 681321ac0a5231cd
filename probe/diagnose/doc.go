// Package diagnose answers "what is wrong, and how do I fix it?" from the
// evidence: one round of probes with the recent history, the official
// status and the local checks (Evidence, Gather).
//
// It decides three things and nothing else; the verdict itself is the
// judge's (judge.Judge), and the known problems are the catalogue's:
//
//   - Findings: which catalogue entries the evidence points at, the one
//     that explains the verdict first — failing probes among the last
//     judge.Window of each target, then local checks that found a problem,
//     then warnings;
//   - Diagnose: which entry a pasted error stands for, read from Claude
//     Code's, the SDKs', curl's or the API's own text (status, error type,
//     message, request id), and LiveSays: whether the live probes and local
//     checks confirm it right now;
//   - Report and Format: the Markdown report and `downforai diagnose`'s
//     text, every line redacted.
//
// Imports: probe (vocabulary), catalogue (entries), judge (the verdict).
package diagnose
