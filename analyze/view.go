package analyze

import "github.com/strata-dev/strata/analyze/layer"

// View is the stacked file system as of one layer. It costs one int32 per
// path and is computed on demand from the entries' lifetimes; nothing is
// copied per layer.
type View struct {
	r     *Result
	layer int
	// vis holds the visible entry per path, implicitDir for directories
	// that exist only because something below them does, or absent.
	vis []int32
}

const (
	absent      = -1
	implicitDir = -2
)

// View returns the file system as of layer k (0-based; the last layer is
// the image's final file system).
func (r *Result) View(k int) *View {
	v := &View{r: r, layer: k, vis: make([]int32, r.Paths.Len())}
	for i := range v.vis {
		v.vis[i] = absent
	}
	for L := 0; L <= k && L < len(r.Layers); L++ {
		for i := range r.Layers[L].Entries {
			e := &r.Layers[L].Entries[i]
			if e.Visible(k) {
				v.vis[e.Path] = int32(r.Layers[L].first + i)
			}
		}
	}
	v.vis[Root] = implicitDir
	for id := range v.vis {
		if v.vis[id] < 0 {
			continue
		}
		for a := r.Paths.parent[id]; a > Root && v.vis[a] == absent; a = r.Paths.parent[a] {
			v.vis[a] = implicitDir
		}
	}
	return v
}

// Layer is the layer the view stops at.
func (v *View) Layer() int { return v.layer }

// Exists reports whether id is part of the file system.
func (v *View) Exists(id PathID) bool { return v.vis[id] != absent }

// Entry returns the entry that id shows, nil for directories that have no
// entry of their own (and for absent paths).
func (v *View) Entry(id PathID) *Entry {
	if i := v.vis[id]; i >= 0 {
		return &v.r.Entries[i]
	}
	return nil
}

// IsDir reports whether id is a directory in the view.
func (v *View) IsDir(id PathID) bool {
	if v.vis[id] == implicitDir {
		return true
	}
	e := v.Entry(id)
	return e != nil && e.Type == layer.Dir
}

// Children lists the existing paths directly under id, sorted by name.
func (v *View) Children(id PathID) []PathID {
	var out []PathID
	for _, c := range v.r.Paths.Children(id) {
		if v.vis[c] != absent {
			out = append(out, c)
		}
	}
	return out
}

// Walk calls fn for every existing path in tree order (parents first).
// Returning false from fn skips the path's children.
func (v *View) Walk(fn func(id PathID, e *Entry) bool) {
	stack := []PathID{Root}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if id != Root && !fn(id, v.Entry(id)) {
			continue
		}
		kids := v.r.Paths.Children(id)
		for i := len(kids) - 1; i >= 0; i-- {
			if v.vis[kids[i]] != absent {
				stack = append(stack, kids[i])
			}
		}
	}
}

// Sizes returns the bytes under every path (its own content for files),
// each hardlinked inode counted once per directory.
func (v *View) Sizes() []int64 {
	sizes := make([]int64, len(v.vis))
	linked := map[int32]bool{}
	for _, i := range v.vis {
		if i >= 0 && v.r.Entries[i].Type == layer.Hardlink && v.r.Entries[i].Inode >= 0 {
			linked[v.r.Entries[i].Inode] = true
		}
	}
	seen := map[int32]bool{}
	for id, i := range v.vis {
		if i < 0 {
			continue
		}
		e := &v.r.Entries[i]
		if e.Inode < 0 {
			continue
		}
		size := v.r.Entries[e.Inode].Size
		sizes[id] += size
		if linked[e.Inode] {
			if seen[e.Inode] {
				continue // the directories above already hold these bytes
			}
			seen[e.Inode] = true
		}
		for a := v.r.Paths.parent[PathID(id)]; a >= 0; a = v.r.Paths.parent[a] {
			sizes[a] += size
		}
	}
	return sizes
}
