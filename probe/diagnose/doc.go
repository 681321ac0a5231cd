// Package diagnose answers "what is wrong, and how do I fix it?" from the
// evidence: one round of probes with the recent history, the official
// status and the local checks (Evidence, Gather).
//
// It decides these things and nothing else; the verdict itself is the
// judge's (judge.Judge), and the known problems are the catalogue's:
//
//   - Findings: which catalogue entries the evidence points at, the one
//     that explains the verdict first — failing probes among the last
//     judge.Window of each target, then local checks that found a problem,
//     then warnings; never an entry the live evidence contradicts, nor a
//     failure a newer healthy answer overtook;
//   - Diagnose: which entry a pasted error stands for (catalogue.Read and
//     catalogue.Find, on the last "API Error" of a Claude Code screen),
//     with what was read of it (status, error type, message, request id);
//   - LiveFor: whether the live probes and local checks confirm it or
//     contradict it right now, and Disagreement: the sentence saying so
//     when the paste and the live state disagree;
//   - FAQLive: what the live evidence says for each FAQ question;
//   - Report, Format, FormatEntry, FormatFAQ and JSON: the Markdown
//     report, `downforai diagnose`'s text and --json object, and `faq`,
//     every line redacted.
//
// Imports: probe (vocabulary), catalogue (entries), judge (the verdict).
package diagnose
