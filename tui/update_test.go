package tui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/internal/tools/testimg"
	"github.com/strata-dev/strata/tui/fstree"
	"github.com/strata-dev/strata/tui/internal/fixture"
)

// at is the path under the tree's cursor.
func at(m *Model) string {
	id, ok := m.tree.selected()
	if !ok {
		return ""
	}
	return m.ix.r.Paths.String(id)
}

func rowNames(m *Model) string { return strings.Join(treeNames(m), "|") }

func TestStartsOnTheFinalFileSystem(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	if m.focus != focusLayers || m.main != viewTree {
		t.Errorf("focus %d, main view %d", m.focus, m.main)
	}
	last := len(m.ix.r.Layers) - 1
	if m.layers.selected() != last || m.tree.cur.settings.layer != last || m.details.layer != last {
		t.Errorf("layers %d, tree %d, details %d; want %d", m.layers.selected(), m.tree.cur.settings.layer, m.details.layer, last)
	}
	if got := treeNames(m)[0]; got != "app" {
		t.Errorf("first row %q", got)
	}
}

func TestPaneSwitching(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	var got []focus
	for _, k := range []string{"tab", "tab", "tab", "shift+tab", "shift+tab"} {
		press(t, m, k)
		got = append(got, m.focus)
	}
	if want := []focus{focusMain, focusDetails, focusLayers, focusDetails, focusMain}; !slices.Equal(got, want) {
		t.Errorf("focus after tab, tab, tab, shift+tab, shift+tab: %v, want %v", got, want)
	}
}

// Moving in the layers pane changes the tree and the details with it.
func TestLayerNavigation(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	for _, c := range []struct {
		keys  string
		layer int
	}{{"k", 3}, {"up", 2}, {"home", 0}, {"j", 1}, {"down", 2}, {"end", 4}, {"g", 0}, {"G", 4}, {"pgup", 0}, {"pgdown", 4}} {
		press(t, m, c.keys)
		if m.layers.selected() != c.layer || m.tree.cur.settings.layer != c.layer || m.details.layer != c.layer {
			t.Errorf("after %s: layers %d, tree %d, details %d; want %d", c.keys, m.layers.selected(), m.tree.cur.settings.layer, m.details.layer, c.layer)
		}
	}
	press(t, m, "home")
	if !strings.Contains(screen(m), "Files as of layer 1") {
		t.Error("the tree pane does not say which layer it shows")
	}
}

func TestTreeNavigation(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "tab")
	n := len(m.tree.cur.rows)
	for _, c := range []struct{ keys, path string }{
		{"j", "/app/a"}, {"down j", "/app/a/very/deep"}, {"k", "/app/a/very"}, {"home", "/app"}, {"end", "/var/lib/apt/lists/" + m.ix.r.Paths.Name(m.tree.cur.rows[n-1].ID)},
		{"g", "/app"}, {"G", "/var/lib/apt/lists/" + m.ix.r.Paths.Name(m.tree.cur.rows[n-1].ID)},
	} {
		press(t, m, c.keys)
		if got := at(m); got != c.path {
			t.Errorf("after %s: at %s, want %s", c.keys, got, c.path)
		}
	}
	press(t, m, "home pgdown")
	if m.tree.nav.cursor != m.tree.nav.height {
		t.Errorf("page down moves %d rows, want %d", m.tree.nav.cursor, m.tree.nav.height)
	}
	press(t, m, "pgup")
	if m.tree.nav.cursor != 0 {
		t.Errorf("page up: row %d", m.tree.nav.cursor)
	}
}

