package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/lint"
	"github.com/strata-dev/strata/lint/report"
	"github.com/strata-dev/strata/rules"
)

type lintFlags struct {
	report            reportFlags
	pathInReport      string
	config            string
	selects           []string
	ignores           []string
	severityOverrides []string
	threshold         string
	noColor           bool
	noFail            bool
	verbose           bool
	preview           bool
	stdinFilename     string
	disablePragmas    bool
	noShellCheck      bool
	contextDir        string
	fix               bool
	unsafeFixes       bool
}

func newLintCmd(a *app) *cobra.Command {
	var fl lintFlags
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Lint Dockerfiles",
		Long: `Lint Dockerfiles with hadolint's and BuildKit's checks and strata's own.

PATH is a file, a directory (searched for Dockerfile, Containerfile, *.Dockerfile
and Dockerfile.*, skipping .git, node_modules and vendor) or - for standard input.
Without a PATH the current directory is searched.

Configuration comes from --config, else the first .strata.yaml, .hadolint.yaml or
.hadolint.yml found from each file's directory up to the repository root, else
$XDG_CONFIG_HOME/hadolint.yaml. Flags override the file.

Reports: each --output FILE takes the report of the --format before it; formats
without one go to stdout. On GitHub Actions (GITHUB_ACTIONS=true) with no format
asked for, github annotations follow the text report on stdout.

Exit status: 0 no finding at or above the failure threshold, 1 findings,
2 usage, configuration or I/O error.`,
		Example: `  strata lint Dockerfile
  strata lint --format json .
  strata lint --format sarif --output strata.sarif .      # report to a file, summary on the terminal
  strata lint -f text -f sarif -o strata.sarif .          # text on stdout and SARIF in a file
  strata lint --select DL30 --ignore DL3008 services/
  strata lint --severity-override DL3059=warning --failure-threshold warning Dockerfile
  cat Dockerfile | strata lint --stdin-filename Dockerfile -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLint(a, cmd, fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.config, "config", "c", "", "configuration file (disables discovery)")
	f.StringSliceVar(&fl.selects, "select", nil, "run only rules whose code, prefix or name matches (comma-separated, repeatable)")
	f.StringSliceVar(&fl.ignores, "ignore", nil, "turn off rules by code, prefix or name (comma-separated, repeatable)")
	f.StringArrayVar(&fl.severityOverrides, "severity-override", nil, "change a rule's severity: CODE=error|warning|info|style|off (repeatable)")
	f.StringVarP(&fl.threshold, "failure-threshold", "t", "", "least severe finding that fails the run: error|warning|info|style|none (default info)")
	f.BoolVar(&fl.noColor, "no-color", false, "never colour the output (NO_COLOR is honoured too)")
	f.BoolVar(&fl.noFail, "no-fail", false, "exit 0 even when there are findings")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "print a summary even for a clean run, and the configuration used on stderr")
	f.BoolVar(&fl.preview, "preview", false, "also run preview rules")
	f.StringVar(&fl.stdinFilename, "stdin-filename", "", "name to report for standard input (-)")
	f.BoolVar(&fl.disablePragmas, "disable-ignore-pragma", false, "ignore all suppression comments")
	f.BoolVar(&fl.noShellCheck, "no-shellcheck", false, "do not run ShellCheck on RUN instructions")
	f.StringVar(&fl.contextDir, "context", "", "build context directory for the context rules (default: the Dockerfile's directory when it is a plausible context: a .dockerignore beside it, a project directory, or files for COPY . .; see docs/context.md)")
	f.BoolVar(&fl.fix, "fix", false, "apply safe fixes to the files in place, then report what remains")
	f.BoolVar(&fl.unsafeFixes, "unsafe-fixes", false, "with --fix, also apply fixes that may change behaviour")
	addReportFlags(cmd, &fl)
	return cmd
}

// lintInput is one file to lint.
type lintInput struct {
	path    string // as reported
	stdin   bool
	display string
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func runLint(a *app, cmd *cobra.Command, fl lintFlags, args []string) error {
	if a.getenv("GOGC") == "" {
		// Linting allocates many short-lived models: collecting half as
		// often saves a tenth of the CPU for a bounded amount of memory
		// (files are processed in chunks).
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	if fl.unsafeFixes && !fl.fix {
		return usageErrorf("--unsafe-fixes needs --fix")
	}
	if err := checkLintFlags(fl); err != nil {
		return withCode(ExitError, err)
	}
	stdinArgs := 0
	for _, arg := range args {
		if arg == "-" {
			stdinArgs++
		}
	}
	if stdinArgs > 1 {
		return usageErrorf("- (standard input) is given %d times: it can be read only once", stdinArgs)
	}
	inputs, inputErrs := collectInputs(args, fl.stdinFilename)
	if fl.pathInReport != "" {
		for i := range inputs {
			inputs[i].display = fl.pathInReport
		}
	}
	runCfg, err := loadRunConfig(a, fl)
	if err != nil {
		return withCode(ExitError, err)
	}
	outs, err := resolveOutputs(a, fl.report, runCfg)
	if err != nil {
		return withCode(ExitError, err)
	}
	if len(inputs) == 0 && len(inputErrs) == 0 {
		// Nothing to lint is a clean run: every report asked for is
		// written, empty, so that no stale report is left behind.
		if fl.verbose || (runCfg != nil && runCfg.Verbose) {
			fmt.Fprintln(a.io.Err, "strata: no Dockerfiles found")
		}
		summary := report.Summarize(nil, fileThreshold(fl, runCfg))
		if err := writeReports(a, outs, nil, summary, fl, runCfg); err != nil {
			return withCode(ExitError, err)
		}
		return nil
	}
	linters := newLinterCache(a, fl)
	linters.verbose = fl.verbose || (runCfg != nil && runCfg.Verbose)
	if runCfg != nil && linters.verbose {
		linters.shown[runCfg.Path] = true // printed by loadRunConfig
	}
	for _, in := range inputs {
		linters.perDir[filepath.Dir(in.path)]++
	}
	for _, in := range inputs {
		if _, _, err := linters.forFile(in); err != nil {
			return withCode(ExitError, err)
		}
	}

	var stdinData []byte
	for _, in := range inputs {
		if in.stdin {
			stdinData, err = io.ReadAll(a.io.In)
			if err != nil {
				return withCode(ExitError, fmt.Errorf("reading standard input: %w", err))
			}
		}
	}

	// Files go through three phases in chunks, so that memory stays
	// bounded: the rules (in parallel), ShellCheck (a few processes per
	// chunk), then suppressions and ordering. Only the source text and the
	// diagnostics outlive a chunk.
	results := make([]report.FileResult, len(inputs))
	readErrs := make([]error, len(inputs))
	var failed bool
	for lo := 0; lo < len(inputs); lo += lintChunk {
		hi := min(lo+lintChunk, len(inputs))
		checked := make([]*lint.Result, hi-lo)
		parallel(hi-lo, func(k int) {
			i := lo + k
			in := inputs[i]
			data := stdinData
			if !in.stdin {
				var rerr error
				if data, rerr = os.ReadFile(in.path); rerr != nil {
					readErrs[i] = readError(in.path, rerr)
					return
				}
			}
			linter, _, _ := linters.forFile(in)
			checked[k] = linter.Check(lint.NewSource(in.display, data))
		})
		if err := lint.RunShellCheck(cmd.Context(), linters.shellcheck, checked); err != nil {
			fmt.Fprintf(a.io.Err, "strata: %v\n", err)
		}
		for k, res := range checked {
			if res == nil {
				continue
			}
			i := lo + k
			linter, cfg, _ := linters.forFile(inputs[i])
			linter.Finish(res)
			results[i] = report.FileResult{Source: res.File.Source, Diagnostics: res.Diagnostics}
			for _, e := range res.RuleErrors {
				fmt.Fprintf(a.io.Err, "strata: internal error: %v\n", e)
			}
			th := fileThreshold(fl, cfg)
			for _, d := range res.Diagnostics {
				if th.Fails(d.Severity) {
					failed = true
				}
			}
		}
	}

	if fl.fix {
		n, err := fixFiles(inputs, results, linters, fl.unsafeFixes)
		if err != nil {
			return withCode(ExitError, err)
		}
		if n > 0 {
			fmt.Fprintf(a.io.Err, "strata: applied %d %s\n", n, pluralWord(n, "fix", "fixes"))
		}
		failed = false
		for i, r := range results {
			_, cfg, _ := linters.forFile(inputs[i])
			for _, d := range r.Diagnostics {
				if fileThreshold(fl, cfg).Fails(d.Severity) {
					failed = true
				}
			}
		}
	}

	var done []report.FileResult
	var fileErrs []report.FileError
	exitErr := len(inputErrs) > 0
	for _, e := range inputErrs {
		fmt.Fprintf(a.io.Err, "strata: %v\n", e)
		fileErrs = append(fileErrs, fileErrorOf(e))
	}
	for i, r := range results {
		if readErrs[i] != nil {
			fmt.Fprintf(a.io.Err, "strata: %v\n", readErrs[i])
			fileErrs = append(fileErrs, fileErrorOf(readErrs[i]))
			exitErr = true
			continue
		}
		done = append(done, r)
	}
	summary := report.Summarize(done, fileThreshold(fl, runCfg))
	summary.Failed = failed
	summary.FileErrors = fileErrs
	if err := writeReports(a, outs, done, summary, fl, runCfg); err != nil {
		return withCode(ExitError, err)
	}
	switch {
	case exitErr:
		return silentExit(ExitError)
	case failed && !fl.noFail && !(runCfg != nil && runCfg.NoFail) && !truthyEnv(a.getenv("HADOLINT_NOFAIL")):
		return silentExit(ExitFindings)
	}
	return nil
}

// lintChunk is how many files are held in memory at once.
const lintChunk = 512

// parallel calls fn(0..n-1) on all cores.
func parallel(n int, fn func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
}

// fileReadError is a file named for linting that could not be read.
type fileReadError struct {
	path string
	err  error
}

func (e *fileReadError) Error() string { return fmt.Sprintf("cannot read %s: %v", e.path, e.err) }
func (e *fileReadError) Unwrap() error { return e.err }

func readError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fileReadError{path: path, err: err}
}

// fileErrorOf describes an unreadable file for the reports.
func fileErrorOf(err error) report.FileError {
	var fe *fileReadError
	if errors.As(err, &fe) {
		return report.FileError{Path: fe.path, Message: fe.Error()}
	}
	return report.FileError{Message: err.Error()}
}

func truthyEnv(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "y", "yes", "on", "true":
		return true
	}
	return false
}

// collectInputs expands directories and checks that named files exist.
func collectInputs(args []string, stdinName string) ([]lintInput, []error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	var out []lintInput
	var errs []error
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, lintInput{path: p, display: p})
		}
	}
	for _, arg := range args {
		if arg == "-" {
			name := stdinName
			if name == "" {
				name = "-"
			}
			out = append(out, lintInput{path: name, stdin: true, display: name})
			continue
		}
		st, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, readError(arg, err))
			continue
		}
		if !st.IsDir() {
			add(arg)
			continue
		}
		files, err := lint.FindDockerfiles(arg)
		if err != nil {
			errs = append(errs, readError(arg, err))
			continue
		}
		for _, f := range files {
			add(f)
		}
	}
	return out, errs
}

// loadRunConfig loads the configuration that governs output options: the
// --config file, else the one found from the current directory.
func loadRunConfig(a *app, fl lintFlags) (*lint.Config, error) {
	path := fl.config
	if path == "" {
		path = lint.FindConfig(".", a.getenv)
	}
	if path == "" {
		return nil, nil
	}
	cfg, err := loadConfig(path)
	if err != nil {
		return nil, err
	}
	if fl.verbose || cfg.Verbose {
		fmt.Fprintf(a.io.Err, "strata: using configuration %s\n", displayPath(path))
	}
	return cfg, nil
}

// displayPath shows a discovered (absolute) path relative to the current
// directory when it lies below it.
func displayPath(p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	cwd, err := os.Getwd()
	if err != nil {
		return p
	}
	r, err := filepath.Rel(cwd, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return p
	}
	return r
}

// loadConfig reads a configuration file and checks that its rule lists
// name rules that exist.
func loadConfig(path string) (*lint.Config, error) {
	cfg, err := lint.LoadConfig(path)
	if err != nil {
		return nil, err
	}
	if err := cfg.CheckRules(rules.All()); err != nil {
		return nil, err
	}
	if err := cfg.CheckFormats(func(name string) error {
		_, _, err := report.Lookup(name)
		return err
	}); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkLintFlags validates the flags that do not depend on a file, before
// anything is read: a misspelt rule code must fail the run, not select
// nothing.
func checkLintFlags(fl lintFlags) error {
	if _, err := lintOptions(fl, nil); err != nil {
		return err
	}
	all := rules.All()
	for _, list := range []struct {
		flag string
		vals []string
	}{{"--select", fl.selects}, {"--ignore", fl.ignores}} {
		for _, c := range splitCodes(list.vals) {
			if err := lint.CheckRuleRef(all, c, lint.RefSelector); err != nil {
				return fmt.Errorf("invalid %s: %w", list.flag, err)
			}
		}
	}
	for _, o := range fl.severityOverrides {
		code, _, _ := strings.Cut(o, "=")
		if err := lint.CheckRuleRef(all, code, lint.RefCode); err != nil {
			return fmt.Errorf("invalid --severity-override %q: %w", o, err)
		}
	}
	return nil
}

func fileThreshold(fl lintFlags, cfg *lint.Config) lint.Threshold {
	if fl.threshold != "" {
		t, _ := lint.ParseThreshold(fl.threshold)
		return t
	}
	if cfg != nil && cfg.FailureThreshold != nil {
		return *cfg.FailureThreshold
	}
	return lint.DefaultThreshold
}

// linterCache builds one linter per configuration file.
type linterCache struct {
	a          *app
	fl         lintFlags
	shellcheck *lint.ShellCheck
	scWarned   bool
	mu         sync.Mutex
	byDir      map[string]string // directory -> config path ("" for none)
	byPath     map[string]*cachedLinter
	contexts   map[string]*lint.BuildContext // directory -> context (nil for none)
	perDir     map[string]int                // directory -> Dockerfiles linted there
	listings   map[string]map[string]bool    // directory -> names of its ignore files
	// verbose prints each configuration file used, once; shown holds
	// those already printed (the run's own, by loadRunConfig).
	verbose bool
	shown   map[string]bool
}

// ignoreFileIn reports whether dir holds .dockerignore or
// NAME.dockerignore, reading the directory once.
func (c *linterCache) ignoreFileIn(dir, name string) bool {
	names, ok := c.listings[dir]
	if !ok {
		names = map[string]bool{}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".dockerignore") {
				names[e.Name()] = true
			}
		}
		c.listings[dir] = names
	}
	return names[".dockerignore"] || names[name+".dockerignore"]
}

type cachedLinter struct {
	linter *lint.Linter
	cfg    *lint.Config
	err    error
}

func newLinterCache(a *app, fl lintFlags) *linterCache {
	return &linterCache{a: a, fl: fl, byDir: map[string]string{}, byPath: map[string]*cachedLinter{},
		contexts: map[string]*lint.BuildContext{}, perDir: map[string]int{}, listings: map[string]map[string]bool{},
		shown: map[string]bool{}}
}

// contextFor returns the build context of a Dockerfile: --context DIR, else
// its own directory when that is a plausible context (see
// lint.PlausibleContext), else none.
func (c *linterCache) contextFor(in lintInput) (*lint.BuildContext, error) {
	dir := c.fl.contextDir
	if dir == "" {
		if in.stdin {
			return nil, nil
		}
		d := filepath.Dir(in.path)
		if c.perDir[d] > lint.MaxDockerfilesInContext && !c.ignoreFileIn(d, filepath.Base(in.path)) {
			return nil, nil // a collection of Dockerfiles: one listing, not a stat per file
		}
		if !lint.PlausibleContext(in.path, c.perDir[d]) {
			return nil, nil
		}
		dir = d
	}
	if ctx, ok := c.contexts[dir]; ok {
		return ctx, nil
	}
	ctx, err := lint.NewBuildContext(dir)
	if err != nil {
		return nil, err
	}
	c.contexts[dir] = ctx
	return ctx, nil
}

func (c *linterCache) forFile(in lintInput) (*lint.Linter, *lint.Config, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cfgPath := c.fl.config
	if cfgPath == "" {
		dir := "."
		if !in.stdin {
			dir = filepath.Dir(in.path)
		}
		p, ok := c.byDir[dir]
		if !ok {
			p = lint.FindConfig(dir, c.a.getenv)
			c.byDir[dir] = p
		}
		cfgPath = p
	}
	ctx, err := c.contextFor(in)
	if err != nil {
		return nil, nil, err
	}
	key := cfgPath
	if ctx != nil {
		key += "\x00" + ctx.Dir
	}
	if cl, ok := c.byPath[key]; ok {
		return cl.linter, cl.cfg, cl.err
	}
	cl := &cachedLinter{}
	if cfgPath != "" {
		cl.cfg, cl.err = loadConfig(cfgPath)
		if cl.err == nil && !c.shown[cfgPath] && (c.verbose || cl.cfg.Verbose) {
			c.shown[cfgPath] = true
			fmt.Fprintf(c.a.io.Err, "strata: using configuration %s\n", displayPath(cfgPath))
		}
	}
	if cl.err == nil {
		var opts lint.Options
		opts, cl.err = lintOptions(c.fl, cl.cfg)
		if cl.err == nil {
			off := c.fl.noShellCheck || (cl.cfg != nil && cl.cfg.ShellCheck != nil && !*cl.cfg.ShellCheck)
			opts.Context = ctx
			probe := opts
			probe.ShellCheck = &lint.ShellCheck{}
			if !off && lint.New(rules.All(), probe).Enabled(lint.ShellCheckRule.Code) {
				opts.ShellCheck = c.findShellCheck()
			}
			cl.linter = lint.New(rules.All(), opts)
		}
	}
	c.byPath[key] = cl
	return cl.linter, cl.cfg, cl.err
}

// findShellCheck locates shellcheck once; without it strata says so once
// on stderr and carries on.
func (c *linterCache) findShellCheck() *lint.ShellCheck {
	if c.shellcheck != nil || c.scWarned {
		return c.shellcheck
	}
	sc, err := lint.FindShellCheck()
	if err != nil {
		c.scWarned = true
		fmt.Fprintln(c.a.io.Err, "strata: shellcheck not found on PATH: ShellCheck's SC checks are skipped (install shellcheck, or pass --no-shellcheck to silence this)")
		return nil
	}
	sc.Workers = runtime.GOMAXPROCS(0)
	c.shellcheck = sc
	return sc
}

// lintOptions merges the flags over a configuration file.
func lintOptions(fl lintFlags, cfg *lint.Config) (lint.Options, error) {
	opts := lint.Options{Severity: map[string]lint.Severity{}}
	if cfg != nil {
		opts.Ignore = append(opts.Ignore, cfg.Ignored...)
		opts.Select = append(opts.Select, cfg.Select...)
		for code, sev := range cfg.Override {
			opts.Severity[code] = sev
		}
		opts.Preview = cfg.Preview
		opts.DisableIgnorePragma = cfg.DisableIgnorePragma
		opts.Settings = lint.Settings{
			TrustedRegistries: cfg.TrustedRegistries,
			LabelSchema:       cfg.LabelSchema,
			StrictLabels:      cfg.StrictLabels,
			ContextBudget:     cfg.ContextBudget,
		}
	}
	if len(fl.selects) > 0 {
		opts.Select = splitCodes(fl.selects)
	}
	opts.Ignore = append(opts.Ignore, splitCodes(fl.ignores)...)
	for _, o := range fl.severityOverrides {
		code, level, ok := strings.Cut(o, "=")
		if !ok || strings.TrimSpace(code) == "" {
			return opts, fmt.Errorf("invalid --severity-override %q (want CODE=LEVEL, e.g. DL3059=warning)", o)
		}
		sev, err := lint.ParseSeverity(level)
		if err != nil {
			return opts, fmt.Errorf("invalid --severity-override %q: %w", o, err)
		}
		opts.Severity[strings.TrimSpace(code)] = sev
	}
	if fl.threshold != "" {
		if _, err := lint.ParseThreshold(fl.threshold); err != nil {
			return opts, fmt.Errorf("invalid --failure-threshold: %w", err)
		}
	}
	opts.Preview = opts.Preview || fl.preview
	opts.DisableIgnorePragma = opts.DisableIgnorePragma || fl.disablePragmas
	return opts, nil
}

func splitCodes(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}
