package probe

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// StatusProber reads the official status page, Statuspage v2's
// summary.json. Its Result judges the fetch (could we read the page?), not
// Anthropic's health: that is in the Status it returns.
type StatusProber struct {
	HTTP      *HTTPProber
	BaseURL   string        // e.g. https://status.claude.com
	Timeout   time.Duration // hard limit per fetch; 0 keeps the caller's deadline
	SlowAfter time.Duration // latency budget; 0 means DefaultSlowAfter, < 0 never slow
	// IncidentsEvery is how often ProbeOfficial reads the incident and
	// maintenance lists; 0 means DefaultIncidentsEvery.
	IncidentsEvery time.Duration
	// PageID is the Statuspage page id the page must carry to count as
	// Claude's; "" means DefaultPageID (--status-page-id for a mirror).
	PageID string

	mu       sync.Mutex
	etag     string  // of the last good answer
	cached   *Status // parsed from that answer
	official officialState
}

// DefaultPageID is the page id of Claude's status page, status.claude.com.
const DefaultPageID = "tymt9n04zgry"

// ErrForeignPage is the ErrorType of a status page that answered with
// another page than the one expected; the Result's Detail names it.
const ErrForeignPage = "foreign_page"

// NewStatusProber reads {baseURL}/api/v2/summary.json with hp.
func NewStatusProber(baseURL string, hp *HTTPProber) *StatusProber {
	return &StatusProber{HTTP: hp, BaseURL: baseURL}
}

// SummaryURL is the summary.json URL under the base URL.
func (p *StatusProber) SummaryURL() string {
	return strings.TrimRight(p.BaseURL, "/") + "/api/v2/summary.json"
}

// Probe fetches summary.json once, with If-None-Match when an earlier answer
// carried an ETag. It returns the Status read (the cached one on 304, with
// Fetched updated), or nil when the page could not be read.
func (p *StatusProber) Probe(ctx context.Context) (Result, *Status) {
	res := Result{Target: TargetStatus, Time: time.Now()}
	ctx, cancel, timeout := probeContext(ctx, p.Timeout)
	defer cancel()

	p.mu.Lock()
	etag, cached := p.etag, p.cached
	p.mu.Unlock()
	h := http.Header{"Accept": {"application/json"}}
	if etag != "" && cached != nil {
		h.Set("If-None-Match", etag)
	}
	u := p.SummaryURL()
	r := p.HTTP.Get(ctx, u, h)
	res.HTTPStatus = r.Status
	res.Phases = r.Phases
	if r.Err != nil {
		transportResult(ctx, &res, r.Err, hostOf(u), timeout)
		return res, nil
	}

	switch {
	case r.Status == http.StatusNotModified && cached != nil:
		st := *cached
		st.Fetched = res.Time
		st.stampSeen()
		p.mu.Lock()
		p.cached = &st
		p.mu.Unlock()
		res.Detail = st.Indicator
		res.Class, res.Message = slowOrOK(res.Phases.Total, p.SlowAfter, Line("unchanged (304): "+st.Description, 200))
		return res, &st
	case r.Status == http.StatusTooManyRequests:
		res.Class, res.ErrorType = ClassRateLimited, "rate_limited"
		res.RateLimit = ParseRateLimit(r.Header)
		res.Message = "status page answered " + StatusText(r.Status) + " (polling too often?)"
		return res, nil
	case r.Status >= 500:
		res.Class, res.ErrorType = ClassServer, StatusErrorType(r.Status)
		res.Message = "status page answered " + StatusText(r.Status) + htmlNote(r.Body)
		return res, nil
	case r.Status != http.StatusOK:
		res.Class, res.ErrorType = ClassUnexpected, StatusErrorType(r.Status)
		res.Message = "status page answered " + StatusText(r.Status) + htmlNote(r.Body)
		return res, nil
	}

	if r.Truncated {
		res.Class, res.ErrorType = ClassUnexpected, "too_large"
		res.Message = fmt.Sprintf("status page answered 200 with more than %d bytes, not status JSON", len(r.Body))
		return res, nil
	}
	st, err := ParseSummary(r.Body)
	if err != nil {
		res.Class = ClassUnexpected
		switch {
		case errors.Is(err, ErrHTML):
			res.ErrorType = "html"
		case errors.Is(err, ErrNotJSON):
			res.ErrorType = "not_json"
		default:
			res.ErrorType = "wrong_shape"
		}
		res.Message = Line("status page answered 200 with "+err.Error(), 200)
		return res, nil
	}
	if want := cmp.Or(p.PageID, DefaultPageID); st.PageID != "" && st.PageID != want {
		// Another company's page (a wrong --status-url): nothing on it is
		// about Claude, so none of it is kept.
		res.Class, res.ErrorType = ClassUnexpected, ErrForeignPage
		res.Detail = cmp.Or(st.PageName, st.PageID)
		res.Message = Line(fmt.Sprintf("not Claude's status page: %s (page %s, want %s)", res.Detail, st.PageID, want), 200)
		return res, nil
	}
	st.Fetched = res.Time
	stampFirstRead(st.Incidents, st.Fetched)
	stampFirstRead(st.Maintenances, st.Fetched)
	if cached != nil {
		stampNotListed(st.Incidents, cached.Incidents, cached.Fetched)
		stampNotListed(st.Maintenances, cached.Maintenances, cached.Fetched)
	}
	p.mu.Lock()
	p.etag, p.cached = r.Header.Get("ETag"), &st
	p.mu.Unlock()
	res.Detail = st.Indicator
	msg := st.Description
	switch {
	case msg == "" && st.Indicator == "":
		msg = fmt.Sprintf("read: %d components, no overall status on the page", len(st.Components))
	case msg == "":
		msg = "indicator " + st.Indicator
	}
	if n := len(st.Incidents); n > 0 {
		msg += fmt.Sprintf(" (%d open incident%s)", n, Plural(n))
	}
	res.Class, res.Message = slowOrOK(res.Phases.Total, p.SlowAfter, Line(msg, 200))
	out := st
	out.stampSeen()
	return res, &out
}