func TestCollapseExpand(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "tab")
	all := len(m.tree.cur.rows)
	press(t, m, "space") // /app
	if got := rowNames(m); !strings.HasPrefix(got, "app|bin|") {
		t.Fatalf("after collapsing /app: %s", got)
	}
	if !strings.Contains(screen(m), "▸ app/") {
		t.Error("a collapsed directory is not marked")
	}
	press(t, m, "enter")
	if len(m.tree.cur.rows) != all {
		t.Errorf("expanding again: %d rows, want %d", len(m.tree.cur.rows), all)
	}
	press(t, m, "j j l l h") // /app/a/very: l on an open dir does nothing, h closes it
	if at(m) != "/app/a/very" || !m.tree.activeCollapsed().Has(m.tree.cursorID) {
		t.Errorf("h on an open directory: at %s collapsed %v", at(m), m.tree.activeCollapsed().Has(m.tree.cursorID))
	}
	press(t, m, "h")
	if at(m) != "/app/a" {
		t.Errorf("h on a closed directory goes to the parent: at %s", at(m))
	}
	press(t, m, "j right")
	if len(m.tree.cur.rows) != all {
		t.Errorf("→ expands: %d rows, want %d", len(m.tree.cur.rows), all)
	}
	press(t, m, "c")
	if got := rowNames(m); got != "app|bin|etc|tmp|usr|var" {
		t.Errorf("collapse all: %s", got)
	}
	if at(m) != "/app" {
		t.Errorf("collapse all keeps the cursor on the nearest shown directory: %s", at(m))
	}
	press(t, m, "e")
	if len(m.tree.cur.rows) != all {
		t.Errorf("expand all: %d rows, want %d", len(m.tree.cur.rows), all)
	}
}

// Search filters as one types, keeps the parents of matches, survives
// enter and goes with esc.
func TestSearch(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "/") // from the layers pane: the tree takes the focus
	if m.focus != focusMain || !m.tree.typing {
		t.Fatalf("/ does not start a search: focus %d typing %v", m.focus, m.tree.typing)
	}
	press(t, m, "l")
	many := len(m.tree.cur.rows)
	press(t, m, "i b n")
	if got := rowNames(m); got != "usr| lib|  libnew.so" {
		t.Errorf("search libn: %s", got)
	}
	if many <= 3 {
		t.Errorf("search l shows %d rows only", many)
	}
	press(t, m, "backspace backspace backspace backspace")
	press(t, m, "* . s o *")
	if got := rowNames(m); got != "usr| lib|  libc.so|  libc.so.6|  libnew.so" {
		t.Errorf("glob *.so* on layer 5 (the opaque directory's removed files show too): %s", got)
	}
	press(t, m, "enter")
	if m.tree.typing || m.tree.want.query != "*.so*" {
		t.Errorf("enter: typing %v, query %q", m.tree.typing, m.tree.want.query)
	}
	if !strings.Contains(screen(m), "/ *.so*") {
		t.Error("a kept filter is not shown")
	}
	press(t, m, "j") // keys move in the filtered tree
	if at(m) != "/usr/lib" {
		t.Errorf("j in the filtered tree: %s", at(m))
	}
	press(t, m, "esc")
	if m.tree.want.query != "" || len(m.tree.cur.rows) < 20 {
		t.Errorf("esc: query %q, %d rows", m.tree.want.query, len(m.tree.cur.rows))
	}
	if at(m) != "/usr/lib" {
		t.Errorf("the cursor stays on its path when the filter goes: %s", at(m))
	}
	press(t, m, "/ b u s y esc")
	if m.tree.want.query != "" || m.tree.typing {
		t.Error("esc while typing clears the filter")
	}
}

func TestSort(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "tab c s")
	if got := rowNames(m); got != "var|bin|usr|app|etc|tmp" {
		t.Errorf("by size: %s", got)
	}
	if !strings.Contains(screen(m), "by size") {
		t.Error("the title does not say the order")
	}
	press(t, m, "s")
	if got := rowNames(m); got != "app|bin|etc|tmp|usr|var" {
		t.Errorf("by name again: %s", got)
	}
}

