// Package tui is strata's interactive image explorer: layers, the file
// tree as of each layer, details, wasted bytes and findings. It renders
// what the analyzer (and, through Input, a build integration) returns and
// computes nothing of its own but view state.
//
// The root Model is a small state machine (loading, then exploring) that
// routes keys and mouse events to child panes. Each pane has its own
// Update, View, SetSize and help keys; slow work (loading, building a
// layer's tree, sorting, searching) runs in tea.Cmds that return typed
// messages, so Update never blocks.
package tui

import (
	"context"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Options configure the explorer.
type Options struct {
	// Source names the image while it loads.
	Source string
	// Color enables colours (false for NO_COLOR: markers and attributes
	// carry the meaning).
	Color bool
	// Renderer renders the styles; nil means lipgloss's default.
	Renderer *lipgloss.Renderer
	// Static turns animations off (tests and golden views).
	Static bool
}

type state int

const (
	loading state = iota
	exploring
)

type focus int

const (
	focusLayers focus = iota
	focusMain
	focusDetails
	nFocus
)

type mainView int

const (
	viewTree mainView = iota
	viewWasted
	viewFindings
)

// Model is the explorer. Run it with tea.NewProgram; afterwards Aborted
// and Err say how it ended.
type Model struct {
	opts   Options
	st     *Styles
	keys   *keyMap
	help   help.Model
	loader Loader
	ctx    context.Context
	cancel context.CancelFunc
	feed   *progressFeed

	state   state
	loading loadingView
	ix      *index

	layers   *layersPane
	tree     *treePane
	details  *detailsPane
	wasted   *wastedPane
	findings *findingsPane

	main     mainView
	focus    focus
	showHelp bool
	w, h     int
	geo      geometry

	aborted bool
	err     error
}

// New makes an explorer that loads its input with loader.
func New(loader Loader, o Options) *Model {
	st := NewStyles(o.Renderer, o.Color)
	keys := newKeyMap()
	h := help.New()
	h.Styles = st.Help
	ctx, cancel := context.WithCancel(context.Background())
	return &Model{opts: o, st: st, keys: keys, help: h, loader: loader, ctx: ctx, cancel: cancel,
		feed: newProgressFeed(), loading: newLoadingView(st, o.Source)}
}

// Aborted reports whether the user quit before the image was read, or
// with ctrl+c (exit status 130).
func (m *Model) Aborted() bool { return m.aborted }

// Err is the loader's error, if loading failed.
func (m *Model) Err() error { return m.err }

// Init starts loading.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{load(m.ctx, m.loader, m.feed), m.feed.wait()}
	if !m.opts.Static {
		cmds = append(cmds, m.loading.spinner.Tick)
	}
	return tea.Batch(cmds...)
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// Keys typed faster than they are read arrive together.
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
				cmds = append(cmds, cmd)
			}
			return m, tea.Batch(cmds...)
		}
		cmd := m.key(msg)
		m.syncNote()
		return m, cmd
	case tea.MouseMsg:
		cmd := m.mouse(msg)
		m.syncNote()
		return m, cmd
	case progressMsg:
		if m.state != loading {
			return m, nil
		}
		m.loading.state = msg.state
		return m, m.feed.wait()
	case spinner.TickMsg:
		if m.state != loading || m.opts.Static {
			return m, nil
		}
		var cmd tea.Cmd
		m.loading.spinner, cmd = m.loading.spinner.Update(msg)
		return m, cmd
	case loadedMsg:
		if msg.err != nil {
			m.err = msg.err
			return m, tea.Quit
		}
		return m, m.explore(msg.ix)
	case treeJobMsg:
		if m.tree == nil {
			return m, nil
		}
		if !m.tree.jobs.finish(msg) {
			return m, m.tree.jobs.launch(m.tree.want, m.tree.activeCollapsed())
		}
		m.tree.apply(msg.d)
		return m, m.tree.jobs.prefetch(m.tree.want.layer, len(m.ix.r.Layers))
	case prefetchMsg:
		if m.tree != nil {
			m.tree.jobs.prefetched(msg)
			return m, m.tree.jobs.prefetch(m.tree.want.layer, len(m.ix.r.Layers))
		}
	}
	return m, nil
}

