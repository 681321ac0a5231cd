// Package lazyre is a regular expression compiled on its first use, not
// at start-up: a package-level regexp.MustCompile runs in the package's
// init, so every start of every command paid for all of them (the error
// catalogue's 30-odd patterns were the largest package init of the
// dashboard's start, issue 11) though most starts never read an error.
// A pattern that does not compile panics on its first use, as
// regexp.MustCompile does at init; each package's tests use every
// pattern, so a bad one still fails there.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a *regexp.Regexp built from its pattern on first use. It is
// safe for concurrent use, as regexp.Regexp is.
type Regexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

// New returns the pattern, not yet compiled.
func New(src string) *Regexp { return &Regexp{src: src} }

// Compiled is the compiled expression.
func (r *Regexp) Compiled() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.src) })
	return r.re
}

// String is the pattern's source text.
func (r *Regexp) String() string { return r.src }

func (r *Regexp) MatchString(s string) bool { return r.Compiled().MatchString(s) }

func (r *Regexp) FindString(s string) string { return r.Compiled().FindString(s) }

func (r *Regexp) FindStringSubmatch(s string) []string { return r.Compiled().FindStringSubmatch(s) }

func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.Compiled().FindAllStringIndex(s, n)
}

func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.Compiled().FindAllStringSubmatch(s, n)
}

func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.Compiled().FindAllStringSubmatchIndex(s, n)
}

func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.Compiled().ReplaceAllString(src, repl)
}

func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.Compiled().ReplaceAllStringFunc(src, repl)
}

func (r *Regexp) FindIndex(b []byte) []int { return r.Compiled().FindIndex(b) }

func (r *Regexp) FindSubmatchIndex(b []byte) []int { return r.Compiled().FindSubmatchIndex(b) }
