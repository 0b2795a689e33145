package rules

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

var update = flag.Bool("update", false, "rewrite generated docs and golden files")

// TestDocsUpToDate checks that docs/rules matches the rule values; run
// `go test ./rules -run Docs -update` to regenerate.
func TestDocsUpToDate(t *testing.T) {
	dir := filepath.Join("..", "docs", "rules")
	want := map[string][]byte{"README.md": []byte(indexMarkdown())}
	for _, r := range All() {
		want[r.Code+".md"] = []byte(lint.RuleMarkdown(r))
	}
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, p := range old {
			if _, ok := want[filepath.Base(p)]; !ok {
				_ = os.Remove(p)
			}
		}
		for name, body := range want {
			if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, body := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("docs/rules/%s is stale: run go test ./rules -run Docs -update", name)
		}
	}
	existing, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, p := range existing {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/rules/%s documents no rule: run go test ./rules -run Docs -update", filepath.Base(p))
		}
	}
}

func TestUpdateFlagOff(t *testing.T) {
	if *update {
		t.Fatal("-update is set: golden files and docs were rewritten; rerun without it")
	}
}

func indexMarkdown() string {
	var b strings.Builder
	b.WriteString("# Rules\n\nGenerated from the rule definitions in `rules/` (do not edit by hand). " +
		"`strata rules` prints the same list; `strata rules CODE` prints one page.\n\n")
	b.WriteString("| Code | Name | Severity | Fix | Source | Status |\n|---|---|---|---|---|---|\n")
	for _, r := range All() {
		fix := "no"
		if r.Fix != lint.FixNone {
			fix = string(r.Fix)
		}
		status := string(r.Status)
		if r.DefaultOff || r.Experimental {
			status += ", off by default"
		}
		fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s | %s | %s | %s |\n", r.Code, r.Code, r.Name, r.Severity, fix, r.Origin, status)
	}
	return b.String()
}
