package report

import (
	"bytes"
	"testing"

	"github.com/strata-dev/strata/lint"
)

func TestGitHubEscaping(t *testing.T) {
	src := lint.NewSource("a,b:c%d/Dockerfile", []byte("FROM x\n"))
	d := lint.Diagnostic{
		File: src.Path, Code: "X1", Severity: lint.SeverityInfo,
		Range:   src.Range(0, 4),
		Message: "100% wrong:\r\nsecond line", Help: "fix, then: retry",
	}
	var buf bytes.Buffer
	if err := GitHub(&buf, []FileResult{{Source: src, Diagnostics: []lint.Diagnostic{d}}}, Summary{}, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "::notice file=a%2Cb%3Ac%25d/Dockerfile,line=1,col=1,endLine=1,endColumn=5,title=X1::100%25 wrong:%0D%0Asecond line%0Ahelp: fix, then: retry\n"
	if buf.String() != want {
		t.Errorf("got  %q\nwant %q", buf.String(), want)
	}
}
