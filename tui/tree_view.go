package tui

import (
	"fmt"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/tui/fstree"
)

// title says what the pane shows.
func (t *treePane) title() string {
	w := t.want
	var b strings.Builder
	switch {
	case len(t.ix.r.Layers) == 0:
		b.WriteString("Files (no layers)")
	case w.changesOnly:
		fmt.Fprintf(&b, "Changes in layer %d", w.layer+1)
	default:
		fmt.Fprintf(&b, "Files as of layer %d", w.layer+1)
	}
	if w.bySize {
		b.WriteString(" · by size")
	}
	hidden := ""
	for _, h := range []struct {
		s    fstree.Status
		name string
	}{{fstree.Added, "A"}, {fstree.Modified, "M"}, {fstree.Removed, "R"}, {fstree.Unchanged, "U"}} {
		if w.hide[h.s] && (h.s != fstree.Unchanged || !w.changesOnly) {
			hidden += " " + h.name
		}
	}
	if hidden != "" {
		b.WriteString(" · hiding" + hidden)
	}
	if t.jobs.busy() || t.cur == nil || t.cur.settings != t.want {
		b.WriteString(" …")
	}
	return b.String()
}

// View draws the pane.
func (t *treePane) View(focused bool) string {
	inner := t.w - 2
	var lines []string
	perms := t.showPerms()
	sizeHead := "Size"
	if t.want.changesOnly {
		sizeHead = "In layer"
	}
	header := fmt.Sprintf("  %8s  Name", sizeHead)
	if perms {
		header = fmt.Sprintf("  %-10s %-11s %8s  Name", "Permission", "UID:GID", sizeHead)
	}
	lines = append(lines, t.st.Faint.Render(fit(header, inner)))
	switch {
	case len(t.ix.r.Layers) == 0:
		lines = append(lines, t.st.Faint.Render("the image has no layers"))
	case t.cur == nil:
		lines = append(lines, t.st.Faint.Render("reading the layer…"))
	default:
		from, to := t.nav.visible()
		for i := from; i < to; i++ {
			lines = append(lines, t.row(i, inner, perms, focused))
		}
		if len(t.cur.rows) == 0 {
			lines = append(lines, t.st.Faint.Render("nothing to show (filters: A M R U, o, esc)"))
		}
	}
	for len(lines) < t.h-3 {
		lines = append(lines, "")
	}
	lines = append(lines[:t.h-3], t.statusLine(inner))
	return t.st.pane(t.title(), lines, t.w, t.h, focused)
}

// statusLine is the search prompt, or the legend of markers with counts.
func (t *treePane) statusLine(w int) string {
	if t.typing || t.want.query != "" {
		s := t.input.View()
		if !t.typing {
			s = t.st.Bold.Render("/ ") + t.want.query
		}
		if t.cur != nil && t.cur.settings.query == t.want.query {
			s += t.st.Faint.Render(fmt.Sprintf("  %d matching", t.cur.matches))
		}
		if !t.typing {
			s += t.st.Faint.Render(" · esc clears")
		}
		return fit(s, w)
	}
	if t.cur == nil {
		return ""
	}
	c := t.cur.layer.Count
	st := t.st.Status
	return fit(st[fstree.Added].Render(fmt.Sprintf("+%d added", c[fstree.Added]))+" "+
		st[fstree.Modified].Render(fmt.Sprintf("~%d modified", c[fstree.Modified]))+" "+
		st[fstree.Removed].Render(fmt.Sprintf("-%d removed", c[fstree.Removed]))+" "+
		st[fstree.Unchanged].Render(fmt.Sprintf("·%d unchanged", c[fstree.Unchanged])), w)
}

// row renders row i of the display.
func (t *treePane) row(i, w int, perms, focused bool) string {
	d := t.cur
	r := d.rows[i]
	l := d.layer
	s := l.Status(r.ID)
	e := l.Entry(r.ID)
	var head strings.Builder
	head.WriteString(s.Marker())
	head.WriteByte(' ')
	if perms {
		mode, owner := "d(implied)", ""
		if e != nil {
			mode, owner = modeString(e), fmt.Sprintf("%d:%d", e.UID, e.GID)
		}
		fmt.Fprintf(&head, "%-10s %-11s ", mode, middle(owner, 11))
	}
	fmt.Fprintf(&head, "%8s  ", size(l.Size(r.ID, d.settings.changesOnly)))
	for depth := int32(1); depth < r.Depth; depth++ {
		if r.Guide(depth) {
			head.WriteString("│  ")
		} else {
			head.WriteString("   ")
		}
	}
	if r.Last() {
		head.WriteString("└─ ")
	} else {
		head.WriteString("├─ ")
	}
	name := t.ix.r.Paths.Name(r.ID)
	if l.IsDir(r.ID) {
		name += "/"
		if t.activeCollapsed().Has(r.ID) {
			name = "▸ " + name
		}
	} else if e != nil && e.Link != "" {
		if e.Type == layer.Hardlink { // the target is a path in the image
			name += " ⇒ /" + e.Link
		} else {
			name += " → " + e.Link
		}
	}
	name = middle(name, max(1, w-width(head.String())))
	plain := head.String() + name
	switch {
	case i == t.nav.cursor && focused:
		return t.st.Cursor.Render(fit(plain, w))
	case i == t.nav.cursor:
		return t.st.Selected.Render(fit(plain, w))
	}
	ns := t.st.Status[s]
	switch {
	case d.match != nil && d.match[r.ID]:
		ns = ns.Bold(true).Underline(true)
	case d.match != nil, d.settings.hide[s], d.settings.changesOnly && s == fstree.Unchanged:
		ns = t.st.Context // shown only for what lies below it
	}
	h := head.String()
	marker := s.Marker()
	ms := t.st.Status[s]
	if s == fstree.Unchanged {
		ms = t.st.Faint
	}
	return fit(ms.Render(marker)+h[len(marker):]+ns.Render(name), w)
}

// modeString is ls's: type, then rwx with setuid, setgid and sticky.
func modeString(e *analyze.Entry) string {
	b := []byte("?---------")
	switch e.Type {
	case layer.File, layer.Hardlink: // ls shows hardlinks as the files they are
		b[0] = '-'
	case layer.Dir:
		b[0] = 'd'
	case layer.Symlink:
		b[0] = 'l'
	case layer.CharDevice:
		b[0] = 'c'
	case layer.BlockDevice:
		b[0] = 'b'
	case layer.FIFO:
		b[0] = 'p'
	}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if e.Mode&(1<<(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	special := func(bit uint32, at int, set, unset byte) {
		if e.Mode&bit != 0 {
			if b[at] == '-' {
				b[at] = unset
			} else {
				b[at] = set
			}
		}
	}
	special(04000, 3, 's', 'S')
	special(02000, 6, 's', 'S')
	special(01000, 9, 't', 'T')
	return string(b)
}
