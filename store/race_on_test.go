//go:build race

package store

// raceEnabled: the race detector slows bbolt commits about fifteenfold, so
// the long-run test simulates fewer days under it.
const raceEnabled = true
