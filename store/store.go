package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"downforai/probe"
)

// SchemaVersion is the schema this package reads and writes.
const SchemaVersion = 1

// DefaultLockTimeout is how long Open waits for another process's file lock
// when Options.LockTimeout is zero.
const DefaultLockTimeout = time.Second

// Sentinel errors callers branch on.
var (
	// ErrLocked means another process (almost always another downforai)
	// holds the database's file lock.
	ErrLocked = errors.New("database is locked")
	// ErrNotDatabase means the file exists but is not a bbolt database, or
	// is damaged beyond what bbolt can read. The file is left untouched.
	ErrNotDatabase = errors.New("not a downforai database")
	// ErrSchemaTooNew means the file was written by a newer downforai.
	ErrSchemaTooNew = errors.New("database schema is newer than this downforai")
)

var (
	bucketMeta           = []byte("meta")
	bucketResults        = []byte("results")
	bucketStatus         = []byte("status")
	bucketIncidents      = []byte("incidents")
	bucketLocalIncidents = []byte("local_incidents")
	bucketAnnotations    = []byte("annotations")
	bucketStrings        = []byte("strings")

	keySchema  = []byte("schema")
	keyCreated = []byte("created")
)

// Options tune Open.
type Options struct {
	// LockTimeout bounds the wait for the file lock; zero means
	// DefaultLockTimeout. bbolt itself would wait forever.
	LockTimeout time.Duration

	// JudgeInBackground opens an existing file once what bbolt reads as it
	// opens it is judged sound (its meta pages, its length, its free list:
	// a few reads), and judges the rest — every page of every bucket — in
	// the background, from StartJudging or the first write, whichever
	// comes first. Reads go ahead meanwhile, guarded as always (a page
	// bbolt cannot make sense of is an error, never a crash); writes wait
	// for the judgement, and none is made once it finds the file damaged
	// (ErrDamaged; Judged says so). The dashboard's first frame and check's
	// probes need not wait for a read of the whole file: 10 ms of CPU for a
	// 30-day history, 17 times the rest of the dashboard's start.
	JudgeInBackground bool

	// ReadOnly opens the file for reading only, under a shared lock (which
	// a running downforai's exclusive one excludes, and other readers
	// share): nothing is created or written — no directory, no bucket, no
	// byte of the file — and every write fails with ErrReadOnly. For a
	// file that cannot be written (its permissions, a read-only mount);
	// see OpenForReading.
	ReadOnly bool

	// noSync skips fsync, for tests that build big files commit by commit.
	noSync bool
}

// Store is downforai's bbolt database. It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string

	wmu  sync.Mutex        // serialises writers, see writeTx
	mu   sync.RWMutex      // guards strs and ids
	strs map[uint64]string // interned strings by id, as committed
	ids  map[string]uint64 // the inverse of strs

	damaged   atomic.Pointer[error] // set once the file is found damaged: no more writes
	judged    chan struct{}         // with JudgeInBackground: closed once the file is judged whole
	judgeFile *os.File              // what the background judgement reads
	judgeOnce sync.Once             // starts it, or (Close first) ends it unstarted
	judgeErr  error                 // set before judged closes: the judgement stopped short (errNotJudged)
	wasEmpty  bool                  // Open found a 0-byte file and initialised it
	readOnly  bool                  // Options.ReadOnly: every write is ErrReadOnly

	quit      chan struct{}  // closed by Close to stop background work
	wg        sync.WaitGroup // background goroutines, waited for by Close
	closeOnce sync.Once
	closeErr  error
}

var (
	_ probe.Recorder = (*Store)(nil)
	_ probe.History  = (*Store)(nil)

	_ probe.HistoryStats = (*Store)(nil)
)

// openError carries a message written for people while still matching the
// sentinel and the underlying cause with errors.Is.
type openError struct {
	msg  string
	errs []error
}

func (e *openError) Error() string   { return e.msg }
func (e *openError) Unwrap() []error { return e.errs }

