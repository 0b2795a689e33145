package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// findingsPane lists lint and image findings, each linked to its layer.
// Moving in the layers pane filters the list to that layer; moving here
// selects the finding's layer there (see model.go).
type findingsPane struct {
	ix   *index
	st   *Styles
	keys *keyMap
	nav  listNav
	w, h int
	// layer filters the list (-1: all layers); rows index ix.findings.
	layer int
	rows  []int
}

func newFindingsPane(ix *index, st *Styles, keys *keyMap) *findingsPane {
	p := &findingsPane{ix: ix, st: st, keys: keys}
	p.filter(-1)
	return p
}

// SetSize sets the outer size, frame included.
func (p *findingsPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.nav.setHeight(h - 3)
}

// filter shows the findings of one layer (-1: all).
func (p *findingsPane) filter(layer int) {
	p.layer = layer
	p.rows = p.rows[:0]
	for i, f := range p.ix.findings {
		if layer < 0 || f.Layer == layer {
			p.rows = append(p.rows, i)
		}
	}
	p.nav.setLen(len(p.rows))
	p.nav.to(0)
}

func (p *findingsPane) selected() *Finding {
	if p.nav.cursor < len(p.rows) {
		return &p.ix.findings[p.rows[p.nav.cursor]]
	}
	return nil
}

// Update handles a key; moved reports a new selection, jump a request to
// show the finding's file in the tree.
func (p *findingsPane) Update(msg tea.KeyMsg) (moved, jump bool) {
	before := p.nav.cursor
	if p.nav.navigate(p.keys, msg) {
		return p.nav.cursor != before, false
	}
	switch {
	case key.Matches(msg, p.keys.AllLayers):
		p.filter(-1)
		return true, false
	case key.Matches(msg, p.keys.Jump):
		return false, p.selected() != nil
	}
	return false, false
}

// ShortHelp is the pane's own keys for the help bar (help.KeyMap).
func (p *findingsPane) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Jump, p.keys.AllLayers, p.keys.Back}
}

// View draws the pane. Narrow panes show the severity as one letter and
// leave out the bytes.
func (p *findingsPane) View(focused bool) string {
	inner := p.w - 2
	wide := inner >= 72
	codeW := 4
	for _, f := range p.ix.findings {
		codeW = max(codeW, min(15, width(f.Code)))
	}
	sevW := 8
	if !wide {
		sevW = 1
	}
	columns := func(sev, code, layer, bytes string) string {
		s := fmt.Sprintf("%-*s %-*s %5s ", sevW, sev, codeW, middle(code, codeW), layer)
		if wide {
			s += fmt.Sprintf("%8s ", bytes)
		}
		return s + " "
	}
	lines := []string{p.st.Faint.Render(fit(columns(map[bool]string{true: "Severity", false: "!"}[wide], "Code", "Layer", "Bytes")+"Where · message", inner))}
	from, to := p.nav.visible()
	for i := from; i < to; i++ {
		f := &p.ix.findings[p.rows[i]]
		layer := "-"
		if f.Layer >= 0 {
			layer = strconv.Itoa(f.Layer + 1)
		}
		bytes := ""
		if f.Bytes > 0 {
			bytes = size(f.Bytes)
		}
		sev := f.Severity
		if !wide {
			sev = strings.ToUpper(sev[:min(1, len(sev))])
		}
		head := columns(clean(sev), f.Code, layer, bytes)
		where := f.Path
		if f.Line > 0 {
			where = fmt.Sprintf("%s:%d", p.ix.in.Dockerfile, f.Line)
			if p.ix.in.Dockerfile == "" {
				where = "line " + strconv.Itoa(f.Line)
			}
		}
		rest := max(1, inner-width(head))
		where = middle(where, max(1, rest*2/3))
		text := head + where + " · " + oneLine(f.Message)
		switch {
		case i == p.nav.cursor && focused:
			text = p.st.Cursor.Render(fit(text, inner))
		case i == p.nav.cursor:
			text = p.st.Selected.Render(fit(text, inner))
		default:
			text = p.st.Severity[severityRank(f.Severity)].Render(head[:sevW]) + fit(text[sevW:], inner-sevW)
		}
		lines = append(lines, text)
	}
	if len(p.rows) == 0 {
		msg := "no findings"
		if p.layer >= 0 {
			msg = fmt.Sprintf("no findings in layer %d (a: all layers)", p.layer+1)
		}
		lines = append(lines, p.st.Faint.Render(msg))
	}
	title := fmt.Sprintf("Findings · all layers (%d)", len(p.rows))
	if p.layer >= 0 {
		title = fmt.Sprintf("Findings · layer %d (%d of %d)", p.layer+1, len(p.rows), len(p.ix.findings))
	}
	return p.st.pane(title, lines, p.w, p.h, focused)
}

// FullHelp is the pane's keys in one column (help.KeyMap).
func (p *findingsPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
