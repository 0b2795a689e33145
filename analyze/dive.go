package analyze

import (
	"sort"
	"strings"

	"github.com/strata-dev/strata/analyze/layer"
)

// diveCalc reproduces dive 0.13's Efficiency(): leaves of each layer's own
// tree are visited; whiteouts of directories weigh what dive's stacked
// tree holds below them; every occurrence of a path that appears in two or
// more layers counts as wasted, the surviving one included. The stack is
// kept incrementally (dive rebuilds it for every whiteout) with one stamp
// array per question instead of per-layer trees.
type diveCalc struct {
	r     *Result
	paths *Paths
	// dive's stacked tree of the layers below the current one
	present []bool
	size    []int64
	isDir   []bool
	// the current layer's tree, by stamp (layer index + 1)
	seen, wh, hasChild, walked []int32
	lsize                      []int64
	ldir                       []bool
	nodes, whs                 []PathID
	// per path accumulators
	cum, min []int64
	count    []int32
	touched  []bool
}

func computeDive(r *Result) DiveMetrics {
	n := r.Paths.Len()
	d := &diveCalc{r: r, paths: r.Paths,
		present: make([]bool, n), size: make([]int64, n), isDir: make([]bool, n),
		seen: make([]int32, n), wh: make([]int32, n), hasChild: make([]int32, n), walked: make([]int32, n),
		lsize: make([]int64, n), ldir: make([]bool, n),
		cum: make([]int64, n), min: make([]int64, n), count: make([]int32, n), touched: make([]bool, n)}
	var userSize uint64
	for L := range r.Layers {
		d.collect(L)
		if L == 0 {
			for _, p := range d.nodes { // dive starts from a copy of layer 0
				d.present[p], d.size[p], d.isDir[p] = true, d.lsize[p], d.ldir[p]
			}
		}
		d.evaluate(L)
		d.apply(L)
		if L > 0 {
			for _, e := range r.Layers[L].Entries {
				userSize += uint64(e.Size)
			}
		}
	}
	var minSum, cumSum int64
	var wasted uint64
	for p := range d.touched {
		if !d.touched[p] {
			continue
		}
		minSum += d.min[p]
		cumSum += d.cum[p]
		if d.count[p] >= 2 {
			wasted += uint64(d.cum[p])
		}
	}
	m := DiveMetrics{Efficiency: 1, WastedBytes: wasted, UserSizeBytes: userSize}
	if cumSum != 0 {
		m.Efficiency = float64(minSum) / float64(cumSum)
	}
	m.UserWastedPercent = float64(wasted) / float64(userSize)
	return m
}

// collect builds layer L's own tree: explicit entries (the last one per
// path wins), implied parents, and whiteouts as nodes of their own.
// Opaque markers are dropped, but like dive the directory holding one
// still becomes a node.
func (d *diveCalc) collect(L int) {
	stamp := int32(L + 1)
	d.nodes, d.whs = d.nodes[:0], d.whs[:0]
	for i := range d.r.Layers[L].Entries {
		e := &d.r.Layers[L].Entries[i]
		p := e.Path
		switch e.Type {
		case layer.Whiteout:
			if d.wh[p] != stamp {
				d.wh[p] = stamp
				d.whs = append(d.whs, p)
			}
		case layer.Opaque:
			if p != Root {
				d.node(p, stamp)
			}
			d.markParents(d.paths.parent[p], stamp)
			continue
		default:
			d.node(p, stamp)
			d.lsize[p], d.ldir[p] = e.Size, e.Type == layer.Dir
		}
		d.markParents(d.paths.parent[p], stamp)
	}
}

func (d *diveCalc) node(p PathID, stamp int32) {
	if d.seen[p] != stamp {
		d.seen[p] = stamp
		d.lsize[p], d.ldir[p] = 0, false
		d.nodes = append(d.nodes, p)
	}
}

