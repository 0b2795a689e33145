package cli

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/tui"
)

// TestTUIScripts runs testdata/tui/*.txtar: usage errors and help.
func TestTUIScripts(t *testing.T) {
	testscript.Run(t, inProcessScripts(t, filepath.Join("testdata", "tui")))
}

// The loader reads the image as strata analyze does and reports each
// step and layer to the explorer.
func TestTUILoader(t *testing.T) {
	example, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "images", "example"))
	a := &app{io: IO{Getenv: func(string) string { return "" }}}
	var mu sync.Mutex
	var stages []string
	done := map[int]bool{}
	layers := 0
	load := imageLoader(a, &analyzeFlags{maxEntries: layer.DefaultMaxEntries}, "oci:"+example)
	in, err := load(context.Background(), func(p tui.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
		layers = max(layers, p.Layers)
		if p.Done {
			done[p.Layer] = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Result.Layers) != 6 || len(in.Findings) != len(in.Result.Findings) || in.Layers != nil {
		t.Errorf("input: %d layers, %d findings, notes %v", len(in.Result.Layers), len(in.Findings), in.Layers)
	}
	if len(stages) < 2 || stages[0] != "opening the image" || layers != 6 || len(done) != 6 {
		t.Errorf("progress: stages %q, %d layers, %d done", stages, layers, len(done))
	}
	if _, err := imageLoader(a, &analyzeFlags{}, "oci:"+filepath.Join(t.TempDir(), "none"))(context.Background(), func(tui.Progress) {}); err == nil {
		t.Error("a missing image loads")
	}
}

// TestTUIInTmux runs .ci/lib/tui-e2e.sh, the end-to-end test that drives
// the explorer in tmux, on the strata command testscript builds from
// this test binary. It is skipped where tmux is not installed.
func TestTUIInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install tmux)")
	}
	strata, err := exec.LookPath("strata") // testscript.Main put this test binary there as strata
	if err != nil {
		t.Skip("no strata command in PATH")
	}
	cmd := exec.Command("bash", filepath.Join("..", "..", ".ci", "lib", "tui-e2e.sh"), strata)
	cmd.Env = append(os.Environ(), "NO_COLOR=")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("tui-e2e.sh: %v", err)
	}
}

// screen is what a terminal shows; it says when the explorer has drawn
// the loaded image (its title line names the efficiency).
type screen struct {
	mu     sync.Mutex
	buf    strings.Builder
	shown  chan struct{}
	marker string
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	if s.shown != nil && strings.Contains(s.buf.String(), s.marker) {
		close(s.shown)
		s.shown = nil
	}
	return len(p), nil
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// keysAfter is a terminal's input that types keys once the image is
// on the screen: a key typed while loading would abort instead.
type keysAfter struct {
	shown <-chan struct{}
	keys  string
}

func (k *keysAfter) Read(p []byte) (int, error) {
	<-k.shown
	if k.keys == "" {
		select {} // a terminal with nothing more typed
	}
	n := copy(p, k.keys)
	k.keys = k.keys[n:]
	return n, nil
}

// The analysis's warnings are printed on standard error once the
// explorer has closed, where they can be read.
func TestTUIPrintsWarningsOnClose(t *testing.T) {
	master, tty := openPTY(t, 120, 30)
	shown := make(chan struct{})
	scr := &screen{shown: shown, marker: "efficiency"}
	go func() { _, _ = io.Copy(scr, master) }()
	var errs strings.Builder
	a := &app{io: IO{In: &keysAfter{shown: shown, keys: "q"}, Out: tty, Err: &errs,
		Getenv: func(string) string { return "" }, IsTerminal: func(io.Writer) bool { return true }}}
	example, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "images", "example"))
	image := imageLoader(a, &analyzeFlags{maxEntries: layer.DefaultMaxEntries}, "oci:"+example)
	load := func(ctx context.Context, progress func(tui.Progress)) (*tui.Input, error) {
		in, err := image(ctx, progress)
		if err == nil {
			in.Result.Warnings = append(in.Result.Warnings, "--base x: only 0 of its 1 layers start this image")
		}
		return in, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := runTUI(ctx, a, "test", load); err != nil {
		t.Fatalf("%v; the screen:\n%q", err, scr.String())
	}
	if got := errs.String(); got != "strata: warning: --base x: only 0 of its 1 layers start this image\n" {
		t.Errorf("stderr %q", got)
	}
}

// An image on standard input is refused when that is the terminal.
func TestImageFromTerminalStdin(t *testing.T) {
	a := &app{io: IO{In: os.Stdin, IsTerminal: func(io.Writer) bool { return true }}}
	for _, src := range []string{"docker-archive:-", "oci-archive:-"} {
		if err := stdinImageFromTerminal(a, src); err == nil || !strings.Contains(err.Error(), "standard input, which is a terminal") {
			t.Errorf("%s: %v", src, err)
		}
	}
	if err := stdinImageFromTerminal(a, "oci:testdata/images/example"); err != nil {
		t.Errorf("a path: %v", err)
	}
	a.io.IsTerminal = func(io.Writer) bool { return false }
	if err := stdinImageFromTerminal(a, "docker-archive:-"); err != nil {
		t.Errorf("a pipe: %v", err)
	}
}
