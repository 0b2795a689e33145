// Package rules holds strata's checks, one rule per file. Each rule is a
// plain lint.Rule value registered at init; the engine in package lint
// knows none of them by name.
package rules

import (
	"sort"

	"github.com/strata-dev/strata/lint"
)

var registry []*lint.Rule

// register adds a rule to the catalog; each rule file calls it once.
func register(r *lint.Rule) *lint.Rule {
	registry = append(registry, r)
	return r
}

var originOrder = map[lint.Origin]int{
	lint.OriginHadolint: 0, lint.OriginBuildKit: 1, lint.OriginShellCheck: 2, lint.OriginStrata: 3,
}

// All returns every rule, the engine's own included, sorted by origin
// (hadolint, BuildKit, ShellCheck, strata) and then by code.
func All() []*lint.Rule {
	out := append(lint.Builtins(), registry...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if originOrder[a.Origin] != originOrder[b.Origin] {
			return originOrder[a.Origin] < originOrder[b.Origin]
		}
		return a.Code < b.Code
	})
	return out
}

// Lookup returns the rule with the given code or name, or nil.
func Lookup(code string) *lint.Rule {
	for _, r := range All() {
		if r.Code == code || r.Name == code {
			return r
		}
	}
	return nil
}
