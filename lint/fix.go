package lint

import "sort"

// ApplyFixes applies the fixes of diags to data: safe fixes, and unsafe
// ones too when unsafe is true (display-only fixes never). A fix whose
// edits overlap an edit already taken is left for a later round. It
// returns the new text and how many fixes it applied.
func ApplyFixes(data []byte, diags []Diagnostic, unsafe bool) ([]byte, int) {
	type edit struct {
		start, end int
		text       string
	}
	var taken []edit
	overlaps := func(e edit) bool {
		for _, t := range taken {
			if e.start < t.end && t.start < e.end || (e.start == e.end && e.start == t.start) {
				return true
			}
		}
		return false
	}
	applied := 0
	for _, d := range diags {
		f := d.Fix
		if f == nil || len(f.Edits) == 0 || f.Kind == FixDisplay || f.Kind == FixNone || (f.Kind == FixUnsafe && !unsafe) {
			continue
		}
		var edits []edit
		ok := true
		for _, e := range f.Edits {
			x := edit{e.Range.Start.Offset, e.Range.End.Offset, e.NewText}
			if x.start < 0 || x.end > len(data) || x.end < x.start || overlaps(x) {
				ok = false
				break
			}
			edits = append(edits, x)
		}
		if !ok {
			continue
		}
		taken = append(taken, edits...)
		applied++
	}
	if applied == 0 {
		return data, 0
	}
	sort.SliceStable(taken, func(i, j int) bool { return taken[i].start < taken[j].start })
	out := make([]byte, 0, len(data))
	at := 0
	for _, e := range taken {
		out = append(out, data[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, data[at:]...), applied
}
