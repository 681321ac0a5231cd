package probe

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Canaries are opt-in inference probes: one streaming POST /v1/messages per
// configured model (--canary), max_tokens 1, a fixed tiny prompt. Each model
// is a target of its own, named "model:<id>" ("model:claude-opus-4-5"), so
// its results, rollups, incidents and metrics are kept apart from the
// model-less probes of the API.

// ModelPrefix starts the name of every canary target.
const ModelPrefix = "model:"

// DefaultCanaryInterval is how often a canary asks its model (--canary-interval).
const DefaultCanaryInterval = 5 * time.Minute

// DefaultCanaryBudget is the canaries' token budget per UTC day (--canary-budget).
const DefaultCanaryBudget = 20000

// DefaultFastInterval is how often a failing target is probed until it
// has recovered (--fast-interval).
const DefaultFastInterval = 10 * time.Second

// AlertStatusInterval is how often the status page is read while any of
// our own probes fails or an official incident is open.
const AlertStatusInterval = 30 * time.Second

// ModelTarget is the canary target of model id.
func ModelTarget(id string) Target { return Target(ModelPrefix + id) }

// Model returns the model id of a canary target.
func (t Target) Model() (string, bool) {
	id, ok := strings.CutPrefix(string(t), ModelPrefix)
	return id, ok && id != ""
}

// IsModel reports whether t is a canary target.
func (t Target) IsModel() bool {
	_, ok := t.Model()
	return ok
}

// ValidModel checks a model id given to --canary: what the API accepts as
// a model name (letters, digits, and . _ - : @ /), at most 100 bytes.
func ValidModel(id string) error {
	if id == "" {
		return fmt.Errorf("empty model name")
	}
	if len(id) > 100 {
		return fmt.Errorf("model name %s is longer than 100 bytes", Quote(id[:40]+"…"))
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._-:@/", r):
		default:
			return fmt.Errorf("model name %s: %s is not allowed (letters, digits and . _ - : @ / only)", Quote(id), runeWords(r))
		}
	}
	return nil
}

