package analyze

import (
	"fmt"
	"io"
	"slices"

	"github.com/strata-dev/strata/analyze/layer"
)

// builder stacks layers one after the other. Its state is one visible
// entry per path and a count of visible entries below each path, so that
// deleting a directory visits only what is still visible under it.
type builder struct {
	r      *Result
	paths  *Paths
	cur    []int32 // visible entry per path, -1
	last   []int32 // latest entry per path, -1 (version chains)
	below  []int32 // visible entries strictly below each path
	links  map[int32]int32
	blobs  []io.ReaderAt // per layer, for hashing content only when needed
	events []deletion
	warns  int
	// pending are content comparisons left for resolvePending, which
	// hashes what they need in parallel once every layer is read.
	pending []pendingCompare
}

// pendingCompare is an entry whose change (and the cause of the waste it
// made) depends on content not hashed yet: a same-size re-add.
type pendingCompare struct {
	old, new int32
	waste    int // index in Result.Waste, -1 if the old copy made none
}

// deletion is one whiteout, opaque marker or replacement that removed
// stored bytes of lower layers.
type deletion struct {
	path   PathID
	layer  int
	kind   string // "whiteout", "opaque", "replaced"
	bytes  int64
	files  int
	stored int // lowest layer that stored removed bytes
}

func newBuilder(r *Result) *builder {
	r.Paths = newPaths()
	return &builder{r: r, paths: r.Paths, links: map[int32]int32{},
		cur: []int32{-1}, last: []int32{-1}, below: []int32{0}}
}

const maxResultWarnings = 200

func (b *builder) warn(format string, args ...any) {
	b.warns++
	switch {
	case b.warns < maxResultWarnings:
		b.r.Warnings = append(b.r.Warnings, fmt.Sprintf(format, args...))
	case b.warns == maxResultWarnings:
		b.r.Warnings = append(b.r.Warnings, "more warnings suppressed")
	}
}

func (b *builder) grow() {
	for n := b.paths.Len(); len(b.cur) < n; {
		b.cur = append(b.cur, -1)
		b.last = append(b.last, -1)
		b.below = append(b.below, 0)
	}
}

// addLayer stacks layer L. Whiteouts and opaque markers act first, on
// lower layers only, wherever they sit in the tar; then entries apply in
// tar order, so a later duplicate wins.
func (b *builder) addLayer(L int, raws []layer.Entry, blob io.ReaderAt) {
	r := b.r
	lay := &r.Layers[L]
	b.blobs = append(b.blobs, blob)
	start := len(r.Entries)
	lay.first = start
	r.Entries = slices.Grow(r.Entries, len(raws))
	for i := range raws {
		e := &raws[i]
		en := Entry{Path: b.paths.intern(e.Path), Type: e.Type, Layer: int32(L), Until: Forever,
			Mode: e.Mode, UID: uint32(e.UID), GID: uint32(e.GID), Link: e.Link, Inode: -1, prev: -1,
			hash: e.Hash, offset: e.Offset}
		if e.Hashed {
			en.flags |= flagHashed
		}
		if e.Sparse {
			en.flags |= flagSparse
		}
		if e.PrivateKey {
			en.flags |= flagKey
		}
		if e.Type == layer.File {
			en.Size = e.Size
		}
		r.Entries = append(r.Entries, en)
	}
	b.grow()
	for i := start; i < len(r.Entries); i++ {
		e := &r.Entries[i]
		e.prev, b.last[e.Path] = b.last[e.Path], int32(i)
		if e.Type != layer.Whiteout && e.Type != layer.Opaque {
			continue
		}
		e.Change = Deleted
		ev := deletion{path: e.Path, layer: L, kind: "whiteout", stored: L}
		if e.Type == layer.Opaque {
			ev.kind = "opaque"
		} else if v := b.cur[e.Path]; v >= 0 {
			b.hide(e.Path, L, CauseDeleted, &ev)
		}
		b.removeBelow(e.Path, L, CauseDeleted, &ev)
		b.record(ev)
		lay.Deleted.N++
		lay.Deleted.Bytes += ev.bytes
	}
	for i := start; i < len(r.Entries); i++ {
		e := &r.Entries[i]
		if e.Type == layer.Whiteout || e.Type == layer.Opaque {
			continue
		}
		b.apply(L, int32(i))
		lay.Files++
		lay.Size += e.Size
		c := lay.count(e.Change)
		c.N++
		c.Bytes += e.Size
	}
}

// apply makes entry i visible, shadowing what was there.
func (b *builder) apply(L int, i int32) {
	e := &b.r.Entries[i]
	n := e.Path
	b.clearParents(n, L)
	if e.Type != layer.Dir && b.below[n] > 0 {
		ev := deletion{path: n, layer: L, kind: "replaced", stored: L}
		b.removeBelow(n, L, CauseDeleted, &ev)
		b.record(ev)
	}
	switch e.Type {
	case layer.File:
		e.Inode = i
	case layer.Hardlink:
		b.resolveLink(i)
		if e.Inode >= 0 { // count the new name before the old one goes
			b.links[e.Inode] = b.linkCount(e.Inode) + 1
		}
	}
	if v := b.cur[n]; v >= 0 {
		var later bool
		e.Change, later = b.compare(v, i)
		nw := len(b.r.Waste)
		b.hide(n, L, causeOf(e.Change), nil)
		if later {
			p := pendingCompare{old: v, new: i, waste: -1}
			if len(b.r.Waste) > nw {
				p.waste = nw
			}
			b.pending = append(b.pending, p)
		}
	}
	b.cur[n] = i
	for a := b.paths.parent[n]; a >= 0; a = b.paths.parent[a] {
		b.below[a]++
	}
}

