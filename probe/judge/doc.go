// Package judge answers "is Claude down, or is it me?": it fuses the
// official status with our own probes and the local checks into a
// Verdict (Judge), turns the stream of results into incidents of our own
// (Detector) and links them to Anthropic's (Correlate, Timeline).
//
// Imports: probe (vocabulary), catalogue (to name the problem in a
// headline). Nothing here does I/O.
//
// # The verdict, as decided today
//
// Judge weighs the last Window results of every target; results of class
// unknown ("not installed", "no key configured") count for nothing.
// "Provider" failures are overloaded, server and unexpected; "user"
// failures are auth, billing and rate limited (probe.Class).
//
// Overall:
//
//	no result and no status at all          → Unknown ("Checking… no data yet.")
//	newest data older than StaleAfter        → Stale is set; the kind is still decided below
//	the latest judged result of every HTTP
//	target (status, api, api_key, claude_ai)
//	is a network failure, and at least two
//	are judged                               → Your network, for every service with data
//	otherwise                                → the worst service verdict, in VerdictKind order
//	                                           (Outage worst, then Unacknowledged, Your
//	                                           network, Your credential, Your quota,
//	                                           Conflicting, Maintenance, Degraded,
//	                                           Operational, Unknown), with the facts of the
//	                                           services that have it, at most three
//
// Per service, the first row that holds (total = judged results of its
// targets; "failing" = more than half of them are provider failures;
// "bad" = the official component is in partial or major outage):
//
//	bad and failing                                   → Anthropic outage
//	failing, officially degraded or in maintenance    → Anthropic outage
//	failing                                           → Not yet acknowledged by Anthropic
//	on one target, user failures are at least half
//	of its judged results                             → Your credential (auth), else Your quota or billing
//	network failures are more than half of total      → Your network
//	bad, every judged result up (ok or slow), and
//	at least one from a target that reaches
//	Anthropic (not the Claude Code CLI)               → Conflicting signals
//	bad                                               → Anthropic outage
//	officially under maintenance                      → Maintenance
//	officially degraded, slow ≥ half, or any
//	provider failure                                  → Degraded
//	any judged result, or officially operational      → Operational
//	nothing                                           → Unknown
//
// Then the local checks and the evidence sharpen it (refineLocal):
//
//	Unknown, and the key format check fails          → Your credential, the check's text as headline
//	Operational / Degraded / Maintenance /
//	Conflicting, and Claude Code's own login is
//	missing or expired while no environment
//	credential stands in for it                      → Claude Code's service is Your credential;
//	                                                   so is the overall verdict if it was Operational
//	Your credential / Your quota                     → the headline names the catalogue entry of the
//	                                                   newest user failure and the credential's source;
//	                                                   facts: the failing request, the masked
//	                                                   credential, the key format problem
//	Your network                                     → the failing DNS or proxy check (else the newest
//	                                                   network failure) as cause and first fact
//	Anthropic outage                                 → "acknowledged on the status page", with the
//	                                                   first official incident's name
//	Not yet acknowledged                             → "while the status page shows no problem", and
//	                                                   the newest provider failure as evidence
//
// Facts are deduplicated and at most three.
//
// # Our own incidents
//
// The Detector counts, per target, consecutive failures of one side —
// Anthropic's (provider), yours (credential, quota, the local CLI) or the
// network — and opens an incident after FailThreshold of them (3), one per
// subject ("provider:api" for the API's two targets together,
// "yours:api_key", "network" when every HTTP target fails at the network
// level at once, which also absorbs open network incidents). A network
// failure of one host while others answer is Anthropic's when it is a
// timeout or reset, yours otherwise. An incident closes when every target
// that failed in it has had RecoverThreshold (2) results in a row that are
// not failures of its subject.
//
// Correlate links one of ours to the official incident or maintenance
// that names one of its components and overlaps it in time, widened by 30
// minutes; a real overlap beats one within the grace, then the one posted
// closest to our first failure. A network-wide incident is never linked.
package judge
