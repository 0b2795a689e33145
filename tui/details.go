package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/strata-dev/strata/analyze/report"
)

// detailsPane shows the selected layer in full (digest, sizes, the whole
// command, the files that make it big) and the image's figures. It
// scrolls when focused.
type detailsPane struct {
	ix    *index
	st    *Styles
	keys  *keyMap
	vp    viewport.Model
	layer int
	// note is shown above the layer: the selected finding or waste.
	note []string
	w, h int
}

func newDetailsPane(ix *index, st *Styles, keys *keyMap) *detailsPane {
	return &detailsPane{ix: ix, st: st, keys: keys, vp: viewport.New(0, 0)}
}

// SetSize sets the outer size, frame included.
func (p *detailsPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.vp.Width, p.vp.Height = max(0, w-2), max(0, h-2)
	p.refresh()
}

// SetNote shows lines (wrapped) above the layer's details; nil removes
// them.
func (p *detailsPane) SetNote(lines []string) {
	p.note = lines
	p.refresh()
	p.vp.GotoTop()
}

// SetLayer shows layer i from the top.
func (p *detailsPane) SetLayer(i int) {
	p.layer = i
	p.refresh()
	p.vp.GotoTop()
}

func (p *detailsPane) refresh() {
	p.vp.SetContent(strings.Join(p.lines(p.w-2), "\n"))
}

// Update scrolls.
func (p *detailsPane) Update(msg tea.KeyMsg) {
	k := p.keys
	switch {
	case key.Matches(msg, k.Up):
		p.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		p.vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		p.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		p.vp.PageDown()
	case key.Matches(msg, k.Home):
		p.vp.GotoTop()
	case key.Matches(msg, k.End):
		p.vp.GotoBottom()
	}
}

func (p *detailsPane) scroll(d int) {
	if d < 0 {
		p.vp.ScrollUp(-d)
	} else {
		p.vp.ScrollDown(d)
	}
}

// ShortHelp is the pane's own keys for the help bar (help.KeyMap).
func (p *detailsPane) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Down, p.keys.PageDown}
}

// View draws the pane.
func (p *detailsPane) View(focused bool) string {
	title := "Details"
	if n := len(p.ix.r.Layers); n > 0 {
		title = fmt.Sprintf("Layer %d of %d", p.layer+1, n)
	}
	if p.vp.TotalLineCount() > p.vp.Height && !p.vp.AtBottom() {
		title += " ↓"
	}
	return p.st.pane(title, strings.Split(p.vp.View(), "\n"), p.w, p.h, focused)
}

// lines is the pane's text at width w.
func (p *detailsPane) lines(w int) []string {
	if w <= 0 {
		return nil
	}
	r := p.ix.r
	var out []string
	add := func(format string, args ...any) { out = append(out, wrap(fmt.Sprintf(format, args...), w)...) }
	head := func(s string) { out = append(out, p.st.Bold.Render(fit(clean(s), w))) }
	for i, n := range p.note {
		if i == 0 {
			head(n)
			continue
		}
		out = append(out, wrap(n, w)...)
	}
	if p.layer < len(r.Layers) {
		l := &r.Layers[p.layer]
		kind := "user layer"
		if l.Base {
			kind = "base layer"
		}
		add("%s · %s", kind, l.Compression)
		out = append(out, middle("digest "+l.Digest, w))
		blob := ""
		if l.BlobSize >= 0 {
			blob = " · blob " + size(l.BlobSize)
		}
		add("size %s%s", size(l.Size), blob)
		add("files %d: +%d ~%d -%d", l.Files, l.Added.N, l.Modified.N+l.Attrs.N+l.Same.N, l.Deleted.N)
		if l.Wasted > 0 {
			add("wasted %s (shadowed or deleted later)", size(l.Wasted))
		}
		if n := p.ix.perLayer[p.layer]; n > 0 {
			add("findings %d (f)", n)
		}
		if where := p.ix.in.where(p.layer); where != "" {
			head(where)
			if n := p.ix.in.note(p.layer); n.Instruction != "" {
				out = append(out, wrap(n.Instruction, w)...)
			}
		}
		if l.History != nil && l.History.CreatedBy != "" {
			head("created by")
			out = append(out, wrap(l.History.CreatedBy, w)...)
		}
		if top := p.ix.top[p.layer]; len(top) > 0 {
			head("biggest files")
			for _, f := range top {
				s := fmt.Sprintf("%8s ", size(f.size))
				out = append(out, s+middle(r.Paths.String(f.id), w-width(s)))
			}
		}
	}
	f := r.Figures
	head("image")
	add("total %s · final %s in %d files", size(f.TotalSize), size(f.FinalSize), f.FinalFiles)
	add("efficiency %s · wasted %s", report.Percent(f.Efficiency), size(f.Wasted))
	add("user wasted %s of %s", report.Percent(f.UserWastedPercent), size(f.UserSize))
	add("dive: efficiency %s · wasted %s", report.DivePercent(r.Dive.Efficiency), size(int64(r.Dive.WastedBytes)))
	return out
}

// FullHelp is the pane's keys in one column (help.KeyMap).
func (p *detailsPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
