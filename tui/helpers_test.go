package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/muesli/termenv"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

// analyzeRef opens and analyzes an image.
func analyzeRef(t testing.TB, ref string) *analyze.Result {
	t.Helper()
	r, err := source.ParseRef(ref)
	if err != nil {
		t.Fatal(err)
	}
	o := analyze.Options{}
	img, err := source.Open(context.Background(), r, source.Options{Layer: analyze.LayerOptions(o)})
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	res, err := analyze.Analyze(context.Background(), img, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// analyzeImage analyzes an image built in memory.
func analyzeImage(t testing.TB, img v1.Image) *analyze.Result {
	t.Helper()
	return analyzeRef(t, "oci:"+testimg.WriteLayout(t, t.TempDir(), img, ""))
}

func exampleResult(t testing.TB) *analyze.Result {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "images", "example"))
	if err != nil {
		t.Fatal(err)
	}
	return analyzeRef(t, "oci:"+dir)
}

// testStyles renders without colour, as golden views compare plain text.
func testOptions() Options {
	r := lipgloss.NewRenderer(&strings.Builder{})
	r.SetColorProfile(termenv.Ascii)
	return Options{Source: "test", Renderer: r, Static: true}
}

// loaded is a model past loading, sized w x h, with its first tree built.
func loaded(t testing.TB, in *Input, w, h int) *Model {
	t.Helper()
	m := New(func(context.Context, func(Progress)) (*Input, error) { return in, nil }, testOptions())
	drive(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	drive(t, m, loadedMsg{ix: newIndex(in)})
	return m
}

// drive sends msg and runs every command it returns, synchronously, until
// none is left: what the program would do, without its goroutines.
func drive(t testing.TB, m *Model, msgs ...tea.Msg) (quit bool) {
	t.Helper()
	queue := append([]tea.Msg(nil), msgs...)
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		switch msg := msg.(type) {
		case nil:
			continue
		case tea.QuitMsg:
			quit = true
			continue
		case tea.BatchMsg:
			for _, c := range msg {
				if c != nil {
					queue = append(queue, c())
				}
			}
			continue
		}
		_, cmd := m.Update(msg)
		if cmd != nil {
			queue = append(queue, cmd())
		}
	}
	return quit
}

// keys turns "j j tab / f o o enter" into key messages; named keys are
// bubbletea's names, anything else is typed rune by rune.
func keys(spec string) []tea.Msg {
	named := map[string]tea.KeyType{"tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "enter": tea.KeyEnter, "esc": tea.KeyEsc,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "space": tea.KeySpace, "ctrl+c": tea.KeyCtrlC, "backspace": tea.KeyBackspace}
	var out []tea.Msg
	for _, k := range strings.Fields(spec) {
		if t, ok := named[k]; ok {
			msg := tea.KeyMsg{Type: t}
			if t == tea.KeySpace {
				msg.Runes = []rune{' '}
			}
			out = append(out, msg)
			continue
		}
		for _, r := range k {
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
	return out
}

// press sends keys one by one, running their commands.
func press(t testing.TB, m *Model, spec string) (quit bool) {
	t.Helper()
	for _, k := range keys(spec) {
		if drive(t, m, k) {
			quit = true
		}
	}
	return quit
}

// screen is the view without escape sequences.
func screen(m *Model) string { return ansi.Strip(m.View()) }

// treeNames lists the tree's rows as indented names.
func treeNames(m *Model) []string {
	var out []string
	for _, r := range m.tree.cur.rows {
		out = append(out, strings.Repeat(" ", int(r.Depth-1))+m.ix.r.Paths.Name(r.ID))
	}
	return out
}
