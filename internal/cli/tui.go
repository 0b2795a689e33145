package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/build"
	"github.com/strata-dev/strata/tui"
)

func newTUICmd(a *app) *cobra.Command {
	var f analyzeFlags
	cmd := &cobra.Command{
		Use:   "tui SOURCE",
		Short: "Explore an image layer by layer in the terminal",
		Long: `strata tui opens an interactive explorer of an image: the layers, the file system as of
each layer with that layer's changes marked, each layer's details, the wasted
bytes and the findings. It reads the same SOURCE forms as strata analyze and
opens at once, filling in while the layers are read.

SOURCE is one of
  docker-daemon:NAME            an image in the Docker Engine (DOCKER_HOST)
  docker-archive:PATH[:TAG|@N]  a docker save archive (legacy or OCI-in-tar; - for stdin)
  oci:DIR[:REF]                 an OCI layout directory
  oci-archive:PATH[:REF]        a tar of an OCI layout
  docker://NAME                 a registry (layers are streamed, never stored)
  PATH or NAME                  an existing path, else the daemon, then a registry

Press ? in the explorer for every key. NO_COLOR turns colours off; markers
(+ added, ~ modified, - removed) say the same.

Exit status: 0 after q, 130 when aborted (ctrl+c, or q before the image is
read), 2 for a usage error or an image that cannot be read.`,
		Example: `  strata tui oci:testdata/images/example
  docker save app:1.2 | strata tui docker-archive:-
  strata analyze --tui docker://ghcr.io/org/app:latest`,
		Args: func(_ *cobra.Command, args []string) error {
			if err := f.bf.validate(args); err != nil {
				return err
			}
			if !f.bf.build && len(args) != 1 {
				return usageErrorf("tui takes one SOURCE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.bf.build && len(args) == 0 {
				args = []string{"."}
			}
			f.tui = true
			return runAnalyzeTUI(cmd.Context(), a, &f, args[0])
		},
	}
	addImageFlags(cmd.Flags(), &f)
	addBuildFlags(cmd.Flags(), &f.bf)
	return cmd
}

// addImageFlags are the flags of strata analyze that choose and read the
// image, with the same names and meaning.
func addImageFlags(fl *pflag.FlagSet, f *analyzeFlags) {
	fl.StringVar(&f.platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default: the host's)")
	fl.StringVar(&f.base, "base", "", "base image (any SOURCE form) whose layers are excluded from user figures")
	fl.BoolVar(&f.verify, "verify", false, "check every layer digest, reading uncompressed layers in full instead of seeking")
	fl.IntVar(&f.maxEntries, "max-entries", layer.DefaultMaxEntries, "refuse images with more tar entries than this (memory bound)")
}

// runAnalyzeTUI is strata analyze --tui: the explorer instead of a report.
func runAnalyzeTUI(ctx context.Context, a *app, f *analyzeFlags, src string) error {
	if f.ci || f.format != "" {
		return usageErrorf("--tui opens the explorer instead of a report: it cannot be combined with --ci or --format")
	}
	if err := stdinImageFromTerminal(a, src); err != nil {
		return err
	}
	if f.bf.build || f.bf.dockerfile != "" {
		// Lint, build (or match the Dockerfile) and analyze behind the
		// loading screen; what they print is held and shown on standard
		// error when the explorer closes.
		held := &heldOutput{}
		return runTUI(ctx, a, src, buildLoader(a, f, src, held), func() { held.flushTo(a.io.Err) })
	}
	return runTUI(ctx, a, src, imageLoader(a, f, src))
}

// stdinImageFromTerminal refuses an image read from standard input when
// that is the terminal: nothing would ever arrive, and the explorer would
// read its own keys as the image.
func stdinImageFromTerminal(a *app, src string) error {
	ref, err := source.ParseRef(src)
	if err != nil || ref.Path != "-" || ref.Transport == source.DockerDaemon || ref.Transport == source.Registry {
		return nil
	}
	if w, ok := a.io.In.(io.Writer); ok && a.isTerminal(w) {
		return usageErrorf("%s reads the image from standard input, which is a terminal: pipe one in (docker save IMAGE | strata ... %s)", src, src)
	}
	return nil
}

// attributedInput gives the explorer the Dockerfile line of each layer and
// the lint findings with the bytes they cost, next to the image findings.
func attributedInput(res *analyze.Result) *tui.Input {
	in := tui.FromResult(res)
	at := res.Attribution
	if at == nil {
		return in
	}
	in.Dockerfile = at.Dockerfile
	in.Layers = make([]tui.LayerNote, len(res.Layers))
	for i, l := range res.Layers {
		if l.Instruction != nil {
			in.Layers[i] = tui.LayerNote{Instruction: l.Instruction.Text, Line: l.Instruction.Line,
				EndLine: l.Instruction.EndLine, Stage: l.Instruction.Stage}
		}
	}
	for _, lf := range at.Lint {
		in.Findings = append(in.Findings, tui.Finding{Source: "lint", Code: lf.Code, Severity: lf.Severity,
			Message: lf.Message, Line: lf.Line, Layer: lf.Layer, Bytes: lf.Bytes})
	}
	return in
}

// imageLoader reads src as strata analyze does, reporting progress to the
// explorer. A build integration wraps it to add Dockerfile lines and lint
// findings to the Input (see docs/tui.md).
func imageLoader(a *app, f *analyzeFlags, src string) tui.Loader {
	return func(ctx context.Context, progress func(tui.Progress)) (*tui.Input, error) {
		ref, err := source.ParseRef(src)
		if err != nil {
			return nil, err
		}
		opts := analyze.Options{Verify: f.verify, MaxEntries: f.maxEntries, Progress: func(p analyze.Progress) {
			progress(tui.Progress{Stage: "reading layers", Layer: p.Layer, Layers: p.Layers, Digest: p.Digest,
				Bytes: p.Bytes, Total: p.Total, Done: p.Done})
		}}
		srcOpts := source.Options{Platform: f.platform, Getenv: a.getenv, Layer: analyze.LayerOptions(opts), Stdin: a.io.In,
			StreamProgress: func(n int64) { progress(tui.Progress{Stage: "reading the image stream", Layer: -1, Stream: n}) }}
		if f.base != "" {
			progress(tui.Progress{Stage: "reading the base image " + f.base, Layer: -1})
			if opts.Base, err = openBase(ctx, f.base, srcOpts); err != nil {
				return nil, fmt.Errorf("--base %s: %w", f.base, err)
			}
		}
		progress(tui.Progress{Stage: "opening the image", Layer: -1})
		img, err := source.Open(ctx, ref, srcOpts)
		if err != nil {
			return nil, err
		}
		defer img.Close()
		progress(tui.Progress{Stage: "reading layers", Layer: -1, Layers: len(img.Layers)})
		res, err := analyze.Analyze(ctx, img, opts)
		if err != nil {
			return nil, err
		}
		return tui.FromResult(res), nil
	}
}

// buildLoader is the explorer's loader for --build and --dockerfile: the
// lint, the build and the analysis run while the loading screen shows the
// current build step and then the layers being read, and q or ctrl+c
// cancels them. What they would print on standard error (the lint report,
// a failed step's output) goes to held.
func buildLoader(a *app, f *analyzeFlags, src string, held io.Writer) tui.Loader {
	return func(ctx context.Context, progress func(tui.Progress)) (*tui.Input, error) {
		la := *a
		la.io.Err = held
		la.io.IsTerminal = func(w io.Writer) bool {
			if w == held {
				w = a.io.Err // the lint report is coloured for where it will be printed
			}
			return a.isTerminal(w)
		}
		lf := *f
		steps := &buildSteps{progress: progress}
		lf.bf.progressTo = steps
		opts := analyze.Options{Verify: f.verify, MaxEntries: f.maxEntries, Progress: func(p analyze.Progress) {
			progress(tui.Progress{Stage: "reading layers", Layer: p.Layer, Layers: p.Layers, Digest: p.Digest,
				Bytes: p.Bytes, Total: p.Total, Done: p.Done})
		}}
		srcOpts := source.Options{Platform: f.platform, Getenv: a.getenv, Layer: analyze.LayerOptions(opts), Stdin: a.io.In,
			StreamProgress: func(n int64) { progress(tui.Progress{Stage: "reading the built image", Layer: -1, Stream: n}) }}
		var err error
		if f.base != "" {
			progress(tui.Progress{Stage: "reading the base image " + f.base, Layer: -1})
			if opts.Base, err = openBase(ctx, f.base, srcOpts); err != nil {
				return nil, withCode(ExitError, fmt.Errorf("--base %s: %w", f.base, err))
			}
		}
		progress(tui.Progress{Stage: "linting the Dockerfile", Layer: -1})
		res, err := analyzeSource(ctx, &la, &lf, src, opts, srcOpts)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			// A failed step's output went to the loading screen; keep its
			// end for standard error, as the builder would show it.
			var be *build.Error
			if tail := steps.tail(); len(tail) > 0 && errors.As(err, &be) {
				fmt.Fprintf(held, "the build's last output:\n  %s\n", strings.Join(tail, "\n  "))
			}
			var ee *exitError
			if errors.As(err, &ee) {
				return nil, err
			}
			return nil, withCode(ExitError, err)
		}
		return attributedInput(res), nil
	}
}

// heldOutput keeps what the loader prints until the explorer has closed.
// The loader may still be stopping when it is flushed (the user quit
// while it ran); what it writes after that is dropped.
type heldOutput struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	closed bool
}

