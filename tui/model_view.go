package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/strata-dev/strata/analyze/report"
)

// helpKeys are the keys of the focused pane, after the global ones.
func (m *Model) helpKeys() helpKeys {
	k := m.keys
	if m.state == loading {
		return helpKeys{short: []key.Binding{k.Quit, k.Abort}}
	}
	var pane help.KeyMap
	switch m.focus {
	case focusLayers:
		pane = m.layers
	case focusDetails:
		pane = m.details
	default:
		switch m.main {
		case viewWasted:
			pane = m.wasted
		case viewFindings:
			pane = m.findings
		default:
			if m.tree.typing {
				return helpKeys{short: m.tree.ShortHelp()}
			}
			pane = m.tree
		}
	}
	short := append([]key.Binding{k.Help, k.Quit}, pane.ShortHelp()...)
	return helpKeys{short: append(short, k.Next, k.Wasted, k.Findings)}
}

// View draws the screen.
func (m *Model) View() string {
	if m.w == 0 || m.h == 0 {
		return ""
	}
	if m.state == loading {
		return m.loading.View(m.w, m.h)
	}
	if m.w < minWidth || m.h < minHeight {
		return strings.TrimSuffix(fit(fmt.Sprintf("terminal %dx%d: needs %dx%d", m.w, m.h, minWidth, minHeight), m.w)+"\n"+blank(m.w, m.h-1), "\n")
	}
	m.help.Width = m.w
	title := m.titleLine()
	foot := fit(m.help.View(m.helpKeys()), m.w)
	g := m.geo
	var body string
	if m.showHelp {
		body = m.st.pane("Keys (? or esc to close)", m.fullHelp(m.w-2), m.w, g.bodyH, true)
	} else {
		left := m.layers.View(m.focus == focusLayers) + "\n" + m.details.View(m.focus == focusDetails)
		var main string
		switch m.main {
		case viewWasted:
			main = m.wasted.View(m.focus == focusMain)
		case viewFindings:
			main = m.findings.View(m.focus == focusMain)
		default:
			main = m.tree.View(m.focus == focusMain)
		}
		body = joinColumns(left, main)
	}
	return title + "\n" + body + "\n" + foot
}

// fullHelp lays the key groups out in as many columns as fit in w, each
// group going to the shortest column.
func (m *Model) fullHelp(w int) []string {
	var blocks []string
	colW := 0
	for _, g := range m.keys.fullHelp() {
		b := m.st.Bold.Render(g.title) + "\n" + m.help.FullHelpView([][]key.Binding{g.keys})
		blocks = append(blocks, b)
		colW = max(colW, lipgloss.Width(b)+2)
	}
	n := max(1, min(len(blocks), w/max(1, colW)))
	cols := make([][]string, n)
	for _, b := range blocks {
		short := 0
		for i := range cols {
			if len(cols[i]) < len(cols[short]) {
				short = i
			}
		}
		if len(cols[short]) > 0 {
			cols[short] = append(cols[short], "")
		}
		cols[short] = append(cols[short], strings.Split(b, "\n")...)
	}
	var out []string
	for row := 0; ; row++ {
		line, more := "", false
		for _, c := range cols {
			cell := ""
			if row < len(c) {
				cell, more = c[row], true
			}
			line += fit(cell, colW)
		}
		if !more {
			return out
		}
		out = append(out, line)
	}
}

// joinColumns puts two blocks of equal height side by side.
func joinColumns(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var sb strings.Builder
	for i := range al {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(al[i])
		if i < len(bl) {
			sb.WriteString(bl[i])
		}
	}
	return sb.String()
}

func (m *Model) titleLine() string {
	r := m.ix.r
	f := r.Figures
	src := r.Image.Source
	if r.Image.Name != "" && !strings.Contains(src, r.Image.Name) {
		src += " (" + r.Image.Name + ")"
	}
	facts := fmt.Sprintf(" · %s · %s · wasted %s · efficiency %s", plural(len(r.Layers), "layer"), size(f.TotalSize), size(f.Wasted),
		report.Percent(f.Efficiency))
	room := m.w - width("strata ") - width(facts)
	return fit(m.st.Title.Render("strata ")+middle(src, max(8, room))+facts, m.w)
}
