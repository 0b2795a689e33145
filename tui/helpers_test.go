package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/strata-dev/strata/tui/internal/fixture"
)

// fixtureInput is the test image with what a build integration would
// add: Dockerfile lines for the layers and lint findings.
func fixtureInput(t testing.TB) *Input {
	t.Helper()
	in := FromResult(fixture.Analyze(t, fixture.Image()))
	in.Dockerfile = "Dockerfile"
	in.Layers = []LayerNote{
		{Instruction: "FROM busybox:1.36", Line: 1},
		{Instruction: "RUN apt-get update && apt-get install -y curl", Line: 4, EndLine: 5},
		{Instruction: "COPY app /app", Line: 6},
		{Instruction: "RUN rm -rf /var/cache/apt /app/.env && chmod 4755 /app/server", Line: 7},
		{Instruction: "RUN replace /usr/lib and /etc/hosts", Line: 9},
	}
	in.Findings = append(in.Findings,
		Finding{Source: "lint", Code: "DL3008", Severity: "warning", Message: "Pin versions in apt-get install", Line: 4, Layer: 1},
		Finding{Source: "lint", Code: "DL3009", Severity: "info", Message: "Delete the apt-get lists after installing something", Line: 4, Layer: 1},
		Finding{Source: "lint", Code: "DL3025", Severity: "warning", Message: "Use arguments JSON notation for CMD and ENTRYPOINT arguments", Line: 11, Layer: -1},
	)
	return in
}

// plainInput is the test image as strata tui sees it without a build.
func plainInput(t testing.TB) *Input {
	t.Helper()
	return FromResult(fixture.Analyze(t, fixture.Image()))
}

// testOptions render without colour, as golden views compare plain text.
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

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