func (h *heldOutput) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.buf.Write(p)
	}
	return len(p), nil
}

func (h *heldOutput) flushTo(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	_, _ = w.Write(h.buf.Bytes())
}

// buildSteps turns a build's plain progress (BuildKit's "#5 [2/3] RUN
// ..." and "#5 1.2 output", the Docker builder's "Step 2/3 : RUN ...")
// into the loading screen's status line: the current step and its last
// line of output. It also keeps each step's last lines of output, for
// standard error when the build fails.
type buildSteps struct {
	mu       sync.Mutex
	progress func(tui.Progress)
	partial  []byte
	step     string // shown: the step that printed last
	last     string // shown: its last line
	// BuildKit's progress interleaves steps (parallel stages), prints a
	// step's header again whenever it switches back to it, and names the
	// step that failed with "#N ERROR"; the Docker builder's runs one
	// step after another.
	buildkit bool
	steps    map[string]*buildStep
	current  string // the step (#N) that printed last
	failed   string // the step that printed ERROR
	docker   buildStep
}

type buildStep struct {
	name  string
	lines []string // its last lines of output
}

// buildTailLines is how many lines of a failed step's output are kept.
const buildTailLines = 20

var (
	buildKitStep   = regexp.MustCompile(`^#(\d+) (\[[^\]]*\] .*)$`)
	buildKitOutput = regexp.MustCompile(`^#(\d+) \d+(?:\.\d+)? (.*)$`)
	buildKitStatus = regexp.MustCompile(`^#(\d+) (.*)$`)
	dockerStep     = regexp.MustCompile(`^Step \d+/\d+ : `)
)

