// Package fstree is the file-tree view-model of the explorer: the file
// system as of one layer with that layer's changes, directory totals,
// orders, filters and the flattened rows a pane shows. It reads the
// analyzer's Result and never writes to it: cursor, collapsed directories
// and filters live here and in the TUI, never in the analyzer's tree.
//
// Everything is kept in arrays indexed by analyze.PathID, so that building
// a layer, filtering and flattening are linear passes without maps or
// per-path allocations (an image with 200,000 files costs a few ms).
package fstree

import (
	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layer"
)

// Status is what a layer did to a path.
type Status uint8

// Statuses. Absent paths are not part of the layer's view at all.
const (
	Absent Status = iota
	Unchanged
	Added
	Modified // content, type or metadata; identical re-adds (directories too)
	Removed  // present below, gone as of this layer
	NStatus
)

var statusNames = [...]string{"absent", "unchanged", "added", "modified", "removed"}

func (s Status) String() string { return statusNames[s] }

// Marker is the one-character sign of a status, so that a view without
// colour says the same as one with it: + added, ~ modified, - removed,
// · unchanged.
func (s Status) Marker() string {
	switch s {
	case Added:
		return "+"
	case Modified:
		return "~"
	case Removed:
		return "-"
	case Unchanged:
		return "·"
	}
	return " "
}

// Index holds what every layer's view shares: computed once per Result.
type Index struct {
	R *analyze.Result
	// byRank lists paths in tree order (parents before children), so a
	// reverse pass aggregates children into parents.
	byRank []analyze.PathID
	// first is the index in R.Entries of each layer's first entry.
	first []int
	// linked marks inodes that hardlinks share (counted once per total).
	linked map[int32]bool
	// below counts the paths under each path, in any layer.
	below []int32
}

// NewIndex prepares r for views.
func NewIndex(r *analyze.Result) *Index {
	ix := &Index{R: r, linked: map[int32]bool{}}
	n := r.Paths.Len()
	ix.byRank = make([]analyze.PathID, n)
	for id := 0; id < n; id++ {
		ix.byRank[r.Paths.Rank(analyze.PathID(id))] = analyze.PathID(id)
	}
	off := 0
	for i := range r.Layers {
		ix.first = append(ix.first, off)
		off += len(r.Layers[i].Entries)
	}
	for i := range r.Entries {
		if e := &r.Entries[i]; e.Type == layer.Hardlink && e.Inode >= 0 {
			ix.linked[e.Inode] = true
		}
	}
	ix.below = make([]int32, n)
	for i := n - 1; i > 0; i-- {
		id := ix.byRank[i]
		ix.below[r.Paths.Parent(id)] += ix.below[id] + 1
	}
	return ix
}

// Below is the number of paths under id in any layer: a bound on the rows
// expanding it can add.
func (ix *Index) Below(id analyze.PathID) int { return int(ix.below[id]) }

// Paths is the number of interned paths (the length of per-path arrays).
func (ix *Index) Paths() int { return ix.R.Paths.Len() }

const (
	absent      = -1
	implicitDir = -2 // a directory that exists only because something is below it
)

// Layer is the file system as of one layer, with that layer's changes.
// It is immutable once built and safe to read from several goroutines.
type Layer struct {
	ix     *Index
	Index  int
	status []Status
	// entry is the entry each path shows (for removed paths the one that
	// was visible below), implicitDir or absent.
	entry []int32
	// total is the bytes under each directory as of this layer (removed
	// directories: the bytes they held); changed the bytes this layer
	// stores under it.
	total, changed []int64
	dir            []bool
	// Count is the number of paths by status.
	Count [NStatus]int
}