// ModelName is a model id for people: "claude-opus-4-5-20251101" is
// "Claude Opus 4.5", "claude-3-5-haiku-20241022" "Claude Haiku 3.5". An id
// of another shape is shown as it is.
func ModelName(id string) string {
	rest, ok := strings.CutPrefix(id, "claude-")
	if !ok {
		return id
	}
	parts := strings.Split(rest, "-")
	// Drop a date suffix (8 digits) and "latest".
	if n := len(parts); n > 0 && (isDigits(parts[n-1]) && len(parts[n-1]) == 8 || parts[n-1] == "latest") {
		parts = parts[:n-1]
	}
	var family string
	var nums []string
	for _, p := range parts {
		switch {
		case isDigits(p) && len(p) <= 2:
			nums = append(nums, p)
		case family == "" && (p == "opus" || p == "sonnet" || p == "haiku"):
			family = strings.ToUpper(p[:1]) + p[1:]
		default:
			return "Claude " + rest
		}
	}
	if family == "" {
		return "Claude " + rest
	}
	// "4-0" is "4"; "4-5" is "4.5".
	if len(nums) == 2 && nums[1] == "0" {
		nums = nums[:1]
	}
	if len(nums) == 0 {
		return "Claude " + family
	}
	return "Claude " + family + " " + strings.Join(nums, ".")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// TokenLedger keeps the canaries' token use per UTC day ("2006-01-02")
// where it survives a restart. The store implements it.
type TokenLedger interface {
	CanaryTokens(day string) (int64, error)
	// AddCanaryTokens adds n to the day's count and returns the new total.
	AddCanaryTokens(day string, n int64) (int64, error)
}

// Budget is the canaries' daily token budget. Before a canary asks, it
// reserves what its last answer cost; a request that could overrun the
// day's limit is not sent. What the answer's usage reports is then
// spent, in memory and in the Ledger. The day is the UTC day.
type Budget struct {
	Limit  int64       // tokens per day; <= 0: no canary is ever sent
	Ledger TokenLedger // nil: counted in memory only, from zero at each start
	Now    func() time.Time

	mu      sync.Mutex
	day     string
	spent   int64 // today, including what was read from the Ledger
	pending int64 // reserved by canaries in flight
	loaded  bool
	err     string // why the Ledger could not be read or written, "" when it could
}

// NewBudget returns a budget of limit tokens per day kept in ledger.
func NewBudget(limit int64, ledger TokenLedger) *Budget {
	return &Budget{Limit: limit, Ledger: ledger, Now: time.Now}
}

// Day is the UTC day of t as the ledger keys it.
func Day(t time.Time) string { return t.UTC().Format("2006-01-02") }

func (b *Budget) now() time.Time {
	if b.Now == nil {
		return time.Now()
	}
	return b.Now()
}

// roll moves to today, reading what the ledger has for it; b.mu is held.
func (b *Budget) roll() {
	today := Day(b.now())
	if today == b.day && b.loaded {
		return
	}
	if today != b.day {
		b.day, b.spent, b.loaded = today, 0, false
	}
	if b.Ledger == nil {
		b.loaded = true
		return
	}
	n, err := b.Ledger.CanaryTokens(today)
	if err != nil {
		b.err = Line(err.Error(), 200)
		return
	}
	b.spent, b.loaded, b.err = n, true, ""
}

// Reserve asks for est tokens. It returns false, with the reason for
// people, when the day's budget cannot take them or the day's use cannot
// be read (then nothing is sent: an unknown count could overrun the
// budget). A true reservation must be closed with Spend.
func (b *Budget) Reserve(est int64) (bool, string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roll()
	if !b.loaded {
		return false, "canary paused: today's token use cannot be read (" + b.err + ")"
	}
	if b.Limit <= 0 {
		return false, "canary paused: the token budget is 0"
	}
	if b.spent+b.pending+est > b.Limit {
		return false, fmt.Sprintf("canary paused: today's budget of %d tokens is spent (%d used); resumes at 00:00 UTC", b.Limit, b.spent)
	}
	b.pending += est
	return true, ""
}

// Spend closes a reservation of est tokens with what was used.
func (b *Budget) Spend(est, used int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = max(b.pending-est, 0)
	b.roll()
	if used <= 0 {
		return
	}
	b.spent += used
	if b.Ledger != nil {
		if n, err := b.Ledger.AddCanaryTokens(b.day, used); err != nil {
			b.err = Line(err.Error(), 200)
		} else {
			b.spent, b.err = max(n, b.spent), ""
		}
	}
}

// Used returns today's use and the limit.
func (b *Budget) Used() (spent, limit int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roll()
	return b.spent, b.Limit
}

// ModelVerdict is what the canaries say of one model: its state, how many
// of the last canaries failed and since when, the official incident that
// names it, and one sentence for people.
type ModelVerdict struct {
	Target  Target
	Model   string      // the id asked
	Name    string      // "Claude Opus 4.5"
	Kind    VerdictKind // Operational, Degraded (slow), Unacknowledged, Outage, Failing, LocalCredential, LocalQuota, Unknown
	Failing bool        // the model fails now (after the hysteresis)
	Fails   int         // failed canaries among the last Of
	Of      int
	Class   Class     // the most frequent failing class
	Status  int       // its HTTP status
	Since   time.Time // when the current state began
	Latest  Result    // the newest judged canary
	// Incident is the official incident that names the model (or "multiple
	// models"), "" when none is open.
	Incident string
	Text     string // "Claude Opus 4.5 failing (529 overloaded, 4 of the last 5) since 14:02 UTC while Claude Haiku 4.5 answers"
}

// runeWords is a character for an error message: "'#'" when it prints,
// else its code point ("U+0007"), never the raw control character.
func runeWords(r rune) string {
	if unicode.IsPrint(r) {
		return "'" + string(r) + "'"
	}
	return fmt.Sprintf("U+%04X", r)
}
