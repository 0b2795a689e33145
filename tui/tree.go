package tui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/tui/fstree"
)

// treeSettings are what a tree display is computed from; the cursor and
// collapsed directories are kept beside them.
type treeSettings struct {
	layer       int
	bySize      bool
	changesOnly bool
	hide        [fstree.NStatus]bool
	query       string
}

// display is one computed tree: immutable once built, so that jobs can
// build the next one while the pane shows this one.
type display struct {
	settings treeSettings
	layer    *fstree.Layer
	order    *fstree.Order
	keep     []bool
	match    []bool // nil without a search
	matches  int
	rows     []fstree.Row
}

// treePane is the file tree of the selected layer. Building a layer's view,
// sorting and searching run in tea.Cmds (see treeJobs); Update only moves
// the cursor or splices rows, and View renders the visible rows only.
type treePane struct {
	ix   *index
	st   *Styles
	keys *keyMap
	w, h int

	want      treeSettings
	collapsed fstree.Collapsed // by the user, outside searches
	// searchCollapsed is used while a search filter is set, so that
	// matches show expanded whatever was collapsed before.
	searchCollapsed fstree.Collapsed
	perms           int // 0 auto (by width), 1 shown, -1 hidden
	input           textinput.Model
	typing          bool

	cur      *display
	nav      listNav
	cursorID analyze.PathID

	jobs *treeJobs
}

func newTreePane(ix *index, st *Styles, keys *keyMap) *treePane {
	n := ix.fs.Paths()
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "glob or text"
	in.PromptStyle = st.Bold
	in.PlaceholderStyle = st.Faint
	in.Cursor.SetMode(cursor.CursorStatic)
	return &treePane{ix: ix, st: st, keys: keys, collapsed: fstree.NewCollapsed(n), searchCollapsed: fstree.NewCollapsed(n),
		input: in, jobs: newTreeJobs(ix.fs)}
}

// SetSize sets the outer size, frame included.
func (t *treePane) SetSize(w, h int) {
	t.w, t.h = w, h
	t.nav.setHeight(h - 4) // frame, column header, status line
	t.input.Width = max(1, w-2-len(t.input.Prompt)-1-len("  999999 matching"))
}

// SetLayer shows layer k.
func (t *treePane) SetLayer(k int) tea.Cmd {
	t.want.layer = k
	return t.request()
}

func (t *treePane) activeCollapsed() fstree.Collapsed {
	if t.want.query != "" {
		return t.searchCollapsed
	}
	return t.collapsed
}

// request asks for a display of the wanted settings.
func (t *treePane) request() tea.Cmd {
	return t.jobs.request(t.want, t.activeCollapsed())
}

// apply shows a computed display, keeping the cursor on the same path (or
// the nearest shown directory above it).
func (t *treePane) apply(d *display) {
	t.cur = d
	t.nav.setLen(len(d.rows))
	t.nav.to(t.rowOf(t.cursorID))
	t.syncCursor()
}

func (t *treePane) rowOf(id analyze.PathID) int {
	if t.cur == nil {
		return 0
	}
	p := t.ix.r.Paths
	for ; id > analyze.Root; id = p.Parent(id) {
		if !t.cur.keep[id] {
			continue
		}
		for i, r := range t.cur.rows {
			if r.ID == id {
				return i
			}
		}
	}
	return t.nav.cursor
}

func (t *treePane) syncCursor() {
	if id, ok := t.selected(); ok {
		t.cursorID = id
	}
}

func (t *treePane) selected() (analyze.PathID, bool) {
	if t.cur == nil || t.nav.cursor >= len(t.cur.rows) {
		return 0, false
	}
	return t.cur.rows[t.nav.cursor].ID, true
}

// Update handles a key while the pane has the focus.
func (t *treePane) Update(msg tea.KeyMsg) tea.Cmd {
	k := t.keys
	if t.typing {
		switch {
		case key.Matches(msg, k.KeepSearch):
			t.typing = false
			t.input.Blur()
			return nil
		case key.Matches(msg, k.ClearSearch):
			return t.clearSearch()
		}
		var cmd tea.Cmd
		t.input, cmd = t.input.Update(msg)
		if q := t.input.Value(); q != t.want.query {
			t.want.query = q
			t.searchCollapsed = fstree.NewCollapsed(len(t.collapsed) * 64)
			return tea.Batch(cmd, t.request())
		}
		return cmd
	}
	if t.nav.navigate(k, msg) {
		t.syncCursor()
		return nil
	}
	switch {
	case key.Matches(msg, k.Toggle):
		if id, ok := t.selected(); ok && t.cur.layer.IsDir(id) {
			return t.setCollapsed(t.nav.cursor, !t.activeCollapsed().Has(id))
		}
	case key.Matches(msg, k.Collapse):
		return t.left()
	case key.Matches(msg, k.Expand):
		if id, ok := t.selected(); ok && t.cur.layer.IsDir(id) && t.activeCollapsed().Has(id) {
			return t.setCollapsed(t.nav.cursor, false)
		}
	case key.Matches(msg, k.CollapseAll), key.Matches(msg, k.ExpandAll):
		c := t.activeCollapsed()
		fill := uint64(0)
		if key.Matches(msg, k.CollapseAll) {
			fill = ^uint64(0)
		}
		for i := range c {
			c[i] = fill
		}
		return t.request()
	case key.Matches(msg, k.Search):
		t.typing = true
		t.input.SetValue(t.want.query)
		t.input.CursorEnd()
		return t.input.Focus()
	case key.Matches(msg, k.ClearSearch):
		if t.want.query != "" {
			return t.clearSearch()
		}
	case key.Matches(msg, k.Sort):
		t.want.bySize = !t.want.bySize
		return t.request()
	case key.Matches(msg, k.OnlyChanges):
		t.want.changesOnly = !t.want.changesOnly
		return t.request()
	case key.Matches(msg, k.Perms):
		if t.showPerms() {
			t.perms = -1
		} else {
			t.perms = 1
		}
	case key.Matches(msg, k.HideAdded):
		return t.toggleHidden(fstree.Added)
	case key.Matches(msg, k.HideModified):
		return t.toggleHidden(fstree.Modified)
	case key.Matches(msg, k.HideRemoved):
		return t.toggleHidden(fstree.Removed)
	case key.Matches(msg, k.HideSame):
		return t.toggleHidden(fstree.Unchanged)
	}
	return nil
}

