package rules

import (
	"fmt"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// NoEmptyContinuation reports blank lines inside a continued instruction.
var NoEmptyContinuation = register(&lint.Rule{
	Code:     "NoEmptyContinuation",
	Name:     "no-empty-continuation",
	Summary:  "Do not leave empty lines inside an instruction continued with `\\`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports an instruction continued over several lines (each ending with `\\`, or the `# escape=` " +
			"character) that has empty lines in it. As BuildKit does, the finding is placed on the instruction's last " +
			"line; the message names the empty lines." + bkStops,
		Why: "The parser skips an empty line inside a continuation, so the instruction goes on where a reader " +
			"expects it to end: a forgotten `\\` on the line before the blank one silently swallows the next " +
			"instruction into this one. Docker warns that empty continuation lines will become an error.",
		Fix: "Delete the empty lines (the fix does), or if the instruction was meant to end there, remove the " +
			"trailing `\\` before them.",
	},
	Examples: []lint.Example{
		{Title: "An empty line in a RUN", Dockerfile: "FROM alpine:3.20\nRUN apk add \\\n    curl \\\n\n    git\n", Want: []string{"5:5"}},
		{Title: "No empty line", Dockerfile: "FROM alpine:3.20\nRUN apk add \\\n    curl \\\n    git\n"},
	},
	Check: checkBuildKit,
})

// noEmptyContinuation is BuildKit's parser warning for instruction i,
// reported on its last line.
func (s *bkSim) noEmptyContinuation(i int, ins *lint.Instruction) {
	src := s.f.Source
	lines := ins.EmptyContinuationLines
	nums := make([]string, len(lines))
	fix := &lint.Fix{Title: "delete the empty lines"}
	for k, l := range lines {
		nums[k] = fmt.Sprint(l)
		start := src.LineStart(l)
		end := src.LineStart(l + 1)
		if end <= start {
			end = src.LineEnd(l)
		}
		fix.Edits = append(fix.Edits, lint.Edit{Range: src.Range(start, end), NewText: ""})
	}
	what := "empty line " + nums[0]
	if len(nums) > 1 {
		what = "empty lines " + strings.Join(nums, ", ")
	}
	last := trimmedLine(src, ins.EndLine)
	s.add(bkFinding{
		rule: "NoEmptyContinuation", ins: i, rng: last,
		msg: fmt.Sprintf("%s inside this %s (lines %d-%d): the line continuation skips it",
			what, strings.ToUpper(ins.Kind), ins.StartLine, ins.EndLine),
		help: "delete the empty lines, or end the instruction before them",
		fix:  fix,
	}, nil)
}
