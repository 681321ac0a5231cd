package fakeupstream

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// ModelState is what POST /v1/messages answers for one model. The API's
// own state comes first: a 529 of the whole API (api=529) reaches every
// model, a refused key is refused whatever the model.
type ModelState string

// The per-model states of the Messages API.
const (
	ModelOK          ModelState = "ok"           // 200, the whole SSE stream, usage counted
	Model529         ModelState = "529"          // 529 overloaded_error before the stream
	Model500         ModelState = "500"          // 500 api_error before the stream
	Model429         ModelState = "429"          // 429 rate_limit_error with retry-after, before the stream
	ModelStreamError ModelState = "stream_error" // 200, message_start, then `event: error` overloaded_error
	ModelSlow        ModelState = "slow"         // 200, message_start at once, the first token after the delay (SetDelay)
	ModelStall       ModelState = "stall"        // 200, message_start, then nothing until the client gives up
	ModelCut         ModelState = "cut"          // 200, message_start and a delta, then the connection closes
	ModelNotFound    ModelState = "404"          // 404 not_found_error "model: …", as for a model that does not exist
)

// ModelStates lists every per-model state.
func ModelStates() []ModelState {
	return []ModelState{ModelOK, Model529, Model500, Model429, ModelStreamError, ModelSlow, ModelStall, ModelCut, ModelNotFound}
}

// ParseModelState accepts a per-model state's name.
func ParseModelState(s string) (ModelState, error) { return parseState(s, ModelStates(), "model") }

// KnownModels are the models the fake serves without being told: the
// /v1/models list and today's aliases. Any other model answers 404
// not_found_error, as the real API does, unless SetModel names it.
func KnownModels() []string {
	return []string{
		"claude-opus-4-1-20250805", "claude-sonnet-4-20250514", "claude-3-5-haiku-20241022",
		"claude-opus-4-5", "claude-opus-4-5-20251101", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
		"claude-haiku-4-5", "claude-haiku-4-5-20251001", "claude-opus-4-1", "claude-sonnet-4-0", "claude-3-5-haiku-latest",
	}
}

// canaryState is the Messages API's part of the Handler, guarded by h.mu.
type canaryState struct {
	models map[string]ModelState // per-model overrides
	input  map[string]int64      // input tokens billed, by model
	output map[string]int64      // output tokens billed, by model
	calls  map[string]int        // requests, by model
}

// SetModel sets what POST /v1/messages answers for model; ModelOK for a
// model the fake does not know makes it known.
func (h *Handler) SetModel(model string, s ModelState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.canary.models == nil {
		h.canary.models = make(map[string]ModelState)
	}
	h.canary.models[model] = s
}

// ModelState is what the fake answers for model now.
func (h *Handler) ModelState(model string) ModelState {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.modelStateLocked(model)
}

func (h *Handler) modelStateLocked(model string) ModelState {
	if s, ok := h.canary.models[model]; ok {
		return s
	}
	if slices.Contains(KnownModels(), model) {
		return ModelOK
	}
	return ModelNotFound
}

// modelStatesLocked is the per-model overrides, for /_fake/mode:
// "claude-opus-4-5:529,claude-haiku-4-5:ok", sorted.
func (h *Handler) modelStatesLocked() string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(h.canary.models)) {
		out = append(out, k+":"+string(h.canary.models[k]))
	}
	return strings.Join(out, ",")
}

// Tokens returns the input and output tokens the fake billed for model
// (what the usage of its answers reported).
func (h *Handler) Tokens(model string) (input, output int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.canary.input[model], h.canary.output[model]
}

// TotalTokens is every token billed, for every model.
func (h *Handler) TotalTokens() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	var n int64
	for _, v := range h.canary.input {
		n += v
	}
	for _, v := range h.canary.output {
		n += v
	}
	return n
}

// MessageCalls is how many POST /v1/messages asked for model.
func (h *Handler) MessageCalls(model string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.canary.calls[model]
}

func (h *Handler) bill(model string, in, out int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.canary.input == nil {
		h.canary.input, h.canary.output = make(map[string]int64), make(map[string]int64)
	}
	h.canary.input[model] += in
	h.canary.output[model] += out
}

// parseModelStates reads model=ID:STATE parameters.
func parseModelStates(vs []string) (map[string]ModelState, error) {
	out := make(map[string]ModelState)
	for _, v := range vs {
		for _, one := range strings.Split(v, ",") {
			id, st, ok := strings.Cut(strings.TrimSpace(one), ":")
			if !ok || id == "" {
				return nil, fmt.Errorf("bad model %q (want MODEL:STATE, STATE one of %s)", one, joinStates(ModelStates()))
			}
			s, err := ParseModelState(st)
			if err != nil {
				return nil, err
			}
			out[id] = s
		}
	}
	return out, nil
}

// inputTokens is what the fake bills a prompt: about four characters a
// token, plus the few tokens the message framing costs.
func inputTokens(messages []json.RawMessage, system string) int64 {
	n := int64(len(system))
	for _, m := range messages {
		n += int64(len(m)) / 2 // JSON framing counts for little
	}
	return 7 + n/4
}

