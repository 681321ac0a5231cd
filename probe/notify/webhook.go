package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"downforai/probe"
)

// Webhook POSTs each notification as JSON: Slack's {"text"} to a Slack
// incoming-webhook URL, Discord's {"content"} to a Discord webhook URL, and
// downforai's own shape (GenericPayload) to anything else. It retries
// network failures, 429 and 5xx answers with a growing pause.
type Webhook struct {
	URL      string
	Client   *http.Client  // nil: a client with Timeout
	Timeout  time.Duration // per attempt; 0: 10s
	Attempts int           // 0: 3
	// Backoff is the pause before attempt i+1 (i from 1); nil: i seconds.
	Backoff func(i int) time.Duration
}

// Flavour is the payload shape a webhook URL gets.
type Flavour int

// The payload shapes.
const (
	Generic Flavour = iota
	Slack
	Discord
)

// FlavourOf picks the payload by URL: hooks.slack.com, discord.com or
// discordapp.com /api/webhooks/, else generic.
func FlavourOf(u string) Flavour {
	p, err := url.Parse(u)
	if err != nil {
		return Generic
	}
	host := strings.ToLower(p.Hostname())
	switch {
	case host == "hooks.slack.com":
		return Slack
	case (host == "discord.com" || host == "discordapp.com" || strings.HasSuffix(host, ".discord.com")) &&
		strings.HasPrefix(p.Path, "/api/webhooks/"):
		return Discord
	}
	return Generic
}

// CheckURL validates a webhook URL for the command line.
func CheckURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return errors.New("webhook is not an http(s) URL")
	}
	return nil
}

// Redact shows a webhook URL without its secret parts (Slack and Discord
// URLs are credentials): scheme and host only.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "(webhook)"
	}
	return p.Scheme + "://" + p.Host + "/…"
}

// GenericPayload is what a generic webhook receives. Field names are a
// contract with receivers.
type GenericPayload struct {
	Source      string           `json:"source"` // "downforai"
	Event       string           `json:"event"`  // "verdict_changed" or "reminder"
	Time        time.Time        `json:"time"`
	Host        string           `json:"host,omitempty"`
	Verdict     string           `json:"verdict"` // probe.VerdictKind.Key
	VerdictText string           `json:"verdict_text"`
	Previous    string           `json:"previous"`
	Title       string           `json:"title"`
	Headline    string           `json:"headline"`
	Facts       []string         `json:"facts"`
	Services    []GenericService `json:"services"`
}

// GenericService is one service in a GenericPayload.
type GenericService struct {
	Service  string `json:"service"`
	Name     string `json:"name"`
	Verdict  string `json:"verdict"`
	Official string `json:"official,omitempty"`
}

// Payload is the JSON body the webhook sends for n.
func (w Webhook) Payload(n Notification) ([]byte, error) {
	text := n.Title + " — " + n.Body
	if n.Host != "" {
		text += " (seen from " + n.Host + ")"
	}
	switch FlavourOf(w.URL) {
	case Slack:
		return json.Marshal(map[string]string{"text": text})
	case Discord:
		return json.Marshal(map[string]any{"content": text, "username": "downforai",
			"allowed_mentions": map[string]any{"parse": []string{}}})
	}
	p := GenericPayload{
		Source: "downforai", Event: "verdict_changed", Time: n.Time.UTC(), Host: n.Host,
		Verdict: n.Kind.Key(), VerdictText: n.Kind.String(), Previous: n.Previous.Key(),
		Title: n.Title, Headline: n.Body, Facts: append([]string{}, n.Facts...), Services: []GenericService{},
	}
	if n.Reminder {
		p.Event = "reminder"
	}
	for _, sv := range n.Services {
		p.Services = append(p.Services, GenericService{Service: sv.Service.Key, Name: sv.Service.Name,
			Verdict: sv.Kind.Key(), Official: probe.Line(string(sv.Official), 40)})
	}
	return json.Marshal(p)
}

// Send implements Sink.
func (w Webhook) Send(ctx context.Context, n Notification) error {
	body, err := w.Payload(n)
	if err != nil {
		return err
	}
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	attempts := w.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	backoff := w.Backoff
	if backoff == nil {
		backoff = func(i int) time.Duration { return time.Duration(i) * time.Second }
	}
	var last error
	for i := 1; i <= attempts; i++ {
		retry, wait, err := w.post(ctx, client, timeout, body)
		if err == nil {
			return nil
		}
		last = err
		if !retry || i == attempts {
			break
		}
		if wait <= 0 {
			wait = backoff(i)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return fmt.Errorf("webhook %s: %w", Redact(w.URL), last)
}

// post makes one attempt; it says whether to retry and how long the
// receiver asked to wait (Retry-After, capped at a minute).
func (w Webhook) post(ctx context.Context, client *http.Client, timeout time.Duration, body []byte) (retry bool, wait time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return false, 0, errors.New("bad webhook URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "downforai")
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error repeats the URL, and webhook URLs are secrets.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return true, 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode < 300:
		return false, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = min(time.Duration(s)*time.Second, time.Minute)
		}
		return true, wait, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return false, 0, fmt.Errorf("HTTP %d", resp.StatusCode)
}
