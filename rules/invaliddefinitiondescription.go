package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// InvalidDefinitionDescription reports a comment above a stage or ARG that
// is not a description of it.
var InvalidDefinitionDescription = register(&lint.Rule{
	Code:         "InvalidDefinitionDescription",
	Name:         "invalid-definition-description",
	Summary:      "A comment right above a named stage or an ARG should describe it: `# <name> <description>`",
	Severity:     lint.SeverityWarning,
	Origin:       lint.OriginBuildKit,
	Status:       lint.StatusStable,
	Since:        "0.1.0",
	Experimental: true,
	Docs: lint.Docs{
		What: "Reports a named `FROM` or an `ARG` whose comment block right above it does not end with a comment " +
			"starting with the stage's or one of the ARG's names. Experimental in BuildKit and off by default here: " +
			"enable it with `# check=experimental=InvalidDefinitionDescription` or `--select InvalidDefinitionDescription`." + strings.TrimSuffix(bkStops, bkSkipNote),
		Why: "Build tools (`docker buildx build --call outline`, `--call targets`) show the comment above a stage or " +
			"argument as its description, but only when it starts with the name. Any other comment there is shown " +
			"as nothing, or mistaken for a description.",
		Fix: "Start the description with the name (`# version the release to build`), or if the comment is not a " +
			"description, separate it from the instruction with an empty comment line (`#`).",
		Differences: "BuildKit's documentation also suggests an empty line as a separator, but its parser keeps the " +
			"comment block across empty lines; strata follows the parser.",
	},
	Examples: []lint.Example{
		{Title: "A comment that is not a description", Dockerfile: "# check=experimental=InvalidDefinitionDescription\nFROM alpine:3.20\n# the version to install\nARG VERSION=1.2\n", Want: []string{"4:5"}},
		{Title: "A description", Dockerfile: "# check=experimental=InvalidDefinitionDescription\nFROM alpine:3.20\n# VERSION the version to install\nARG VERSION=1.2\n"},
	},
	Check: checkBuildKit,
})

// definitionDescription is BuildKit's validateDefinitionDescription on
// instruction i defining names.
func (s *bkSim) definitionDescription(i int, ins *lint.Instruction, kind string, names []string) {
	comments := ins.Node.PrevComment
	if len(comments) == 0 || len(names) == 0 {
		return
	}
	first, _, _ := strings.Cut(comments[len(comments)-1], " ")
	if slices.Contains(names, first) {
		return
	}
	example := names[0]
	if len(names) > 1 {
		example = "<arg_key>"
	}
	r := ins.ArgsRange()
	if kind == "FROM" {
		r = wordRange(ins, nodeArgs(ins.Node), 2)
	} else if len(ins.Args) > 0 {
		r = ins.Args[0].Range
	}
	what := "stage " + names[0]
	if kind == "ARG" {
		what = "ARG " + strings.Join(names, " ")
	}
	s.add(bkFinding{
		rule: "InvalidDefinitionDescription", ins: i, rng: r,
		msg: fmt.Sprintf("the comment above %s is not a description of it: a description starts with the name (`# %s <description>`)",
			what, example),
		help: fmt.Sprintf("start the comment with %q, or put an empty `#` line between it and the %s", example, kind),
	}, nil)
}
