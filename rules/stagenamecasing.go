package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// StageNameCasing reports stage names that are not lower case.
var StageNameCasing = register(&lint.Rule{
	Code:     "StageNameCasing",
	Name:     "stage-name-casing",
	Summary:  "Write stage names in lower case",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports a stage name (`FROM image AS Name`) with upper-case letters." + bkStops,
		Why: "BuildKit lower-cases stage names: `AS Builder` defines `builder`, `COPY --from=Builder` and " +
			"`--target Builder` find it case-insensitively, but `FROM Builder` does not (it is read as an image name, " +
			"which cannot have upper-case letters). Writing the name as BuildKit stores it avoids the surprise.",
		Fix: "Write the name in lower case (the fix renames the definition; references are case-insensitive).",
	},
	Examples: []lint.Example{
		{Title: "Upper-case letters", Dockerfile: "FROM golang:1.23 AS Build\nRUN go version\n", Want: []string{"1:21"}},
		{Title: "Lower case", Dockerfile: "FROM golang:1.23 AS build\nRUN go version\n"},
	},
	Check: checkBuildKit,
})

// stageNameCasing is BuildKit's isLowerCaseStageName on FROM instruction i.
func (s *bkSim) stageNameCasing(i int, ins *lint.Instruction, args []string) {
	if len(args) != 3 || args[2] == strings.ToLower(args[2]) {
		return
	}
	name, want := args[2], strings.ToLower(args[2])
	r := wordRange(ins, args, 2)
	f := bkFinding{
		rule: "StageNameCasing", ins: i, rng: r,
		msg:  "stage name '" + name + "' is not lower case",
		help: "write stage names in lower case",
	}
	if validStageName().MatchString(want) {
		f.msg += ": BuildKit stores it as '" + want + "'"
		f.help = "rename the stage to " + want
		f.fix = &lint.Fix{Title: "rename to " + want, Edits: []lint.Edit{{Range: r, NewText: want}}}
	}
	s.add(f, ins.Node.PrevComment)
}

// validStageName is BuildKit's rule for stage names (once lower-cased).
var validStageName = lazyre.New(`^[a-z][a-z0-9-_.]*$`)
