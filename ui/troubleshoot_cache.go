package ui

import (
	"downforai/probe/catalogue"
	"downforai/probe/diagnose"
)

// troubleCache holds the Troubleshooting tab's last page content with the
// inputs it was built from, so that a frame, a scroll key or a cursor
// move on another page draws from it instead of wrapping every paragraph
// again. The pointer is shared by the tab's copies (as the History tab's
// drawCache is); a copy whose inputs differ builds afresh.
type troubleCache struct {
	ok     bool
	key    troubleKey
	lines  []string
	cursor int // the list cursor's line in lines (catalogue and FAQ)
	builds int // how many times the content was built, for tests
}

// troubleKey is everything a page's content is built from: the board (by
// its rev: data, clock, verdict), the width, the page and the tab's own
// state that pages draw. The search's text is in it; whether the search
// has the focus is not (the head draws that, not the content).
type troubleKey struct {
	board  int
	w      int
	page   troublePage
	diag   *diagnose.Diagnosis
	query  string
	cursor int
	faq    int
	open   catalogue.EntryID
	cap    int // the banner's headline cap
}

func (t troubleshootTab) cacheKey() troubleKey {
	return troubleKey{board: t.b.rev, w: t.w, page: t.page, diag: t.diag,
		query: t.cat.query, cursor: t.cat.cursor, faq: t.faq, open: t.open, cap: t.headlineCap}
}

// drop forgets the content: the styles changed under it.
func (c *troubleCache) drop() { c.ok = false }

// content is every line of the page on screen, before scrolling. The
// slice is shared with the cache: callers must not write into it.
func (t troubleshootTab) content() []string {
	return t.cached().lines
}

// cached returns the cache, built afresh when an input changed.
func (t troubleshootTab) cached() *troubleCache {
	c, k := t.cache, t.cacheKey()
	if !c.ok || c.key != k {
		c.lines, c.cursor = t.build()
		c.key, c.ok = k, true
		c.builds++
	}
	return c
}

// build makes the page's content and the line of a list's cursor in it.
func (t troubleshootTab) build() ([]string, int) {
	switch t.page {
	case pageCatalogue:
		return t.catalogueRows()
	case pageEntry:
		return t.entryPage(), 0
	case pageFAQ:
		return t.faqLines(), 1 + t.faq
	case pageAnswer:
		return t.answerPage(), 0
	}
	return t.mainLines(), 0
}
