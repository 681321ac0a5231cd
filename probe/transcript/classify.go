package transcript

// Classifying the errors Claude Code recorded, retried or showed, as our
// probes and a pasted error would be.

import (
	"bytes"
	"encoding/json"
	"strings"

	"downforai/probe"
	"downforai/probe/diagnose"
)

// retryErr is the error object of a retry record. Seen fields: status,
// message, requestID, headers, error (the API's error body), type, cause
// (for network failures), isNetworkDown.
type retryErr struct {
	Status    json.RawMessage `json:"status"`
	Message   json.RawMessage `json:"message"`
	RequestID json.RawMessage `json:"requestID"`
	Body      json.RawMessage `json:"error"`
	Cause     *struct {
		Code    json.RawMessage `json:"code"`
		Message json.RawMessage `json:"message"`
	} `json:"cause"`
	NetworkDown json.RawMessage `json:"isNetworkDown"`
}

// retryError fills res from a retry record's error (an object, or
// sometimes only a string) and content.
func retryError(res *probe.Result, raw, content json.RawMessage) {
	var e retryErr
	if json.Unmarshal(raw, &e) != nil {
		// Not an object: a bare message, or nothing at all.
		text := stringOf(raw)
		if text == "" {
			text = stringOf(content)
		}
		fromText(res, 0, text)
		return
	}
	status, _ := numberRaw(e.Status)
	msg := stringOf(e.Message)
	res.RequestID = firstNonEmpty(probe.Line(stringOf(e.RequestID), 100), res.RequestID)
	var code string
	if e.Cause != nil {
		code = stringOf(e.Cause.Code)
		if msg == "" {
			msg = stringOf(e.Cause.Message)
		}
	}
	if status == 0 && (code != "" || truthy(e.NetworkDown)) {
		res.Class, res.ErrorType = probe.ClassNetwork, netKind(code, msg)
		text := msg
		if code != "" && !strings.Contains(text, code) {
			text = strings.TrimSpace(code + " " + text)
		}
		res.Message = clean(firstNonEmpty(text, "network down"))
		return
	}
	if status == 0 {
		fromText(res, 0, firstNonEmpty(msg, stringOf(content)))
		return
	}
	res.HTTPStatus = status
	body := apiBody(e.Body)
	if body == nil && msg != "" && strings.Contains(msg, "{") {
		// Some versions put the API's body in the message as text.
		body = []byte(msg[strings.IndexByte(msg, '{'):])
	}
	if body == nil {
		fromText(res, status, msg)
		return
	}
	class, typ, apiMsg, rid := probe.ClassifyAPIError(status, body)
	if class == probe.ClassUnexpected || class == probe.ClassOK {
		// The body was not the API's: judge by the status Claude Code saw.
		fromText(res, status, firstNonEmpty(msg, apiMsg))
		return
	}
	res.Class, res.ErrorType = class, typ
	res.RequestID = firstNonEmpty(res.RequestID, rid)
	res.Message = clean(apiMsg)
}

// apiBody turns the error body a retry record carries into the API's
// {"type":"error","error":{…}} form for probe.ClassifyAPIError: it is
// either that already, or only its inner {"type","message"} object.
func apiBody(raw json.RawMessage) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var probeShape struct {
		Type  string          `json:"type"`
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &probeShape) != nil {
		return nil
	}
	if probeShape.Type == "error" || len(probeShape.Error) > 0 {
		return raw
	}
	return append(append([]byte(`{"type":"error","error":`), raw...), '}')
}

// finalError fills res from the error record Claude Code wrote when it gave
// up: apiErrorStatus, its own code ("rate_limit", "authentication_failed"
// …) and the text the user saw, which the catalogue reads as a pasted
// error would be.
func finalError(res *probe.Result, status int, code string, raw json.RawMessage, text string) {
	if code == "" && len(raw) > 0 && raw[0] == '{' {
		// Some records carry the retry shape here instead of a code.
		var e retryErr
		if json.Unmarshal(raw, &e) == nil {
			if s, ok := numberRaw(e.Status); ok && status == 0 {
				status = s
			}
			text = firstNonEmpty(text, stringOf(e.Message))
		}
	}
	if !fromText(res, status, text) {
		res.Class = classOfCode(code)
	}
	if res.ErrorType == "" {
		res.ErrorType = probe.Line(code, 40)
	}
}

// fromText classifies error text the way a pasted error is: the catalogue
// entry's class when one matches, else by status. It reports false when
// neither said anything (the class is then ClassUnexpected).
func fromText(res *probe.Result, status int, text string) bool {
	d := diagnose.Diagnose(text)
	if status == 0 {
		status = d.Status
	}
	res.HTTPStatus = status
	res.ErrorType = d.ErrorType
	res.RequestID = firstNonEmpty(res.RequestID, d.RequestID)
	res.Message = clean(firstNonEmpty(d.Message, text)) // the API's message, when the text carries its body
	if d.Entry != nil && d.Entry.Class != probe.ClassUnknown {
		res.Class = d.Entry.Class
		return true
	}
	res.Class = classOfStatus(status)
	return status != 0
}

// classOfStatus is the class of an HTTP status Claude Code got from the
// API (or the gateway it was pointed at).
func classOfStatus(status int) probe.Class {
	switch {
	case status == 529:
		return probe.ClassOverloaded
	case status == 429:
		return probe.ClassRateLimited
	case status == 401 || status == 403:
		return probe.ClassAuth
	case status == 402:
		return probe.ClassBilling
	case status >= 500:
		return probe.ClassServer
	}
	return probe.ClassUnexpected
}

// classOfCode maps Claude Code's own error codes to classes, for records
// with no status and no text that says more.
func classOfCode(code string) probe.Class {
	switch code {
	case "rate_limit":
		return probe.ClassRateLimited
	case "authentication_failed", "oauth_org_not_allowed":
		return probe.ClassAuth
	case "billing_error":
		return probe.ClassBilling
	case "overloaded":
		return probe.ClassOverloaded
	case "server_error":
		return probe.ClassServer
	case "connection_error", "network_error":
		return probe.ClassNetwork
	}
	return probe.ClassUnexpected
}

// netKind is the probe's network kind for a Node or Bun error code.
func netKind(code, msg string) string {
	s := strings.ToLower(code + " " + msg)
	switch {
	case strings.Contains(s, "enotfound") || strings.Contains(s, "eai_again") || strings.Contains(s, "dns"):
		return probe.NetDNS
	case strings.Contains(s, "refused"):
		return probe.NetRefused
	case strings.Contains(s, "reset") || strings.Contains(s, "socket hang up") || strings.Contains(s, "epipe"):
		return probe.NetReset
	case strings.Contains(s, "timedout") || strings.Contains(s, "timeout") || strings.Contains(s, "timed out"):
		return probe.NetTimeout
	case strings.Contains(s, "cert") || strings.Contains(s, "ssl") || strings.Contains(s, "tls"):
		return probe.NetTLS
	case strings.Contains(s, "proxy"):
		return probe.NetProxy
	}
	return probe.NetConnect
}
