package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/strata-dev/strata/lint"
)

// referenceJSON is the report as encoding/json writes it.
func referenceJSON(t testing.TB, results []FileResult, summary Summary) []byte {
	out := jsonReport{Diagnostics: []jsonDiagnostic{}, Summary: summary}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			out.Diagnostics = append(out.Diagnostics, toJSON(d))
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func diag(msg string, fix *lint.Fix) lint.Diagnostic {
	return lint.Diagnostic{File: "a/" + msg, Code: "DL3008", Name: "n", Severity: lint.SeverityWarning, Message: msg,
		Help: msg, URL: "https://x/y?a=1&b=<2>", Fix: fix,
		Range: lint.Range{Start: lint.Pos{Line: 1, Column: 2}, End: lint.Pos{Line: 3, Column: 4}}}
}

func checkSame(t *testing.T, results []FileResult, unreadable ...FileError) {
	t.Helper()
	sum := Summarize(results, lint.DefaultThreshold)
	sum.FileErrors = unreadable
	var got bytes.Buffer
	if err := JSON(&got, results, sum); err != nil {
		t.Fatal(err)
	}
	if want := referenceJSON(t, results, sum); !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("hand-written JSON differs from encoding/json:\n--- got\n%s\n--- want\n%s", got.Bytes(), want)
	}
}

func TestJSONMatchesEncodingJSON(t *testing.T) {
	fix := &lint.Fix{Title: "t\"q", Kind: lint.FixSafe, Edits: []lint.Edit{{NewText: "x\ny"}, {NewText: ""}}}
	checkSame(t, nil)
	checkSame(t, []FileResult{{Diagnostics: []lint.Diagnostic{
		diag("plain", nil),
		diag("quote \" backslash \\ tab \t nl \n cr \r bs \b ff \f nul \x00 esc \x1b del \x7f", fix),
		diag("unicode ünï 日本 \u2028 \u2029 emoji 🐳 html <&>", &lint.Fix{Title: "none", Kind: lint.FixUnsafe}),
		diag("bad utf8 \xff\xfe end", nil),
		{Message: "", File: ""},
	}}})
}

// The files that could not be read are listed in the summary, and only
// when there are some.
func TestJSONListsUnreadableFiles(t *testing.T) {
	unreadable := []FileError{{Path: "a<b>&c/Dockerfile", Message: "cannot read a<b>&c/Dockerfile: permission denied"}}
	checkSame(t, nil, unreadable...)
	checkSame(t, []FileResult{{Diagnostics: []lint.Diagnostic{diag("x", nil)}}}, unreadable...)
	sum := Summarize(nil, lint.DefaultThreshold)
	sum.FileErrors = unreadable
	var got bytes.Buffer
	if err := JSON(&got, nil, sum); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Summary struct {
			Unreadable []struct{ File, Error string }
		}
	}
	if err := json.Unmarshal(got.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Summary.Unreadable) != 1 || rep.Summary.Unreadable[0].File != "a<b>&c/Dockerfile" ||
		rep.Summary.Unreadable[0].Error != unreadable[0].Message {
		t.Errorf("summary.unreadable = %+v", rep.Summary.Unreadable)
	}
	got.Reset()
	if err := JSON(&got, nil, Summarize(nil, lint.DefaultThreshold)); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got.Bytes(), []byte("unreadable")) {
		t.Errorf("a run that read every file lists unreadable ones:\n%s", got.Bytes())
	}
}

func FuzzJSONMatchesEncodingJSON(f *testing.F) {
	f.Add("plain", "x\ny")
	f.Add("\xff\u2028\"", "\x00")
	f.Fuzz(func(t *testing.T, msg, text string) {
		checkSame(t, []FileResult{{Diagnostics: []lint.Diagnostic{
			diag(msg, &lint.Fix{Title: text, Edits: []lint.Edit{{NewText: text}}}), diag(text, nil),
		}}})
	})
}
