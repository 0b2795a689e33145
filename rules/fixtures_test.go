package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/strata-dev/strata/lint"
)

// Fixtures live in testdata/rules/*.txtar:
//
//	select: DL3009,DL3019        (optional; default: the file name up to _ or .)
//	-- Dockerfile --
//	FROM debian:12
//	# want DL3009 "apt lists"
//	RUN apt-get update && apt-get install -y curl
//	-- .strata.yaml --          (optional configuration)
//	-- context/NAME --          (optional build context files)
//
// A "# want CODE "regexp" ..." comment expects each named diagnostic on the
// next line that is not itself a want comment, or anywhere in the
// instruction that starts there. Every diagnostic of a code in scope must
// be expected, and every expectation met.

var wantRE = regexp.MustCompile(`(\S+)\s+"((?:[^"\\]|\\.)*)"`)

type expectation struct {
	code  string
	re    *regexp.Regexp
	line  int // the marked line
	first int // lines it covers
	last  int
	met   bool
}

func TestFixtures(t *testing.T) {
	files, _ := filepath.Glob("../testdata/rules/*.txtar")
	if len(files) == 0 {
		t.Fatal("no fixtures found in testdata/rules")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runFixture(t, file) })
	}
}

func runFixture(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	scope := fixtureScope(file, string(ar.Comment))
	var dockerfile []byte
	var cfgText string
	ctx := map[string]string{}
	for _, f := range ar.Files {
		switch {
		case f.Name == "Dockerfile":
			dockerfile = f.Data
		case f.Name == ".strata.yaml":
			cfgText = string(f.Data)
		case strings.HasPrefix(f.Name, "context/"):
			ctx[strings.TrimPrefix(f.Name, "context/")] = string(f.Data)
		}
	}
	if dockerfile == nil {
		t.Fatal("fixture has no -- Dockerfile -- section")
	}
	opts := lint.Options{Preview: true, Severity: map[string]lint.Severity{}}
	for _, code := range scope {
		if r := Lookup(code); r != nil {
			opts.Severity[code] = r.Severity
		}
	}
	if cfgText != "" {
		cfg, err := lint.ParseConfig(".strata.yaml", []byte(cfgText))
		if err != nil {
			t.Fatal(err)
		}
		opts.Settings = lint.Settings{TrustedRegistries: cfg.TrustedRegistries, LabelSchema: cfg.LabelSchema,
			StrictLabels: cfg.StrictLabels, ContextBudget: cfg.ContextBudget}
		opts.Ignore = cfg.Ignored
		for code, sev := range cfg.Override {
			opts.Severity[code] = sev
		}
	}
	if len(ctx) > 0 {
		dir := t.TempDir()
		for name, body := range ctx {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		opts.Context = &lint.BuildContext{Dir: dir}
	}
	res := lint.New(All(), opts).Lint(lint.NewSource("Dockerfile", dockerfile))
	for _, err := range res.RuleErrors {
		t.Errorf("rule error: %v", err)
	}
	exps := expectations(t, res.File)
	inScope := func(code string) bool {
		for _, s := range scope {
			if s == "all" || s == code {
				return true
			}
		}
		return false
	}
	for _, d := range res.Diagnostics {
		if !inScope(d.Code) {
			continue
		}
		matched := false
		for _, e := range exps {
			if !e.met && e.code == d.Code && d.Range.Start.Line >= e.first && d.Range.Start.Line <= e.last && e.re.MatchString(d.Message) {
				e.met, matched = true, true
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d:%d: unexpected %s %q", filepath.Base(file), d.Range.Start.Line, d.Range.Start.Column, d.Code, d.Message)
		}
	}
	for _, e := range exps {
		if !e.met {
			t.Errorf("%s:%d: missing %s matching %q", filepath.Base(file), e.line, e.code, e.re)
		}
	}
}

func fixtureScope(file, comment string) []string {
	for _, line := range strings.Split(comment, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "select:"); ok {
			var out []string
			for _, c := range strings.Split(v, ",") {
				if c = strings.TrimSpace(c); c != "" {
					out = append(out, c)
				}
			}
			return out
		}
	}
	base := filepath.Base(file)
	if i := strings.IndexAny(base, "_."); i > 0 {
		base = base[:i]
	}
	return []string{base}
}

func expectations(t *testing.T, f *lint.File) []*expectation {
	var out []*expectation
	var pending []*expectation
	src := f.Source
	for n := 1; n <= src.LineCount(); n++ {
		line := strings.TrimSpace(src.Line(n))
		if rest, ok := strings.CutPrefix(line, "# want "); ok {
			for _, m := range wantRE.FindAllStringSubmatch(rest, -1) {
				re, err := regexp.Compile(m[2])
				if err != nil {
					t.Fatalf("line %d: %v", n, err)
				}
				pending = append(pending, &expectation{code: m[1], re: re, line: n})
			}
			continue
		}
		if len(pending) == 0 {
			continue
		}
		last := n
		for _, ins := range f.Instructions {
			if ins.StartLine == n {
				last = ins.FullRange().End.Line
			}
		}
		for _, e := range pending {
			e.first, e.last = n, last
		}
		out = append(out, pending...)
		pending = nil
	}
	if len(pending) > 0 {
		t.Fatalf("want comment at line %d marks nothing", pending[0].line)
	}
	return out
}
