package lint

import (
	"fmt"
	"github.com/strata-dev/strata/internal/lazyre"
	"strings"
)

// RefKind is the form a rule-list entry may take.
type RefKind int

// Rule-list entry forms.
const (
	// RefSelector is an entry of select or ignore: ALL, a rule code, a
	// prefix of at least one code, a rule name, or a ShellCheck code or
	// prefix (SC followed by digits).
	RefSelector RefKind = iota
	// RefCode is an entry of a severity override: a rule code exactly, or
	// a ShellCheck code.
	RefCode
)

// shellCheckRef is what selection accepts for ShellCheck's open-ended
// family: SC, SC2, SC2086, ...
var shellCheckRef = lazyre.New(`^SC[0-9]*$`)

// ForeignCodes are real codes of the tools strata follows that name no
// strata rule: hadolint's retired rules (DL3005, DL3017, DL3031 and DL3039
// were removed from hadolint; old configurations and comments still name
// them) and BuildKit's InvalidBaseImagePlatform, which needs the base
// image's metadata and so is not a lint check here. They are accepted
// wherever a code is (configuration, flags, suppressions), and match
// nothing.
var ForeignCodes = map[string]bool{
	"DL3005": true, "DL3017": true, "DL3031": true, "DL3039": true,
	"InvalidBaseImagePlatform": true,
}

// CheckRuleRef reports an error when a rule-list entry (from --select,
// --ignore, --severity-override or the configuration file) matches no rule
// of the registry, so that a misspelt code is not silently ignored. Codes
// are matched with their exact case, as hadolint does; names and ALL in any
// case, as selection does.
func CheckRuleRef(registry []*Rule, ref string, kind RefKind) error {
	s := strings.TrimSpace(ref)
	if s == "" {
		return fmt.Errorf("empty rule code")
	}
	all := withBuiltins(registry)
	if shellCheckRef().MatchString(s) || ForeignCodes[s] {
		return nil
	}
	for _, r := range all {
		if s == r.Code {
			return nil
		}
		if kind == RefSelector {
			if strings.EqualFold(s, "ALL") || strings.EqualFold(s, r.Name) || strings.HasPrefix(r.Code, s) {
				return nil
			}
		}
	}
	msg := fmt.Sprintf("unknown rule code %q", s)
	if kind == RefSelector {
		msg = fmt.Sprintf("unknown rule code, prefix or name %q", s)
	}
	if kind == RefCode {
		for _, r := range all {
			if strings.HasPrefix(r.Code, s) {
				return fmt.Errorf("%s: a severity override takes whole rule codes, not prefixes", msg)
			}
		}
	}
	if hint := suggestRef(all, s, kind); hint != "" {
		return fmt.Errorf("%s: did you mean %s?", msg, hint)
	}
	return fmt.Errorf("%s (strata rules lists them)", msg)
}

func withBuiltins(registry []*Rule) []*Rule {
	seen := map[string]bool{}
	var out []*Rule
	for _, r := range append(Builtins(), registry...) {
		if !seen[r.Code] {
			seen[r.Code] = true
			out = append(out, r)
		}
	}
	return out
}

// suggestRef finds what a wrong entry probably meant: the code it spells in
// another case, the code of a rule it names (for overrides, which take
// codes), or the nearest code or name by a small edit.
func suggestRef(all []*Rule, s string, kind RefKind) string {
	if shellCheckRef().MatchString(strings.ToUpper(s)) {
		return strings.ToUpper(s)
	}
	for _, r := range all {
		if strings.EqualFold(s, r.Code) {
			return r.Code
		}
	}
	for _, r := range all {
		if strings.EqualFold(s, r.Name) {
			return r.Code
		}
	}
	if kind == RefSelector {
		for _, r := range all {
			if len(r.Code) > len(s) && strings.EqualFold(r.Code[:len(s)], s) {
				return r.Code[:len(s)]
			}
		}
	}
	best, bestD := "", 3
	if len(s) < 4 {
		bestD = 2
	}
	for _, r := range all {
		cands := []string{r.Code}
		if kind == RefSelector {
			cands = append(cands, r.Name)
		}
		for _, c := range cands {
			if c == "" || c == ShellCheckRule.Code {
				continue
			}
			if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
				best, bestD = c, d
			}
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
