package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// wastedPane lists the paths whose stored copies do not all survive:
// stored more than once, or deleted later, biggest first, with the layers
// that stored and shadowed each copy. enter shows the path in the tree.
type wastedPane struct {
	ix   *index
	st   *Styles
	keys *keyMap
	nav  listNav
	w, h int
}

func newWastedPane(ix *index, st *Styles, keys *keyMap) *wastedPane {
	p := &wastedPane{ix: ix, st: st, keys: keys}
	p.nav.setLen(len(ix.waste))
	return p
}

// SetSize sets the outer size, frame included.
func (p *wastedPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.nav.setHeight(h - 3)
}

// Update moves the cursor; enter returns the row to show in the tree.
func (p *wastedPane) Update(msg tea.KeyMsg) *wasteRow {
	if p.nav.navigate(p.keys, msg) {
		return nil
	}
	if key.Matches(msg, p.keys.Jump) && p.nav.cursor < len(p.ix.waste) {
		return &p.ix.waste[p.nav.cursor]
	}
	return nil
}

// ShortHelp is the pane's own keys for the help bar (help.KeyMap).
func (p *wastedPane) ShortHelp() []key.Binding { return []key.Binding{p.keys.Jump, p.keys.Back} }

// layers says which layer stored each copy and which shadowed it: 4→5.
func (w *wasteRow) layers() string {
	var parts []string
	for _, c := range w.copies {
		parts = append(parts, strconv.Itoa(c.StoredIn+1)+"→"+strconv.Itoa(c.ShadowedBy+1))
	}
	return strings.Join(parts, ",")
}

func (w *wasteRow) causeText() string {
	var parts []string
	for _, c := range w.causes {
		parts = append(parts, string(c))
	}
	return strings.Join(parts, ",")
}

// View draws the pane.
func (p *wastedPane) View(focused bool) string {
	inner := p.w - 2
	lines := []string{p.st.Faint.Render(fit(fmt.Sprintf("%8s  %-9s %-7s %s", "Wasted", "Cause", "Layers", "Path"), inner))}
	from, to := p.nav.visible()
	for i := from; i < to; i++ {
		row := &p.ix.waste[i]
		head := fmt.Sprintf("%8s  %-9s %-7s ", size(row.bytes), row.causeText(), row.layers())
		text := head + middle(row.path, max(1, inner-width(head)))
		switch {
		case i == p.nav.cursor && focused:
			text = p.st.Cursor.Render(fit(text, inner))
		case i == p.nav.cursor:
			text = p.st.Selected.Render(fit(text, inner))
		}
		lines = append(lines, text)
	}
	if len(p.ix.waste) == 0 {
		lines = append(lines, p.st.Faint.Render("nothing wasted: every stored copy survives"))
	}
	f := p.ix.r.Figures
	title := fmt.Sprintf("Wasted %s in %d paths", size(f.Wasted), len(p.ix.waste))
	return p.st.pane(title, lines, p.w, p.h, focused)
}

// FullHelp is the pane's keys in one column (help.KeyMap).
func (p *wastedPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
