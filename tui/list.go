package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// listNav is a cursor over n rows of which height are visible. Every pane
// with rows uses it, so all move alike.
type listNav struct {
	cursor, offset, n, height int
}

func (l *listNav) setLen(n int) {
	l.n = n
	l.to(l.cursor)
}

func (l *listNav) setHeight(h int) {
	l.height = max(1, h)
	l.to(l.cursor)
}

// to puts the cursor on row i (clamped) and scrolls just enough to show it.
func (l *listNav) to(i int) {
	l.cursor = max(0, min(i, l.n-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(0, min(l.offset, l.n-l.height))
}

// scroll moves the view by d rows, dragging the cursor along when it
// would leave it (the mouse wheel).
func (l *listNav) scroll(d int) {
	l.offset = max(0, min(l.offset+d, l.n-l.height))
	if l.cursor < l.offset {
		l.cursor = l.offset
	}
	if l.cursor >= l.offset+l.height {
		l.cursor = l.offset + l.height - 1
	}
	l.cursor = max(0, min(l.cursor, l.n-1))
}

// navigate handles the navigation keys; it reports whether msg was one.
func (l *listNav) navigate(k *keyMap, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		l.to(l.cursor - 1)
	case key.Matches(msg, k.Down):
		l.to(l.cursor + 1)
	case key.Matches(msg, k.PageUp):
		l.to(l.cursor - l.height)
	case key.Matches(msg, k.PageDown):
		l.to(l.cursor + l.height)
	case key.Matches(msg, k.Home):
		l.to(0)
	case key.Matches(msg, k.End):
		l.to(l.n - 1)
	default:
		return false
	}
	return true
}

// visible is the range of rows on screen.
func (l *listNav) visible() (from, to int) {
	return l.offset, min(l.n, l.offset+l.height)
}

// rowAt is the row shown on line y of the list (-1 if none).
func (l *listNav) rowAt(y int) int {
	i := l.offset + y
	if y < 0 || i >= l.n || y >= l.height {
		return -1
	}
	return i
}
