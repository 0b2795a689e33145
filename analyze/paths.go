package analyze

import (
	"sort"
	"strings"
)

// PathID names one path of the image's file system. Every layer refers to
// the same IDs, so a path is stored once whatever the number of layers.
type PathID int32

// Root is the ID of "/".
const Root PathID = 0

// Paths interns the paths of an image as a tree of names.
type Paths struct {
	names  []string
	parent []PathID
	// Built while reading: first child and next sibling, in arrival order.
	first, next []PathID
	lookup      map[pathKey]PathID
	// Built by seal: children sorted by name, and the rank of each path in
	// a depth-first walk of that order.
	childStart []int32
	children   []PathID
	rank       []int32
}

type pathKey struct {
	parent PathID
	name   string
}

func newPaths() *Paths {
	return &Paths{names: []string{""}, parent: []PathID{-1}, first: []PathID{-1}, next: []PathID{-1},
		lookup: map[pathKey]PathID{}}
}

// Len is the number of paths, the root included.
func (p *Paths) Len() int { return len(p.names) }

// Name is the last element of a path ("" for the root).
func (p *Paths) Name(id PathID) string { return p.names[id] }

// Parent is the directory holding id (-1 for the root).
func (p *Paths) Parent(id PathID) PathID { return p.parent[id] }

// String is the absolute path ("/etc/passwd").
func (p *Paths) String(id PathID) string {
	if id == Root {
		return "/"
	}
	var parts []string
	for ; id != Root; id = p.parent[id] {
		parts = append(parts, p.names[id])
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}

// Depth is the number of elements in the path (0 for the root).
func (p *Paths) Depth(id PathID) int {
	d := 0
	for ; id > Root; id = p.parent[id] {
		d++
	}
	return d
}

// Children lists the paths directly under id, sorted by name.
func (p *Paths) Children(id PathID) []PathID {
	if p.childStart == nil {
		return nil
	}
	return p.children[p.childStart[id]:p.childStart[id+1]]
}

// Lookup finds an absolute or relative path.
func (p *Paths) Lookup(path string) (PathID, bool) {
	id := Root
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if part == "" {
			continue
		}
		kids := p.Children(id)
		i := sort.Search(len(kids), func(i int) bool { return p.names[kids[i]] >= part })
		if i == len(kids) || p.names[kids[i]] != part {
			return 0, false
		}
		id = kids[i]
	}
	return id, true
}

// Rank orders paths as a sorted tree walk shows them (parents first).
func (p *Paths) Rank(id PathID) int32 { return p.rank[id] }

// IsUnder reports whether id lies strictly below dir.
func (p *Paths) IsUnder(id, dir PathID) bool {
	for id = p.parent[id]; id >= 0; id = p.parent[id] {
		if id == dir {
			return true
		}
	}
	return false
}

// intern adds a cleaned relative path ("usr/bin/env") and returns its ID.
func (p *Paths) intern(path string) PathID {
	id := Root
	for path != "" {
		part := path
		if i := strings.IndexByte(path, '/'); i >= 0 {
			part, path = path[:i], path[i+1:]
		} else {
			path = ""
		}
		id = p.child(id, part)
	}
	return id
}

func (p *Paths) child(parent PathID, name string) PathID {
	k := pathKey{parent, name}
	if id, ok := p.lookup[k]; ok {
		return id
	}
	id := PathID(len(p.names))
	name = strings.Clone(name) // do not pin the tar header's buffer
	k.name = name
	p.names = append(p.names, name)
	p.parent = append(p.parent, parent)
	p.first = append(p.first, -1)
	p.next = append(p.next, p.first[parent])
	p.first[parent] = id
	p.lookup[k] = id
	return id
}

// seal sorts children, computes ranks and drops the build-time index.
func (p *Paths) seal() {
	n := len(p.names)
	p.childStart = make([]int32, n+1)
	for id := 1; id < n; id++ {
		p.childStart[p.parent[id]+1]++
	}
	for i := 1; i <= n; i++ {
		p.childStart[i] += p.childStart[i-1]
	}
	p.children = make([]PathID, n-1)
	fill := make([]int32, n)
	for id := 1; id < n; id++ {
		par := p.parent[id]
		p.children[p.childStart[par]+fill[par]] = PathID(id)
		fill[par]++
	}
	for id := 0; id < n; id++ {
		kids := p.children[p.childStart[id]:p.childStart[id+1]]
		if len(kids) > 1 {
			sort.Slice(kids, func(i, j int) bool { return p.names[kids[i]] < p.names[kids[j]] })
		}
	}
	p.rank = make([]int32, n)
	stack := []PathID{Root}
	var r int32
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		p.rank[id] = r
		r++
		kids := p.Children(id)
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
	p.first, p.next, p.lookup = nil, nil, nil
}

// kids iterates children while the table is being built (unsorted).
func (p *Paths) kids(id PathID, fn func(PathID)) {
	if p.first == nil {
		for _, c := range p.Children(id) {
			fn(c)
		}
		return
	}
	for c := p.first[id]; c >= 0; c = p.next[c] {
		fn(c)
	}
}
