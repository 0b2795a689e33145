package cli

import (
	"context"
	"fmt"
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
	if err := runTUI(ctx, a, "test", load, func() { errs.WriteString("held back\n") }); err != nil {
		t.Fatalf("%v; the screen:\n%q", err, scr.String())
	}
	if got := errs.String(); got != "held back\nstrata: warning: --base x: only 0 of its 1 layers start this image\n" {
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

// syncBuilder is a strings.Builder safe for concurrent use.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// exampleDockerfile is the Dockerfile the example image was made from.
const exampleDockerfile = "FROM strata.example/base:1\n" +
	"RUN apt-get update && apt-get install -y curl\n" +
	"COPY release.tar.gz app.env /tmp/\n" +
	"RUN tar -xzf /tmp/release.tar.gz -C /opt && rm /tmp/release.tar.gz /tmp/app.env\n" +
	"RUN chmod +x /opt/app/server\n" +
	"ENTRYPOINT [\"/opt/app/server\"]\n"

// With --dockerfile (and --build), the lint and the matching run behind
// the loading screen: the explorer shows each layer's Dockerfile line, and
// the lint report, which would have scrolled under the explorer, is
// printed once it has closed.
func TestTUIDockerfileLoadsBehindTheLoadingScreen(t *testing.T) {
	dir := t.TempDir()
	dockerfile := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(dockerfile, []byte(exampleDockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	master, tty := openPTY(t, 160, 40)
	shown := make(chan struct{})
	scr := &screen{shown: shown, marker: "efficiency"}
	go func() { _, _ = io.Copy(scr, master) }()
	errs := &syncBuilder{}
	var errsWhenShown string
	keys := &keysAfter{shown: shown, keys: "q"}
	in := readerFunc(func(p []byte) (int, error) {
		<-shown
		if errsWhenShown == "" {
			errsWhenShown = "(" + errs.String() + ")"
		}
		return keys.Read(p)
	})
	example, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "images", "example"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := Run(ctx, []string{"tui", "--dockerfile", dockerfile, "oci:" + example},
		IO{In: in, Out: tty, Err: errs, Getenv: func(string) string { return "" }, IsTerminal: func(io.Writer) bool { return true }})
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s\nscreen:\n%q", code, errs.String(), scr.String())
	}
	if errsWhenShown != "()" {
		t.Errorf("stderr was written while the explorer was open: %s", errsWhenShown)
	}
	if got := errs.String(); !strings.Contains(got, "DL3009") {
		t.Errorf("the lint report is not on stderr after the explorer closed:\n%s", got)
	}
	if !strings.Contains(scr.String(), "RUN apt-get update") {
		t.Errorf("the explorer does not show the Dockerfile's lines:\n%q", scr.String())
	}
}

// --lint-gate's exit status (1) survives the explorer, and its message
// and the lint report reach stderr.
func TestTUIBuildLintGate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(exampleDockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	master, tty := openPTY(t, 120, 30)
	go func() { _, _ = io.Copy(io.Discard, master) }()
	errs := &syncBuilder{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := Run(ctx, []string{"tui", "--build", "--lint-gate", "--builder", "docker:unix://" + filepath.Join(dir, "no.sock"), dir},
		IO{In: &keysAfter{shown: make(chan struct{})}, Out: tty, Err: errs, Getenv: func(string) string { return "" },
			IsTerminal: func(io.Writer) bool { return true }})
	if code != 1 {
		t.Errorf("exit %d, want 1; stderr:\n%s", code, errs.String())
	}
	if got := errs.String(); !strings.Contains(got, "not building (--lint-gate)") || !strings.Contains(got, "DL3009") {
		t.Errorf("stderr:\n%s", got)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// A build's plain progress becomes the loading screen's status line:
// BuildKit's and the Docker builder's.
func TestBuildStepsStatus(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks []string
		want   []string
		tail   string
	}{
		{"buildkit", []string{
			"#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 2B done\n#1 DONE 0.0s\n",
			"#5 [2/3] RUN apt-get upd", "ate\n#5 0.31 Get:1 http://deb.example bookworm InRelease\r\n",
			"#5 DONE 3.2s\n\n#5 CACHED\n",
		}, []string{
			"building: [internal] load build definition from Dockerfile",
			"building: [internal] load build definition from Dockerfile · transferring dockerfile: 2B done",
			"building: [2/3] RUN apt-get update",
			"building: [2/3] RUN apt-get update · Get:1 http://deb.example bookworm InRelease",
		}, "[2/3] RUN apt-get update|Get:1 http://deb.example bookworm InRelease"},
		{"docker", []string{
			"Step 3/4 : COPY . /app\n ---> 1a2b3c\nRemoving intermediate container 77\n",
			"Step 4/4 : RUN make\n", "cc -o app main.c\n",
		}, []string{
			"building: Step 3/4 : COPY . /app",
			"building: Step 4/4 : RUN make",
			"building: Step 4/4 : RUN make · cc -o app main.c",
		}, "Step 4/4 : RUN make|cc -o app main.c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			b := &buildSteps{progress: func(p tui.Progress) {
				if p.Layer != -1 {
					t.Errorf("layer %d", p.Layer)
				}
				got = append(got, p.Stage)
			}}
			for _, chunk := range tc.chunks {
				if _, err := b.Write([]byte(chunk)); err != nil {
					t.Fatal(err)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("status lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if tail := strings.Join(b.tail(), "|"); tail != tc.tail {
				t.Errorf("tail %q, want %q", tail, tc.tail)
			}
		})
	}
}

// The failed step's last lines are kept for standard error, without
// BuildKit's closing summary that repeats them.
func TestBuildStepsTail(t *testing.T) {
	b := &buildSteps{progress: func(tui.Progress) {}}
	var out strings.Builder
	out.WriteString("#4 [1/2] RUN make\n")
	for i := range 30 {
		fmt.Fprintf(&out, "#4 0.%02d line %d\n", i, i)
	}
	out.WriteString("#4 ERROR: process did not complete successfully: exit code: 2\n------\n > [1/2] RUN make:\n0.29 line 29\n------\n")
	if _, err := b.Write([]byte(out.String())); err != nil {
		t.Fatal(err)
	}
	tail := b.tail()
	if len(tail) != 1+buildTailLines || tail[0] != "[1/2] RUN make" || tail[1] != "line 10" || tail[len(tail)-1] != "line 29" {
		t.Errorf("tail %q", tail)
	}
}

// BuildKit interleaves parallel steps and prints a step's header again
// when it switches back; the tail is the step that printed ERROR, with
// all of its output, not a sibling cancelled after it.
func TestBuildStepsTailOfTheFailedStep(t *testing.T) {
	var stages []string
	b := &buildSteps{progress: func(p tui.Progress) { stages = append(stages, p.Stage) }}
	log := "#5 [a 2/2] RUN echo one; sleep 1; echo two; false\n#5 0.101 one\n" +
		"#6 [b 2/2] RUN sleep 30\n" +
		"#5 [a 2/2] RUN echo one; sleep 1; echo two; false\n#5 1.105 two\n#5 ERROR: process did not complete successfully: exit code: 1\n" +
		"#6 [b 2/2] RUN sleep 30\n#6 CANCELED\n" +
		"------\n > [a 2/2] RUN echo one; sleep 1; echo two; false:\n0.101 one\n------\n"
	if _, err := b.Write([]byte(log)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.tail(), "|"); got != "[a 2/2] RUN echo one; sleep 1; echo two; false|one|two" {
		t.Errorf("tail %q", got)
	}
	if last := stages[len(stages)-1]; last != "building: [b 2/2] RUN sleep 30" {
		t.Errorf("last status %q", last)
	}
	// The Docker builder's closing lines are not the step's output.
	d := &buildSteps{progress: func(tui.Progress) {}}
	if _, err := d.Write([]byte("Step 2/2 : RUN make\ncc -o app\n ---> 3f2a\nSuccessfully built 3f2a\nSuccessfully tagged x:y\n")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.tail(), "|"); got != "Step 2/2 : RUN make|cc -o app" {
		t.Errorf("docker tail %q", got)
	}
}