func TestFilters(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "k tab") // layer 4: a chmod, two whiteouts
	press(t, m, "o")
	if got := rowNames(m); got != "app| .env| server|var| cache|  apt|   archives|    curl.deb" {
		t.Errorf("only the changes of layer 4: %s", got)
	}
	if !strings.Contains(screen(m), "Changes in layer 4") {
		t.Error("title")
	}
	press(t, m, "R")
	if got := rowNames(m); got != "app| server" {
		t.Errorf("without removed: %s", got)
	}
	press(t, m, "R o U") // the whole file system, without what is unchanged
	rows := m.tree.cur.rows
	for i, r := range rows {
		parent := i+1 < len(rows) && rows[i+1].Depth > r.Depth
		if m.tree.cur.layer.Status(r.ID) == fstree.Unchanged && !parent {
			t.Errorf("U hides unchanged paths, %s shows", m.ix.r.Paths.String(r.ID))
		}
	}
	if len(rows) != 8 {
		t.Errorf("U on layer 4 shows %d rows, want the 8 of o", len(rows))
	}
	press(t, m, "U A M")
	var got []string
	for _, r := range m.tree.cur.rows {
		if s := m.tree.cur.layer.Status(r.ID); s == fstree.Modified {
			got = append(got, m.ix.r.Paths.String(r.ID))
		}
	}
	if len(got) != 0 || !strings.Contains(screen(m), "hiding A M") {
		t.Errorf("M hides modified: %v\n%s", got, screen(m))
	}
}

func TestPermissionsColumn(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	if strings.Contains(screen(m), "Permission") {
		t.Error("a narrow tree shows permissions by default")
	}
	press(t, m, "tab p")
	s := screen(m)
	if !strings.Contains(s, "Permission") || !strings.Contains(s, "drwxr-xr-x 1000:1000") {
		t.Errorf("p shows permissions and owners:\n%s", s)
	}
	press(t, m, "p")
	if strings.Contains(screen(m), "Permission") {
		t.Error("p again hides them")
	}
	wide := loaded(t, plainInput(t), 160, 48)
	if !strings.Contains(screen(wide), "-rwsr-xr-x 0:0") {
		t.Errorf("a wide tree shows permissions, setuid included:\n%s", screen(wide))
	}
}

// The wasted view lists what is stored and shadowed; enter shows the file
// in the tree as of the layer that stored it.
func TestWastedJump(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "w")
	if m.main != viewWasted || m.focus != focusMain {
		t.Fatalf("w: main %d focus %d", m.main, m.focus)
	}
	first := m.ix.waste[0]
	press(t, m, "enter")
	stored := first.copies[0].StoredIn
	if m.main != viewTree || m.layers.selected() != stored || m.tree.cur.settings.layer != stored {
		t.Errorf("enter: main %d, layer %d, tree layer %d; want the tree as of layer %d", m.main, m.layers.selected(), m.tree.cur.settings.layer, stored)
	}
	if at(m) != first.path {
		t.Errorf("the cursor is on %s, want %s", at(m), first.path)
	}
	press(t, m, "w esc")
	if m.main != viewTree {
		t.Error("esc goes back to the tree")
	}
	press(t, m, "w w")
	if m.main != viewTree {
		t.Error("w again goes back to the tree")
	}
}

// The jump clears what would hide the file, and opens its directories.
func TestJumpClearsFilters(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "tab c / z z z enter")
	if len(m.tree.cur.rows) != 0 {
		t.Fatalf("search zzz shows %s", rowNames(m))
	}
	press(t, m, "w")
	for i, w := range m.ix.waste {
		if strings.HasPrefix(w.path, "/var/cache") {
			m.wasted.nav.to(i)
		}
	}
	press(t, m, "enter")
	if at(m) != "/var/cache/apt/archives/curl.deb" {
		t.Errorf("jump to a file under collapsed directories behind a search: at %q", at(m))
	}
}

