package analyze

import (
	"errors"
	"path"
	"sort"
	"strings"

	"github.com/strata-dev/strata/analyze/layer"
)

// A literal, slow transcription of dive 0.13's file trees and Efficiency(),
// used to check the incremental computation in dive.go.

type refInfo struct {
	size  int64
	isDir bool
}

type refNode struct {
	name     string
	parent   *refNode
	children map[string]*refNode
	info     refInfo
}

func newRefTree() *refNode { return &refNode{children: map[string]*refNode{}} }

func (n *refNode) path() string {
	var parts []string
	for c := n; c.parent != nil; c = c.parent {
		name := c.name
		if c == n {
			name = strings.TrimPrefix(name, ".wh.")
		}
		parts = append([]string{name}, parts...)
	}
	return "/" + strings.Join(parts, "/")
}

func (n *refNode) isWhiteout() bool { return strings.HasPrefix(n.name, ".wh.") }

func (t *refNode) addPath(p string, info refInfo) {
	p = path.Clean(p)
	names := strings.Split(strings.Trim(p, "/"), "/")
	node := t
	for i, name := range names {
		if name == "" {
			continue
		}
		if c := node.children[name]; c != nil {
			node = c
		} else {
			if strings.HasPrefix(name, ".wh..wh.") {
				return
			}
			c := &refNode{name: name, parent: node, children: map[string]*refNode{}}
			node.children[name] = c
			node = c
		}
		if i == len(names)-1 {
			node.info = info
		}
	}
}

func (t *refNode) getNode(p string) (*refNode, error) {
	node := t
	for _, name := range strings.Split(strings.Trim(p, "/"), "/") {
		if name == "" {
			continue
		}
		if node.children[name] == nil {
			return nil, errors.New("path does not exist")
		}
		node = node.children[name]
	}
	return node, nil
}

func (t *refNode) removePath(p string) {
	if n, err := t.getNode(p); err == nil && n.parent != nil {
		delete(n.parent.children, n.name)
	}
}

func (n *refNode) visit(fn func(*refNode) error, eval func(*refNode) bool) error {
	keys := make([]string, 0, len(n.children))
	for k := range n.children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := n.children[k].visit(fn, eval); err != nil {
			return err
		}
	}
	if n.parent == nil {
		return nil
	}
	if eval == nil || eval(n) {
		return fn(n)
	}
	return nil
}

func (n *refNode) copyTree(parent *refNode) *refNode {
	c := &refNode{name: n.name, parent: parent, info: n.info, children: map[string]*refNode{}}
	for k, ch := range n.children {
		c.children[k] = ch.copyTree(c)
	}
	return c
}

func (t *refNode) stack(upper *refNode) {
	upper.visit(func(n *refNode) error {
		if n.isWhiteout() {
			t.removePath(n.path())
		} else {
			t.addPath(n.path(), n.info)
		}
		return nil
	}, nil)
}

func refStackRange(trees []*refNode, stop int) *refNode {
	t := trees[0].copyTree(nil)
	for i := 0; i <= stop; i++ {
		t.stack(trees[i])
	}
	return t
}

// refDive builds dive's layer trees from the result's entries and runs
// dive's Efficiency and Analyze.
func refDive(r *Result) DiveMetrics {
	var trees []*refNode
	var sizes []int64
	for _, l := range r.Layers {
		t := newRefTree()
		var size int64
		for _, e := range l.Entries {
			p := r.Paths.String(e.Path)
			switch e.Type {
			case layer.Whiteout:
				dir, base := path.Split(p)
				p = dir + ".wh." + base
			case layer.Opaque:
				p = strings.TrimSuffix(p, "/") + "/.wh..wh..opq"
			}
			t.addPath(p, refInfo{size: e.Size, isDir: e.Type == layer.Dir})
			size += e.Size
		}
		trees = append(trees, t)
		sizes = append(sizes, size)
	}
	type data struct {
		cum, min int64
		nodes    int
	}
	m := map[string]*data{}
	var inefficient []*data
	for idx, t := range trees {
		t.visit(func(n *refNode) error {
			p := n.path()
			if m[p] == nil {
				m[p] = &data{min: -1}
			}
			d := m[p]
			var size int64
			if n.isWhiteout() {
				prev, err := refStackRange(trees, idx-1).getNode(p)
				if err != nil {
					return err
				}
				if prev.info.isDir {
					prev.visit(func(c *refNode) error { size += c.info.size; return nil }, nil)
					size += prev.info.size
				}
			} else {
				size = n.info.size
			}
			d.cum += size
			if d.min < 0 || size < d.min {
				d.min = size
			}
			d.nodes++
			if d.nodes == 2 {
				inefficient = append(inefficient, d)
			}
			return nil
		}, func(n *refNode) bool { return len(n.children) == 0 })
	}
	var minSum, cumSum int64
	for _, d := range m {
		minSum += d.min
		cumSum += d.cum
	}
	out := DiveMetrics{Efficiency: 1}
	if cumSum != 0 {
		out.Efficiency = float64(minSum) / float64(cumSum)
	}
	for _, d := range inefficient {
		out.WastedBytes += uint64(d.cum)
	}
	for i, s := range sizes {
		if i > 0 {
			out.UserSizeBytes += uint64(s)
		}
	}
	out.UserWastedPercent = float64(out.WastedBytes) / float64(out.UserSizeBytes)
	return out
}