// Open opens or creates the database at path, creating its directory (0700)
// and file (0600) when missing, and every bucket of the schema. It fails
// with ErrLocked after opts.LockTimeout when another process holds the
// file, with ErrNotDatabase when path is some other kind of file (which it
// never modifies), and with ErrSchemaTooNew for a file from a newer
// downforai.
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if opts.ReadOnly {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, openErr(path, err)
		}
		if fi.Size() == 0 {
			return nil, notInitialised(path, "it is an empty file")
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create directory for database %s: %w", path, err)
	}
	// bbolt would also refuse most foreign files, but checking its magic
	// ourselves first means no code path of bbolt's ever writes to one.
	if err := checkForeign(path); err != nil {
		return nil, err
	}
	// Judge an existing file before bbolt opens it for writing: bbolt
	// trusts every page, and on a damaged file it panics, faults on the
	// memory map, or grows and rewrites the file. With JudgeInBackground,
	// what bbolt reads as it opens the file now, the rest before any write.
	later, err := judgePath(path, opts.LockTimeout, opts.JudgeInBackground)
	if err != nil {
		return nil, err
	}
	fi, _ := os.Stat(path)
	db, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, quit: make(chan struct{}), wasEmpty: fi != nil && fi.Size() == 0, readOnly: opts.ReadOnly}
	if later {
		// The rest of the file is judged in the background (StartJudging);
		// the first write waits for it.
		f, err := os.Open(path)
		if err != nil {
			s.closeDB()
			return nil, openErr(path, err)
		}
		s.judgeLater(f)
	}
	if err := s.init(); err != nil {
		s.Close() // stops the judgement, if it runs
		return nil, err
	}
	if err := s.loadStrings(); err != nil {
		s.Close() // stops the judgement, if it runs
		return nil, fmt.Errorf("load strings of %s: %w", path, err)
	}
	if err := s.initRollups(); err != nil {
		s.Close() // stops the judgement, if it runs
		return nil, err
	}
	return s, nil
}

// openBolt is bolt.Open with its panics and memory faults turned into
// ErrDamaged: the file was judged sound a moment ago, so this is a last
// line of defence.
func openBolt(path string, opts Options) (db *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if v := recover(); v != nil {
			db, err = nil, damagedError(path, fmt.Sprint(v))
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout, NoSync: opts.noSync, ReadOnly: opts.ReadOnly})
	if err != nil {
		return nil, openErr(path, err)
	}
	return db, nil
}

// WasEmpty reports whether Open found an empty (0-byte) file at its path
// and made it a new database; callers say so in their log.
func (s *Store) WasEmpty() bool { return s.wasEmpty }

