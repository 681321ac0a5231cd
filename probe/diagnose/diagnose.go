package diagnose

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/judge"
)

// Diagnosis is what Diagnose made of a piece of error text.
type Diagnosis struct {
	// Entry is the matching catalogue entry; nil means no known signature.
	Entry *catalogue.Entry
	// Matched says what decided it: the signature or fragment found, or
	// "HTTP 529" / "error type overloaded_error" when only those were known.
	Matched string
	// What could be read from the text; zero when absent.
	Status    int
	ErrorType string
	Message   string
	RequestID string
	// Text is the input, redacted and on one line, for echoing back.
	Text string
}

// Known reports whether a catalogue entry matched.
func (d Diagnosis) Known() bool { return d.Entry != nil }

// Read is what could be read from the text, for a "read:" line — HTTP
// status, error type, message (through quote) and request id, those
// present, in that order, joined by " · "; "" when nothing was read.
func (d Diagnosis) Read(quote func(string) string) string {
	var read []string
	if d.Status != 0 {
		read = append(read, fmt.Sprintf("HTTP %d", d.Status))
	}
	if d.ErrorType != "" {
		read = append(read, d.ErrorType)
	}
	if d.Message != "" {
		read = append(read, quote(d.Message))
	}
	if d.RequestID != "" {
		read = append(read, "request-id "+d.RequestID)
	}
	return strings.Join(read, " · ")
}

// maxDiagnoseInput bounds the text Diagnose reads: an error, not a log file.
const maxDiagnoseInput = 64 << 10

var (
	reRequestID = regexp.MustCompile(`\breq_[A-Za-z0-9]{8,}`)
	reStatus    = []*regexp.Regexp{
		regexp.MustCompile(`(?i)API Error:?\s*\(?\s*(\d{3})\b`),
		regexp.MustCompile(`(?i)Error code:\s*(\d{3})\b`),
		regexp.MustCompile(`(?i)\bHTTP/[0-9.]+\s+(\d{3})\b`),
		regexp.MustCompile(`(?i)\bstatus(?:\s*code)?\s*[:=]?\s*(\d{3})\b`),
		regexp.MustCompile(`(?i)\bRequest rejected \((\d{3})\)`),
		regexp.MustCompile(`(?i)\bHTTP (?:code |error )?(\d{3})\b`),
		regexp.MustCompile(`(?i)(?:Error|Exception):\s*(\d{3})\s+[{A-Za-z]`),
		regexp.MustCompile(`^\s*(\d{3})\s+[{A-Z]`),
		regexp.MustCompile(`(?i)\b(\d{3})\s+Overloaded`),
	}
	reType = regexp.MustCompile(`['"]type['"]\s*:\s*['"]([a-z_]+)['"]`)
	reMsg  = regexp.MustCompile(`['"]message['"]\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')`)
)

// Diagnose matches error text — from Claude Code, an SDK, curl, an API
// JSON body — against the catalogue. Exact signatures weigh most, then
// looser fragments, with Anthropic's error type and the HTTP status as
// tie-breakers; when no phrase is known, the error type or the status alone
// decides where it is unambiguous (401, 403, 429, 529, 5xx …). Text nothing
// matches gets a Diagnosis without Entry: "no known signature".
func Diagnose(text string) Diagnosis {
	if len(text) > maxDiagnoseInput {
		text = text[:maxDiagnoseInput]
	}
	text = probe.Redact(text)
	d := Diagnosis{Text: probe.Line(text, 500)}
	d.Status, d.ErrorType, d.Message, d.RequestID = parseErrorText(text)
	d.Entry, d.Matched = catalogue.Match(strings.ToLower(probe.Sanitize(text, false)), d.Status, d.ErrorType)
	return d
}

// parseErrorText pulls the HTTP status, Anthropic's error type and message
// and a request id out of free text: a JSON body (also Python's repr of
// one), "API Error: 529 …", "Error code: 401 - …", "HTTP/2 429".
func parseErrorText(text string) (status int, errType, message, requestID string) {
	if i := strings.IndexByte(text, '{'); i >= 0 {
		if j := strings.LastIndexByte(text, '}'); j > i {
			if e, ok := probe.ParseAPIError([]byte(text[i : j+1])); ok {
				errType, message, requestID = e.Type, e.Message, e.RequestID
			}
		}
	}
	if errType == "" {
		for _, m := range reType.FindAllStringSubmatch(text, -1) {
			if m[1] != "error" {
				errType = m[1]
			}
		}
	}
	if message == "" {
		if m := reMsg.FindStringSubmatch(text); m != nil {
			message = m[1] + m[2]
			if s, err := strconv.Unquote(`"` + m[1] + `"`); err == nil && m[1] != "" {
				message = s
			}
		}
	}
	if requestID == "" {
		requestID = reRequestID.FindString(text)
	}
	for _, re := range reStatus {
		if m := re.FindStringSubmatch(text); m != nil {
			if n, _ := strconv.Atoi(m[1]); n >= 400 && n <= 599 {
				status = n
				break
			}
		}
	}
	if status == 0 {
		status = statusOfType(errType)
	}
	return status, probe.Line(errType, 60), probe.Line(message, 300), probe.Line(requestID, 100)
}

