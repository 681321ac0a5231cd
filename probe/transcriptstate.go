package probe

import "time"

// TranscriptFile is what is kept of one transcript between reads: where the next
// read starts and how to know the file again. It is stored under a hash of
// the file's path below the projects directory, never the path.
type TranscriptFile struct {
	Offset  int64  // bytes read, up to the end of the last whole line
	Size    int64  // size at the last read
	ModTime int64  // modification time at the last read, Unix nanoseconds
	Inode   uint64 // the file's inode; 0 where the platform has none
	Head    uint64 // hash of the file's first HeadLen bytes: a file replaced under the same name has another
	HeadLen int64  // min(Offset, 256) when Head was taken
}

// TranscriptState is where probe/transcript's follower keeps its files' offsets and the usage of
// recent answers, so that a restart reads only what is new. The store
// implements it; writes of one read are one transaction.
type TranscriptState interface {
	// TranscriptState returns every file's state by key and the usage
	// recorded at or after since.
	TranscriptState(since time.Time) (map[string]TranscriptFile, []TranscriptUsage, error)
	// PutTranscriptState stores the changed files' states, forgets the
	// gone ones, stores (or replaces, by Time and Key) the usage given and
	// deletes usage older than pruneBefore.
	PutTranscriptState(files map[string]TranscriptFile, gone []string, usage []TranscriptUsage, pruneBefore time.Time) error
}

// TranscriptUsage is the tokens one answer of a Claude Code session used.
type TranscriptUsage struct {
	Time  time.Time
	Key   uint64 // hash of message id and request id: the same answer on several lines has one key
	Model string
	Tokens
}
