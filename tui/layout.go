package tui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// The smallest screen the panes are drawn on; below it a notice is shown.
const (
	minWidth  = 60
	minHeight = 16
)

// rect is a pane's place on the screen.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// geometry is where the panes are: a title line, the layers pane above
// the details pane on the left, the main view (tree, wasted, findings) on
// the right, and the help line.
type geometry struct {
	bodyH                  int
	layers, details, mainR rect
}

// layout computes the geometry for the screen size and sizes the panes.
func (m *Model) layout() {
	if m.state != exploring || m.w == 0 {
		return
	}
	bodyH := max(4, m.h-2)
	leftW := max(28, min(m.w*2/5, 64))
	mainW := m.w - leftW
	layersH := max(4, min(len(m.ix.r.Layers)+2, bodyH/2))
	g := geometry{bodyH: bodyH,
		layers:  rect{0, 1, leftW, layersH},
		details: rect{0, 1 + layersH, leftW, bodyH - layersH},
		mainR:   rect{leftW, 1, mainW, bodyH}}
	m.geo = g
	m.layers.SetSize(g.layers.w, g.layers.h)
	m.details.SetSize(g.details.w, g.details.h)
	m.tree.SetSize(g.mainR.w, g.mainR.h)
	m.wasted.SetSize(g.mainR.w, g.mainR.h)
	m.findings.SetSize(g.mainR.w, g.mainR.h)
}

// wheelStep is how many rows a wheel notch scrolls.
const wheelStep = 3

// mouse focuses and scrolls the pane under the pointer; a click selects
// the row under it (a click on the selected directory opens or closes it).
func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	if m.state != exploring || m.showHelp || m.w < minWidth || m.h < minHeight {
		return nil
	}
	wheel := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		wheel = -wheelStep
	case tea.MouseButtonWheelDown:
		wheel = wheelStep
	case tea.MouseButtonLeft:
		if msg.Action != tea.MouseActionPress {
			return nil
		}
	default:
		return nil
	}
	g := m.geo
	if wheel == 0 && !g.mainR.contains(msg.X, msg.Y) && m.tree.typing {
		m.tree.typing = false // a click elsewhere ends typing; the filter stays
		m.tree.input.Blur()
	}
	switch {
	case g.layers.contains(msg.X, msg.Y):
		before := m.layers.selected()
		if wheel != 0 {
			m.layers.nav.scroll(wheel)
		} else {
			m.focus = focusLayers
			if i := m.layers.nav.rowAt(msg.Y - g.layers.y - 1); i >= 0 {
				m.layers.nav.to(i)
			}
		}
		if m.layers.selected() != before {
			return m.layerSelected(true)
		}
	case g.details.contains(msg.X, msg.Y):
		if wheel != 0 {
			m.details.scroll(wheel)
		} else {
			m.focus = focusDetails
		}
	case g.mainR.contains(msg.X, msg.Y):
		return m.mouseMain(wheel, msg.Y-g.mainR.y-2) // frame and column header
	}
	return nil
}

func (m *Model) mouseMain(wheel, y int) tea.Cmd {
	if wheel == 0 {
		m.focus = focusMain
	}
	switch m.main {
	case viewWasted:
		if wheel != 0 {
			m.wasted.nav.scroll(wheel)
		} else if i := m.wasted.nav.rowAt(y); i >= 0 {
			m.wasted.nav.to(i)
		}
	case viewFindings:
		before := m.findings.nav.cursor
		if wheel != 0 {
			m.findings.nav.scroll(wheel)
		} else if i := m.findings.nav.rowAt(y); i >= 0 {
			m.findings.nav.to(i)
		}
		if m.findings.nav.cursor != before {
			return m.findingSelected()
		}
	default:
		t := m.tree
		if t.cur == nil {
			return nil
		}
		if wheel != 0 {
			t.nav.scroll(wheel)
			t.syncCursor()
			return nil
		}
		i := t.nav.rowAt(y)
		if i < 0 {
			return nil
		}
		if i == t.nav.cursor && t.cur.layer.IsDir(t.cur.rows[i].ID) {
			return t.setCollapsed(i, !t.activeCollapsed().Has(t.cur.rows[i].ID))
		}
		t.nav.to(i)
		t.syncCursor()
	}
	return nil
}
