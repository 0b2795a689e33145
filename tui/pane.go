package tui

import "strings"

// frame glyphs: thin and rounded for panes, heavy for the focused one, so
// that focus shows without colour too.
type glyphs struct{ tl, tr, bl, br, h, v string }

var (
	thin  = glyphs{"╭", "╮", "╰", "╯", "─", "│"}
	heavy = glyphs{"┏", "┓", "┗", "┛", "━", "┃"}
)

// pane frames lines (cut or padded to fit) in a box of exactly w x h
// cells with title in its top border.
func (s *Styles) pane(title string, lines []string, w, h int, focused bool) string {
	if w < 4 || h < 2 {
		return blank(w, h)
	}
	g, bs := thin, s.Border
	if focused {
		g, bs = heavy, s.Focused
	}
	inner := w - 2
	var b strings.Builder
	t := ""
	if title != "" {
		t = " " + fit(title, min(width(title), inner-3)) + " "
	}
	b.WriteString(bs.Render(g.tl+g.h) + t + bs.Render(strings.Repeat(g.h, max(0, inner-1-width(t)))+g.tr))
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString("\n" + bs.Render(g.v) + fit(line, inner) + bs.Render(g.v))
	}
	b.WriteString("\n" + bs.Render(g.bl+strings.Repeat(g.h, inner)+g.br))
	return b.String()
}

// blank is w x h spaces.
func blank(w, h int) string {
	if h <= 0 {
		return ""
	}
	line := strings.Repeat(" ", max(0, w))
	return strings.TrimSuffix(strings.Repeat(line+"\n", h), "\n")
}