// tail returns the failed step (or the one that printed last) and its
// last lines of output.
func (b *buildSteps) tail() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := &b.docker
	if b.buildkit {
		id := b.failed
		if id == "" {
			id = b.current
		}
		if st = b.steps[id]; st == nil {
			return nil
		}
	}
	if st.name == "" && len(st.lines) == 0 {
		return nil
	}
	return append([]string{st.name}, st.lines...)
}

func (b *buildSteps) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.partial = append(b.partial, p...)
	for {
		i := bytes.IndexAny(b.partial, "\r\n")
		if i < 0 {
			break
		}
		line := string(b.partial[:i])
		b.partial = b.partial[i+1:]
		b.line(strings.TrimSpace(line))
	}
	return len(p), nil
}

func (st *buildStep) keep(l string) {
	if len(st.lines) == buildTailLines {
		st.lines = append(st.lines[:0], st.lines[1:]...)
	}
	st.lines = append(st.lines, l)
}

// vertex returns BuildKit's step #id, made on first sight.
func (b *buildSteps) vertex(id string) *buildStep {
	if b.steps == nil {
		b.steps = map[string]*buildStep{}
	}
	st := b.steps[id]
	if st == nil {
		st = &buildStep{}
		b.steps[id] = st
	}
	return st
}

