package rules

import (
	"maps"
	"slices"

	"github.com/strata-dev/strata/lint"
)

// UndefinedArgInFrom reports a variable in FROM that no global ARG
// declares.
var UndefinedArgInFrom = register(&lint.Rule{
	Code:     "UndefinedArgInFrom",
	Name:     "undefined-arg-in-from",
	Summary:  "Declare every variable used in FROM with an ARG before the first FROM",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a variable in a `FROM` image or `--platform` that is neither declared by an `ARG` before the " +
			"first `FROM` nor one of the predefined platform ARGs (`BUILDPLATFORM`, `TARGETPLATFORM`, `TARGETOS`, " +
			"`TARGETARCH`, `TARGETVARIANT`, their `BUILD*` twins, `TARGETSTAGE`). The message suggests a declared " +
			"name when one is close." + bkStops,
		Why: "`FROM` sees only the global ARGs: an ARG declared inside a stage, an ENV, or a misspelt name expands to " +
			"an empty string, and the build uses another image than intended or fails.",
		Fix: "Declare the variable before the first `FROM` (`ARG GO_VERSION=1.23`), or correct its spelling.",
	},
	Examples: []lint.Example{
		{Title: "A misspelt ARG", Dockerfile: "ARG GO_VERSION=1.23\nFROM golang:${GO_VERSON}\n", Want: []string{"2:13"}},
		{Title: "Declared, and a predefined ARG", Dockerfile: "ARG GO_VERSION=1.23\nFROM --platform=$BUILDPLATFORM golang:${GO_VERSION}\n"},
	},
	Check: checkBuildKit,
})

// undefinedArgInFrom is BuildKit's reportUnusedFromArgs for a stage.
func (s *bkSim) undefinedArgInFrom(st *bkStage, unmatched map[string]struct{}, comments []string) {
	if len(unmatched) == 0 {
		return
	}
	known := maps.Clone(s.declared)
	for _, k := range s.globalArgs.Keys() {
		known[k] = struct{}{}
	}
	options := slices.Sorted(maps.Keys(known))
	for _, name := range sortedKeys(unmatched) {
		if _, ok := known[name]; ok {
			continue
		}
		s.add(bkFinding{
			rule: "UndefinedArgInFrom", ins: st.ins, rng: s.varRange(bkCmd{ins: st.ins, src: s.f.Instructions[st.ins]}, name),
			msg:  "FROM uses $" + name + ", which no ARG before the first FROM declares" + didYouMean(name, options),
			help: "declare it before the first FROM: ARG " + name + "=<default>",
		}, comments)
	}
}
