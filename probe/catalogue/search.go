package catalogue

import "strings"

// Search is what the Troubleshooting tab's `/` finds: whether entry e
// answers query by its title, id or one of its error signatures, and the
// signature that did ("" for the title or id). Every word of the query
// must occur; case, blanks, quotes, hyphens and underscores do not count,
// so "invalid x api key" finds "invalid x-api-key". An empty query finds
// every entry.
func (e Entry) Search(query string) (signature string, ok bool) {
	words := strings.Fields(query)
	if len(words) == 0 {
		return "", true
	}
	in := func(s string) bool {
		s = squash(s)
		for _, w := range words {
			if !strings.Contains(s, squash(w)) {
				return false
			}
		}
		return true
	}
	if in(e.Title + " " + string(e.ID)) {
		return "", true
	}
	for _, s := range e.Signatures {
		if in(s) {
			return s, true
		}
	}
	return "", false
}
