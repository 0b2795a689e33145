package rules

import (
	"github.com/strata-dev/strata/lint"
)

// MultipleInstructionsDisallowed reports CMD, ENTRYPOINT and HEALTHCHECK
// instructions that a later one in the same stage overrides.
var MultipleInstructionsDisallowed = register(&lint.Rule{
	Code:     "MultipleInstructionsDisallowed",
	Name:     "multiple-instructions-disallowed",
	Summary:  "Use CMD, ENTRYPOINT and HEALTHCHECK at most once per stage",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` followed by another of the same kind in the same " +
			"stage. As BuildKit does, the finding is on the earlier one: it is the one that has no effect." + bkStops,
		Why:   "Only the last one counts; the others are dead code that readers take for the container's behaviour.",
		Fix:   "Delete the overridden instruction, or merge what it was meant to do into the last one.",
		Peers: "hadolint DL4003 (CMD), DL4004 (ENTRYPOINT), DL3012 (HEALTHCHECK).",
	},
	Examples: []lint.Example{
		{Title: "Two CMDs", Dockerfile: "FROM node:22\nCMD [\"node\", \"a.js\"]\nCMD [\"node\", \"b.js\"]\n", Want: []string{"2:1"}},
		{Title: "One per stage", Dockerfile: "FROM node:22 AS build\nCMD [\"npm\", \"test\"]\nFROM node:22\nCMD [\"node\", \"b.js\"]\n"},
	},
	Check: checkBuildKit,
})

// multipleInstructions reports prev, which c overrides.
func (s *bkSim) multipleInstructions(prev, c bkCmd, kind string) {
	line := s.f.Instructions[c.ins].StartLine
	s.add(bkFinding{
		rule: "MultipleInstructionsDisallowed", ins: prev.ins, rng: s.cmdRange(prev, (*lint.Instruction).KeywordRange),
		msg:  "this " + kind + " has no effect: the " + kind + " on line " + itoa(line) + " replaces it (only the last " + kind + " of a stage counts)" + s.triggerNote(prev),
		help: "delete it, or merge it into the last " + kind,
	}, c.comments)
}