// Findings and layers filter each other.
func TestFindingsLinkedToLayers(t *testing.T) {
	m := loaded(t, fixtureInput(t), 160, 48)
	press(t, m, "f")
	if m.main != viewFindings || len(m.findings.rows) != len(m.ix.findings) {
		t.Fatalf("f: main %d, %d of %d findings", m.main, len(m.findings.rows), len(m.ix.findings))
	}
	press(t, m, "shift+tab") // to the layers pane
	press(t, m, "home j")    // layer 2: two lint findings and the apt cache
	for _, i := range m.findings.rows {
		if m.ix.findings[i].Layer != 1 {
			t.Errorf("layer 2 selected, finding of layer %d shown", m.ix.findings[i].Layer+1)
		}
	}
	if len(m.findings.rows) != 3 || !strings.Contains(screen(m), "Findings · layer 2 (3 of") {
		t.Errorf("findings of layer 2: %d\n%s", len(m.findings.rows), screen(m))
	}
	press(t, m, "tab a") // back to the findings, all layers
	if len(m.findings.rows) != len(m.ix.findings) {
		t.Errorf("a: %d findings", len(m.findings.rows))
	}
	for i := range m.findings.rows {
		m.findings.nav.to(i - 1)
		press(t, m, "j")
		f := m.findings.selected()
		if f.Layer >= 0 && m.layers.selected() != f.Layer {
			t.Errorf("finding %s of layer %d selects layer %d", f.Code, f.Layer+1, m.layers.selected()+1)
		}
		for _, also := range f.Also {
			if !m.layers.involved[also] {
				t.Errorf("finding %s: layer %d not marked", f.Code, also+1)
			}
		}
	}
	// enter on an image finding shows its file in the tree
	for i, r := range m.findings.rows {
		if m.ix.findings[r].Code == "secret" {
			m.findings.nav.to(i)
		}
	}
	press(t, m, "enter")
	if m.main != viewTree || at(m) != "/app/.env" || m.tree.cur.settings.layer != 2 {
		t.Errorf("enter on the secret: main %d at %s layer %d", m.main, at(m), m.tree.cur.settings.layer+1)
	}
}

func TestQuit(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	if !press(t, m, "q") || m.Aborted() {
		t.Errorf("q: aborted %v", m.Aborted())
	}
	m = loaded(t, plainInput(t), 80, 24)
	if !press(t, m, "ctrl+c") || !m.Aborted() {
		t.Error("ctrl+c aborts")
	}
	m = loaded(t, plainInput(t), 80, 24)
	if press(t, m, "tab / q") || m.tree.want.query != "q" {
		t.Error("q while typing a search is a letter")
	}
	if !press(t, m, "ctrl+c") || !m.Aborted() {
		t.Error("ctrl+c while typing aborts")
	}
}

// q while loading aborts and cancels the loader; a loader error ends the
// program with it.
func TestQuitWhileLoading(t *testing.T) {
	var cancelled bool
	started := make(chan struct{})
	done := make(chan struct{})
	m := New(func(ctx context.Context, _ func(Progress)) (*Input, error) {
		close(started)
		<-ctx.Done()
		cancelled = true
		close(done)
		return nil, ctx.Err()
	}, testOptions())
	drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	go load(m.ctx, m.loader, m.feed)()
	<-started
	if !press(t, m, "q") || !m.Aborted() {
		t.Error("q while loading aborts")
	}
	<-done
	if !cancelled {
		t.Error("the loader was not cancelled")
	}

	boom := errors.New("boom")
	m = New(func(context.Context, func(Progress)) (*Input, error) { return nil, boom }, testOptions())
	if !drive(t, m, load(m.ctx, m.loader, m.feed)()) || !errors.Is(m.Err(), boom) || m.Aborted() {
		t.Errorf("a loader error: err %v aborted %v", m.Err(), m.Aborted())
	}
}

