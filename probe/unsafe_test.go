package probe

import (
	"testing"
	"unicode"
)

// The judge of "safe to draw" in every test, written apart from the
// product's own filter (Sanitize's switch and isBidiControl): a test that
// judged with the product's predicate would pass whatever the product got
// wrong. If isBidiControl forgot a character, these tests still see it.

// bidiControls is every character that reorders text on screen (the
// Trojan Source list, CVE-2021-42574: embeddings, overrides, isolates and
// their terminators, and the implicit marks), plus U+FEFF, which draws as
// nothing and hides text boundaries. TestBidiControlsListComplete checks it
// against Unicode's own Bidi_Control property.
var bidiControls = map[rune]string{
	0x061C: "ARABIC LETTER MARK",
	0x200E: "LEFT-TO-RIGHT MARK",
	0x200F: "RIGHT-TO-LEFT MARK",
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE (BOM)",
}

// unsafeRune reports whether r must never reach the terminal: a C0 or C1
// control or DEL (ESC among them, so no escape sequence can start), or a
// bidi control. A newline is allowed where the text is multiline.
func unsafeRune(r rune, multiline bool) bool {
	if r == '\n' && multiline {
		return false
	}
	if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
		return true
	}
	_, bidi := bidiControls[r]
	return bidi
}

// firstUnsafe returns the first rune of s that must not be drawn, and
// whether there is one.
func firstUnsafe(s string, multiline bool) (rune, bool) {
	for _, r := range s {
		if unsafeRune(r, multiline) {
			return r, true
		}
	}
	return 0, false
}

// TestBidiControlsListComplete keeps the list above honest: every
// character Unicode classes Bidi_Control is in it, and every C0/C1
// control is unsafe.
func TestBidiControlsListComplete(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.Is(unicode.Bidi_Control, r) && !unsafeRune(r, true) {
			t.Errorf("%U is a Unicode Bidi_Control missing from bidiControls", r)
		}
		if unicode.IsControl(r) && r != '\n' && !unsafeRune(r, true) {
			t.Errorf("control %U is not unsafe", r)
		}
	}
}

// TestSanitizeRemovesEveryUnsafeRune puts each unsafe rune, alone and
// between letters, through Sanitize and Line: none survives.
func TestSanitizeRemovesEveryUnsafeRune(t *testing.T) {
	var unsafe []rune
	for r := rune(0); r <= 0x9f; r++ {
		if unsafeRune(r, false) {
			unsafe = append(unsafe, r)
		}
	}
	for r := range bidiControls {
		unsafe = append(unsafe, r)
	}
	for _, r := range unsafe {
		for _, in := range []string{string(r), "a" + string(r) + "b", string(r) + "31m" + string(r)} {
			for _, multiline := range []bool{false, true} {
				out := Sanitize(in, multiline)
				if bad, ok := firstUnsafe(out, multiline); ok {
					t.Errorf("Sanitize(%q, %v) = %q keeps %U", in, multiline, out, bad)
				}
			}
			if out := Line(in, 20); out != "" {
				if bad, ok := firstUnsafe(out, false); ok {
					t.Errorf("Line(%q) = %q keeps %U", in, out, bad)
				}
			}
		}
	}
}