func (d *diveCalc) markParents(a PathID, stamp int32) {
	for ; a > Root && d.walked[a] != stamp; a = d.paths.parent[a] {
		d.walked[a] = stamp
		d.hasChild[a] = stamp
		d.node(a, stamp)
	}
}

func (d *diveCalc) add(p PathID, size int64) {
	if !d.touched[p] {
		d.touched[p], d.min[p] = true, -1
	}
	d.cum[p] += size
	if d.min[p] < 0 || size < d.min[p] {
		d.min[p] = size
	}
	d.count[p]++
}

// evaluate visits the layer's leaves against the stack of lower layers.
func (d *diveCalc) evaluate(L int) {
	stamp := int32(L + 1)
	for _, p := range d.whs {
		if !d.present[p] {
			d.evaluateInOrder(L) // dive aborts the layer here: order matters
			return
		}
	}
	for _, p := range d.nodes {
		if d.hasChild[p] != stamp {
			d.add(p, d.lsize[p])
		}
	}
	for _, p := range d.whs {
		d.add(p, d.whiteoutSize(p))
	}
}

func (d *diveCalc) whiteoutSize(p PathID) int64 {
	if !d.isDir[p] {
		return 0
	}
	var sum int64
	stack := []PathID{p}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		sum += d.size[n]
		d.paths.kids(n, func(c PathID) {
			if d.present[c] {
				stack = append(stack, c)
			}
		})
	}
	return sum
}

// evaluateInOrder is dive's exact visit for a layer holding a whiteout of
// a path its stack lacks: leaves in sorted depth-first order until that
// whiteout, whose path is registered with a "smallest size" of -1, and
// nothing after it.
func (d *diveCalc) evaluateInOrder(L int) {
	stamp := int32(L + 1)
	type leaf struct {
		p     PathID
		wh    bool
		parts []string
	}
	var leaves []leaf
	for _, p := range d.nodes {
		if d.hasChild[p] != stamp {
			leaves = append(leaves, leaf{p, false, d.rawParts(p, "")})
		}
	}
	for _, p := range d.whs {
		leaves = append(leaves, leaf{p, true, d.rawParts(p, ".wh.")})
	}
	sort.Slice(leaves, func(i, j int) bool {
		a, b := leaves[i].parts, leaves[j].parts
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return len(a) > len(b)
	})
	for _, l := range leaves {
		if !l.wh {
			d.add(l.p, d.lsize[l.p])
			continue
		}
		if !d.present[l.p] {
			if !d.touched[l.p] {
				d.touched[l.p], d.min[l.p] = true, -1
			}
			return
		}
		d.add(l.p, d.whiteoutSize(l.p))
	}
}

func (d *diveCalc) rawParts(p PathID, prefix string) []string {
	parts := strings.Split(strings.TrimPrefix(d.paths.String(p), "/"), "/")
	parts[len(parts)-1] = prefix + parts[len(parts)-1]
	return parts
}

// apply stacks layer L the way dive's Stack does: whiteouts remove, other
// nodes are added with their payload (empty for implied parents). Within
// a layer dive visits siblings by name, so a whiteout acts before or after
// the additions depending on how ".wh.NAME" sorts against NAME.
func (d *diveCalc) apply(L int) {
	for _, p := range d.whs {
		if name := d.paths.names[p]; ".wh."+name < name {
			d.remove(p)
		}
	}
	for _, p := range d.nodes {
		d.present[p], d.size[p], d.isDir[p] = true, d.lsize[p], d.ldir[p]
	}
	for _, p := range d.whs {
		if name := d.paths.names[p]; ".wh."+name >= name {
			d.remove(p)
		}
	}
}

func (d *diveCalc) remove(p PathID) {
	if !d.present[p] {
		return
	}
	stack := []PathID{p}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d.present[n] = false
		d.paths.kids(n, func(c PathID) {
			if d.present[c] {
				stack = append(stack, c)
			}
		})
	}
}
