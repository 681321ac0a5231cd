//go:build race

package main

// raceEnabled is set under the race detector, where the end-to-end verdict
// test (70 program runs) is left to its own step of .ci/run.
const raceEnabled = true
