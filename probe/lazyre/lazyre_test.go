package lazyre

import (
	"sync"
	"testing"
)

func TestCompiledOnFirstUse(t *testing.T) {
	r := New(`a(\d+)`)
	if r.re != nil {
		t.Fatal("compiled before first use")
	}
	if got := r.FindStringSubmatch("xa12y"); len(got) != 2 || got[1] != "12" {
		t.Errorf("FindStringSubmatch = %q", got)
	}
	if r.re == nil {
		t.Fatal("not kept after first use")
	}
	if !r.MatchString("a1") || r.MatchString("b") {
		t.Error("MatchString")
	}
	if got := r.ReplaceAllString("a1 a22", "<$1>"); got != "<1> <22>" {
		t.Errorf("ReplaceAllString = %q", got)
	}
	if got := r.FindString("za7"); got != "a7" {
		t.Errorf("FindString = %q", got)
	}
	if got := r.FindAllStringIndex("a1a2", -1); len(got) != 2 {
		t.Errorf("FindAllStringIndex = %v", got)
	}
	if got := r.FindAllStringSubmatch("a1a2", -1); len(got) != 2 || got[1][1] != "2" {
		t.Errorf("FindAllStringSubmatch = %v", got)
	}
	if got := r.FindAllStringSubmatchIndex("a1", -1); len(got) != 1 || len(got[0]) != 4 {
		t.Errorf("FindAllStringSubmatchIndex = %v", got)
	}
	if got := r.ReplaceAllStringFunc("a1", func(string) string { return "x" }); got != "x" {
		t.Errorf("ReplaceAllStringFunc = %q", got)
	}
	if got := r.FindIndex([]byte("xa1")); len(got) != 2 || got[0] != 1 {
		t.Errorf("FindIndex = %v", got)
	}
	if got := r.FindSubmatchIndex([]byte("a1")); len(got) != 4 {
		t.Errorf("FindSubmatchIndex = %v", got)
	}
	if r.String() != `a(\d+)` {
		t.Errorf("String = %q", r.String())
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	r := New(`b+`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !r.MatchString("abbbc") {
				t.Error("no match")
			}
		}()
	}
	wg.Wait()
}

func TestBadPatternPanicsOnUse(t *testing.T) {
	r := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("a pattern that does not compile did not panic")
		}
	}()
	r.MatchString("x")
}
