package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/strata-dev/strata/tui/fstree"
)

// treeJobs runs the tree's slow work off the Update loop: building a
// layer's view, sorting by size and searching. One job runs at a time and
// the latest settings win: a result computed from settings that changed
// meanwhile is cached (its layer, order, matches) but not shown, and a new
// job starts from the current settings, mostly from the cache.
type treeJobs struct {
	fs      *fstree.Index
	gen     int
	running bool
	// layers caches built layers and their size orders, least recently
	// used first out, within budget bytes.
	layers map[int]*cachedLayer
	clock  int
	budget int
	// matches caches recent searches (a match holds for every layer).
	matches map[string][]bool
	queries []string
	// prefetching is set while a neighbour layer is built ahead.
	prefetching bool
}

type cachedLayer struct {
	l      *fstree.Layer
	orders [2]*fstree.Order // by size; by the layer's own bytes
	used   int
}

// treeJobMsg carries a finished job: the display and what to cache.
type treeJobMsg struct {
	gen   int
	d     *display
	built *fstree.Layer
	order *fstree.Order
	match []bool
}

// prefetchMsg carries a layer built ahead of need.
type prefetchMsg struct{ l *fstree.Layer }

const (
	layerBudget = 256 << 20
	maxQueries  = 8
)

func newTreeJobs(fs *fstree.Index) *treeJobs {
	return &treeJobs{fs: fs, layers: map[int]*cachedLayer{}, matches: map[string][]bool{}, budget: layerBudget}
}

func orderSlot(changesOnly bool) int {
	if changesOnly {
		return 1
	}
	return 0
}

// request asks for a display of s; the collapsed set is copied.
func (j *treeJobs) request(s treeSettings, collapsed fstree.Collapsed) tea.Cmd {
	j.gen++
	if j.running {
		return nil // finish starts the next one
	}
	return j.launch(s, collapsed)
}

// invalidate marks a running job's result stale (the collapsed set
// changed under it).
func (j *treeJobs) invalidate() tea.Cmd {
	if j.running {
		j.gen++
	}
	return nil
}

func (j *treeJobs) busy() bool { return j.running }

func (j *treeJobs) launch(s treeSettings, collapsed fstree.Collapsed) tea.Cmd {
	j.running = true
	gen := j.gen
	var l *fstree.Layer
	var order *fstree.Order
	if c := j.layers[s.layer]; c != nil {
		j.clock++
		c.used = j.clock
		l = c.l
		order = c.orders[orderSlot(s.changesOnly)]
	}
	match := j.matches[s.query]
	col := collapsed.Clone()
	fs := j.fs
	return func() tea.Msg {
		msg := treeJobMsg{gen: gen}
		if l == nil {
			l = fstree.Build(fs, s.layer)
			msg.built = l
		}
		if !s.bySize {
			order = nil
		} else if order == nil {
			order = l.SizeOrder(s.changesOnly)
			msg.order = order
		}
		if s.query != "" && match == nil {
			match = fs.Match(fstree.Compile(s.query))
			msg.match = match
		}
		if s.query == "" {
			match = nil
		}
		f := fstree.Filter{Hide: s.hide, Match: match}
		if s.changesOnly {
			f.Hide[fstree.Unchanged] = true
		}
		keep, n := l.Keep(f)
		msg.d = &display{settings: s, layer: l, order: order, keep: keep, match: match, matches: n,
			rows: l.Rows(order, keep, col)}
		return msg
	}
}

// finish caches what a job computed and reports whether its display is
// still the one wanted.
func (j *treeJobs) finish(msg treeJobMsg) bool {
	j.running = false
	s := msg.d.settings
	if msg.built != nil {
		j.store(msg.built)
	}
	if msg.order != nil {
		if c := j.layers[s.layer]; c != nil {
			c.orders[orderSlot(s.changesOnly)] = msg.order
		}
	}
	if msg.match != nil {
		j.matches[s.query] = msg.match
		j.queries = append(j.queries, s.query)
		if len(j.queries) > maxQueries {
			delete(j.matches, j.queries[0])
			j.queries = j.queries[1:]
		}
	}
	return msg.gen == j.gen
}

func (j *treeJobs) store(l *fstree.Layer) {
	if _, ok := j.layers[l.Index]; ok {
		return
	}
	j.clock++
	j.layers[l.Index] = &cachedLayer{l: l, used: j.clock}
	for len(j.layers) > 2 && len(j.layers)*l.Bytes() > j.budget {
		oldest := -1
		for k, c := range j.layers {
			if oldest < 0 || c.used < j.layers[oldest].used {
				oldest = k
			}
		}
		delete(j.layers, oldest)
	}
}

// prefetch builds a neighbour of layer k ahead of need, when idle.
func (j *treeJobs) prefetch(k, layers int) tea.Cmd {
	if j.running || j.prefetching {
		return nil
	}
	for _, n := range []int{k + 1, k - 1} {
		if n < 0 || n >= layers || j.layers[n] != nil {
			continue
		}
		if (len(j.layers)+1)*j.fs.Paths()*21 > j.budget {
			return nil // would evict what is in use
		}
		j.prefetching = true
		fs := j.fs
		return func() tea.Msg { return prefetchMsg{fstree.Build(fs, n)} }
	}
	return nil
}

func (j *treeJobs) prefetched(msg prefetchMsg) {
	j.prefetching = false
	j.store(msg.l)
}
