package rules

import (
	"sort"
	"testing"

	"github.com/strata-dev/strata/lint"
)

// applyFixes applies every edit of the diagnostics' fixes to src, from the
// end of the file backwards so that offsets stay valid.
func applyFixes(src string, diags []lint.Diagnostic) string {
	var edits []lint.Edit
	for _, d := range diags {
		if d.Fix != nil {
			edits = append(edits, d.Fix.Edits...)
		}
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Range.Start.Offset > edits[j].Range.Start.Offset })
	out := src
	for _, e := range edits {
		out = out[:e.Range.Start.Offset] + e.NewText + out[e.Range.End.Offset:]
	}
	return out
}

// TestExampleFixes checks that applying the fixes of a bad example gives
// its Fixed text, for the examples that declare one.
func TestExampleFixes(t *testing.T) {
	for _, r := range All() {
		for _, ex := range r.Examples {
			if ex.Fixed == "" {
				continue
			}
			t.Run(r.Code+"/"+ex.Title, func(t *testing.T) {
				got := applyFixes(ex.Dockerfile, lintExample(t, r, ex))
				if got != ex.Fixed {
					t.Errorf("%s: applying the fixes of %q gives\n%s\nwant\n%s", r.Code, ex.Title, got, ex.Fixed)
				}
			})
		}
	}
}
