package parser

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	upstream "github.com/moby/buildkit/frontend/dockerfile/parser"
)

// same parses data with this parser and with BuildKit's and reports any
// difference in the AST, warnings, escape token or error.
func same(t *testing.T, name string, data []byte) {
	t.Helper()
	got, gotErr := Parse(bytes.NewReader(data))
	want, wantErr := upstream.Parse(bytes.NewReader(data))
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("%s: error %v, BuildKit says %v", name, gotErr, wantErr)
	}
	if gotErr != nil {
		gl, _ := errLines(gotErr)
		wl, _ := errLines(wantErr)
		if !reflect.DeepEqual(gl, wl) {
			t.Fatalf("%s: error location %v, BuildKit says %v", name, gl, wl)
		}
		return
	}
	if got.EscapeToken != want.EscapeToken {
		t.Errorf("%s: escape token %q, BuildKit says %q", name, got.EscapeToken, want.EscapeToken)
	}
	if !reflect.DeepEqual(got.Warnings, want.Warnings) {
		t.Errorf("%s: warnings differ:\n%+v\n%+v", name, got.Warnings, want.Warnings)
	}
	if !reflect.DeepEqual(got.AST, want.AST) {
		t.Errorf("%s: AST differs:\n%s\nBuildKit:\n%s", name, got.AST.Dump(), want.AST.Dump())
	}
}

func errLines(err error) ([][]upstream.Range, bool) {
	var le *upstream.LocationError
	if !errors.As(err, &le) {
		return nil, false
	}
	return le.Locations, true
}

var cases = []string{
	"FROM a\nRUN b \\\n  c\n",
	"FROM a\nRUN b \\\\\nRUN c\n",
	"FROM a\nRUN b \\  \t\n\n  c\n",
	"# escape=`\nFROM a\nRUN b `\n  c\nRUN d \\\n",
	"FROM a\nRUN \\\n\\\n c\n",
	"\\\nFROM a\n",
	"FROM a\nRUN <<EOF\nx\nEOF\n",
	"FROM a\nCOPY <<A <<-B /x\na\nA\n\tb\n\tB\n",
	"FROM a\nENV a b c\nENV x=1 y=\"2 3\"\nLABEL  a   b\n",
	"FROM\ta\t\tAS\tb\nEXPOSE 1  2\t3\n",
	"FROM a\nRUN <<EOF\nunterminated\n",
	"",
	"# only a comment\n",
	"\ufeffFROM a\r\nRUN b \\\r\n c\r\n",
	"FROM a\nHEALTHCHECK CMD [\"a\", \"b\"]\nONBUILD RUN x \\\n y\n",
	"FROM a\nCMD [\"a\", 1]\n",
	"FROM a\nRUN x\\",
	"FROM a\n   \t  \nRUN x  \\   \n   \t\n y\n",
}

func TestSameAsBuildKit(t *testing.T) {
	for i, c := range cases {
		same(t, "case "+string(rune('A'+i)), []byte(c))
	}
}

// TestSameAsBuildKitOnCorpus compares the two parsers on every file of the
// shared corpus.
func TestSameAsBuildKitOnCorpus(t *testing.T) {
	var files []string
	for _, pattern := range []string{"files/*", "edge/*"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "..", "..", "shared", "corpus", pattern))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("../shared/corpus is absent")
	}
	if testing.Short() {
		files = files[:len(files)/10]
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		same(t, p, data)
	}
}

func FuzzSameAsBuildKit(f *testing.F) {
	for _, c := range cases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) { same(t, "fuzz", data) })
}

func BenchmarkParse(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "..", "shared", "corpus", "files", "*"))
	if len(files) == 0 {
		b.Skip("../shared/corpus is absent")
	}
	var data [][]byte
	for _, p := range files {
		d, _ := os.ReadFile(p)
		data = append(data, d)
	}
	for _, impl := range []struct {
		name  string
		parse func([]byte)
	}{
		{"strata", func(d []byte) { _, _ = Parse(bytes.NewReader(d)) }},
		{"buildkit", func(d []byte) { _, _ = upstream.Parse(bytes.NewReader(d)) }},
	} {
		b.Run(impl.name, func(b *testing.B) {
			for n := 0; n < b.N; n++ {
				for _, d := range data {
					impl.parse(d)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(data)), "ns/file")
		})
	}
}
