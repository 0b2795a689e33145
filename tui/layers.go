package tui

import (
	"fmt"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// layersPane lists the layers: index, size, markers for waste and
// findings, the Dockerfile line when known and the command on one line.
type layersPane struct {
	ix   *index
	st   *Styles
	keys *keyMap
	nav  listNav
	w, h int
	// involved marks the layers of the selected finding (findings view).
	involved map[int]bool
}

func newLayersPane(ix *index, st *Styles, keys *keyMap) *layersPane {
	p := &layersPane{ix: ix, st: st, keys: keys}
	p.nav.setLen(len(ix.r.Layers))
	return p
}

// SetSize sets the outer size, frame included.
func (p *layersPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.nav.setHeight(h - 2)
}

// Update moves the selection; it reports whether the layer changed.
func (p *layersPane) Update(msg tea.KeyMsg) bool {
	before := p.nav.cursor
	p.nav.navigate(p.keys, msg)
	return p.nav.cursor != before
}

func (p *layersPane) selected() int { return p.nav.cursor }

func (p *layersPane) selectLayer(i int) { p.nav.to(i) }

// ShortHelp is the pane's own keys for the help bar (help.KeyMap).
func (p *layersPane) ShortHelp() []key.Binding { return []key.Binding{p.keys.Up, p.keys.Down} }

// View draws the pane.
func (p *layersPane) View(focused bool) string {
	r := p.ix.r
	inner := p.w - 2
	numW := len(strconv.Itoa(len(r.Layers)))
	lineW := 0
	for i := range r.Layers {
		if n := p.ix.in.note(i); n.Line > 0 {
			lineW = max(lineW, len(strconv.Itoa(n.Line))+1)
		}
	}
	var lines []string
	from, to := p.nav.visible()
	for i := from; i < to; i++ {
		l := &r.Layers[i]
		mark, find, base := " ", " ", " "
		if l.Wasted > 0 {
			mark = "w"
		}
		if p.ix.perLayer[i] > 0 {
			find = "!"
		}
		if l.Base {
			base = "b"
		}
		num := right(strconv.Itoa(i+1), numW)
		tail := fmt.Sprintf(" %8s  ", size(l.Size))
		if lineW > 0 {
			where := ""
			if n := p.ix.in.note(i); n.Line > 0 {
				where = "L" + strconv.Itoa(n.Line)
			}
			tail += fmt.Sprintf("%-*s ", lineW, where)
		}
		cmd := p.ix.layerCommand(i)
		plain := num + " " + base + mark + find + tail
		rest := inner - width(plain)
		var text string
		switch {
		case i == p.nav.cursor && focused:
			text = p.st.Cursor.Render(fit(plain+cmd, inner))
		case i == p.nav.cursor:
			text = p.st.Selected.Render(fit(plain+cmd, inner))
		case p.involved[i]:
			text = p.st.Bold.Render(fit(plain+cmd, inner))
		default:
			c := fit(cmd, rest)
			if l.Base {
				c = p.st.Faint.Render(c)
			}
			text = num + " " + base + p.st.Wasted.Render(mark) + p.st.Finding.Render(find) + tail + c
		}
		lines = append(lines, text)
	}
	if len(r.Layers) == 0 {
		lines = append(lines, p.st.Faint.Render("the image has no layers"))
	}
	title := fmt.Sprintf("Layers (%d", len(r.Layers))
	if r.Base.Layers > 0 {
		title += fmt.Sprintf(", %d base", r.Base.Layers)
	}
	title += ")"
	return p.st.pane(title, lines, p.w, p.h, focused)
}

// FullHelp is the pane's keys in one column (help.KeyMap).
func (p *layersPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