func openErr(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return &openError{
			msg:  fmt.Sprintf("database %s is locked: another downforai is probably running (it holds the file lock)", path),
			errs: []error{ErrLocked, err},
		}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return notDatabase(path, err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("open database %s: permission denied (is its directory writable by you?): %w", path, err)
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

func notDatabase(path string, cause error) error {
	errs := []error{ErrNotDatabase}
	if cause != nil {
		errs = append(errs, cause)
	}
	return &openError{
		msg:  fmt.Sprintf("%s is not a downforai database (or is damaged): move it aside and start again; it was left untouched", path),
		errs: errs,
	}
}

// boltMagic marks a bbolt meta page; it sits after the 16-byte page header
// in the machine's byte order.
const boltMagic = 0xED0CDAED

// checkForeign refuses an existing, non-empty file that has no bbolt meta
// page where bbolt would look for one (page 0, or page 1 at any page size
// bbolt supports). Missing and empty files are bbolt's to create.
func checkForeign(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return openErr(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return openErr(path, err)
	}
	if info.IsDir() {
		return fmt.Errorf("open database %s: is a directory", path)
	}
	if info.Size() == 0 {
		return nil
	}
	var hdr [20]byte
	for _, off := range append([]int64{0}, metaOffsets()...) {
		if _, err := f.ReadAt(hdr[:], off); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return openErr(path, err)
		}
		if binary.NativeEndian.Uint32(hdr[16:]) == boltMagic {
			return nil
		}
	}
	if looksLikeBolt(f, info.Size()) {
		return damagedError(path, "both meta pages are gone")
	}
	return notDatabase(path, nil)
}

// looksLikeBolt tells a bbolt file whose two meta pages were wiped from a
// foreign file: its first pages name themselves by number and have a
// bbolt page type, which text or random bytes never do.
func looksLikeBolt(f io.ReaderAt, size int64) bool {
	for psz := int64(minPageSize); psz <= 64<<10; psz *= 2 {
		found := 0
		var hdr [pageHeaderSize]byte
		for id := int64(2); id < 18 && (id+1)*psz <= size; id++ {
			if _, err := f.ReadAt(hdr[:], id*psz); err != nil {
				break
			}
			switch binary.NativeEndian.Uint16(hdr[8:]) {
			case branchPage, leafPage, freelistPage:
				if binary.NativeEndian.Uint64(hdr[:]) == uint64(id) {
					found++
				}
			}
		}
		if found >= 2 {
			return true
		}
	}
	return false
}

// metaOffsets are where bbolt looks for the second meta page: page 1 for
// page sizes from 1 KiB to 16 MiB.
func metaOffsets() []int64 {
	var offs []int64
	for i := 0; i <= 14; i++ {
		offs = append(offs, 1024<<i)
	}
	return offs
}

// init creates the buckets and the meta records of a new file, and checks
// the schema version of an old one.
func (s *Store) init() error {
	// A file that has everything needs no write: a write transaction
	// costs two fsyncs, on every start of every command.
	var ready bool
	err := s.view("read", func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || meta.Get(keySchema) == nil {
			return nil
		}
		if err := s.checkSchema(meta.Get(keySchema)); err != nil {
			return err
		}
		for _, name := range dataBuckets {
			if tx.Bucket(name) == nil {
				return nil
			}
		}
		ready = true
		return nil
	})
	if err == nil && !ready {
		if s.readOnly {
			return notInitialised(s.path, "it lacks buckets a first open writes")
		}
		err = s.update("write", s.create)
	}
	if err != nil {
		var oe *openError
		if errors.As(err, &oe) {
			return err
		}
		return fmt.Errorf("initialise database %s: %w", s.path, err)
	}
	return nil
}

// dataBuckets are the top-level buckets besides meta.
var dataBuckets = [][]byte{bucketResults, bucketStatus, bucketIncidents, bucketLocalIncidents, bucketAnnotations, bucketStrings, bucketTranscriptFiles, bucketTranscriptUsage, bucketCanary}

// checkSchema refuses a schema version it cannot read or does not know.
func (s *Store) checkSchema(v []byte) error {
	ver, n := binary.Uvarint(v)
	if n <= 0 {
		return fmt.Errorf("%w: unreadable schema version %x", ErrNotDatabase, v)
	}
	if ver > SchemaVersion {
		return &openError{
			msg:  fmt.Sprintf("database %s has schema version %d, this downforai understands up to %d: upgrade downforai", s.path, ver, SchemaVersion),
			errs: []error{ErrSchemaTooNew},
		}
	}
	return nil
}

// create writes what init found missing: the schema version and creation
// time of a new file, and every bucket.
func (s *Store) create(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	if v := meta.Get(keySchema); v != nil {
		if err := s.checkSchema(v); err != nil {
			return err
		}
	} else {
		if err := meta.Put(keySchema, binary.AppendUvarint(nil, SchemaVersion)); err != nil {
			return err
		}
		created := binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano()))
		if err := meta.Put(keyCreated, created); err != nil {
			return err
		}
	}
	for _, name := range dataBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// Path is the database file's path as given to Open.
func (s *Store) Path() string { return s.path }

// Close stops background work, then closes the database. It is safe to call
// more than once; later calls return the first call's result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.neverJudged()
		close(s.quit)
		s.wg.Wait()
		if err := s.closeDB(); err != nil {
			s.closeErr = fmt.Errorf("close database %s: %w", s.path, err)
		}
	})
	return s.closeErr
}

// closeDB closes bbolt. On a file found damaged a transaction may have
// panicked halfway and left bbolt's locks held, so the close gets a
// second and is then abandoned: the process's exit releases the file.
func (s *Store) closeDB() error {
	if s.damagedErr() == nil {
		return s.guard("close", true, s.db.Close)
	}
	done := make(chan error, 1)
	go func() { done <- s.guard("close", true, s.db.Close) }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("bbolt did not close the damaged file; it is released when downforai exits")
	}
}