func (b *buildSteps) line(l string) {
	switch {
	case l == "":
		return
	case buildKitStep.MatchString(l):
		m := buildKitStep.FindStringSubmatch(l)
		b.buildkit = true
		st := b.vertex(m[1])
		if st.name != m[2] || b.current != m[1] {
			b.last = "" // a new step, or a switch back to one
		}
		st.name, b.current, b.step = m[2], m[1], m[2]
	case buildKitOutput.MatchString(l):
		m := buildKitOutput.FindStringSubmatch(l)
		st := b.vertex(m[1])
		st.keep(m[2])
		b.current, b.step, b.last = m[1], st.name, m[2]
	case buildKitStatus.MatchString(l):
		// "#1 transferring context: 2.1MB", "#9 exporting layers", "#9
		// sending tarball" say what a slow step does; "#5 ERROR: ..."
		// names the failed step; "#5 DONE 0.3s", "#5 CACHED" and the rest
		// say nothing new.
		m := buildKitStatus.FindStringSubmatch(l)
		text := m[2]
		if strings.HasPrefix(text, "ERROR") && b.failed == "" {
			b.failed = m[1]
		}
		if !strings.HasPrefix(text, "transferring ") && !strings.HasPrefix(text, "exporting ") &&
			!strings.HasPrefix(text, "sending ") && !strings.HasPrefix(text, "writing ") {
			return
		}
		b.last = text
	case b.buildkit:
		return // BuildKit's closing summary of a failed step repeats its output
	case dockerStep.MatchString(l):
		b.docker = buildStep{name: l}
		b.step, b.last = l, ""
	case strings.HasPrefix(l, "--->"), strings.HasPrefix(l, "Removing intermediate container"),
		strings.HasPrefix(l, "Successfully built "), strings.HasPrefix(l, "Successfully tagged "):
		return
	default:
		b.docker.keep(l)
		b.last = l
	}
	stage := "building"
	if b.step != "" {
		stage += ": " + b.step
	}
	if b.last != "" {
		stage += " · " + b.last
	}
	b.progress(tui.Progress{Stage: stage, Layer: -1})
}

// terminalEnv is the environment the explorer's colours are chosen from:
// the process's, except CI. termenv takes a set CI to mean "not a
// terminal" and drops every colour, but the explorer runs only on a
// terminal (runTUI checks), and people do open it in CI job shells and
// in environments that export CI=true for other tools.
type terminalEnv struct{ a *app }

func (e terminalEnv) Getenv(key string) string {
	if key == "CI" {
		return ""
	}
	return e.a.getenv(key)
}

func (e terminalEnv) Environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CI=") {
			env = append(env, kv)
		}
	}
	return env
}

// runTUI runs the explorer on the terminal until the user quits. When it
// has closed, onClose runs (a loader's held-back output), then the
// analysis's warnings are printed.
func runTUI(ctx context.Context, a *app, name string, load tui.Loader, onClose ...func()) error {
	if !a.isTerminal(a.io.Out) {
		return usageErrorf("the explorer needs a terminal on standard output (strata analyze prints reports)")
	}
	tuneGC(a)
	// Keep what the loader returns: its warnings are printed when the
	// explorer closes, where they can be read.
	var (
		mu     sync.Mutex
		loaded *tui.Input
	)
	inner := load
	load = func(ctx context.Context, progress func(tui.Progress)) (*tui.Input, error) {
		in, err := inner(ctx, progress)
		mu.Lock()
		loaded = in
		mu.Unlock()
		return in, err
	}
	defer func() {
		for _, f := range onClose {
			f() // what the loader held back comes before the warnings
		}
		mu.Lock()
		defer mu.Unlock()
		if loaded != nil && loaded.Result != nil {
			for _, w := range loaded.Result.Warnings {
				fmt.Fprintf(a.io.Err, "strata: warning: %s\n", w)
			}
		}
	}()
	m := tui.New(load, tui.Options{Source: name, Color: a.getenv("NO_COLOR") == "",
		Renderer: lipgloss.NewRenderer(a.io.Out, termenv.WithEnvironment(terminalEnv{a}))})
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithOutput(a.io.Out)}
	if _, ok := a.io.In.(*os.File); !ok && a.io.In != nil {
		opts = append(opts, tea.WithInput(a.io.In))
	}
	_, err := tea.NewProgram(m, opts...).Run()
	switch {
	case ctx.Err() != nil:
		return ctx.Err() // Run reports the interruption (exit 130)
	case m.Aborted(), errors.Is(err, tea.ErrInterrupted):
		return silentExit(ExitInterrupted)
	case err != nil:
		return withCode(ExitError, err)
	case m.Err() != nil:
		var ee *exitError
		if errors.As(m.Err(), &ee) {
			return m.Err() // the loader chose the exit status (--lint-gate: 1)
		}
		return withCode(ExitError, m.Err())
	}
	return nil
}
