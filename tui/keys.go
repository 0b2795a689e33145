package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key of the explorer. The same bindings decide what a
// key does and feed the help bar, so the two cannot disagree.
type keyMap struct {
	// Global.
	Next, Prev, Wasted, Findings, Help, Quit, Abort key.Binding
	// Lists and the tree.
	Up, Down, PageUp, PageDown, Home, End key.Binding
	// Tree.
	Toggle, Collapse, Expand, CollapseAll, ExpandAll key.Binding
	Search, Sort, OnlyChanges, Perms                 key.Binding
	HideAdded, HideModified, HideRemoved, HideSame   key.Binding
	// Wasted and findings views.
	Jump, AllLayers, Back key.Binding
	// While typing a search.
	KeepSearch, ClearSearch key.Binding
	// The mouse, for the `?` screen only (mouse events are not keys).
	Wheel, Click key.Binding
}

func newKeyMap() *keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return &keyMap{
		Next:     b([]string{"tab"}, "tab", "next pane"),
		Prev:     b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Wasted:   b([]string{"w"}, "w", "wasted view"),
		Findings: b([]string{"f"}, "f", "findings view"),
		Help:     b([]string{"?"}, "?", "full help"),
		Quit:     b([]string{"q"}, "q", "quit"),
		Abort:    b([]string{"ctrl+c"}, "ctrl+c", "abort (exit 130)"),

		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),
		Home:     b([]string{"home", "g"}, "home/g", "first"),
		End:      b([]string{"end", "G"}, "end/G", "last"),

		Toggle:      b([]string{" ", "enter"}, "space/enter", "collapse/expand"),
		Collapse:    b([]string{"left", "h"}, "←/h", "collapse, parent"),
		Expand:      b([]string{"right", "l"}, "→/l", "expand"),
		CollapseAll: b([]string{"c"}, "c", "collapse all"),
		ExpandAll:   b([]string{"e"}, "e", "expand all"),
		Search:      b([]string{"/"}, "/", "search path"),
		Sort:        b([]string{"s"}, "s", "sort: name/size"),
		OnlyChanges: b([]string{"o"}, "o", "only this layer's changes"),
		Perms:       b([]string{"p"}, "p", "permissions, uid:gid"),

		HideAdded:    b([]string{"A"}, "A", "hide/show added"),
		HideModified: b([]string{"M"}, "M", "hide/show modified"),
		HideRemoved:  b([]string{"R"}, "R", "hide/show removed"),
		HideSame:     b([]string{"U"}, "U", "hide/show unchanged"),

		Jump:      b([]string{"enter"}, "enter", "show in tree"),
		AllLayers: b([]string{"a"}, "a", "all layers"),
		Back:      b([]string{"esc"}, "esc", "back to tree"),

		KeepSearch:  b([]string{"enter"}, "enter", "keep filter"),
		ClearSearch: b([]string{"esc"}, "esc", "clear filter"),

		Wheel: b([]string{"mouse wheel"}, "wheel", "scroll pane under pointer"),
		Click: b([]string{"mouse click"}, "click", "focus pane, select row"),
	}
}

// helpKeys is the help bar's key map: the global keys and the focused
// pane's.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

func (k *keyMap) global() []key.Binding {
	return []key.Binding{k.Next, k.Prev, k.Wasted, k.Findings, k.Help, k.Quit, k.Abort}
}

func (k *keyMap) treeKeys() []key.Binding {
	return []key.Binding{k.Toggle, k.Collapse, k.Expand, k.CollapseAll, k.ExpandAll, k.Search, k.Sort, k.OnlyChanges, k.Perms}
}

func (k *keyMap) filterKeys() []key.Binding {
	return []key.Binding{k.HideAdded, k.HideModified, k.HideRemoved, k.HideSame}
}

// fullNavigation is navigation with every key named (the help bar names
// one per action to stay short) and the mouse.
func (k *keyMap) fullNavigation() []key.Binding {
	up, down := k.PageUp, k.PageDown
	up.SetHelp("pgup/ctrl+b", "page up")
	down.SetHelp("pgdn/ctrl+f", "page down")
	return []key.Binding{k.Up, k.Down, up, down, k.Home, k.End, k.Wheel, k.Click}
}

// helpGroup is a titled column of the `?` screen.
type helpGroup struct {
	title string
	keys  []key.Binding
}

// fullHelp is the `?` screen: every key, in titled groups.
func (k *keyMap) fullHelp() []helpGroup {
	return []helpGroup{
		{"Everywhere", k.global()},
		{"Moving (every pane)", k.fullNavigation()},
		{"File tree", k.treeKeys()},
		{"Filters, wasted and findings views", append(k.filterKeys(), k.Jump, k.AllLayers, k.Back)},
	}
}