// stampFirstRead marks, in place, the incidents a read had first at when
// no earlier read is known: the list is fresh from parsing.
func stampFirstRead(list []Incident, at time.Time) {
	for i := range list {
		if list[i].FirstRead.IsZero() {
			list[i].FirstRead = at
		}
	}
}

// stampNotListed marks, in place, what our reads know of when the
// incidents of a fresh read were first listed: one the previous good read,
// at prevAt, did not list has NotListed prevAt (the newest read known not
// to show it); one it did list keeps that copy's FirstRead and NotListed.
func stampNotListed(list, prev []Incident, prevAt time.Time) {
	had := make(map[string]Incident, len(prev))
	for _, in := range prev {
		had[in.ID] = in
	}
	for i := range list {
		old, ok := had[list[i].ID]
		switch {
		case !ok:
			if list[i].NotListed.IsZero() {
				list[i].NotListed = prevAt
			}
		case !old.FirstRead.IsZero() && old.FirstRead.Before(list[i].FirstRead):
			list[i].FirstRead, list[i].NotListed = old.FirstRead, old.NotListed
		}
	}
}

// stampSeen marks every incident and maintenance the read lists as seen
// open at Fetched, on copies: the cached Status shares its slices.
func (s *Status) stampSeen() {
	stamp := func(list []Incident) []Incident {
		if list == nil {
			return nil
		}
		out := make([]Incident, len(list))
		for i, in := range list {
			in.Seen, in.Unlisted = s.Fetched, time.Time{}
			out[i] = in
		}
		return out
	}
	s.Incidents, s.Maintenances = stamp(s.Incidents), stamp(s.Maintenances)
}

// htmlNote names an HTML body in a probe's message: a browser challenge
// only when the page carries a challenge's marks, else just a page.
func htmlNote(body []byte) string {
	if looksHTML(body) {
		return ", " + htmlWhat(body)
	}
	return ""
}

