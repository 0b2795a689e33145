package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// progressFeed carries a Loader's progress reports, made on the loader's
// goroutines, to Update: reports are merged into one state, and a
// waiting Cmd wakes when it changes, so a flood of reports costs one
// frame.
type progressFeed struct {
	mu     sync.Mutex
	state  loadState
	notify chan struct{}
	done   chan struct{}
	once   sync.Once
}

// loadState is what the loading view shows.
type loadState struct {
	stage  string
	layers []layerProgress
	stream int64
}

type layerProgress struct {
	digest       string
	bytes, total int64
	started      bool
	done         bool
}

// progressMsg is a copy of the feed's state.
type progressMsg struct{ state loadState }

// loadedMsg ends the loading: the input indexed, or the loader's error.
type loadedMsg struct {
	ix  *index
	err error
}

func newProgressFeed() *progressFeed {
	return &progressFeed{notify: make(chan struct{}, 1), done: make(chan struct{})}
}

// report merges p; it may be called from any goroutine.
func (f *progressFeed) report(p Progress) {
	f.mu.Lock()
	s := &f.state
	if p.Stage != "" {
		s.stage = p.Stage
	}
	if p.Stream > 0 {
		s.stream = p.Stream
	}
	if p.Layers > len(s.layers) {
		s.layers = append(s.layers, make([]layerProgress, p.Layers-len(s.layers))...)
	}
	if p.Layer >= 0 && p.Layer < len(s.layers) && p.Layers > 0 {
		l := &s.layers[p.Layer]
		l.digest, l.total, l.started = p.Digest, p.Total, true
		l.bytes = max(l.bytes, p.Bytes)
		l.done = l.done || p.Done
	}
	f.mu.Unlock()
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

func (f *progressFeed) close() { f.once.Do(func() { close(f.done) }) }

// wait is a Cmd returning the next state, at most every frameTime.
func (f *progressFeed) wait() tea.Cmd {
	return func() tea.Msg {
		select {
		case <-f.notify:
		case <-f.done:
			return nil
		}
		time.Sleep(frameTime) // let reports pile up into one frame
		f.mu.Lock()
		defer f.mu.Unlock()
		s := f.state
		s.layers = append([]layerProgress(nil), s.layers...)
		return progressMsg{s}
	}
}

const frameTime = 30 * time.Millisecond

// load runs the loader and indexes its result, in a Cmd.
func load(ctx context.Context, loader Loader, feed *progressFeed) tea.Cmd {
	return func() tea.Msg {
		defer feed.close()
		in, err := loader(ctx, feed.report)
		if err != nil {
			return loadedMsg{err: err}
		}
		if in == nil || in.Result == nil {
			return loadedMsg{err: fmt.Errorf("the loader returned no result")}
		}
		feed.report(Progress{Stage: "indexing the file tree"})
		return loadedMsg{ix: newIndex(in)}
	}
}

// loadingView is the screen shown until the image is read: per-layer
// progress bars that fill in as layers are read.
type loadingView struct {
	st      *Styles
	source  string
	state   loadState
	spinner spinner.Model
	bar     progress.Model
}

func newLoadingView(st *Styles, source string) loadingView {
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot))
	opts := []progress.Option{progress.WithColorProfile(st.profile()), progress.WithoutPercentage()}
	if st.Color {
		opts = append(opts, progress.WithSolidFill(st.ProgressFull))
	}
	bar := progress.New(opts...)
	bar.Empty = '·'
	if !st.Color {
		bar.Full, bar.EmptyColor = '#', ""
	} else {
		bar.EmptyColor = st.ProgressEmpty
	}
	return loadingView{st: st, source: source, state: loadState{stage: "opening the image"}, spinner: sp, bar: bar}
}

// View draws the loading screen at w x h.
func (v *loadingView) View(w, h int) string {
	s := v.state
	var lines []string
	lines = append(lines, fit(v.st.Title.Render("strata")+" · "+middle(v.source, max(1, w-9)), w), "")
	done := 0
	for _, l := range s.layers {
		if l.done {
			done++
		}
	}
	status := s.stage
	switch {
	case len(s.layers) > 0 && done < len(s.layers):
		status = fmt.Sprintf("reading layers: %d of %d done", done, len(s.layers))
	case len(s.layers) > 0 && s.stage == "reading layers":
		status = "stacking the layers, computing waste and findings"
	}
	status = clean(status)
	if s.stream > 0 && len(s.layers) == 0 {
		status += fmt.Sprintf(" · %s read", size(s.stream))
	}
	lines = append(lines, fit(v.spinner.View()+" "+status+"…", w), "")
	room := h - len(lines) - 2
	first := 0
	if len(s.layers) > room && room > 0 {
		// Keep the layers being read in view.
		busy := done
		for i, l := range s.layers {
			if !l.done {
				busy = i
				break
			}
		}
		first = max(0, min(busy-room/2, len(s.layers)-room))
	}
	numW := len(fmt.Sprint(len(s.layers)))
	barW := max(10, min(40, w-numW-40))
	v.bar.Width = barW
	for i := first; i < len(s.layers) && len(lines) < h-2; i++ {
		l := s.layers[i]
		frac := 0.0
		switch {
		case l.done:
			frac = 1
		case l.total > 0:
			frac = float64(l.bytes) / float64(l.total)
		}
		mark, amount := " ", ""
		switch {
		case l.done:
			mark, amount = "✓", size(l.bytes)
		case l.started && l.total > 0:
			amount = size(l.bytes) + " / " + size(l.total)
		case l.started:
			amount = size(l.bytes)
		}
		digest := clean(strings.TrimPrefix(l.digest, "sha256:"))
		if len(digest) > 12 {
			digest = digest[:12]
		}
		lines = append(lines, fit(fmt.Sprintf(" %s %*d  %-12s  %s  %s", mark, numW, i+1, digest, v.bar.ViewAs(frac), amount), w))
	}
	for len(lines) < h-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:h-1], v.st.Faint.Render("q or ctrl+c aborts"))
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return strings.Join(lines, "\n")
}
