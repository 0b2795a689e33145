package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden views in testdata/golden")

// goldenViews are screens a person sees, as plain text: the view after
// the keys, from the test image (whiteouts, an opaque directory, a file
// replaced by a directory, hardlinks, symlinks, setuid, long names).
var goldenViews = []struct {
	name     string
	attrib   bool // with Dockerfile lines and lint findings
	keys     string
	loadOnly bool
}{
	{name: "start"},
	{name: "layer-whiteouts", keys: "k"},
	{name: "changes-only", keys: "k tab o"},
	{name: "opaque-and-replaced", keys: "tab / l i b * enter"},
	{name: "search-typing", keys: "tab / e t c"},
	{name: "by-size-collapsed", keys: "tab c s j space"},
	{name: "permissions", keys: "tab p"},
	{name: "hide-unchanged-removed", keys: "home j j j tab U R"},
	{name: "wasted", keys: "w"},
	{name: "findings", attrib: true, keys: "f"},
	{name: "findings-of-a-layer", attrib: true, keys: "f shift+tab home j"},
	{name: "attributed-layers", attrib: true, keys: "k k k"},
	{name: "details-focused", keys: "shift+tab j j"},
	{name: "help", keys: "?"},
	{name: "loading", loadOnly: true},
}

func TestGoldenViews(t *testing.T) {
	plain, attrib := plainInput(t), fixtureInput(t)
	for _, g := range goldenViews {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("%s-%dx%d", g.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				var got string
				if g.loadOnly {
					got = loadingScreen(t, size[0], size[1])
				} else {
					in := plain
					if g.attrib {
						in = attrib
					}
					m := loaded(t, in, size[0], size[1])
					press(t, m, g.keys)
					got = screen(m)
				}
				checkSize(t, got, size[0], size[1])
				compareGolden(t, filepath.Join("testdata", "golden", name+".txt"), got+"\n")
			})
		}
	}
}

// loadingScreen is the loading view part way through three layers.
func loadingScreen(t *testing.T, w, h int) string {
	m := New(nil, Options{Source: "docker-archive:app.tar", Renderer: testOptions().Renderer, Static: true})
	drive(t, m, teaSize(w, h))
	for _, p := range []Progress{
		{Stage: "reading layers", Layer: -1, Layers: 3},
		{Stage: "reading layers", Layer: 0, Layers: 3, Digest: "sha256:9f86d081884c7d659a2feaa0c55ad015", Bytes: 3_400_000, Total: 3_400_000, Done: true},
		{Stage: "reading layers", Layer: 1, Layers: 3, Digest: "sha256:60303ae22b998861bce3b28f33eec1be", Bytes: 12_000_000, Total: 48_000_000},
		{Stage: "reading layers", Layer: 2, Layers: 3, Digest: "sha256:fd61a03af4f77d870fc21e05e7e80678", Bytes: 0, Total: 120_000},
	} {
		m.feed.report(p)
	}
	m.Update(m.feed.wait()())
	return screen(m)
}

func compareGolden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test ./tui -run Golden -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("the view differs from %s (rerun with -update after checking):\n--- got\n%s--- want\n%s", file, got, want)
	}
}

func TestUpdateFlagOff(t *testing.T) {
	if *update {
		t.Fatal("-update is set: golden files were rewritten; rerun without it")
	}
}
