package rules

import (
	"fmt"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ConsistentInstructionCasing reports instruction keywords whose casing
// differs from the file's majority.
var ConsistentInstructionCasing = register(&lint.Rule{
	Code:     "ConsistentInstructionCasing",
	Name:     "consistent-instruction-casing",
	Summary:  "Write every instruction keyword in the same case, upper or lower",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Counts the instruction keywords written all upper case and all lower case, and reports every keyword " +
			"that is not in the majority's case, including mixed-case ones such as `Run` (a tie counts as upper case). " +
			"As in BuildKit, the `ARG`s before the first `FROM` are neither counted nor checked." + bkStops,
		Why: "Keywords are case-insensitive, so mixed casing is only noise: it makes a Dockerfile harder to scan and " +
			"to search (`grep RUN` misses `run`).",
		Fix: "Write the keyword in the majority's case (the fix does it).",
	},
	Examples: []lint.Example{
		{Title: "One keyword in another case", Dockerfile: "FROM alpine:3.20\nRUN apk add curl\nCopy . /app\n", Want: []string{"3:1"}},
		{Title: "All lower case", Dockerfile: "from alpine:3.20\nrun apk add curl\ncopy . /app\n"},
	},
	Check: checkBuildKit,
})

// instructionCasing is BuildKit's validateCommandCasing.
func (s *bkSim) instructionCasing() {
	lower, upper := 0, 0
	var all []int
	for _, st := range s.stages {
		all = append(all, st.ins)
		all = append(all, st.commands...)
	}
	for _, i := range all {
		kw := s.f.Instructions[i].Keyword
		switch kw {
		case strings.ToLower(kw):
			lower++
		case strings.ToUpper(kw):
			upper++
		}
	}
	majorityLower := lower > upper
	for _, i := range all {
		ins := s.f.Instructions[i]
		kw, want, casing := ins.Keyword, strings.ToUpper(ins.Keyword), "upper"
		if majorityLower {
			want, casing = strings.ToLower(kw), "lower"
		}
		if kw == want {
			continue
		}
		n := upper
		if majorityLower {
			n = lower
		}
		r := ins.KeywordRange()
		s.add(bkFinding{
			rule: "ConsistentInstructionCasing", ins: i, rng: r,
			msg:  fmt.Sprintf("instruction %q is not %s case like the other instructions (%d of %d are)", kw, casing, n, len(all)),
			help: "write " + want,
			fix:  &lint.Fix{Title: "write " + want, Edits: []lint.Edit{{Range: r, NewText: want}}},
		}, nil)
	}
}