// htmlWhat is "an HTML page", or "a browser challenge page" when the body
// shows it is one (Cloudflare's interstitial, a captcha): an error page of a
// server or a proxy is not called a challenge.
func htmlWhat(body []byte) string {
	if looksChallenge(body) {
		return "a browser challenge page"
	}
	return "an HTML page"
}

// looksChallenge reports whether an HTML body is a bot challenge: the
// marks Cloudflare's managed challenge and the common captchas leave.
func looksChallenge(body []byte) bool {
	for _, mark := range challengeMarks {
		if bytes.Contains(body, mark) {
			return true
		}
	}
	return false
}

var challengeMarks = [][]byte{
	[]byte("Just a moment..."), []byte("_cf_chl_opt"), []byte("challenge-platform"),
	[]byte("cf-chl-"), []byte("Attention Required!"), []byte("g-recaptcha"), []byte("h-captcha"),
}

// htmlError is ParseSummary's and ParseIncidentList's error for an HTML
// body: ErrHTML, saying a challenge when the page is one.
func htmlError(body []byte) error {
	if looksChallenge(body) {
		return fmt.Errorf("%w (a browser challenge)", ErrHTML)
	}
	return ErrHTML
}

// Errors ParseSummary wraps, for callers and tests that branch on the cause.
var (
	ErrNotJSON    = errors.New("a body that is not JSON")
	ErrHTML       = errors.New("an HTML page, not status JSON")
	ErrWrongShape = errors.New("JSON of the wrong shape")
)

// ParseSummary decodes a Statuspage v2 summary.json leniently: unknown
// fields are ignored, missing and null ones stay zero, a field of the wrong
// type is dropped. It fails only when the body is not a summary at all — not
// JSON, HTML, or JSON without a components array (a page without its overall status object is read for its components and incidents) — so an
// HTML challenge served with 200 never passes for "operational". Every string
// is sanitised (incident bodies keep their line breaks). Fetched is left
// zero.
func ParseSummary(body []byte) (Status, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if looksHTML(trimmed) {
		return Status{}, htmlError(trimmed)
	}
	var raw struct {
		Page struct {
			ID        jString `json:"id"`
			Name      jString `json:"name"`
			UpdatedAt jTime   `json:"updated_at"`
		} `json:"page"`
		Status *struct {
			Indicator   jString `json:"indicator"`
			Description jString `json:"description"`
		} `json:"status"`
		Components   *jList[rawComponent] `json:"components"`
		Incidents    jList[rawIncident]   `json:"incidents"`
		Maintenances jList[rawIncident]   `json:"scheduled_maintenances"`
	}
	// A wrong-typed "page" or "status" must not fail the whole decode; the
	// lenient types below swallow their own mismatches, and the top level
	// is checked first.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &top); err != nil {
		var v any
		if json.Unmarshal(trimmed, &v) == nil {
			return Status{}, fmt.Errorf("%w (not an object)", ErrWrongShape)
		}
		return Status{}, ErrNotJSON
	}
	if len(top["page"]) > 0 {
		_ = json.Unmarshal(top["page"], &raw.Page)
	}
	if isObject(top["status"]) {
		_ = json.Unmarshal(top["status"], &raw.Status)
	}
	for key, dst := range map[string]any{
		"components":             &raw.Components,
		"incidents":              &raw.Incidents,
		"scheduled_maintenances": &raw.Maintenances,
	} {
		if len(top[key]) > 0 {
			_ = json.Unmarshal(top[key], dst)
		}
	}
	// A page without its overall status still serves what matters: the
	// components (by id) and the incidents. Without components it is not
	// a summary.
	if raw.Components == nil || raw.Components.null {
		return Status{}, fmt.Errorf("%w (no components array)", ErrWrongShape)
	}

	st := Status{
		UpdatedAt: raw.Page.UpdatedAt.t,
		PageID:    Sanitize(string(raw.Page.ID), false),
		PageName:  pageText(string(raw.Page.Name), false),
	}
	if raw.Status != nil {
		st.Indicator = Sanitize(string(raw.Status.Indicator), false)
		st.Description = pageText(string(raw.Status.Description), false)
	}
	st.Components = make([]Component, 0, len(raw.Components.items))
	for _, c := range raw.Components.items {
		st.Components = append(st.Components, Component{
			ID:       Sanitize(string(c.ID), false),
			Name:     pageText(string(c.Name), false),
			Status:   ComponentStatus(Sanitize(string(c.Status), false)),
			Position: int(c.Position),
			Group:    bool(c.Group),
			GroupID:  Sanitize(string(c.GroupID), false),
		})
	}
	for _, in := range raw.Incidents.items {
		st.Incidents = append(st.Incidents, in.incident())
	}
	for _, in := range raw.Maintenances.items {
		st.Maintenances = append(st.Maintenances, in.incident())
	}
	return st, nil
}

