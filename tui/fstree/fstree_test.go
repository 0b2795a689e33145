package fstree

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/tui/internal/fixture"
)

func setup(t *testing.T) (*analyze.Result, *Index) {
	t.Helper()
	r := fixture.Analyze(t, fixture.Image())
	return r, NewIndex(r)
}

// dump lists rows as "marker size indented-name", one a line.
func dump(l *Layer, rows []Row, changed bool) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s %d %s%s\n", l.Status(r.ID).Marker(), l.Size(r.ID, changed), strings.Repeat(".", int(r.Depth-1)), l.ix.R.Paths.Name(r.ID))
	}
	return b.String()
}

func rows(l *Layer, o *Order, f Filter) []Row {
	keep, _ := l.Keep(f)
	return l.Rows(o, keep, NewCollapsed(len(keep)))
}

func id(t *testing.T, r *analyze.Result, path string) analyze.PathID {
	t.Helper()
	i, ok := r.Paths.Lookup(path)
	if !ok {
		t.Fatalf("no path %s", path)
	}
	return i
}

// Each layer's view marks what that layer did: whiteouts and opaque
// directories remove, a file becoming a directory modifies, a chmod
// modifies, and directories a layer only passes through (no entry of
// their own in it) stay unchanged.
func TestStatusPerLayer(t *testing.T) {
	r, ix := setup(t)
	want := []struct {
		layer int
		path  string
		s     Status
	}{
		{0, "/bin/busybox", Added}, {0, "/bin/sh", Added}, {0, "/usr/lib", Added}, // implied by its files
		{1, "/etc/passwd", Modified}, {1, "/bin/busybox", Unchanged}, {1, "/usr/bin/curl", Added}, {1, "/app", Absent},
		{3, "/app/.env", Removed}, {3, "/var/cache", Removed}, {3, "/var/cache/apt/archives/curl.deb", Removed},
		{3, "/app/server", Modified}, {3, "/app/config", Unchanged}, {3, "/var", Unchanged},
		{4, "/etc/hosts", Modified}, {4, "/etc/hosts/README", Added}, {4, "/usr/lib", Modified},
		{4, "/usr/lib/libc.so.6", Removed}, {4, "/usr/lib/libc.so", Removed}, {4, "/usr/lib/libnew.so", Added},
		{4, "/app/.env", Absent}, {4, "/var/cache", Absent},
	}
	layers := map[int]*Layer{}
	for _, w := range want {
		if layers[w.layer] == nil {
			layers[w.layer] = Build(ix, w.layer)
		}
		if got := layers[w.layer].Status(id(t, r, w.path)); got != w.s {
			t.Errorf("layer %d %s: %s, want %s", w.layer+1, w.path, got, w.s)
		}
	}
	l := layers[4]
	if got, want := l.Count, [NStatus]int{Added: 2, Modified: 2, Removed: 2}; got[Added] != want[Added] || got[Modified] != want[Modified] || got[Removed] != want[Removed] {
		t.Errorf("layer 5 counts %v", got)
	}
}

// Directory totals count a hardlinked inode once, removed paths keep the
// bytes they held, and the layer's own bytes add up separately.
func TestSizes(t *testing.T) {
	r, ix := setup(t)
	l := Build(ix, 0)
	if got := l.Size(id(t, r, "/bin"), false); got != 4600 {
		t.Errorf("/bin: %d, want 4600 (busybox and su; sh is a hardlink)", got)
	}
	if got := l.Size(id(t, r, "/bin/sh"), false); got != 4000 {
		t.Errorf("/bin/sh shows its inode's size: %d", got)
	}
	l = Build(ix, 3)
	for path, want := range map[string]int64{"/var": 5000, "/var/cache": 3000, "/app": 2522, "/": 4600 + 80 + 3500 + 5000 + 2522} {
		if got := l.Size(id(t, r, path), false); got != want {
			t.Errorf("layer 4 %s: %d, want %d", path, got, want)
		}
	}
	for path, want := range map[string]int64{"/app": 2500, "/var": 0, "/app/.env": 13, "/": 2500} {
		if got := l.Size(id(t, r, path), true); got != want {
			t.Errorf("layer 4 stores under %s: %d, want %d", path, got, want)
		}
	}
}

// Filters keep the parents of what they show; hidden statuses disappear.
func TestFilterKeepsParents(t *testing.T) {
	_, ix := setup(t)
	l := Build(ix, 3)
	var f Filter
	f.Hide[Unchanged] = true
	got := dump(l, rows(l, nil, f), true)
	want := `· 2500 app
- 13 ..env
~ 2500 .server
· 0 var
- 3000 .cache
- 3000 ..apt
- 3000 ...archives
- 3000 ....curl.deb
`
	if got != want {
		t.Errorf("only changes of layer 4:\n%s", got)
	}
	f.Hide[Removed] = true
	if got := dump(l, rows(l, nil, f), true); got != "· 2500 app\n~ 2500 .server\n" {
		t.Errorf("without removed:\n%s", got)
	}
}

