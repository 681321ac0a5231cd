package ui

import (
	"fmt"

	"downforai/probe"
)

// probeCell is our latest outcome: class word and symbol, HTTP code,
// latency; for Claude Code the CLI's own detail (version, not installed).
func probeCell(st *styles, r probe.Result) string {
	sym, tn := classLook(r.Class)
	if r.Target == probe.TargetCode {
		detail := probe.Line(r.Detail, colProbe)
		if detail == "" {
			detail = classWord(r.Class)
		}
		return st.tone[tn].Render(sym + " " + detail)
	}
	if r.HTTPStatus == 200 && r.Class.Failing() && r.Class != probe.ClassUnexpected {
		// A canary whose answer began well and failed in its stream:
		// "✖ overloaded 200" read as a 200 that was overloaded (live2).
		// The order it happened in, without a latency: a failed stream's
		// time is not the model's speed.
		return st.tone[tn].Render(sym + " 200, then " + streamFailure(r))
	}
	word := classWord(r.Class)
	_, gateway := probe.GatewayAnswer(r)
	switch {
	case gateway:
		word = "gateway" // the gateway at the API URL the user set, answering for itself: the banner's words
	case r.ErrorType == probe.ErrNotAnthropic:
		word = "intercepted" // a filter's, proxy's or portal's page, not the service's answer
	case r.ErrorType == probe.NetProxy:
		word = "proxy"
	}
	s := sym + " " + word
	if r.HTTPStatus != 0 {
		s += fmt.Sprintf(" %d", r.HTTPStatus)
	}
	if r.Latency() > 0 {
		s += " " + latency(r.Latency())
	}
	return st.tone[tn].Render(s)
}

// streamFailure is how a stream that began with 200 failed, in a word or
// two that fit the Our probe column: "stalled", "cut off", "overloaded".
func streamFailure(r probe.Result) string {
	switch r.ErrorType {
	case "stream_stalled":
		return "stalled"
	case "stream_incomplete":
		return "cut off"
	case "overloaded_error":
		return "overloaded"
	case "api_error":
		return "API error"
	case "rate_limit_error":
		return "rate limited"
	}
	return "error"
}