// clearParents replaces files standing where a directory is needed (an
// entry "a/b" over a lower file "a"). Runtimes refuse such layers; strata
// reads them the way the entry names suggest and warns.
func (b *builder) clearParents(n PathID, L int) {
	for a := b.paths.parent[n]; a > Root; a = b.paths.parent[a] {
		v := b.cur[a]
		if v < 0 {
			continue
		}
		if t := b.r.Entries[v].Type; t != layer.Dir && t != layer.Symlink {
			b.warn("layer %d: %s is under %s, which is not a directory", L, b.paths.String(n), b.paths.String(a))
			b.hide(a, L, CauseModified, nil)
		}
	}
}

func (b *builder) resolveLink(i int32) {
	e := &b.r.Entries[i]
	t := b.paths.intern(e.Link)
	b.grow()
	if v := b.cur[t]; v >= 0 && v != i {
		e.Inode = b.r.Entries[v].Inode
		return
	}
	b.warn("layer %d: hardlink %s points to %s, which does not exist: read as an empty file", e.Layer, b.paths.String(e.Path), "/"+e.Link)
}

func (b *builder) linkCount(inode int32) int32 {
	if n, ok := b.links[inode]; ok {
		return n
	}
	return 1
}

// hide ends the life of the entry visible at n.
func (b *builder) hide(n PathID, L int, cause Cause, ev *deletion) {
	v := b.cur[n]
	b.cur[n] = -1
	for a := b.paths.parent[n]; a >= 0; a = b.paths.parent[a] {
		b.below[a]--
	}
	e := &b.r.Entries[v]
	e.Until = int32(L)
	if e.Inode < 0 {
		return
	}
	left := b.linkCount(e.Inode) - 1
	if left > 0 {
		b.links[e.Inode] = left
		return
	}
	delete(b.links, e.Inode)
	stored := &b.r.Entries[e.Inode]
	if stored.Size == 0 {
		return
	}
	b.r.Waste = append(b.r.Waste, Waste{Path: n, Bytes: stored.Size, Cause: cause,
		StoredIn: int(stored.Layer), ShadowedBy: L})
	b.r.Layers[stored.Layer].Wasted += stored.Size
	if ev != nil {
		ev.bytes += stored.Size
		ev.files++
		ev.stored = min(ev.stored, int(stored.Layer))
	}
}

// removeBelow hides everything visible strictly below n.
func (b *builder) removeBelow(n PathID, L int, cause Cause, ev *deletion) {
	if b.below[n] == 0 {
		return
	}
	stack := []PathID{n}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		b.paths.kids(d, func(c PathID) {
			if b.cur[c] >= 0 {
				b.hide(c, L, cause, ev)
			}
			if b.below[c] > 0 {
				stack = append(stack, c)
			}
		})
	}
}

func (b *builder) record(ev deletion) {
	if ev.files > 0 {
		b.events = append(b.events, ev)
	}
}

func causeOf(c Change) Cause {
	switch c {
	case Same:
		return CauseDuplicate
	case Attrs:
		return CauseMetadata
	}
	return CauseModified
}

// compare tells how entry i changes the visible entry v. Content matters
// only for regular files of equal size at the same path; when it is not
// hashed yet, later is set and Modified returned for now.
func (b *builder) compare(v, i int32) (c Change, later bool) {
	old, e := &b.r.Entries[v], &b.r.Entries[i]
	if old.Type != e.Type {
		return Modified, false
	}
	switch e.Type {
	case layer.File:
		if old.Size != e.Size {
			return Modified, false
		}
		if old.Size > 0 {
			if !old.hashed() || !e.hashed() {
				if b.hashable(old) && b.hashable(e) {
					return Modified, true
				}
				return Modified, false
			}
			if old.hash != e.hash {
				return Modified, false
			}
		}
	case layer.Symlink, layer.Hardlink:
		if old.Link != e.Link {
			return Modified, false
		}
	}
	return attrsChange(old, e), false
}

func attrsChange(old, e *Entry) Change {
	if old.Mode != e.Mode || old.UID != e.UID || old.GID != e.GID {
		return Attrs
	}
	return Same
}

func (b *builder) hashable(e *Entry) bool {
	return e.hashed() || !e.sparse() && b.blobs[e.Layer] != nil
}

func (l *Layer) count(c Change) *Count {
	switch c {
	case Modified:
		return &l.Modified
	case Attrs:
		return &l.Attrs
	case Same:
		return &l.Same
	case Deleted:
		return &l.Deleted
	}
	return &l.Added
}
