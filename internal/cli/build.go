package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/attribution"
	"github.com/strata-dev/strata/internal/build"
	"github.com/strata-dev/strata/lint"
	lintreport "github.com/strata-dev/strata/lint/report"
)

// buildFlags are the flags of `strata analyze --build` and `strata tui
// --build`, and --dockerfile for an existing image.
type buildFlags struct {
	build         bool
	file          string
	target        string
	buildArgs     []string
	secrets       []string
	buildContexts []string
	builder       string
	buildProgress string
	noLint        bool
	builtin       bool
	lintGate      bool
	dockerfile    string
	// progressTo, when set, receives the build's progress as plain text
	// instead of standard error (the explorer shows it on its loading
	// screen), and the analysis keeps reporting its own progress.
	progressTo io.Writer
}

// addBuildFlags registers the build flags on a command's flag set; the
// command's own --platform is the build's platform too.
func addBuildFlags(fl *pflag.FlagSet, f *buildFlags) {
	fl.BoolVar(&f.build, "build", false, "build the Dockerfile in the CONTEXT argument (default .), then analyze the image")
	fl.StringVarP(&f.file, "file", "f", "", "with --build: the Dockerfile (default CONTEXT/Dockerfile)")
	fl.StringVar(&f.target, "target", "", "with --build: the stage to build (default the last)")
	fl.StringArrayVar(&f.buildArgs, "build-arg", nil, "with --build: a build argument KEY=VALUE (repeatable)")
	fl.StringArrayVar(&f.secrets, "secret", nil, "with --build: a BuildKit secret id=ID[,src=PATH|,env=VAR] (repeatable)")
	fl.StringArrayVar(&f.buildContexts, "build-context", nil, "with --build: a BuildKit named context NAME=docker-image://REF|oci-layout://DIR[:TAG]|DIR (repeatable)")
	fl.StringVar(&f.builder, "builder", "", "with --build: docker, docker:HOST or buildkit://ADDR (default: BuildKit at BUILDKIT_HOST if set, else the Docker Engine)")
	fl.StringVar(&f.buildProgress, "build-progress", "auto", "with --build: build progress on stderr: auto, plain, tty or quiet")
	fl.BoolVar(&f.builtin, "builtin-frontend", false, "with --build on BuildKit: ignore a # syntax= line and use the daemon's own Dockerfile frontend (offline builds)")
	fl.BoolVar(&f.noLint, "no-lint", false, "with --build or --dockerfile: do not lint the Dockerfile")
	fl.BoolVar(&f.lintGate, "lint-gate", false, "with --build: do not build when lint finds something at or above the failure threshold (exit 1)")
	fl.StringVar(&f.dockerfile, "dockerfile", "", "tie the layers of an existing image to this Dockerfile's lines by its history")
}

// validate checks flag combinations before anything runs.
func (f *buildFlags) validate(args []string) error {
	if f.build && f.dockerfile != "" {
		return usageErrorf("--dockerfile is for an existing image; with --build use -f/--file")
	}
	if !f.build {
		for name, set := range map[string]bool{"--file": f.file != "", "--target": f.target != "" && f.dockerfile == "",
			"--build-arg": len(f.buildArgs) > 0, "--secret": len(f.secrets) > 0, "--build-context": len(f.buildContexts) > 0,
			"--builder": f.builder != "", "--lint-gate": f.lintGate, "--builtin-frontend": f.builtin} {
			if set {
				return usageErrorf("%s needs --build", name)
			}
		}
	}
	if f.build && len(args) > 1 {
		return usageErrorf("--build takes one CONTEXT directory, got %d arguments", len(args))
	}
	if f.build {
		// The address is checked when building; the form now, before lint.
		if _, err := build.ChooseBackend(f.builder, func(string) string { return "set" }); err != nil {
			return withCode(ExitError, err)
		}
	}
	switch f.buildProgress {
	case "auto", "plain", "tty", "quiet":
	default:
		return usageErrorf("unknown --build-progress %q: want auto, plain, tty or quiet", f.buildProgress)
	}
	return nil
}

// buildRun is what runBuild hands the report: the joined result and the
// timings.
type buildRun struct {
	Result *analyze.Result
	Built  *build.Result
}

// runBuild lints the Dockerfile, builds it, analyzes the image and ties
// layers and waste to the Dockerfile and the lint findings. It is the
// entry point of `strata analyze --build` and `strata tui --build`; it
// prints the lint report and the build's progress on stderr, nothing on
// stdout.
func runBuild(ctx context.Context, a *app, f *buildFlags, contextDir, platform string, ao analyze.Options, so source.Options) (*buildRun, error) {
	start := time.Now()
	if contextDir == "" {
		contextDir = "."
	}
	dockerfile := f.file
	if dockerfile == "" {
		dockerfile = filepath.Join(contextDir, "Dockerfile")
	}
	file, lr, err := lintDockerfile(a, f, dockerfile)
	if err != nil {
		return nil, err
	}
	lintDone := time.Now()
	chain, err := attribution.NewChain(file, f.target)
	if err != nil {
		return nil, withCode(ExitError, err)
	}
	mode, progress := f.buildProgress, a.io.Err
	if mode == "auto" && !a.isTerminal(a.io.Err) {
		mode = "plain"
	}
	if f.progressTo != nil {
		mode, progress = "plain", f.progressTo
	} else if be, err := build.ChooseBackend(f.builder, a.getenv); err == nil && be.Kind == "buildkit" {
		// BuildKit's display shows the export, which is the stream; the
		// layers are read by the time it ends.
		so.StreamProgress, ao.Progress = nil, nil
	}
	built, err := build.Run(ctx, build.Options{Context: contextDir, Dockerfile: dockerfile, Target: f.target,
		BuildArgs: f.buildArgs, Platform: platform, Secrets: f.secrets, BuildContexts: f.buildContexts,
		Builder: f.builder, BuiltinFrontend: f.builtin, Progress: progress, ProgressMode: mode, Getenv: a.getenv, Source: so})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var be *build.Error
		if errors.As(err, &be) && be.Snippet != "" {
			fmt.Fprint(a.io.Err, be.Snippet)
		}
		return nil, withCode(ExitError, err)
	}
	defer built.Image.Close()
	method := built.Builder
	res, err := analyzeWithDockerfile(ctx, built.Image, chain, lr, method, ao)
	if err != nil {
		return nil, err
	}
	res.Attribution.Target = f.target
	res.Attribution.Build = &analyze.BuildInfo{Builder: built.Builder, Address: built.Address, Context: contextDir,
		BuildSeconds: built.Duration.Seconds(), LintSeconds: lintDone.Sub(start).Seconds(),
		TotalSeconds: time.Since(start).Seconds()}
	return &buildRun{Result: res, Built: built}, nil
}

