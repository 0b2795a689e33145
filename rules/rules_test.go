package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

// lintExample lints an example as a user would, with every default rule
// and r turned on, and returns r's diagnostics.
func lintExample(t *testing.T, r *lint.Rule, ex lint.Example) []lint.Diagnostic {
	t.Helper()
	opts := lint.Options{Preview: true, Severity: map[string]lint.Severity{r.Code: r.Severity}}
	if sc, err := lint.FindShellCheck(); err == nil {
		opts.ShellCheck = sc
	} else if r == lint.ShellCheckRule {
		t.Skip("shellcheck is not on PATH")
	}
	if ex.Config != "" {
		cfg, err := lint.ParseConfig("example.yaml", []byte(ex.Config))
		if err != nil {
			t.Fatalf("example config: %v", err)
		}
		opts.Settings = lint.Settings{TrustedRegistries: cfg.TrustedRegistries, LabelSchema: cfg.LabelSchema,
			StrictLabels: cfg.StrictLabels, ContextBudget: cfg.ContextBudget}
		for code, sev := range cfg.Override {
			opts.Severity[code] = sev
		}
	}
	if len(ex.Context) > 0 || r.NeedsContext {
		dir := t.TempDir()
		for name, body := range ex.Context {
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
	l := lint.New(All(), opts)
	res := l.Lint(lint.NewSource("Dockerfile", []byte(ex.Dockerfile)))
	for _, err := range res.RuleErrors {
		t.Errorf("rule error: %v", err)
	}
	var out []lint.Diagnostic
	for _, d := range res.Diagnostics {
		if d.Code == r.Code || (r == lint.ShellCheckRule && strings.HasPrefix(d.Code, r.Code)) {
			out = append(out, d)
		}
	}
	return out
}

// TestExamples runs every rule's documented examples: a bad example must
// report exactly at its Want positions, a good one must report nothing.
func TestExamples(t *testing.T) {
	for _, r := range All() {
		for i, ex := range r.Examples {
			t.Run(fmt.Sprintf("%s/%d", r.Code, i), func(t *testing.T) {
				got := lintExample(t, r, ex)
				var pos []string
				for _, d := range got {
					pos = append(pos, fmt.Sprintf("%d:%d", d.Range.Start.Line, d.Range.Start.Column))
				}
				if strings.Join(pos, " ") != strings.Join(ex.Want, " ") {
					t.Errorf("%s example %q:\n%s\nwant diagnostics at [%s], got [%s]", r.Code, ex.Title, ex.Dockerfile,
						strings.Join(ex.Want, " "), strings.Join(pos, " "))
					for _, d := range got {
						t.Logf("  %d:%d %s", d.Range.Start.Line, d.Range.Start.Column, d.Message)
					}
				}
				for _, d := range got {
					if d.Message == "" {
						t.Errorf("%s reported an empty message", r.Code)
					}
					if d.Range.End.Offset < d.Range.Start.Offset {
						t.Errorf("%s reported an inverted range %+v", r.Code, d.Range)
					}
				}
			})
		}
	}
}

var (
	kebab      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	codeFormat = regexp.MustCompile(`^(DL\d{4}|ST\d{4}|SC\d{4}|[A-Z][A-Za-z]+)$`)
)

// TestCatalog checks what every rule must carry.
func TestCatalog(t *testing.T) {
	codes := map[string]bool{}
	names := map[string]bool{}
	for _, r := range All() {
		if codes[r.Code] {
			t.Errorf("duplicate code %s", r.Code)
		}
		codes[r.Code] = true
		if names[r.Name] {
			t.Errorf("duplicate name %s", r.Name)
		}
		names[r.Name] = true
		if !codeFormat.MatchString(r.Code) {
			t.Errorf("%s: code is not DLxxxx, STxxxx or a BuildKit rule name", r.Code)
		}
		if !kebab.MatchString(r.Name) {
			t.Errorf("%s: name %q is not kebab-case", r.Code, r.Name)
		}
		if r.Summary == "" || r.Docs.What == "" || r.Docs.Why == "" || r.Docs.Fix == "" {
			t.Errorf("%s: summary and docs (What, Why, Fix) are required", r.Code)
		}
		if r.Severity == lint.SeverityOff {
			t.Errorf("%s: no severity", r.Code)
		}
		if r.Origin == "" || r.Status == "" || r.Since == "" {
			t.Errorf("%s: origin, status and since are required", r.Code)
		}
		if strings.HasPrefix(r.Code, "ST") != (r.Origin == lint.OriginStrata) {
			t.Errorf("%s: ST codes are exactly strata's own rules", r.Code)
		}
		var bad, good int
		for _, ex := range r.Examples {
			if len(ex.Want) > 0 {
				bad++
			} else {
				good++
			}
		}
		if bad == 0 || good == 0 {
			t.Errorf("%s: needs at least one bad and one good example (has %d bad, %d good)", r.Code, bad, good)
		}
	}
}

// TestRegistrySorted checks that All is ordered by origin, then code.
func TestRegistrySorted(t *testing.T) {
	all := All()
	if !sort.SliceIsSorted(all, func(i, j int) bool {
		if originOrder[all[i].Origin] != originOrder[all[j].Origin] {
			return originOrder[all[i].Origin] < originOrder[all[j].Origin]
		}
		return all[i].Code < all[j].Code
	}) {
		t.Error("All() is not sorted by origin and code")
	}
}