func TestLoadingProgress(t *testing.T) {
	m := New(nil, testOptions())
	drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, p := range []Progress{
		{Stage: "opening the image", Layer: -1},
		{Stage: "reading layers", Layer: -1, Layers: 3},
		{Stage: "reading layers", Layer: 1, Layers: 3, Digest: "sha256:0123456789abcdef0123", Bytes: 500, Total: 1000},
		{Stage: "reading layers", Layer: 0, Layers: 3, Digest: "sha256:aaaaaaaaaaaaaaaa", Bytes: 2000, Total: 2000, Done: true},
	} {
		m.feed.report(p)
	}
	m.Update(m.feed.wait()()) // not drive: the next wait would block
	s := screen(m)
	for _, want := range []string{"reading layers: 1 of 3 done", "✓ 1  aaaaaaaaaaaa", "2  0123456789ab", "500 B / 1.0 kB", "q or ctrl+c aborts"} {
		if !strings.Contains(s, want) {
			t.Errorf("loading view lacks %q:\n%s", want, s)
		}
	}
	checkSize(t, s, 80, 24)
}

func TestMouse(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	click := func(x, y int) {
		drive(t, m, tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	}
	click(5, 2) // layers pane, first row
	if m.layers.selected() != 0 || m.tree.cur.settings.layer != 0 || m.focus != focusLayers {
		t.Errorf("click on layer 1: layer %d, focus %d", m.layers.selected(), m.focus)
	}
	g := m.geo
	click(g.mainR.x+20, g.mainR.y+3) // second tree row
	if m.focus != focusMain || m.tree.nav.cursor != 1 {
		t.Errorf("click on the tree: focus %d row %d", m.focus, m.tree.nav.cursor)
	}
	before := len(m.tree.cur.rows)
	click(g.mainR.x+20, g.mainR.y+3) // again: /bin/busybox is a file, nothing
	click(g.mainR.x+20, g.mainR.y+2) // /bin, then again: closes it
	click(g.mainR.x+20, g.mainR.y+2)
	if len(m.tree.cur.rows) != before-3 {
		t.Errorf("a click on the selected directory closes it: %d rows, %d before", len(m.tree.cur.rows), before)
	}
	drive(t, m, tea.MouseMsg{X: g.mainR.x + 5, Y: g.mainR.y + 5, Button: tea.MouseButtonWheelDown})
	if m.tree.nav.offset != 0 {
		t.Errorf("the whole tree fits: wheel scrolled to %d", m.tree.nav.offset)
	}
	drive(t, m, tea.MouseMsg{X: 5, Y: 3, Button: tea.MouseButtonWheelDown})
	if m.layers.selected() != 0 {
		t.Errorf("wheel over the layers (all shown) moved the selection to %d", m.layers.selected())
	}
	drive(t, m, tea.MouseMsg{X: 5, Y: g.details.y + 3, Button: tea.MouseButtonWheelDown})
	if m.details.vp.YOffset != wheelStep {
		t.Errorf("wheel over the details scrolls them: offset %d", m.details.vp.YOffset)
	}
}

func TestMouseWheelScrollsLongTree(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	g := m.geo
	for i := 0; i < 3; i++ {
		drive(t, m, tea.MouseMsg{X: g.mainR.x + 5, Y: g.mainR.y + 5, Button: tea.MouseButtonWheelDown})
	}
	if m.tree.nav.offset != min(9, m.tree.nav.n-m.tree.nav.height) || m.tree.nav.cursor < m.tree.nav.offset {
		t.Errorf("three notches: offset %d cursor %d (of %d rows, %d shown)", m.tree.nav.offset, m.tree.nav.cursor, m.tree.nav.n, m.tree.nav.height)
	}
}

func TestHelp(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "?")
	s := screen(m)
	for _, want := range []string{"Keys", "collapse all", "hide/show unchanged", "search path", "abort (exit 130)"} {
		if !strings.Contains(s, want) {
			t.Errorf("full help lacks %q:\n%s", want, s)
		}
	}
	press(t, m, "j esc")
	if m.showHelp || m.layers.selected() != len(m.ix.r.Layers)-1 {
		t.Error("keys other than ?, esc and q do nothing under the help; esc closes it")
	}
}

