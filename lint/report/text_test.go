package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

// TestCaretLineDisplayWidth pins the caret under the flagged text when the
// line holds tabs, wide (East Asian) and zero-width characters: padding
// and carets count terminal cells, not code points.
func TestCaretLineDisplayWidth(t *testing.T) {
	for _, tc := range []struct {
		line, word  string
		pad, carets string
	}{
		{`RUN echo "日本語" && apk add curl`, "apk", strings.Repeat(" ", 21), "^^^"},
		{"RUN\techo x", "echo", "       ", "^^^^"},
		{`RUN echo 日本 && x`, "日本", "         ", "^^^^"},
		{"RUN echo e\u0301 && apk", "apk", strings.Repeat(" ", 14), "^^^"},
	} {
		at := strings.Index(tc.line, tc.word)
		from := len([]rune(tc.line[:at])) + 1
		to := from + len([]rune(tc.word))
		shown, pad, carets := caretLine(tc.line, from, to)
		if pad != tc.pad || carets != tc.carets {
			t.Errorf("%q [%d,%d): pad %d carets %q, want pad %d carets %q", tc.line, from, to, len(pad), carets, len(tc.pad), tc.carets)
		}
		if !strings.Contains(shown, tc.word) {
			t.Errorf("%q: shown line %q lost %q", tc.line, shown, tc.word)
		}
	}
}

// TestTextCaretUnderWideCharacters checks the whole text report.
func TestTextCaretUnderWideCharacters(t *testing.T) {
	data := "FROM alpine:3.19\nRUN echo \"日本語\" && apk add curl\n"
	src := lint.NewSource("Dockerfile", []byte(data))
	start := strings.Index(data, "apk")
	d := lint.Diagnostic{File: "Dockerfile", Range: src.Range(start, start+3), Code: "DL3018", Severity: lint.SeverityWarning, Message: "m"}
	var buf bytes.Buffer
	if err := Text(&buf, []FileResult{{Source: src, Diagnostics: []lint.Diagnostic{d}}}, Summary{}, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	var code, carets string
	for i, l := range lines {
		if strings.HasPrefix(l, "2 | ") {
			code, carets = l, lines[i+1]
		}
	}
	// "日本語" is three runes but six cells: the caret starts at the cell
	// where apk is drawn.
	cell := func(s string, byteAt int) int {
		n := 0
		for _, r := range s[:byteAt] {
			n++
			if r >= 0x2E80 {
				n++
			}
		}
		return n
	}
	if want, got := cell(code, strings.Index(code, "apk")), strings.Index(carets, "^"); want != got {
		t.Errorf("caret at cell %d, apk at cell %d:\n%s\n%s", got, want, code, carets)
	}
}