// analyzeWithDockerfile matches the image's history with the chain (which
// also says how many layers the base image gave), analyzes and joins.
func analyzeWithDockerfile(ctx context.Context, img *source.Image, chain *attribution.Chain, lr *lint.Result, method string, ao analyze.Options) (*analyze.Result, error) {
	var hist []attribution.HistoryEntry
	for _, h := range img.Config.History {
		hist = append(hist, attribution.HistoryEntry{CreatedBy: h.CreatedBy, EmptyLayer: h.EmptyLayer})
	}
	m := attribution.Match(chain, hist, len(img.Layers), method)
	if m.Matched && ao.Base == nil {
		ids := make([]string, 0, m.BaseLayers)
		for _, l := range img.Layers[:m.BaseLayers] {
			ids = append(ids, l.DiffID)
		}
		ao.Base = &analyze.BaseImage{Name: chain.Base, DiffIDs: ids, Source: "dockerfile"}
	}
	res, err := analyze.Analyze(ctx, img, ao)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, withCode(ExitError, err)
	}
	if !m.Matched {
		res.Warnings = append(res.Warnings, fmt.Sprintf("no history entry of the image matches %s: layers are not tied to its lines", chain.File.Source.Path))
	} else if m.Unmatched > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d layers after the base match no instruction of %s", m.Unmatched, chain.File.Source.Path))
	}
	attribution.Join(res, m, lr)
	return res, nil
}

// lintDockerfile parses the Dockerfile and, unless --no-lint, lints it
// with the configuration strata lint would find for it. The findings go to
// stderr; with --lint-gate, findings at or above the threshold stop here.
func lintDockerfile(a *app, f *buildFlags, path string) (*lint.File, *lint.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, withCode(ExitError, readError(path, err))
	}
	src := lint.NewSource(path, data)
	if f.noLint {
		return lint.Parse(src), nil, nil
	}
	linters := newLinterCache(a, lintFlags{})
	linter, cfg, err := linters.forFile(lintInput{path: path, display: path})
	if err != nil {
		return nil, nil, withCode(ExitError, err)
	}
	res := linter.Lint(src)
	for _, e := range res.RuleErrors {
		fmt.Fprintf(a.io.Err, "strata: internal error: %v\n", e)
	}
	th := fileThreshold(lintFlags{}, cfg)
	results := []lintreport.FileResult{{Source: res.File.Source, Diagnostics: res.Diagnostics}}
	summary := lintreport.Summarize(results, th)
	failed := false
	for _, d := range res.Diagnostics {
		failed = failed || th.Fails(d.Severity)
	}
	summary.Failed = failed
	if len(res.Diagnostics) > 0 {
		color := a.isTerminal(a.io.Err) && a.getenv("NO_COLOR") == ""
		if err := lintreport.Text(a.io.Err, results, summary, lintreport.Options{Color: color}); err != nil {
			return nil, nil, withCode(ExitError, err)
		}
	}
	if failed && f.lintGate {
		fmt.Fprintln(a.io.Err, "strata: lint findings at or above the failure threshold: not building (--lint-gate)")
		return nil, nil, silentExit(ExitFindings)
	}
	return res.File, res, nil
}

// analyzeSource analyzes SOURCE, or builds it (--build, SOURCE being the
// context), or ties it to a Dockerfile (--dockerfile).
func analyzeSource(ctx context.Context, a *app, f *analyzeFlags, src string, opts analyze.Options, srcOpts source.Options) (*analyze.Result, error) {
	if f.bf.build {
		run, err := runBuild(ctx, a, &f.bf, src, f.platform, opts, srcOpts)
		if err != nil {
			return nil, err
		}
		return run.Result, nil
	}
	ref, err := source.ParseRef(src)
	if err != nil {
		return nil, withCode(ExitError, err)
	}
	var file *lint.File
	var lr *lint.Result
	if f.bf.dockerfile != "" {
		if file, lr, err = lintDockerfile(a, &f.bf, f.bf.dockerfile); err != nil {
			return nil, err
		}
	}
	img, err := source.Open(ctx, ref, srcOpts)
	if err != nil {
		return nil, withCode(ExitError, err)
	}
	defer img.Close()
	if file == nil {
		return analyze.Analyze(ctx, img, opts)
	}
	chain, err := attribution.NewChain(file, f.bf.target)
	if err != nil {
		return nil, withCode(ExitError, err)
	}
	res, err := analyzeWithDockerfile(ctx, img, chain, lr, "history", opts)
	if err == nil {
		res.Attribution.Target = f.bf.target
	}
	return res, err
}
