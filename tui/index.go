package tui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/tui/fstree"
)

// index is what the panes read, computed once when the input arrives (in
// the loader's goroutine, not in Update).
type index struct {
	in *Input
	r  *analyze.Result
	fs *fstree.Index
	// top lists each layer's biggest stored files.
	top [][]topFile
	// waste aggregates Result.Waste by path, biggest first.
	waste []wasteRow
	// findings are Input.Findings by severity; perLayer counts them.
	findings []Finding
	perLayer []int
}

type topFile struct {
	id   analyze.PathID
	size int64
}

// wasteRow is one path whose stored copies do not all survive.
type wasteRow struct {
	id     analyze.PathID
	path   string
	bytes  int64
	causes []analyze.Cause
	copies []analyze.Waste
}

const topFiles = 8

func newIndex(in *Input) *index {
	r := in.Result
	ix := &index{in: in, r: r, fs: fstree.NewIndex(r), perLayer: make([]int, len(r.Layers))}
	for L := range r.Layers {
		var top []topFile
		for i := range r.Layers[L].Entries {
			e := &r.Layers[L].Entries[i]
			if e.Type != layer.File || e.Size == 0 {
				continue
			}
			if len(top) == topFiles && e.Size <= top[topFiles-1].size {
				continue
			}
			at, _ := slices.BinarySearchFunc(top, e.Size, func(t topFile, s int64) int { return cmp.Compare(s, t.size) })
			top = slices.Insert(top, at, topFile{e.Path, e.Size})
			if len(top) > topFiles {
				top = top[:topFiles]
			}
		}
		ix.top = append(ix.top, top)
	}
	byPath := map[analyze.PathID]int{}
	for _, w := range r.Waste {
		i, ok := byPath[w.Path]
		if !ok {
			i = len(ix.waste)
			byPath[w.Path] = i
			ix.waste = append(ix.waste, wasteRow{id: w.Path, path: r.Paths.String(w.Path)})
		}
		row := &ix.waste[i]
		row.bytes += w.Bytes
		row.copies = append(row.copies, w)
		if !slices.Contains(row.causes, w.Cause) {
			row.causes = append(row.causes, w.Cause)
		}
	}
	slices.SortStableFunc(ix.waste, func(a, b wasteRow) int {
		if c := cmp.Compare(b.bytes, a.bytes); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	ix.findings = slices.Clone(in.Findings)
	slices.SortStableFunc(ix.findings, func(a, b Finding) int {
		if c := cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)); c != 0 {
			return c
		}
		return cmp.Compare(b.Bytes, a.Bytes)
	})
	for _, f := range ix.findings {
		if f.Layer >= 0 && f.Layer < len(ix.perLayer) {
			ix.perLayer[f.Layer]++
		}
	}
	return ix
}

// layerCommand is the one-line text of a layer: the Dockerfile instruction
// when attribution knows it, else the history's created-by.
func (ix *index) layerCommand(i int) string {
	if n := ix.in.note(i); n.Instruction != "" {
		return oneLine(n.Instruction)
	}
	if h := ix.r.Layers[i].History; h != nil {
		return command(h.CreatedBy)
	}
	return ""
}
