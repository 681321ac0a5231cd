package transcript

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// genTranscript writes about size bytes of realistic transcript lines: turns
// of a prompt, an answer streamed over two lines (same message id, growing
// usage), a tool call, its result with a file's contents, a file-history
// snapshot, and now and then a retry record. Byte shares follow what real
// transcripts show: most bytes are tool results and answers.
func genTranscript(size int, seed uint64, start time.Time) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	var lines []string
	total := 0
	at := start
	sess := fmt.Sprintf("%08x-5b7d-4e9a-9c3b-2d1f6a7e8b90", r.Uint32())
	common := func() string {
		return fmt.Sprintf(`"parentUuid":"%08x-aaaa-bbbb-cccc-dddddddddddd","isSidechain":false,"userType":"external","cwd":"/home/dev/src/project","sessionId":"%s","version":"2.1.44","gitBranch":"main"`, r.Uint32(), sess)
	}
	add := func(l string) {
		lines = append(lines, l)
		total += len(l) + 1
	}
	filler := func(n int) string {
		const words = `func main() { fmt.Println(\"hello, world\") } // the quick brown fox jumps over the lazy dog\n\t`
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(words)
		}
		return strings.TrimRight(b.String()[:n], `\`)
	}
	turn := 0
	for total < size {
		turn++
		at = at.Add(time.Duration(5+r.IntN(40)) * time.Second)
		ts := func() string {
			at = at.Add(time.Duration(r.IntN(3000)) * time.Millisecond)
			return at.UTC().Format("2006-01-02T15:04:05.000Z")
		}
		add(fmt.Sprintf(`{%s,"type":"user","message":{"role":"user","content":"%s"},"uuid":"u%d","timestamp":"%s"}`, common(), filler(80+r.IntN(400)), turn, ts()))
		if turn%25 == 0 {
			add(fmt.Sprintf(`{%s,"type":"system","subtype":"api_error","level":"error","error":{"status":529,"headers":{},"requestID":null,"error":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}},"retryInMs":558.9,"retryAttempt":1,"maxRetries":10,"uuid":"s%d","timestamp":"%s"}`, common(), turn, ts()))
		}
		msg := fmt.Sprintf("msg_01%020d", turn)
		req := fmt.Sprintf("req_011C%020d", turn)
		text := filler(200 + r.IntN(1500))
		for i, out := range []int{1, 50 + r.IntN(800)} {
			add(fmt.Sprintf(`{%s,"message":{"id":"%s","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":"%s"}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":%d,"cache_creation_input_tokens":%d,"cache_read_input_tokens":%d,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":%d,"service_tier":"standard"}},"requestId":"%s","type":"assistant","uuid":"a%d-%d","timestamp":"%s"}`,
				common(), msg, text, 4+r.IntN(10), r.IntN(3000), 10000+r.IntN(60000), out, req, turn, i, ts()))
		}
		add(fmt.Sprintf(`{%s,"message":{"id":"%s","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"tool_use","id":"toolu_%d","name":"Edit","input":{"file_path":"/home/dev/src/project/main.go","old_string":"%s","new_string":"%s"}}],"stop_reason":"tool_use","usage":{"input_tokens":8,"cache_creation_input_tokens":400,"cache_read_input_tokens":40000,"output_tokens":300,"service_tier":"standard"}},"requestId":"%s","type":"assistant","uuid":"t%d","timestamp":"%s"}`,
			common(), msg, turn, filler(100+r.IntN(1500)), filler(100+r.IntN(1500)), req, turn, ts()))
		add(fmt.Sprintf(`{%s,"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_%d","type":"tool_result","content":"%s"}]},"toolUseResult":{"type":"text","file":{"filePath":"/home/dev/src/project/main.go","content":"%s","numLines":120,"startLine":1,"totalLines":120}},"uuid":"r%d","timestamp":"%s"}`,
			common(), turn, filler(1000+r.IntN(12000)), filler(1000+r.IntN(8000)), turn, ts()))
		add(fmt.Sprintf(`{"type":"file-history-snapshot","messageId":"r%d","snapshot":{"messageId":"r%d","trackedFileBackups":{"/home/dev/src/project/main.go":{"backupFileName":"abc@v%d","version":%d,"backupTime":"%s"}},"timestamp":"%s"},"isSnapshotUpdate":true}`,
			turn, turn, turn, turn, ts(), ts()))
	}
	return lines
}
