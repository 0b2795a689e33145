package tui

import (
	"fmt"
	"slices"

	"github.com/strata-dev/strata/analyze"
)

// syncNote shows the selected finding or wasted path in the details pane
// while their view is open.
func (m *Model) syncNote() {
	if m.state != exploring {
		return
	}
	var note []string
	switch m.main {
	case viewFindings:
		if f := m.findings.selected(); f != nil {
			note = findingNote(m.ix.in, f)
		}
	case viewWasted:
		if i := m.wasted.nav.cursor; i < len(m.ix.waste) {
			note = wasteNote(&m.ix.waste[i])
		}
	}
	if !slices.Equal(note, m.details.note) {
		m.details.SetNote(note)
	}
}

func findingNote(in *Input, f *Finding) []string {
	note := []string{fmt.Sprintf("%s %s (%s)", f.Severity, f.Code, f.Source), f.Message}
	if f.Path != "" {
		note = append(note, "path "+f.Path)
	}
	if f.Line > 0 {
		file := in.Dockerfile
		if file == "" {
			file = "Dockerfile"
		}
		note = append(note, fmt.Sprintf("at %s:%d", file, f.Line))
	}
	if f.Layer >= 0 {
		where := fmt.Sprintf("layer %d", f.Layer+1)
		if f.Base {
			where += " (base image)"
		}
		for _, l := range f.Also {
			where += fmt.Sprintf(", layer %d", l+1)
		}
		if f.Bytes > 0 {
			where += " · " + size(f.Bytes)
		}
		note = append(note, where)
	}
	return append(note, "")
}

func wasteNote(w *wasteRow) []string {
	note := []string{"wasted " + size(w.bytes), w.path}
	for _, c := range w.copies {
		note = append(note, fmt.Sprintf("%s %s: stored in layer %d, %s by layer %d", size(c.Bytes), c.Cause, c.StoredIn+1,
			map[bool]string{true: "deleted", false: "shadowed"}[c.Cause == analyze.CauseDeleted], c.ShadowedBy+1))
	}
	return append(note, "")
}
