package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/gate"
	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/source"
)

type analyzeFlags struct {
	format     string
	platform   string
	base       string
	ci         bool
	ciConfig   string
	config     string
	verify     bool
	maxEntries int
	top        int
	entries    bool
	progress   string
	bf         buildFlags // --build and --dockerfile (build.go)
	tui        bool       // open the explorer instead of printing a report (tui.go)
	// dive's threshold flags override .dive-ci keys
	lowestEfficiency, highestWastedBytes, highestUserWastedPercent string
}

func newAnalyzeCmd(a *app) *cobra.Command {
	var f analyzeFlags
	cmd := &cobra.Command{
		Use:   "analyze SOURCE | --build [CONTEXT]",
		Short: "Analyze an image layer by layer: sizes, waste, findings, CI gates",
		Long: `Analyze reads an image layer by layer and reports what each layer adds, changes
and deletes, the bytes wasted by copies that later layers shadow or delete
(by cause), dive's figures for comparison, and findings such as package caches,
secrets and setuid files. With --ci it evaluates .dive-ci and .strata.yaml gates.

SOURCE is one of
  docker-daemon:NAME            an image in the Docker Engine (DOCKER_HOST)
  docker-archive:PATH[:TAG|@N]  a docker save archive (legacy or OCI-in-tar; - for stdin)
  oci:DIR[:REF]                 an OCI layout directory
  oci-archive:PATH[:REF]        a tar of an OCI layout
  docker://NAME                 a registry (layers are streamed, never stored)
  PATH or NAME                  an existing path, else the daemon, then a registry

With --build, strata lints the Dockerfile, builds CONTEXT (default .) with BuildKit
(BUILDKIT_HOST, or --builder buildkit://ADDR) or the Docker Engine, analyzes the
image and ties every layer and wasted byte to its Dockerfile line and to the lint
rule that would have saved it; a savings table leads the report. --dockerfile
does the same for an existing image, by its history. See docs/build.md.

Exit status: 0 report printed (and gates passed), 1 a gate failed,
2 usage or configuration error, an image that cannot be read or a failed build.`,
		Example: `  strata analyze oci:testdata/images/example
  strata analyze --format json docker-archive:app.tar:app:1.2
  strata analyze --ci --platform linux/arm64 docker://ghcr.io/org/app:latest
  strata analyze --build -f docker/Dockerfile --build-arg VERSION=1.2 .
  strata analyze --dockerfile Dockerfile docker-daemon:app:1.2`,
		Args: func(_ *cobra.Command, args []string) error {
			if err := f.bf.validate(args); err != nil {
				return err
			}
			if f.bf.build {
				return nil
			}
			if len(args) != 1 {
				return usageErrorf("analyze takes one SOURCE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.bf.build && len(args) == 0 {
				args = []string{"."}
			}
			return runAnalyze(cmd.Context(), a, &f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "", "report format: table, json or markdown (default table on a terminal or with --ci, json otherwise)")
	fl.StringVar(&f.platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default: the host's); with --build, the platform to build for")
	fl.StringVar(&f.base, "base", "", "base image (any SOURCE form) whose layers are excluded from user figures")
	fl.BoolVar(&f.ci, "ci", false, "evaluate CI gates from .dive-ci and .strata.yaml; exit 1 if one fails")
	fl.StringVar(&f.ciConfig, "ci-config", ".dive-ci", "dive CI rules file")
	fl.StringVar(&f.config, "config", ".strata.yaml", "strata configuration file (section analyze)")
	fl.BoolVar(&f.verify, "verify", false, "check every layer digest, reading uncompressed layers in full instead of seeking")
	fl.IntVar(&f.maxEntries, "max-entries", layer.DefaultMaxEntries, "refuse images with more tar entries than this (memory bound)")
	fl.IntVar(&f.top, "top", 10, "rows in the biggest-files and waste tables")
	fl.BoolVar(&f.entries, "entries", true, "include every layer's entries in the JSON report")
	fl.StringVar(&f.progress, "progress", "auto", "progress on stderr: auto, always or never")
	fl.BoolVar(&f.tui, "tui", false, "explore the image in the terminal (strata tui) instead of printing a report")
	fl.StringVar(&f.lowestEfficiency, "lowestEfficiency", "", "dive rule: fail if dive's efficiency is lower (overrides .dive-ci)")
	fl.StringVar(&f.highestWastedBytes, "highestWastedBytes", "", "dive rule: fail if dive's wasted bytes are higher (overrides .dive-ci)")
	addBuildFlags(fl, &f.bf)
	fl.StringVar(&f.highestUserWastedPercent, "highestUserWastedPercent", "", "dive rule: fail if dive's user-wasted ratio is higher (overrides .dive-ci)")
	return cmd
}

// memoryLimit is the soft heap limit of an analysis (GOMEMLIMIT
// overrides it): a million-file image fits well below it.
const memoryLimit = 400 << 20

// analysisGCPercent is the GOGC of an analysis (GOGC overrides it). An
// analysis keeps most of what it allocates (entries, interned paths), so
// collecting when the heap has grown by half instead of doubled costs
// little time and keeps the peak lower: on the 510 MB perf image, 3 MB
// of a 33 MB peak.
const analysisGCPercent = 50

// tuneGC sets the collector for an analysis, leaving what the user's
// GOGC and GOMEMLIMIT say.
func tuneGC(a *app) {
	if a.getenv("GOMEMLIMIT") == "" {
		// Collect harder rather than grow past this on huge images.
		debug.SetMemoryLimit(memoryLimit)
	}
	if a.getenv("GOGC") == "" {
		debug.SetGCPercent(analysisGCPercent)
	}
}

func runAnalyze(ctx context.Context, a *app, f *analyzeFlags, src string) error {
	if f.tui {
		return runAnalyzeTUI(ctx, a, f, src)
	}
	if err := stdinImageFromTerminal(a, src); err != nil {
		return err
	}
	format := f.format
	if format == "" {
		format = "json"
		if f.ci || a.isTerminal(a.io.Out) {
			format = "table"
		}
	}
	render := map[string]func(io.Writer, *analyze.Result, report.Options) error{
		"table": report.Table, "json": report.JSON, "markdown": report.Markdown}[format]
	if render == nil {
		return usageErrorf("unknown --format %q: want table, json or markdown", f.format)
	}
	if f.progress != "auto" && f.progress != "always" && f.progress != "never" {
		return usageErrorf("unknown --progress %q: want auto, always or never", f.progress)
	}
	var err error
	var diveRules gate.DiveRules
	var rules gate.Rules
	if f.ci {
		if diveRules, rules, err = loadGates(f); err != nil {
			return withCode(ExitError, err)
		}
	}
	tuneGC(a)
	opts := analyze.Options{Verify: f.verify, MaxEntries: f.maxEntries}
	prog := newProgress(a, f.progress)
	opts.Progress = prog.layer
	srcOpts := source.Options{Platform: f.platform, Getenv: a.getenv, Layer: analyze.LayerOptions(opts), StreamProgress: prog.stream, Stdin: a.io.In}
	if f.base != "" {
		if opts.Base, err = openBase(ctx, f.base, srcOpts); err != nil {
			return withCode(ExitError, fmt.Errorf("--base %s: %w", f.base, err))
		}
	}
	res, err := analyzeSource(ctx, a, f, src, opts, srcOpts)
	prog.finish()
	if err != nil {
		var ee *exitError
		if ctx.Err() != nil {
			return ctx.Err()
		} else if errors.As(err, &ee) {
			return err // --lint-gate's exit 1, or an error already coded
		}
		return withCode(ExitError, err)
	}
	ro := report.Options{Top: f.top, Entries: f.entries}
	if f.ci {
		ro.Gates = gate.Evaluate(res, diveRules, rules)
	}
	if err := render(a.io.Out, res, ro); err != nil {
		return withCode(ExitError, err)
	}
	if f.ci && !gate.Passed(ro.Gates) {
		if format != "table" {
			fmt.Fprintln(a.io.Err, "strata: a CI gate failed")
		}
		return silentExit(ExitFindings)
	}
	return nil
}

// loadGates reads .dive-ci (dive's defaults when the default file is
// missing), the dive flags over it, and the analyze section of .strata.yaml.
func loadGates(f *analyzeFlags) (gate.DiveRules, gate.Rules, error) {
	d, err := gate.LoadDiveCI(f.ciConfig, f.ciConfig == ".dive-ci")
	if err != nil {
		return d, gate.Rules{}, err
	}
	for name, v := range map[string]struct {
		val string
		dst **float64
	}{"lowestEfficiency": {f.lowestEfficiency, &d.LowestEfficiency},
		"highestWastedBytes":       {f.highestWastedBytes, &d.HighestWastedBytes},
		"highestUserWastedPercent": {f.highestUserWastedPercent, &d.HighestUserWastedPercent}} {
		if v.val == "" {
			continue
		}
		parsed, err := gate.ParseDiveValue(name, v.val)
		if err != nil {
			return d, gate.Rules{}, fmt.Errorf("--%s: %w", name, err)
		}
		*v.dst = parsed
		d.SetOrigin(name, gate.FromFlag)
	}
	r, err := gate.LoadStrata(f.config, f.config == ".strata.yaml")
	return d, r, err
}

// openBase reads only the base image's diff IDs.
func openBase(ctx context.Context, s string, o source.Options) (*analyze.BaseImage, error) {
	ref, err := source.ParseRef(s)
	if err != nil {
		return nil, err
	}
	ids, err := source.DiffIDs(ctx, ref, o)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errors.New("the base image has no layers")
	}
	return &analyze.BaseImage{Name: s, DiffIDs: ids}, nil
}