// explore switches from the loading screen to the panes.
func (m *Model) explore(ix *index) tea.Cmd {
	m.state = exploring
	m.ix = ix
	m.layers = newLayersPane(ix, m.st, m.keys)
	m.tree = newTreePane(ix, m.st, m.keys)
	m.details = newDetailsPane(ix, m.st, m.keys)
	m.wasted = newWastedPane(ix, m.st, m.keys)
	m.findings = newFindingsPane(ix, m.st, m.keys)
	m.focus = focusLayers
	m.layout()
	if len(ix.r.Layers) == 0 {
		return nil
	}
	// Start on the last layer: the image's final file system.
	last := len(ix.r.Layers) - 1
	m.layers.selectLayer(last)
	m.details.SetLayer(last)
	return m.tree.SetLayer(last)
}

func (m *Model) abort() tea.Cmd {
	m.aborted = true
	m.cancel()
	return tea.Quit
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.Abort) {
		return m.abort()
	}
	if m.state == loading {
		if key.Matches(msg, k.Quit) {
			return m.abort()
		}
		return nil
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Quit):
			return tea.Quit
		case key.Matches(msg, k.Help), key.Matches(msg, k.Back):
			m.showHelp = false
		}
		return nil
	}
	if m.focus == focusMain && m.main == viewTree && m.tree.typing {
		return m.tree.Update(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		m.cancel()
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
		return nil
	case key.Matches(msg, k.Next):
		m.focus = (m.focus + 1) % nFocus
		return nil
	case key.Matches(msg, k.Prev):
		m.focus = (m.focus + nFocus - 1) % nFocus
		return nil
	case key.Matches(msg, k.Wasted):
		m.switchMain(viewWasted)
		return nil
	case key.Matches(msg, k.Findings):
		m.switchMain(viewFindings)
		return nil
	case key.Matches(msg, k.Back) && m.main != viewTree:
		m.switchMain(viewTree)
		return nil
	case key.Matches(msg, k.Search) && (m.focus != focusMain || m.main != viewTree):
		m.main, m.focus = viewTree, focusMain
		return m.tree.Update(msg)
	}
	switch m.focus {
	case focusLayers:
		if m.layers.Update(msg) {
			return m.layerSelected(true)
		}
	case focusDetails:
		m.details.Update(msg)
	case focusMain:
		return m.mainKey(msg)
	}
	return nil
}

// switchMain shows view v in the main area (the same key again goes back
// to the tree) and focuses it.
func (m *Model) switchMain(v mainView) {
	if m.main == v {
		v = viewTree
	}
	m.main, m.focus = v, focusMain
	m.layers.involved = nil
	if v == viewFindings {
		m.markInvolved()
	}
}

func (m *Model) mainKey(msg tea.KeyMsg) tea.Cmd {
	switch m.main {
	case viewWasted:
		if row := m.wasted.Update(msg); row != nil {
			return m.jump(row.copies[0].StoredIn, row.path)
		}
	case viewFindings:
		moved, jump := m.findings.Update(msg)
		if moved {
			return m.findingSelected()
		}
		if f := m.findings.selected(); jump && f != nil {
			if f.Path != "" && f.Layer >= 0 {
				return m.jump(f.Layer, f.Path)
			}
			m.focus = focusLayers
		}
	default:
		return m.tree.Update(msg)
	}
	return nil
}

// layerSelected follows a new layer selection everywhere; fromLayers is
// set when the user moved in the layers pane (which filters findings).
func (m *Model) layerSelected(fromLayers bool) tea.Cmd {
	k := m.layers.selected()
	m.details.SetLayer(k)
	if fromLayers && m.main == viewFindings {
		m.findings.filter(k)
		m.layers.involved = nil
	}
	return m.tree.SetLayer(k)
}

// markInvolved marks the layers the selected finding involves.
func (m *Model) markInvolved() *Finding {
	f := m.findings.selected()
	m.layers.involved = nil
	if f == nil {
		return nil
	}
	m.layers.involved = map[int]bool{}
	for _, l := range append([]int{f.Layer}, f.Also...) {
		if l >= 0 {
			m.layers.involved[l] = true
		}
	}
	return f
}

// findingSelected selects the finding's layer in the layers pane.
func (m *Model) findingSelected() tea.Cmd {
	f := m.markInvolved()
	if f == nil || f.Layer < 0 || f.Layer == m.layers.selected() {
		return nil
	}
	m.layers.selectLayer(f.Layer)
	return m.layerSelected(false)
}

// jump shows a path in the tree as of a layer.
func (m *Model) jump(layer int, path string) tea.Cmd {
	id, ok := m.ix.r.Paths.Lookup(path)
	if !ok || layer < 0 || layer >= len(m.ix.r.Layers) {
		return nil
	}
	m.main, m.focus = viewTree, focusMain
	m.layers.involved = nil
	m.layers.selectLayer(layer)
	m.details.SetLayer(layer)
	return m.tree.jump(layer, id)
}