// statusOfType is the status Anthropic sends with an error type (§2.1).
func statusOfType(t string) int {
	switch t {
	case "invalid_request_error":
		return 400
	case "authentication_error":
		return 401
	case "billing_error":
		return 402
	case "permission_error":
		return 403
	case "not_found_error":
		return 404
	case "request_too_large":
		return 413
	case "rate_limit_error":
		return 429
	case "api_error":
		return 500
	case "timeout_error":
		return 504
	case "overloaded_error":
		return 529
	}
	return 0
}

// LiveSays is what the live probes and local checks say right now about
// entry e: do they confirm it, contradict it, or not know. With e nil it
// gives only the live verdict. The sentences are for people: "Anthropic is
// overloaded: 4 of the last 5 API probes got 529".
func LiveSays(e *catalogue.Entry, in judge.Input) []string {
	var out []string
	v := judge.Judge(in)
	if e != nil {
		out = append(out, liveProbes(e, in)...)
		if in.Local != nil {
			for _, c := range in.Local.Checks {
				if slices.Contains(e.Locals, c.ID) && c.Level >= probe.LocalWarn {
					out = append(out, "Local check, "+c.Name+": "+c.Text)
				}
			}
		}
	}
	out = append(out, "Live verdict: "+v.Headline)
	return out
}

func liveProbes(e *catalogue.Entry, in judge.Input) []string {
	if len(e.Targets) == 0 {
		return nil
	}
	// healthy counts the results that speak against the entry: for an
	// Anthropic-side problem any normal answer (a 401 included: Anthropic
	// answered), for a network problem any answer at all, for the user's
	// own problems only success.
	healthy := func(r probe.Result) bool {
		switch e.Side {
		case catalogue.SideAnthropic:
			return !r.Class.ProviderSide() && r.Class != probe.ClassNetwork
		case catalogue.SideNetwork:
			return r.Class != probe.ClassNetwork
		}
		return r.Class.Up()
	}
	var seen, same, good int
	var sample probe.Result
	targets := map[probe.Target]bool{}
	keyWorks := false
	for _, t := range e.Targets {
		rs := in.Recent[t]
		if len(rs) > judge.Window {
			rs = rs[len(rs)-judge.Window:]
		}
		for _, r := range rs {
			if r.Class == probe.ClassUnknown && !(t == probe.TargetCode && r.Detail == "not installed") {
				continue
			}
			seen++
			if m, ok := catalogue.MatchResult(r); ok && m.ID == e.ID {
				same++
				targets[t] = true
				sample = r
			} else if healthy(r) {
				good++
				keyWorks = keyWorks || (t == probe.TargetAPIKey && r.Class.Up())
			}
		}
	}
	noun := "probes"
	if len(targets) == 1 {
		for t := range targets {
			noun = nounFor(t)
		}
	}
	switch {
	case seen == 0:
		return []string{"No live probe speaks to this yet (" + e.Confirm + ")."}
	case same > 0:
		lead := "Confirmed from here"
		switch {
		case e.ID == catalogue.EntryOverloaded:
			lead = "Anthropic is overloaded"
		case e.Side == catalogue.SideAnthropic:
			lead = "Anthropic is failing"
		case e.Side == catalogue.SideNetwork:
			lead = "The network fails from here too"
		}
		return []string{fmt.Sprintf("%s: %d of the last %d %s got %s.", lead, same, seen, noun, describeResult(sample))}
	case good == seen:
		switch e.Side {
		case catalogue.SideAnthropic:
			return []string{fmt.Sprintf("The API answers normally from here (%d of the last %d probes): the error was likely brief, or is on your side.", good, seen)}
		case catalogue.SideNetwork:
			return []string{fmt.Sprintf("Anthropic answers from here (%d of the last %d probes): the failing program takes another path (proxy, VPN, container network).", good, seen)}
		}
		if keyWorks {
			return []string{fmt.Sprintf("The key downforai probes with works (%d of the last %d probes healthy): the failing program uses another credential or environment.", good, seen)}
		}
		return []string{fmt.Sprintf("The API answers fine from here (%d of the last %d probes healthy): the problem is on your side.", good, seen)}
	}
	return []string{fmt.Sprintf("The live probes show other trouble (%d of the last %d healthy for this): see the verdict.", good, seen)}
}

// describeResult is "529 overloaded_error" or "dns failure".
func describeResult(r probe.Result) string {
	switch {
	case r.HTTPStatus != 0 && r.ErrorType != "":
		return fmt.Sprintf("%d %s", r.HTTPStatus, r.ErrorType)
	case r.HTTPStatus != 0:
		return probe.StatusText(r.HTTPStatus)
	case r.ErrorType != "":
		return r.ErrorType + " failures"
	}
	return r.Class.String()
}

func nounFor(t probe.Target) string {
	switch t {
	case probe.TargetAPI:
		return "API probes"
	case probe.TargetAPIKey:
		return "API probes with your key"
	case probe.TargetClaudeAI:
		return "claude.ai probes"
	case probe.TargetStatus:
		return "status page reads"
	case probe.TargetCode:
		return "Claude Code checks"
	}
	return string(t) + " probes"
}
