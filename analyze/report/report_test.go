package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/gate"
	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestUpdateIsOff fails whenever golden files are being rewritten, so a
// run with -update can never pass by accident.
func TestUpdateIsOff(t *testing.T) {
	if *update {
		t.Fatal("-update is set: golden files were rewritten; run again without it")
	}
}

func example(t *testing.T) *analyze.Result {
	t.Helper()
	ref, err := source.ParseRef("oci:../../testdata/images/example")
	if err != nil {
		t.Fatal(err)
	}
	img, err := source.Open(context.Background(), ref, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	r, err := analyze.Analyze(context.Background(), img, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestGoldenReports(t *testing.T) {
	r := example(t)
	d := gate.DefaultDiveRules()
	maxLayers, minEff := int64(5), 0.5
	gates := gate.Evaluate(r, d, gate.Rules{MaxLayers: &maxLayers, MinEfficiency: &minEff, ForbidPaths: []string{"/var/lib/apt/lists/*"}})
	for _, c := range []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"example.table", func(b *bytes.Buffer) error { return Table(b, r, Options{}) }},
		{"example.json", func(b *bytes.Buffer) error { return JSON(b, r, Options{Entries: true}) }},
		{"example.md", func(b *bytes.Buffer) error { return Markdown(b, r, Options{}) }},
		{"example-ci.table", func(b *bytes.Buffer) error { return Table(b, r, Options{Top: 3, Gates: gates}) }},
		{"example-ci.json", func(b *bytes.Buffer) error { return JSON(b, r, Options{Gates: gates}) }},
		{"example-ci.md", func(b *bytes.Buffer) error { return Markdown(b, r, Options{Top: 3, Gates: gates}) }},
	} {
		var b bytes.Buffer
		if err := c.render(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, c.name, b.Bytes())
	}
}

func TestMarkdownEscapesPipes(t *testing.T) {
	img := testimg.Image(false, testimg.Step{CreatedBy: "RUN apt-get update | tee log", Layer: testimg.Tar(testimg.File{Name: "a", Body: "x"})})
	dir := testimg.WriteLayout(t, t.TempDir(), img, "")
	ref, _ := source.ParseRef("oci:" + dir)
	si, err := source.Open(context.Background(), ref, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer si.Close()
	r, err := analyze.Analyze(context.Background(), si, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Markdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `RUN apt-get update \| tee log`) {
		t.Errorf("pipe not escaped:\n%s", b.String())
	}
}
