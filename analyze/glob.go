package analyze

import (
	"path"
	"strings"
)

// MatchPath matches an absolute path against a glob: "*" and the other
// path.Match forms within one element, "**" across any number of them
// ("/var/lib/apt/lists/**"). A pattern also matches everything below a
// path it matches, so "/root/.cache" covers the files in it.
func MatchPath(pattern, p string) bool {
	pp := strings.Split(strings.Trim(pattern, "/"), "/")
	ps := strings.Split(strings.Trim(p, "/"), "/")
	return matchParts(pp, ps)
}

func matchParts(pp, ps []string) bool {
	for len(pp) > 0 {
		if pp[0] == "**" {
			if len(pp) == 1 {
				return true
			}
			for i := 0; i <= len(ps); i++ {
				if matchParts(pp[1:], ps[i:]) {
					return true
				}
			}
			return false
		}
		if len(ps) == 0 {
			return false
		}
		if ok, err := path.Match(pp[0], ps[0]); err != nil || !ok {
			return false
		}
		pp, ps = pp[1:], ps[1:]
	}
	return true // the rest of ps lies below the match
}

// ValidGlob reports whether a pattern is well formed.
func ValidGlob(pattern string) bool {
	for _, part := range strings.Split(strings.Trim(pattern, "/"), "/") {
		if _, err := path.Match(part, ""); err != nil {
			return false
		}
	}
	return true
}

// literalPrefix is the part of a pattern before its first wildcard.
func literalPrefix(pattern string) string {
	if i := strings.IndexAny(pattern, "*?[\\"); i >= 0 {
		return pattern[:i]
	}
	return pattern
}
