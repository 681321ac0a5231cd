package catalogue

import (
	"strings"
	"testing"
)

// TestARelaySaysWhoseWordsItCarries (diag6): a relay known by its own
// error format quoting Anthropic's words is the relay's report of what
// Anthropic (or the provider it names) said, with the entry those words
// are; a relay's own credits, linked on its own host, are the relay's,
// whatever format its error borrows; a billing page of Anthropic's stays
// Anthropic's credit balance. Texts are real pastes (sources beside).
func TestARelaySaysWhoseWordsItCarries(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       EntryID
		status     int
		says       string // in Matched
	}{
		{"LiteLLM relaying Anthropic (OpenHands#4894)",
			`litellm.BadRequestError: litellm.ContextWindowExceededError: AnthropicError - {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210543 tokens > 200000 maximum"}}`,
			EntryPromptTooLong, 0, `LiteLLM reports Anthropic said "prompt is too long"`},
		{"OpenRouter relaying its provider (forgecode#1146)",
			`{"error":{"message":"Provider returned error","code":413,"metadata":{"provider_name":"Google","raw":"{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Prompt is too long\"}}"}},"code":413}`,
			EntryPromptTooLong, 413, `OpenRouter reports its provider Google said "Prompt is too long"`},
		{"OpenRouter's own credits (continue#10705)",
			`402 This request requires more credits, or fewer max_tokens. You requested up to 8192 tokens, but can only afford 1775. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account`,
			EntryGateway, 402, "credits kept by openrouter.ai, not Anthropic"},
		{"a relay's credits in OpenAI's format (openclaude#1528)",
			`API Error: 402 {"error":{"message":"Insufficient credits — top up your balance at https://gitlawb.com/opengateway/credits","type":"insufficient_quota","code":"insufficient_credits"}}`,
			EntryGateway, 402, "credits kept by gitlawb.com, not Anthropic"},
		{"Claude Code naming the gateway (Clutch#19)",
			`API Error: 529 [1305][该模型当前访问量过大，请您稍后再试][20260630173529f394d74ee3f44c6b]. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (172.21.0.18:8317).`,
			EntryGateway, 529, "a request sent to 172.21.0.18, not api.anthropic.com"},
		{"Anthropic's own billing page (claude-code#46277)",
			`⎿  Credit balance too low · Add funds: https://platform.claude.com/settings/billing`,
			EntryCredit, 0, "Credit balance too low"},
	} {
		p := Read(c.text)
		m, ok := Find(p)
		if !ok || m.Entry.ID != c.want || p.Status() != c.status || !strings.Contains(m.Matched, c.says) {
			t.Errorf("%s: %v %s HTTP %d matched %q, want %s HTTP %d saying %q", c.name, ok, m.Entry.ID, p.Status(), m.Matched, c.want, c.status, c.says)
		}
	}
}