func (t *treePane) toggleHidden(s fstree.Status) tea.Cmd {
	t.want.hide[s] = !t.want.hide[s]
	return t.request()
}

func (t *treePane) clearSearch() tea.Cmd {
	t.typing = false
	t.input.Blur()
	t.input.SetValue("")
	if t.want.query == "" {
		return nil
	}
	t.want.query = ""
	return t.request()
}

// left collapses an open directory, else moves to the parent.
func (t *treePane) left() tea.Cmd {
	id, ok := t.selected()
	if !ok {
		return nil
	}
	if t.cur.layer.IsDir(id) && !t.activeCollapsed().Has(id) && t.hasChildRows(t.nav.cursor) {
		return t.setCollapsed(t.nav.cursor, true)
	}
	depth := t.cur.rows[t.nav.cursor].Depth
	for i := t.nav.cursor - 1; i >= 0; i-- {
		if t.cur.rows[i].Depth < depth {
			t.nav.to(i)
			t.syncCursor()
			break
		}
	}
	return nil
}

func (t *treePane) hasChildRows(i int) bool {
	rows := t.cur.rows
	return i+1 < len(rows) && rows[i+1].Depth > rows[i].Depth
}

// spliceLimit bounds the rows a directory may hold for Update to expand
// it itself; bigger ones are flattened in a job.
const spliceLimit = 20_000

// setCollapsed collapses or expands the directory on row i by splicing
// its rows out or in: no rebuild of the whole tree.
func (t *treePane) setCollapsed(i int, on bool) tea.Cmd {
	d := t.cur
	row := d.rows[i]
	t.activeCollapsed().Set(row.ID, on)
	if !on && t.ix.fs.Below(row.ID) > spliceLimit {
		return t.request()
	}
	end := i + 1
	for end < len(d.rows) && d.rows[end].Depth > row.Depth {
		end++
	}
	var sub []fstree.Row
	if !on {
		sub = d.layer.Subtree(nil, d.order, d.keep, t.activeCollapsed(), row)
	}
	rows := make([]fstree.Row, 0, i+1+len(sub)+len(d.rows)-end)
	rows = append(append(append(rows, d.rows[:i+1]...), sub...), d.rows[end:]...)
	nd := *d
	nd.rows = rows
	t.cur = &nd
	t.nav.setLen(len(rows))
	return t.jobs.invalidate()
}

// jump shows path id as of layer k: filters that could hide it are
// cleared and its directories expanded.
func (t *treePane) jump(k int, id analyze.PathID) tea.Cmd {
	t.typing = false
	t.input.Blur()
	t.input.SetValue("")
	t.want = treeSettings{layer: k, bySize: t.want.bySize}
	p := t.ix.r.Paths
	for a := p.Parent(id); a >= analyze.Root; a = p.Parent(a) {
		t.collapsed.Set(a, false)
	}
	t.cursorID = id
	return t.request()
}

func (t *treePane) showPerms() bool {
	if t.perms != 0 {
		return t.perms > 0
	}
	return t.w >= 76
}

// ShortHelp is the pane's own keys for the help bar (help.KeyMap).
func (t *treePane) ShortHelp() []key.Binding {
	if t.typing {
		return []key.Binding{t.keys.KeepSearch, t.keys.ClearSearch}
	}
	return []key.Binding{t.keys.Toggle, t.keys.Search, t.keys.Sort, t.keys.OnlyChanges, t.keys.CollapseAll, t.keys.ExpandAll,
		t.keys.Perms, t.keys.HideAdded, t.keys.HideModified, t.keys.HideRemoved, t.keys.HideSame}
}

// FullHelp is the pane's keys in one column (help.KeyMap).
func (t *treePane) FullHelp() [][]key.Binding { return [][]key.Binding{t.ShortHelp()} }
