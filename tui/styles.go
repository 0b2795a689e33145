package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/strata-dev/strata/tui/fstree"
)

// Styles are every style the explorer uses, made by NewStyles alone.
// Without colour, only attributes remain (bold, faint, reverse), and the
// markers and border shapes carry the meaning colour would.
type Styles struct {
	r     *lipgloss.Renderer
	Color bool

	Title, Bold, Faint, Error lipgloss.Style
	// Border is an unfocused pane's frame; Focused the focused one's.
	Border, Focused lipgloss.Style
	// Cursor is the selected row of the focused pane; Selected of others.
	Cursor, Selected lipgloss.Style
	Status           [fstree.NStatus]lipgloss.Style
	// Context is a row shown only for what lies below it (search, filters).
	Context         lipgloss.Style
	Wasted, Finding lipgloss.Style
	Severity        [5]lipgloss.Style
	Help            help.Styles
	// Progress colours (none without colour).
	ProgressFull, ProgressEmpty string
}

// NewStyles builds the styles for r; color false drops every colour.
func NewStyles(r *lipgloss.Renderer, color bool) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	if !color {
		// termenv reads NO_COLOR as "no attributes either", which would
		// hide the cursor row: keep attributes, and set no colour at all.
		r.SetColorProfile(termenv.ANSI)
	}
	s := &Styles{r: r, Color: color}
	plain := r.NewStyle()
	fg := func(st lipgloss.Style, c string) lipgloss.Style {
		if !color {
			return st
		}
		return st.Foreground(lipgloss.Color(c))
	}
	s.Title = plain.Bold(true)
	s.Bold = plain.Bold(true)
	s.Faint = plain.Faint(true)
	s.Error = fg(plain.Bold(true), "9")
	s.Border = fg(plain, "8")
	s.Focused = fg(plain.Bold(true), "12")
	s.Cursor = plain.Reverse(true)
	s.Selected = plain.Bold(true).Underline(true)
	s.Status[fstree.Absent] = plain
	s.Status[fstree.Unchanged] = plain
	s.Status[fstree.Added] = fg(plain, "10")
	s.Status[fstree.Modified] = fg(plain, "11")
	s.Status[fstree.Removed] = fg(plain, "9")
	s.Context = plain.Faint(true)
	s.Wasted = fg(plain, "11")
	s.Finding = fg(plain.Bold(true), "9")
	s.Severity = [5]lipgloss.Style{fg(plain.Bold(true), "9"), fg(plain, "11"), fg(plain, "14"), fg(plain, "12"), plain.Faint(true)}
	key := fg(plain.Bold(true), "7")
	desc := fg(plain, "8")
	if !color {
		desc = plain
	}
	s.Help = help.Styles{ShortKey: key, ShortDesc: desc, ShortSeparator: s.Faint, Ellipsis: s.Faint,
		FullKey: key, FullDesc: desc, FullSeparator: s.Faint}
	if color {
		s.ProgressFull, s.ProgressEmpty = "12", "8"
	}
	return s
}

// profile is the colour profile progress bars render with.
func (s *Styles) profile() termenv.Profile { return s.r.ColorProfile() }
