package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// FromAsCasing reports `FROM ... as name` where the keywords' cases differ.
var FromAsCasing = register(&lint.Rule{
	Code:     "FromAsCasing",
	Name:     "from-as-casing",
	Summary:  "Write `AS` in the same case as `FROM`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports the `AS` of a named stage when `FROM` is all upper case and `AS` is not, or `FROM` is all lower " +
			"case and `as` is not. A mixed-case `From` is left to `ConsistentInstructionCasing`." + bkStops,
		Why: "Both keywords are case-insensitive; mixing their cases (`FROM golang AS build` next to `FROM golang as build`) is noise that makes stage definitions harder to read and to search for.",
		Fix: "Write `AS` with `FROM` and `as` with `from` (the fix does it).",
	},
	Examples: []lint.Example{
		{Title: "Lower-case as", Dockerfile: "FROM golang:1.23 as build\nRUN go version\n", Want: []string{"1:18"}},
		{Title: "Matching cases", Dockerfile: "FROM golang:1.23 AS build\nfrom build as test\n"},
	},
	Check: checkBuildKit,
})

// fromAsCasing is BuildKit's doesFromCaseMatchAsCase on FROM instruction i.
func (s *bkSim) fromAsCasing(i int, ins *lint.Instruction, args []string) {
	if len(args) < 3 {
		return
	}
	kw, as := ins.Keyword, args[1]
	var want string
	switch kw {
	case strings.ToLower(kw):
		want = strings.ToLower(as)
	case strings.ToUpper(kw):
		want = strings.ToUpper(as)
	default:
		return
	}
	if as == want {
		return
	}
	r := wordRange(ins, args, 1)
	s.add(bkFinding{
		rule: "FromAsCasing", ins: i, rng: r,
		msg:  "'" + as + "' does not match the casing of '" + kw + "'",
		help: "write " + kw + " ... " + want + " " + args[2],
		fix:  &lint.Fix{Title: "write " + want, Edits: []lint.Edit{{Range: r, NewText: want}}},
	}, ins.Node.PrevComment)
}

// wordRange is the range of BuildKit's argument n of an instruction: the
// model's argument when they agree, else the word's first occurrence.
func wordRange(ins *lint.Instruction, args []string, n int) lint.Range {
	if len(ins.Args) == len(args) && ins.Args[n].Value == args[n] {
		return ins.Args[n].Range
	}
	k := 0
	for _, a := range args[:n] {
		if a == args[n] {
			k++
		}
	}
	if r, ok := findWord(ins, args[n], k); ok {
		return r
	}
	return ins.ArgsRange()
}
