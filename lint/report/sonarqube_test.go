package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

// SonarQube counts columns in UTF-16 code units, as Java does: a
// character outside the Basic Multilingual Plane (an emoji) is two, an
// accented letter one; SARIF and the other formats count code points.
func TestSonarQubeColumnsAreUTF16(t *testing.T) {
	text := "LABEL a=\"🐳é\" b=1\nFROM x\n"
	src := lint.NewSource("Dockerfile", []byte(text))
	at := strings.Index(text, "b=1")
	d := lint.Diagnostic{File: "Dockerfile", Code: "DL3048", Severity: lint.SeverityStyle, Message: "m",
		Range: lint.Range{Start: src.Pos(at), End: src.Pos(at + 3)}}
	if d.Range.Start.Column != 14 { // L A B E L _ a = " 🐳 é " _ then b: the 14th code point
		t.Fatalf("code-point column %d", d.Range.Start.Column)
	}
	var b bytes.Buffer
	if err := SonarQube(&b, []FileResult{{Source: src, Diagnostics: []lint.Diagnostic{d}}}, Summary{}, Options{}); err != nil {
		t.Fatal(err)
	}
	var rep sonarReport
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	tr := rep.Issues[0].PrimaryLocation.TextRange
	if tr == nil || tr.StartColumn == nil || *tr.StartColumn != 14 || *tr.EndColumn != 17 {
		t.Errorf("text range %+v (want 0-based UTF-16 columns 14 to 17: the emoji is two units)", tr)
	}
	// Without the source, the code-point column is kept.
	b.Reset()
	if err := SonarQube(&b, []FileResult{{Diagnostics: []lint.Diagnostic{d}}}, Summary{}, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if tr := rep.Issues[0].PrimaryLocation.TextRange; *tr.StartColumn != 13 {
		t.Errorf("without the source: start %d, want 13", *tr.StartColumn)
	}
}
