package cli

import (
	"fmt"
	"os"

	"github.com/strata-dev/strata/lint"
	"github.com/strata-dev/strata/lint/report"
)

// maxFixRounds bounds re-linting after fixes: a fix can enable another.
const maxFixRounds = 10

// fixFiles applies the available fixes to each linted file in place, re-lints
// until nothing more applies, and replaces the results with what remains.
// It returns how many fixes were applied.
func fixFiles(inputs []lintInput, results []report.FileResult, linters *linterCache, unsafe bool) (int, error) {
	total := 0
	for i, in := range inputs {
		r := results[i]
		if r.Source == nil || in.stdin {
			continue
		}
		linter, _, err := linters.forFile(in)
		if err != nil {
			return total, err
		}
		data, diags := r.Source.Data, r.Diagnostics
		changed := false
		for round := 0; round < maxFixRounds; round++ {
			fixed, n := lint.ApplyFixes(data, diags, unsafe)
			if n == 0 {
				break
			}
			total += n
			data, changed = fixed, true
			res := linter.Lint(lint.NewSource(in.display, data))
			diags = res.Diagnostics
			results[i] = report.FileResult{Source: res.File.Source, Diagnostics: diags}
		}
		if !changed {
			continue
		}
		mode := os.FileMode(0o644)
		if st, err := os.Stat(in.path); err == nil {
			mode = st.Mode().Perm()
		}
		if err := os.WriteFile(in.path, data, mode); err != nil {
			return total, fmt.Errorf("writing fixes: %w", err)
		}
	}
	return total, nil
}
