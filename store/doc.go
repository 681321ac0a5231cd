// Package store keeps everything downforai observes in one bbolt file and
// implements probe.Recorder and probe.History on top of it.
//
// Schema (version 1). Every time key is the 8-byte big-endian uint64 of
// time.UnixNano, so byte order is time order and Cursor.Seek finds a range.
// Two records that share a nanosecond get the next free nanosecond.
//
//	meta
//	├── "schema"   uvarint schema version (1); Open refuses a newer one
//	├── "created"  8-byte big-endian UnixNano of the file's creation
//	└── "rollups"  uvarint rollup format (1); when missing, Open builds the
//	               rollups from the raw results once
//	results
//	└── <target>   one nested bucket per probe.Target ("api", "claude_ai", …)
//	    └── time key → result value v1 (below); FillPercent 1.0, append-only
//	status
//	└── time key (Status.Fetched) → 0x01 + JSON(probe.Status);
//	                                 a snapshot is stored only when it differs
//	                                 from the last one, Fetched aside
//	incidents
//	└── official incident or maintenance id → 0x01 + JSON(probe.Incident);
//	    merged in place on every reading (probe.MergeIncident), never
//	    deleted, so what the page drops keeps its last known state
//	local_incidents
//	└── probe.LocalIncident.ID ("%016x/<subject>": first failure in hex
//	    UnixNano, so keys sort by start) → 0x01 + JSON(probe.LocalIncident);
//	    replaced whole on every change unless the stored Version is higher
//	annotations      notes people attach to a time (reserved, empty in v1)
//	rollups          written in the same transaction as the results they count
//	├── hour
//	│   └── <target> time key of the hour's start → rollup value v1
//	├── day
//	│   └── <target> time key of the UTC day's start → rollup value v1
//	└── pruned
//	    └── <target> → time key: every raw result retention deleted was
//	                   older; raw results from here on are complete
//	strings
//	└── 8-byte big-endian id (bucket sequence, from 1) → string bytes;
//	    ErrorType, Message and Detail of results are interned here
//	transcript_files   where the Claude Code transcript follower is in each
//	│                  transcript (probe.TranscriptFile)
//	└── 16 hex digits of SHA-256(path below the projects directory) — never
//	    the path — → 0x01, uvarint Offset, uvarint Size, varint ModTime
//	    (UnixNano), uvarint Inode, 8-byte big-endian Head, uvarint HeadLen;
//	    deleted when the transcript is
//	transcript_usage   tokens of each Claude Code answer of the last 7 days
//	│                  and 5 hours, for the usage window; older ones are
//	│                  deleted by every write of the follower
//	└── time key + 8-byte big-endian answer key (hash of message id and
//	    request id) → 0x01, uvarint ×4 input, output, cache creation and
//	    cache read tokens, uvarint length + model name; replaced when a
//	    later line of the same answer has larger counts
//	canary_tokens      the canaries' token use per UTC day (the budget)
//	└── "2006-01-02" → 0x01, uvarint tokens; days older than 40 are deleted
//	    by every write
//
// Result value v1. The target is the bucket and the time is the key, so
// neither is repeated:
//
//	byte     0x01 value version
//	byte     Class
//	uvarint  HTTPStatus
//	uvarint  ×5  Phases DNS, Connect, TLS, FirstByte, Total in microseconds
//	             (sub-microsecond precision is dropped; negative → 0)
//	             value version 0x02 (a canary's result, "model:<id>") adds
//	             here: uvarint Phases.FirstToken in µs, uvarint Tokens
//	string   ×4  ErrorType, Message, RequestID, Detail
//	byte     RateLimit flags: bit 0 RequestsLimit, 1 RequestsRemaining,
//	             2 RequestsReset, 3 TokensLimit, 4 TokensRemaining,
//	             5 TokensReset, 6 RetryAfter; bit 7 must be 0
//	         then, for each set bit in that order: varint for the int64
//	         counts, varint Unix seconds + uvarint nanoseconds for the reset
//	         times, varint nanoseconds for RetryAfter
//
// Rollup value v1 (FillPercent 1.0: only the newest record changes):
//
//	byte     0x01 value version
//	uvarint  n, then n uvarint counts of results by Class (a class this
//	         version does not know counts as unknown)
//	uvarint  m, then m pairs (uvarint bucket index minus the previous
//	         one's, uvarint count): the non-empty buckets of a
//	         probe.Latency histogram of the total time of results that
//	         were up (ok, slow)
//
// Retention deletes raw results older than its cut-off and rollups whose
// hour or day ended at or before theirs (400 days by default), in small
// transactions; Summary answers partial hours from raw results where they
// are complete (see pruned) and from the whole hour's rollup where not.
//
// A string is a uvarint header h: h == 0 is ""; odd h refers to id h>>1
// in the strings bucket; even h is followed by h>>1 literal bytes. Texts
// that repeat (ErrorType, Message, Detail, up to 256 bytes, while the
// table holds fewer than 20,000) are interned; RequestID, unique per
// request, is always literal. Interned strings are never deleted, so a
// value stays readable for as long as it exists.
//
// Nothing else is written: no credential, header or environment value has a
// field to live in. Result strings are sanitised by probe before they get
// here.
package store
