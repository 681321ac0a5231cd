package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// tab is one page of the dashboard.
type tab int

const (
	tabLive tab = iota
	tabIncidents
	tabTroubleshoot
	tabHistory
	tabCount
)

var tabNames = [tabCount]string{"Live signals", "Incidents", "Troubleshooting", "History"}

// tabShort are the labels used when the full ones do not fit.
var tabShort = [tabCount]string{"Live", "Incid.", "Trbl.", "Hist."}

func (t tab) String() string {
	if t >= 0 && t < tabCount {
		return tabNames[t]
	}
	return "tab?"
}

// tabLabels returns the label of each tab for a bar w cells wide: full
// names when they fit, then short names, then only the numbers.
func tabLabels(w int) [tabCount]string {
	var out [tabCount]string
	for _, names := range []*[tabCount]string{&tabNames, &tabShort, nil} {
		total := 0
		for t := tab(0); t < tabCount; t++ {
			l := string(rune('1' + t))
			if names != nil {
				l += " " + names[t]
			}
			out[t] = l
			total += ansi.StringWidth(l) + tabPad
		}
		if total <= w {
			break
		}
	}
	return out
}

// tabPad is the cells around each label: "[" and "]" on the active tab,
// spaces on the others, so the active one is marked without colour too.
const tabPad = 2

// tabAt reports which tab label covers cell x of the tab bar. Because it
// uses tabLabels, it agrees with what tabBar drew.
func tabAt(x, w int) (tab, bool) {
	pos := 0
	for t, l := range tabLabels(w) {
		n := ansi.StringWidth(l) + tabPad
		if x >= pos && x < pos+n {
			return tab(t), true
		}
		pos += n
	}
	return 0, false
}

// tabBar renders the tabs and, on the right, the time zone every time of
// day on screen is in ("UTC", "CET"): after the app name and version when
// there is room, else after the version alone, else on its own — the zone
// is the last to go, as every clock on screen is read by it.
func tabBar(st *styles, active tab, w int, version, zone string) string {
	var b strings.Builder
	used := 0
	for t, l := range tabLabels(w) {
		if tab(t) == active {
			b.WriteString(st.tabActive.Render("[" + l + "]"))
		} else {
			b.WriteString(st.tabInactive.Render(" " + l + " "))
		}
		used += ansi.StringWidth(l) + tabPad
	}
	name := "downforai"
	if version != "" {
		name += " " + version
	}
	rights := []string{name + " · " + zone, zone}
	if version != "" {
		rights = slices.Insert(rights, 1, version+" · "+zone)
	}
	for _, right := range rights {
		if gap := w - used - ansi.StringWidth(right); gap >= 2 {
			b.WriteString(strings.Repeat(" ", gap))
			b.WriteString(st.appName.Render(right))
			break
		}
	}
	return b.String()
}