// checkSize fails unless s is exactly h lines of w cells.
func checkSize(t *testing.T, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if width(l) != w {
			t.Errorf("line %d is %d cells, want %d: %q", i, width(l), w, l)
		}
	}
}

func TestResize(t *testing.T) {
	m := loaded(t, fixtureInput(t), 80, 24)
	for _, size := range [][2]int{{80, 24}, {81, 25}, {100, 30}, {120, 40}, {203, 61}, {80, 24}} {
		drive(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, k := range []string{"", "tab", "w", "f", "?", "?", "f p"} {
			press(t, m, k)
			checkSize(t, screen(m), size[0], size[1])
		}
	}
	drive(t, m, tea.WindowSizeMsg{Width: 40, Height: 10})
	s := screen(m)
	if !strings.Contains(s, "needs 60x16") {
		t.Errorf("a tiny terminal: %q", s)
	}
	checkSize(t, s, 40, 10)
}

// Results of superseded jobs are not shown; the latest settings win.
func TestLatestSettingsWin(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	first := m.tree.SetLayer(1)
	if first == nil {
		t.Fatal("no job for layer 2")
	}
	if m.tree.SetLayer(2) != nil {
		t.Fatal("a second job started while one runs")
	}
	msg := first()
	_, next := m.Update(msg)
	if m.tree.cur.settings.layer == 1 {
		t.Error("the superseded display for layer 2 was shown")
	}
	if next == nil {
		t.Fatal("no job for layer 3 after the superseded one")
	}
	drive(t, m, next())
	if m.tree.cur.settings.layer != 2 {
		t.Errorf("shows layer %d, want 3", m.tree.cur.settings.layer+1)
	}
	if m.tree.jobs.layers[1] == nil {
		t.Error("the superseded job's layer was not cached")
	}
}

func TestTreeShowsLinksAndMarkers(t *testing.T) {
	m := loaded(t, plainInput(t), 160, 48)
	press(t, m, "home")
	s := screen(m)
	for _, want := range []string{"sh ⇒ /bin/busybox", "libc.so → libc.so.6", "+ -rwsr-xr-x 0:0"} {
		if !strings.Contains(s, want) {
			t.Errorf("layer 1 lacks %q:\n%s", want, s)
		}
	}
	press(t, m, "end / l i b enter")
	s = strings.Join(strings.Fields(screen(m)), " ")
	for _, want := range []string{"- -rwxr-xr-x 0:0 2.0 kB │ ├─ libc.so.6", "+ -rwxr-xr-x 0:0 1.2 kB │ └─ libnew.so", "~ drwxr-xr-x 0:0 1.2 kB │ └─ lib/"} {
		if !strings.Contains(s, want) {
			t.Errorf("layer 5 lacks %q:\n%s", want, s)
		}
	}
	_ = analyze.Root
}

// Images with nothing in them draw and take every key.
func TestEmptyImages(t *testing.T) {
	for name, steps := range map[string][]testimg.Step{
		"no layers":   {{CreatedBy: "CMD sh"}},
		"empty layer": {{CreatedBy: "RUN true", Layer: testimg.Tar()}},
	} {
		r := fixture.Analyze(t, testimg.Image(true, steps...))
		m := loaded(t, FromResult(r), 80, 24)
		for _, k := range []string{"j k end home", "tab j space c e s o / x enter esc A U", "w j enter f j enter a", "tab ? esc"} {
			press(t, m, k)
			checkSize(t, screen(m), 80, 24)
		}
		if name == "no layers" && !strings.Contains(screen(m), "the image has no layers") {
			t.Errorf("%s:\n%s", name, screen(m))
		}
	}
}
