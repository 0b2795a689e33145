package analyze

import (
	"sort"

	"github.com/strata-dev/strata/analyze/layer"
)

// finish seals the path table, puts each layer's entries in tree order
// (remapping the indexes entries hold) and computes the figures.
func (b *builder) finish() {
	r := b.r
	b.paths.seal()
	perm := make([]int32, len(r.Entries)) // new position -> old index
	for L := range r.Layers {
		lay := &r.Layers[L]
		end := len(r.Entries)
		if L+1 < len(r.Layers) {
			end = r.Layers[L+1].first
		}
		idx := perm[lay.first:end]
		for i := range idx {
			idx[i] = int32(lay.first + i)
		}
		sort.SliceStable(idx, func(i, j int) bool {
			return b.paths.rank[r.Entries[idx[i]].Path] < b.paths.rank[r.Entries[idx[j]].Path]
		})
	}
	where := make([]int32, len(perm)) // old index -> new position
	for n, old := range perm {
		where[old] = int32(n)
	}
	for i := range r.Entries {
		e := &r.Entries[i]
		if e.Inode >= 0 {
			e.Inode = where[e.Inode]
		}
		if e.prev >= 0 {
			e.prev = where[e.prev]
		}
	}
	permuteInPlace(r.Entries, where)
	b.last, b.cur, b.below = nil, nil, nil // stacking is done
	for L := range r.Layers {
		lay := &r.Layers[L]
		end := len(r.Entries)
		if L+1 < len(r.Layers) {
			end = r.Layers[L+1].first
		}
		lay.Entries = r.Entries[lay.first:end:end]
	}
	b.figures()
	sort.SliceStable(r.Waste, func(i, j int) bool {
		x, y := r.Waste[i], r.Waste[j]
		if x.Bytes != y.Bytes {
			return x.Bytes > y.Bytes
		}
		return b.paths.rank[x.Path] < b.paths.rank[y.Path]
	})
}

func (b *builder) figures() {
	r := b.r
	f := &r.Figures
	f.Layers = len(r.Layers)
	f.BaseLayers = r.Base.Layers
	f.BlobSize = 0
	f.ByCause = map[Cause]int64{}
	for _, c := range Causes {
		f.ByCause[c] = 0
	}
	for i := range r.Layers {
		l := &r.Layers[i]
		f.TotalSize += l.Size
		if !l.Base {
			f.UserSize += l.Size
		}
		if l.BlobSize < 0 || f.BlobSize < 0 {
			f.BlobSize = -1
		} else {
			f.BlobSize += l.BlobSize
		}
	}
	for _, w := range r.Waste {
		f.Wasted += w.Bytes
		f.ByCause[w.Cause] += w.Bytes
		if !r.Layers[w.StoredIn].Base {
			f.UserWasted += w.Bytes
		}
	}
	// Each inode counts once: a file and its hardlinks share one.
	linked := map[int32]bool{}
	for i := range r.Entries {
		if e := &r.Entries[i]; e.Until == Forever && e.Type == layer.Hardlink && e.Inode >= 0 {
			linked[e.Inode] = true
		}
	}
	counted := map[int32]bool{}
	for i := range r.Entries {
		e := &r.Entries[i]
		if e.Until != Forever || e.Type == layer.Whiteout || e.Type == layer.Opaque {
			continue
		}
		f.FinalFiles++
		if e.Inode < 0 {
			continue
		}
		if linked[e.Inode] {
			if counted[e.Inode] {
				continue
			}
			counted[e.Inode] = true
		}
		f.FinalSize += r.Entries[e.Inode].Size
	}
	f.Efficiency = 1
	if f.TotalSize > 0 {
		f.Efficiency = float64(f.TotalSize-f.Wasted) / float64(f.TotalSize)
	}
	if f.UserSize > 0 {
		f.UserWastedPercent = float64(f.UserWasted) / float64(f.UserSize)
	}
}

// permuteInPlace moves entry i to where[i] by following cycles, so that
// sorting a million entries needs no second copy of them. where is
// consumed (set to -1 as entries land).
func permuteInPlace(es []Entry, where []int32) {
	for i := range es {
		for where[i] >= 0 && int(where[i]) != i {
			j := where[i]
			es[i], es[j] = es[j], es[i]
			where[i], where[j] = where[j], -1
		}
		where[i] = -1
	}
}
