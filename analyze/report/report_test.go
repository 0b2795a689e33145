package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
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

// JSON streams the layers' entries; what it writes is exactly what
// encoding/json makes of the whole jsonReport value (so the documented
// schema, the field order and the escaping are encoding/json's), with and
// without entries, gates, attribution, and with no layers at all.
func TestJSONStreamsWhatEncodingJSONWrites(t *testing.T) {
	r := example(t)
	gates := gate.Evaluate(r, gate.DefaultDiveRules(), gate.Rules{})
	withAttr := *r
	withAttr.Attribution = &analyze.Attribution{Dockerfile: "Dockerfile", Method: "history",
		Savings: []analyze.Saving{{Rule: "DL3009", Kind: "rule", Bytes: 10, Message: "<lists> & more"}}}
	noLayers := *r
	noLayers.Layers = nil
	for _, c := range []struct {
		name string
		r    *analyze.Result
		o    Options
	}{
		{"entries", r, Options{Entries: true}},
		{"no entries", r, Options{}},
		{"gates", r, Options{Entries: true, Gates: gates}},
		{"attribution", &withAttr, Options{Entries: true}},
		{"no layers", &noLayers, Options{Entries: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := wholeJSON(t, c.r, c.o)
			var got bytes.Buffer
			if err := JSON(&got, c.r, c.o); err != nil {
				t.Fatal(err)
			}
			if got.String() != want {
				t.Errorf("streamed JSON differs from encoding/json's:\n%s\nwant:\n%s", got.String(), want)
			}
		})
	}
}

// wholeJSON encodes the report in one piece, entries included.
func wholeJSON(t *testing.T, r *analyze.Result, o Options) string {
	t.Helper()
	rep := jsonReportOf(r, o)
	if o.Entries {
		for i := range rep.Layers {
			for k := range r.Layers[i].Entries {
				rep.Layers[i].Entries = append(rep.Layers[i].Entries, entryJSON(r, &r.Layers[i].Entries[k]))
			}
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A write error stops the report and is returned.
func TestJSONWriteError(t *testing.T) {
	r := example(t)
	if err := JSON(failingWriter{}, r, Options{Entries: true}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// BenchmarkJSONManyEntries renders the JSON report, entries included, of
// a 100,000-file image: the report streams its entries, so its memory is
// what one entry needs, not the whole document.
func BenchmarkJSONManyEntries(b *testing.B) {
	dir := b.TempDir()
	if err := testimg.WriteManyFiles(dir, 100_000, 25_000); err != nil {
		b.Fatal(err)
	}
	ref, _ := source.ParseRef("oci:" + dir)
	img, err := source.Open(context.Background(), ref, source.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	r, err := analyze.Analyze(context.Background(), img, analyze.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := JSON(io.Discard, r, Options{Entries: true}); err != nil {
			b.Fatal(err)
		}
	}
}
