package gate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layer"
)

// Result is one gate's outcome.
type Result struct {
	Name   string // the key as configured
	From   string // where the limit came from: "default", "flag", ".dive-ci" or ".strata.yaml"
	Limit  string
	Actual string
	Pass   bool
	Skip   bool // disabled
	Detail string
}

// Status is PASS, FAIL or SKIP.
func (r Result) Status() string {
	switch {
	case r.Skip:
		return "SKIP"
	case r.Pass:
		return "PASS"
	}
	return "FAIL"
}

// Passed reports whether no gate failed.
func Passed(rs []Result) bool {
	for _, r := range rs {
		if !r.Skip && !r.Pass {
			return false
		}
	}
	return true
}

func ratio(f float64) string  { return strconv.FormatFloat(f, 'f', 4, 64) }
func bytes(n int64) string    { return strconv.FormatInt(n, 10) }
func fbytes(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) }

// Evaluate runs dive's rules on dive's figures and strata's rules on
// strata's figures, in a fixed order.
func Evaluate(r *analyze.Result, d DiveRules, s Rules) []Result {
	var out []Result
	dv := r.Dive
	dive := func(name string, limit *float64, actual float64, show func(float64) string, fail func(a, l float64) bool) {
		g := Result{Name: name, From: d.origin(name), Actual: show(actual)}
		if limit == nil {
			g.Skip, g.Limit = true, "disabled"
		} else {
			g.Limit, g.Pass = show(*limit), !fail(actual, *limit)
		}
		out = append(out, g)
	}
	// dive compares with < and >, so NaN passes and +Inf fails, as in dive.
	dive("lowestEfficiency", d.LowestEfficiency, dv.Efficiency, ratio, func(a, l float64) bool { return a < l })
	dive("highestWastedBytes", d.HighestWastedBytes, float64(dv.WastedBytes), fbytes, func(a, l float64) bool { return a > l })
	dive("highestUserWastedPercent", d.HighestUserWastedPercent, dv.UserWastedPercent, diveRatio, func(a, l float64) bool { return a > l })

	f := r.Figures
	own := func(name string, set bool, limit, actual string, pass bool, detail string) {
		if !set {
			return
		}
		out = append(out, Result{Name: name, From: FromStrata, Limit: limit, Actual: actual, Pass: pass, Detail: detail})
	}
	if s.MaxSize != nil {
		own("max-size", true, bytes(*s.MaxSize), bytes(f.TotalSize), f.TotalSize <= *s.MaxSize, "")
	}
	if s.MaxLayerSize != nil {
		big, which := int64(0), 0
		for _, l := range r.Layers {
			if l.Size > big {
				big, which = l.Size, l.Index+1
			}
		}
		own("max-layer-size", true, bytes(*s.MaxLayerSize), bytes(big), big <= *s.MaxLayerSize, fmt.Sprintf("largest: layer %d", which))
	}
	if s.MaxLayers != nil {
		own("max-layers", true, bytes(*s.MaxLayers), strconv.Itoa(f.Layers), int64(f.Layers) <= *s.MaxLayers, "")
	}
	if s.MaxWastedBytes != nil {
		own("max-wasted-bytes", true, bytes(*s.MaxWastedBytes), bytes(f.Wasted), f.Wasted <= *s.MaxWastedBytes, "")
	}
	if s.MinEfficiency != nil {
		own("min-efficiency", true, ratio(*s.MinEfficiency), ratio(f.Efficiency), f.Efficiency >= *s.MinEfficiency, "")
	}
	if len(s.ForbidPaths) > 0 {
		n, size, first := forbidden(r, s.ForbidPaths)
		detail := ""
		if n > 0 {
			detail = "first: " + first
		}
		own("forbid-paths", true, strings.Join(s.ForbidPaths, ", "), fmt.Sprintf("%d paths, %d bytes", n, size), n == 0, detail)
	}
	return out
}

func diveRatio(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ratio(f)
}

// forbidden counts final-file-system paths matching any glob.
func forbidden(r *analyze.Result, globs []string) (int, int64, string) {
	if len(r.Layers) == 0 {
		return 0, 0, ""
	}
	n, size, first := 0, int64(0), ""
	r.View(len(r.Layers) - 1).Walk(func(id analyze.PathID, e *analyze.Entry) bool {
		p := r.Paths.String(id)
		for _, g := range globs {
			if analyze.MatchPath(g, p) {
				if e != nil && e.Type != layer.Dir {
					n++
					if first == "" {
						first = p
					}
					if e != nil {
						size += e.Size
					}
				}
				return true
			}
		}
		return true
	})
	return n, size, first
}
