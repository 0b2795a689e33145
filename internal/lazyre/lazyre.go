// Package lazyre compiles regular expressions on first use.
//
// A package-level regexp.MustCompile runs at program start in every
// process, whether or not the expression is ever used: strata's rule
// catalog holds some sixty, about 1 MB of heap and a millisecond that
// `strata analyze` and `strata version` never need. New defers the
// compilation to the first call.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr the first time it is called
// (panicking, as regexp.MustCompile does, if expr is invalid) and returns
// the same *regexp.Regexp on every call. It is safe for concurrent use.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
