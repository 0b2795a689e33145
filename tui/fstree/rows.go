package fstree

import (
	"cmp"
	"slices"

	"github.com/strata-dev/strata/analyze"
)

// Order lists each directory's children in display order.
type Order struct {
	start    []int32
	children []analyze.PathID
}

// Children of id in this order; a nil Order is the analyzer's name order.
func (o *Order) Children(p *analyze.Paths, id analyze.PathID) []analyze.PathID {
	if o == nil {
		return p.Children(id)
	}
	return o.children[o.start[id]:o.start[id+1]]
}

// SizeOrder sorts every directory's children by the size a row shows,
// biggest first, names breaking ties. It costs one sort per directory.
func (l *Layer) SizeOrder(changed bool) *Order {
	p := l.ix.R.Paths
	n := p.Len()
	sizes := make([]int64, n)
	for id := range sizes {
		if l.status[id] != Absent {
			sizes[id] = l.Size(analyze.PathID(id), changed)
		}
	}
	o := &Order{start: make([]int32, n+1), children: make([]analyze.PathID, 0, n)}
	for id := 0; id < n; id++ {
		o.start[id] = int32(len(o.children))
		kids := p.Children(analyze.PathID(id))
		o.children = append(o.children, kids...)
		if len(kids) > 1 {
			slices.SortStableFunc(o.children[o.start[id]:], func(a, b analyze.PathID) int {
				return cmp.Compare(sizes[b], sizes[a])
			})
		}
	}
	o.start[n] = int32(len(o.children))
	return o
}

// Filter says which paths a view shows.
type Filter struct {
	// Hide hides paths by status (their parents stay when something below
	// them is shown).
	Hide [NStatus]bool
	// Match marks the paths a search matched (with everything below a
	// matched directory); nil shows every path.
	Match []bool
}

// Keep marks the paths shown under f: those that pass it themselves, and
// the directories above them. Matches counts the former.
func (l *Layer) Keep(f Filter) (keep []bool, matches int) {
	keep = make([]bool, len(l.status))
	p := l.ix.R.Paths
	for i := len(l.ix.byRank) - 1; i > 0; i-- {
		id := l.ix.byRank[i]
		s := l.status[id]
		if s == Absent {
			continue
		}
		if !f.Hide[s] && (f.Match == nil || f.Match[id]) {
			keep[id] = true
			matches++
		}
		if keep[id] {
			keep[p.Parent(id)] = true
		}
	}
	keep[analyze.Root] = true
	return keep, matches
}

// Row is one line of the tree pane: 16 bytes, as a 200,000-file tree
// expanded holds as many.
type Row struct {
	ID    analyze.PathID
	Depth int32
	// bits has bit d (d >= 1) set when the ancestor at depth d has a shown
	// sibling after it (a guide line continues in that column), and bit 0
	// when no shown sibling follows the row itself.
	bits uint64
}

// Last reports whether no shown sibling follows the row.
func (r Row) Last() bool { return r.bits&1 != 0 }

// Guide reports whether a guide line passes through column d (1 <=
// d < Depth): the row's ancestor at depth d has a shown sibling after it.
func (r Row) Guide(d int32) bool { return d > 0 && d < 64 && r.bits&(1<<d) != 0 }

// guides is the bits the row's children inherit.
func (r Row) guides() uint64 {
	g := r.bits &^ 1
	if !r.Last() && r.Depth > 0 && r.Depth < 64 {
		g |= 1 << r.Depth
	}
	return g
}

// Collapsed is a set of directories, by path.
type Collapsed []uint64

// NewCollapsed makes an empty set for n paths.
func NewCollapsed(n int) Collapsed { return make(Collapsed, (n+63)/64) }

// Has reports whether id is collapsed.
func (c Collapsed) Has(id analyze.PathID) bool { return c[id>>6]&(1<<(id&63)) != 0 }

// Set collapses or expands id.
func (c Collapsed) Set(id analyze.PathID, on bool) {
	if on {
		c[id>>6] |= 1 << (id & 63)
	} else {
		c[id>>6] &^= 1 << (id & 63)
	}
}

// Clone copies the set (jobs get their own).
func (c Collapsed) Clone() Collapsed { return slices.Clone(c) }

// Rows flattens the shown tree below the root.
func (l *Layer) Rows(o *Order, keep []bool, collapsed Collapsed) []Row {
	n := 0
	for _, k := range keep {
		if k {
			n++
		}
	}
	return l.Subtree(make([]Row, 0, n), o, keep, collapsed, Row{ID: analyze.Root})
}

// Subtree appends the rows below the directory of row (what expanding it
// inserts after it) to rows.
func (l *Layer) Subtree(rows []Row, o *Order, keep []bool, collapsed Collapsed, row Row) []Row {
	type frame struct {
		kids  []analyze.PathID
		depth int32
		lines uint64
	}
	stack := []frame{{l.shown(o, keep, row.ID), row.Depth + 1, row.guides()}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if len(f.kids) == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		id := f.kids[0]
		f.kids = f.kids[1:]
		r := Row{ID: id, Depth: f.depth, bits: f.lines}
		if len(f.kids) == 0 {
			r.bits |= 1
		}
		rows = append(rows, r)
		if l.IsDir(id) && !collapsed.Has(id) {
			if kids := l.shown(o, keep, id); len(kids) > 0 {
				stack = append(stack, frame{kids, f.depth + 1, r.guides()})
			}
		}
	}
	return rows
}

// shown lists the kept children of id; it reuses the order's storage when
// every child is kept.
func (l *Layer) shown(o *Order, keep []bool, id analyze.PathID) []analyze.PathID {
	kids := o.Children(l.ix.R.Paths, id)
	for i, c := range kids {
		if !keep[c] {
			out := slices.Clone(kids[:i])
			for _, c := range kids[i+1:] {
				if keep[c] {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return kids
}