type rawComponent struct {
	ID       jString `json:"id"`
	Name     jString `json:"name"`
	Status   jString `json:"status"`
	Position jInt    `json:"position"`
	Group    jBool   `json:"group"`
	GroupID  jString `json:"group_id"`
}

type rawIncident struct {
	ID             jString `json:"id"`
	Name           jString `json:"name"`
	Status         jString `json:"status"`
	Impact         jString `json:"impact"`
	Shortlink      jString `json:"shortlink"`
	CreatedAt      jTime   `json:"created_at"`
	StartedAt      jTime   `json:"started_at"`
	UpdatedAt      jTime   `json:"updated_at"`
	ResolvedAt     jTime   `json:"resolved_at"`
	ScheduledFor   jTime   `json:"scheduled_for"`
	ScheduledUntil jTime   `json:"scheduled_until"`
	Components     jList[struct {
		ID jString `json:"id"`
	}] `json:"components"`
	Updates jList[struct {
		ID                 jString `json:"id"`
		Status             jString `json:"status"`
		Body               jString `json:"body"`
		CreatedAt          jTime   `json:"created_at"`
		DisplayAt          jTime   `json:"display_at"`
		AffectedComponents jList[struct {
			Code jString `json:"code"`
		}] `json:"affected_components"`
	}] `json:"incident_updates"`
}

// pageText is a status page's free text (a name, a description, an
// update's words) as we keep and show it: cleaned like every remote
// string, and with any credential in it masked. A page is somebody
// else's words: an incident titled with a key pasted by mistake (or by a
// hostile mirror) showed the whole key on the Incidents tab and in
// report, where an API error body's copy of it was masked (cold6 E2).
func pageText(s string, multiline bool) string {
	return RedactEnv(Sanitize(s, multiline))
}

func (r rawIncident) incident() Incident {
	in := Incident{
		ID:             Sanitize(string(r.ID), false),
		Name:           pageText(string(r.Name), false),
		Status:         Sanitize(string(r.Status), false),
		Impact:         Sanitize(string(r.Impact), false),
		Shortlink:      Sanitize(string(r.Shortlink), false),
		CreatedAt:      r.CreatedAt.t,
		StartedAt:      r.StartedAt.t,
		UpdatedAt:      r.UpdatedAt.t,
		ResolvedAt:     r.ResolvedAt.t,
		ScheduledFor:   r.ScheduledFor.t,
		ScheduledUntil: r.ScheduledUntil.t,
	}
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			in.Components = append(in.Components, id)
		}
	}
	for _, u := range r.Updates.items {
		iu := IncidentUpdate{
			ID:     Sanitize(string(u.ID), false),
			Status: Sanitize(string(u.Status), false),
			Body:   pageText(string(u.Body), true),
			At:     u.DisplayAt.t,
		}
		if iu.At.IsZero() {
			iu.At = u.CreatedAt.t
		}
		for _, c := range u.AffectedComponents.items {
			id := Sanitize(string(c.Code), false)
			if id != "" {
				iu.Components = append(iu.Components, id)
			}
			add(id)
		}
		in.Updates = append(in.Updates, iu)
	}
	for _, c := range r.Components.items {
		add(Sanitize(string(c.ID), false))
	}
	in.adoptSaid() // one copy whose status lags its own newest update
	return in
}

func isObject(b json.RawMessage) bool {
	return bytes.HasPrefix(bytes.TrimSpace(b), []byte("{"))
}