// messages serves POST /v1/messages: the request is read and checked as
// the API would (model, max_tokens, messages), then the model's state
// decides the answer. A streaming request (stream: true) gets the SSE
// event sequence; any other the whole message as JSON.
func (h *Handler) messages(w http.ResponseWriter, r *http.Request) {
	state, accepted := h.apiNow()
	if h.serverFault(w, state) {
		return
	}
	if gatewayAnswered(w, r, state) {
		return
	}
	if h.rejected(w, r, state, accepted) {
		return
	}
	var req struct {
		Model     string            `json:"model"`
		MaxTokens *int              `json:"max_tokens"`
		Messages  []json.RawMessage `json:"messages"`
		System    string            `json:"system"`
		Stream    bool              `json:"stream"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || json.Unmarshal(body, &req) != nil {
		h.apiError(w, http.StatusBadRequest, "invalid_request_error", "The request body is not valid JSON.")
		return
	}
	switch {
	case req.Model == "":
		h.apiError(w, http.StatusBadRequest, "invalid_request_error", "model: Field required")
		return
	case req.MaxTokens == nil:
		h.apiError(w, http.StatusBadRequest, "invalid_request_error", "max_tokens: Field required")
		return
	case *req.MaxTokens < 1:
		h.apiError(w, http.StatusBadRequest, "invalid_request_error", "max_tokens: Input should be greater than or equal to 1")
		return
	case len(req.Messages) == 0:
		h.apiError(w, http.StatusBadRequest, "invalid_request_error", "messages: at least one message is required")
		return
	}
	h.mu.Lock()
	if h.canary.calls == nil {
		h.canary.calls = make(map[string]int)
	}
	h.canary.calls[req.Model]++
	ms, delay := h.modelStateLocked(req.Model), h.delay
	h.mu.Unlock()

	switch ms {
	case ModelNotFound:
		h.apiError(w, http.StatusNotFound, "not_found_error", "model: "+req.Model)
		return
	case Model529:
		h.apiError(w, 529, "overloaded_error", "Overloaded")
		return
	case Model500:
		h.apiError(w, http.StatusInternalServerError, "api_error", "Internal server error")
		return
	case Model429:
		h.rateLimitHeaders(w, 0)
		w.Header().Set("retry-after", "20")
		h.apiError(w, http.StatusTooManyRequests, "rate_limit_error",
			"This request would exceed your account's rate limit. Please try again later.")
		return
	}
	in := inputTokens(req.Messages, req.System)
	out := int64(min(*req.MaxTokens, 1)) // the fake always answers one token: "OK"
	id := h.requestID()
	h.rateLimitHeaders(w, 999)
	w.Header().Set("request-id", id)
	w.Header().Set("anthropic-organization-id", "00000000-0000-4000-8000-00000000fa4e")
	msgID := "msg_01Fake" + strings.TrimPrefix(id, "req_011CFake")
	if !req.Stream {
		h.bill(req.Model, in, out)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": msgID, "type": "message", "role": "assistant", "model": req.Model,
			"content":     []map[string]string{{"type": "text", "text": "OK"}},
			"stop_reason": "max_tokens", "stop_sequence": nil,
			"usage": map[string]int64{"input_tokens": in, "output_tokens": out},
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(event string, data any) bool {
		b, _ := json.Marshal(data)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		if flusher != nil {
			flusher.Flush()
		}
		return r.Context().Err() == nil
	}
	// The input is billed once the model took the request (message_start
	// reports it), whatever happens to the stream after.
	h.bill(req.Model, in, 0)
	if !send("message_start", map[string]any{"type": "message_start", "message": map[string]any{
		"id": msgID, "type": "message", "role": "assistant", "model": req.Model, "content": []any{},
		"stop_reason": nil, "stop_sequence": nil,
		"usage": map[string]int64{"input_tokens": in, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 1},
	}}) {
		return
	}
	switch ms {
	case ModelStreamError:
		send("error", map[string]any{"type": "error", "error": map[string]string{"type": "overloaded_error", "message": "Overloaded"}})
		return
	case ModelStall:
		h.hang(r)
		return
	case ModelSlow:
		if !h.sleep(r, delay) {
			return
		}
	}
	if !send("content_block_start", map[string]any{"type": "content_block_start", "index": 0,
		"content_block": map[string]string{"type": "text", "text": ""}}) {
		return
	}
	if !send("ping", map[string]string{"type": "ping"}) {
		return
	}
	if !send("content_block_delta", map[string]any{"type": "content_block_delta", "index": 0,
		"delta": map[string]string{"type": "text_delta", "text": "OK"}}) {
		return
	}
	h.bill(req.Model, 0, out)
	if ms == ModelCut {
		panic(http.ErrAbortHandler) // the connection closes mid-stream
	}
	send("content_block_stop", map[string]any{"type": "content_block_stop", "index": 0})
	send("message_delta", map[string]any{"type": "message_delta",
		"delta": map[string]any{"stop_reason": "max_tokens", "stop_sequence": nil},
		"usage": map[string]int64{"output_tokens": out}})
	send("message_stop", map[string]string{"type": "message_stop"})
}