// Build computes layer k's view: one pass over the entries of layers
// 0..k and two over the paths.
func Build(ix *Index, k int) *Layer {
	r := ix.R
	n := ix.Paths()
	cur := make([]int32, n)
	prev := make([]int32, n)
	for i := range cur {
		cur[i], prev[i] = absent, absent
	}
	for L := 0; L <= k && L < len(r.Layers); L++ {
		for i := range r.Layers[L].Entries {
			e := &r.Layers[L].Entries[i]
			if e.Visible(k) {
				cur[e.Path] = int32(ix.first[L] + i)
			}
			if k > 0 && e.Visible(k-1) {
				prev[e.Path] = int32(ix.first[L] + i)
			}
		}
	}
	markParents(r.Paths, cur)
	if k > 0 {
		markParents(r.Paths, prev)
	}
	l := &Layer{ix: ix, Index: k, status: make([]Status, n), entry: cur,
		total: make([]int64, n), changed: make([]int64, n), dir: make([]bool, n)}
	counted := map[int32]bool{}
	for id := range cur {
		var s Status
		switch {
		case cur[id] != absent:
			s = l.presentStatus(id, cur[id], prev[id])
		case prev[id] != absent:
			s = Removed
			cur[id] = prev[id]
		default:
			continue
		}
		l.status[id] = s
		if cur[id] == implicitDir {
			l.dir[id] = true
		}
		if i := cur[id]; i >= 0 {
			e := &r.Entries[i]
			l.dir[id] = e.Type == layer.Dir
			if e.Inode >= 0 && (s == Removed || !ix.linked[e.Inode] || !counted[e.Inode]) {
				if s != Removed && ix.linked[e.Inode] {
					counted[e.Inode] = true
				}
				l.total[id] = r.Entries[e.Inode].Size
			}
			if s == Added || s == Modified {
				l.changed[id] = e.Size
			}
		}
	}
	l.status[analyze.Root] = Unchanged
	l.dir[analyze.Root] = true
	for i := len(ix.byRank) - 1; i > 0; i-- {
		id := ix.byRank[i]
		s := l.status[id]
		if s == Absent {
			continue
		}
		l.Count[s]++
		p := r.Paths.Parent(id)
		if (s == Removed) == (l.status[p] == Removed) {
			l.total[p] += l.total[id]
			l.changed[p] += l.changed[id]
		}
	}
	return l
}

func (l *Layer) presentStatus(id int, cur, prev int32) Status {
	if cur == implicitDir {
		if prev == absent {
			return Added
		}
		return Unchanged
	}
	e := &l.ix.R.Entries[cur]
	if int(e.Layer) != l.Index {
		return Unchanged
	}
	switch e.Change {
	case analyze.Added:
		if prev != absent && id != int(analyze.Root) {
			return Modified // deleted and re-added within the layer
		}
		return Added
	}
	// Modified, attrs, and identical re-adds, directories too (docs/tui.md:
	// "re-added identical" is ~, as the details pane counts it).
	return Modified
}

// markParents gives every ancestor of a present path a value.
func markParents(p *analyze.Paths, vis []int32) {
	vis[analyze.Root] = implicitDir
	for id := range vis {
		if vis[id] == absent {
			continue
		}
		for a := p.Parent(analyze.PathID(id)); a > analyze.Root && vis[a] == absent; a = p.Parent(a) {
			vis[a] = implicitDir
		}
	}
}

// Status of a path in this layer's view.
func (l *Layer) Status(id analyze.PathID) Status { return l.status[id] }

// Entry is the entry a path shows (for removed paths, the one it had),
// nil for directories without an entry of their own.
func (l *Layer) Entry(id analyze.PathID) *analyze.Entry {
	if i := l.entry[id]; i >= 0 {
		return &l.ix.R.Entries[i]
	}
	return nil
}

// IsDir reports whether the path is a directory.
func (l *Layer) IsDir(id analyze.PathID) bool { return l.dir[id] }

// Size is what a row shows: a file's content size, a directory's total.
// With changed set, the bytes this layer stores there instead (and for
// removed paths the bytes they held).
func (l *Layer) Size(id analyze.PathID, changed bool) int64 {
	if changed && l.status[id] != Removed {
		return l.changed[id]
	}
	if !l.IsDir(id) {
		if e := l.Entry(id); e != nil && e.Inode >= 0 {
			return l.ix.R.Entries[e.Inode].Size
		}
		return 0
	}
	return l.total[id]
}

// Bytes is the memory the view holds, for cache bounds.
func (l *Layer) Bytes() int { return len(l.status) * (1 + 4 + 8 + 8 + 1) }
