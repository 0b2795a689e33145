package tui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// The full program, as teatest runs one: a real tea.Program reading raw
// key bytes from a pipe and rendering to a buffer, with animations on.

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.Strip(s.b.String())
}

type run struct {
	t    *testing.T
	m    *Model
	in   *io.PipeWriter
	out  *syncBuffer
	done chan error
}

func start(t *testing.T, loader Loader) *run {
	t.Helper()
	o := testOptions()
	o.Static = false
	r := &run{t: t, m: New(loader, o), out: &syncBuffer{}, done: make(chan error, 1)}
	pr, pw := io.Pipe()
	r.in = pw
	p := tea.NewProgram(r.m, tea.WithInput(pr), tea.WithOutput(r.out), tea.WithoutSignals())
	go func() {
		_, err := p.Run()
		pr.Close()
		r.done <- err
	}()
	p.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return r
}

// waitFor waits until the screen output shows text.
func (r *run) waitFor(text string) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.out.String(), text) {
		if time.Now().After(deadline) {
			r.t.Fatalf("never showed %q; output:\n%s", text, r.out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// typeKeys writes raw bytes as a terminal would send them.
func (r *run) typeKeys(s string) {
	r.t.Helper()
	if _, err := io.WriteString(r.in, s); err != nil {
		r.t.Fatal(err)
	}
}

func (r *run) wait() error {
	r.t.Helper()
	select {
	case err := <-r.done:
		return err
	case <-time.After(10 * time.Second):
		r.t.Fatal("the program did not end")
		return nil
	}
}

func TestProgramExploreAndQuit(t *testing.T) {
	in := plainInput(t)
	r := start(t, func(_ context.Context, progress func(Progress)) (*Input, error) {
		progress(Progress{Stage: "reading layers", Layer: -1, Layers: len(in.Result.Layers)})
		return in, nil
	})
	r.waitFor("Files as of layer 5")
	r.typeKeys("\t/libnew")
	r.waitFor("1 matching")
	r.typeKeys("\r") // keep the filter
	r.waitFor("esc clears")
	r.typeKeys("w")
	r.waitFor("Wasted 7.6 kB in 6 paths")
	r.typeKeys("\r") // jump to the biggest wasted file, as of the layer that stored it
	r.waitFor("Files as of layer 1")
	r.waitFor("curl.deb")
	r.typeKeys("q")
	if err := r.wait(); err != nil || r.m.Aborted() || r.m.Err() != nil {
		t.Errorf("q: err %v, aborted %v, load error %v", err, r.m.Aborted(), r.m.Err())
	}
}

func TestProgramCtrlCAborts(t *testing.T) {
	in := plainInput(t)
	r := start(t, func(context.Context, func(Progress)) (*Input, error) { return in, nil })
	r.waitFor("Files as of layer 5")
	r.typeKeys("\x03")
	if err := r.wait(); err != nil || !r.m.Aborted() {
		t.Errorf("ctrl+c: err %v, aborted %v", err, r.m.Aborted())
	}
}

// The loading view comes at once, and q ends a load that never finishes.
func TestProgramQuitWhileLoading(t *testing.T) {
	cancelled := make(chan struct{})
	r := start(t, func(ctx context.Context, progress func(Progress)) (*Input, error) {
		progress(Progress{Stage: "reading layers", Layer: -1, Layers: 2})
		progress(Progress{Stage: "reading layers", Layer: 0, Layers: 2, Digest: "sha256:5891b5b522d5df086d0ff0b110fbd9d2", Bytes: 10, Total: 100})
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	})
	r.waitFor("reading layers: 0 of 2 done")
	r.waitFor("5891b5b522d5")
	r.typeKeys("q")
	if err := r.wait(); err != nil || !r.m.Aborted() {
		t.Errorf("q while loading: err %v, aborted %v", err, r.m.Aborted())
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Error("the loader was not cancelled")
	}
}