// The size order puts the biggest first at every level.
func TestSizeOrder(t *testing.T) {
	r, ix := setup(t)
	l := Build(ix, 4)
	o := l.SizeOrder(false)
	var names []string
	for _, c := range o.Children(r.Paths, analyze.Root) {
		names = append(names, r.Paths.Name(c))
	}
	if want := []string{"var", "bin", "usr", "app", "etc", "tmp"}; !slices.Equal(names, want) {
		t.Errorf("root by size: %v, want %v", names, want)
	}
	if got := o.Children(r.Paths, id(t, r, "/usr/lib")); r.Paths.Name(got[0]) != "libc.so.6" {
		t.Errorf("/usr/lib by size starts with %s (a removed file keeps its size)", r.Paths.Name(got[0]))
	}
	if kids := (*Order)(nil).Children(r.Paths, analyze.Root); r.Paths.Name(kids[0]) != "app" {
		t.Errorf("name order starts with %s", r.Paths.Name(kids[0]))
	}
}

func TestSearch(t *testing.T) {
	r, ix := setup(t)
	l := Build(ix, 4)
	cases := []struct {
		query string
		want  []string // matched paths shown in layer 5
	}{
		{"libc", []string{"/usr/lib/libc.so", "/usr/lib/libc.so.6"}},
		{"LIBC", nil}, // an upper-case letter makes the search case-sensitive
		{"ETC/H", nil},
		{"etc/h", []string{"/etc/hosts", "/etc/hosts/README"}}, // below a match
		{"*.so*", []string{"/usr/lib/libc.so", "/usr/lib/libc.so.6", "/usr/lib/libnew.so"}},
		{"/usr/*/curl", []string{"/usr/bin/curl"}},
		{"/app/**/*.lz4", []string{"/app/a/very/deep/nested/directory/for/the/tree/" + fixture.LongName}},
		{"[", []string{"/" + fixture.HostileName}}, // a bad glob is text
	}
	for _, c := range cases {
		q := Compile(c.query)
		match := ix.Match(q)
		var got []string
		for i, m := range match {
			if m && l.Status(analyze.PathID(i)) != Absent {
				got = append(got, r.Paths.String(analyze.PathID(i)))
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q (glob %v): %v, want %v", c.query, q.IsGlob(), got, c.want)
		}
	}
	keep, n := l.Keep(Filter{Match: ix.Match(Compile("curl"))})
	got := dump(l, l.Rows(nil, keep, NewCollapsed(len(keep))), false)
	if n != 1 || got != "· 2700 usr\n· 1500 .bin\n· 1500 ..curl\n" {
		t.Errorf("search keeps parents: %d matches\n%s", n, got)
	}
}

// Expanding a collapsed directory inserts exactly the rows a full
// flattening has there, guide lines included.
func TestCollapsedSubtree(t *testing.T) {
	r, ix := setup(t)
	l := Build(ix, 2)
	keep, _ := l.Keep(Filter{})
	open := l.Rows(nil, keep, NewCollapsed(len(keep)))
	c := NewCollapsed(len(keep))
	usr := id(t, r, "/usr")
	c.Set(usr, true)
	if !c.Has(usr) || c.Clone().Has(usr) != true {
		t.Fatal("collapsed set")
	}
	closed := l.Rows(nil, keep, c)
	at := slices.IndexFunc(closed, func(row Row) bool { return row.ID == usr })
	sub := l.Subtree(nil, nil, keep, NewCollapsed(len(keep)), closed[at])
	spliced := slices.Concat(closed[:at+1], sub, closed[at+1:])
	if !slices.Equal(spliced, open) {
		t.Errorf("spliced rows differ:\n%s\nwant\n%s", dump(l, spliced, false), dump(l, open, false))
	}
	if len(closed) != len(open)-5 {
		t.Errorf("collapsing /usr hides %d rows, want 5", len(open)-len(closed))
	}
}

// Guides: a row knows whether it is its parent's last shown child and
// which of its ancestors have siblings after them.
func TestGuides(t *testing.T) {
	r, ix := setup(t)
	l := Build(ix, 0)
	keep, _ := l.Keep(Filter{})
	var b strings.Builder
	for _, row := range l.Rows(nil, keep, NewCollapsed(len(keep))) {
		for d := int32(1); d < row.Depth; d++ {
			if row.Guide(d) {
				b.WriteString("│ ")
			} else {
				b.WriteString("  ")
			}
		}
		if row.Last() {
			b.WriteString("└ ")
		} else {
			b.WriteString("├ ")
		}
		b.WriteString(r.Paths.Name(row.ID) + "\n")
	}
	want := `├ bin
│ ├ busybox
│ ├ sh
│ └ su
├ etc
│ ├ hosts
│ └ passwd
├ tmp
├ usr
│ └ lib
│   ├ libc.so
│   └ libc.so.6
└ var
  └ cache
    └ apt
      └ archives
        └ curl.deb
`
	if b.String() != want {
		t.Errorf("guides:\n%s", b.String())
	}
	if ix.Below(analyze.Root) != ix.Paths()-1 || ix.Below(id(t, r, "/usr/lib")) != 3 {
		t.Errorf("below: root %d of %d, /usr/lib %d", ix.Below(analyze.Root), ix.Paths(), ix.Below(id(t, r, "/usr/lib")))
	}
}
