package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/lint"
	"github.com/strata-dev/strata/lint/report"
)

// Where `strata lint` writes its reports: --format/--output pairs, the
// configuration's format keys, hadolint's HADOLINT_FORMAT, and GitHub
// annotations added on GitHub Actions.

// reportFlags records --format and --output in command-line order, so that
// each --output pairs with the --format given just before it.
type reportFlags struct {
	args []reportArg
}

type reportArg struct {
	output bool // an --output; else a --format
	value  string
}

// reportFlagValue is the pflag.Value behind --format (output false) and
// --output (output true).
type reportFlagValue struct {
	r      *reportFlags
	output bool
}

func (v reportFlagValue) Set(s string) error {
	v.r.args = append(v.r.args, reportArg{output: v.output, value: s})
	return nil
}

func (v reportFlagValue) String() string {
	var vals []string
	for _, a := range v.r.args {
		if a.output == v.output {
			vals = append(vals, a.value)
		}
	}
	if len(vals) == 0 {
		return "" // pflag then shows no default
	}
	return "[" + strings.Join(vals, ",") + "]"
}

func (v reportFlagValue) Type() string { return "stringArray" }

// addReportFlags defines --format, --output and hadolint's
// --file-path-in-report.
func addReportFlags(cmd *cobra.Command, fl *lintFlags) {
	f := cmd.Flags()
	f.VarP(reportFlagValue{r: &fl.report}, "format", "f",
		"report `FORMAT`: "+strings.Join(report.Names(), ", ")+" (repeatable; hadolint's names such as tty and gitlab_codeclimate work too)")
	f.VarP(reportFlagValue{r: &fl.report, output: true}, "output", "o",
		"write the report of the --format before it to `FILE` instead of stdout (repeatable; a short summary stays on the terminal)")
	addHadolintSeverityFlags(cmd, fl)
	f.StringVar(&fl.pathInReport, "file-path-in-report", "", "report every finding under this `PATH` (hadolint's flag, for stdin or a container's mount point)")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, f := range report.Formats() {
			out = append(out, f.Name+"\t"+f.Description)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("failure-threshold", cobra.FixedCompletions(
		[]string{"error", "warning", "info", "style", "none"}, cobra.ShellCompDirectiveNoFileComp))
}

// severityAlias is hadolint's --error/--warning/--info/--style CODE: a
// severity override under another spelling, so that hadolint's arguments
// (in pre-commit configurations, CI scripts) keep working.
type severityAlias struct {
	overrides *[]string
	level     string
}

func (v severityAlias) Set(code string) error {
	for _, c := range strings.Split(code, ",") {
		if c = strings.TrimSpace(c); c != "" {
			*v.overrides = append(*v.overrides, c+"="+v.level)
		}
	}
	return nil
}

func (v severityAlias) String() string { return "" }
func (v severityAlias) Type() string   { return "stringArray" }

// addHadolintSeverityFlags defines hadolint's --error, --warning, --info
// and --style, hidden from --help (--severity-override is strata's).
func addHadolintSeverityFlags(cmd *cobra.Command, fl *lintFlags) {
	for _, level := range []string{"error", "warning", "info", "style"} {
		cmd.Flags().Var(severityAlias{overrides: &fl.severityOverrides, level: level}, level,
			"hadolint's spelling of --severity-override `CODE`="+level)
		_ = cmd.Flags().MarkHidden(level)
	}
}

// output is one report destination.
type output struct {
	format string
	write  report.Formatter
	path   string // "" for stdout
}

type formatPair struct {
	format string
	path   string
	set    bool
}

// resolveOutputs pairs formats with destinations. Formats come from the
// flags, else the configuration (format, formats), else HADOLINT_FORMAT,
// else text. On GitHub Actions (GITHUB_ACTIONS=true) with none of those,
// github annotations are written to stdout after the report.
func resolveOutputs(a *app, rf reportFlags, cfg *lint.Config) ([]output, error) {
	var pairs []formatPair
	var early []string // --output given before any --format it could pair with
	explicit := false
	for _, arg := range rf.args {
		switch {
		case !arg.output:
			explicit = true
			p := formatPair{format: arg.value}
			if len(early) > 0 {
				p.path, p.set, early = early[0], true, early[1:]
			}
			pairs = append(pairs, p)
		case len(pairs) > 0 && !pairs[len(pairs)-1].set:
			pairs[len(pairs)-1].path, pairs[len(pairs)-1].set = arg.value, true
		default:
			early = append(early, arg.value)
		}
	}
	if !explicit {
		// --output alone pairs, in order, with the configured formats.
		formats := implicitFormats(a, cfg)
		explicit = len(formats) > 0
		if len(formats) == 0 {
			formats = []string{"text"}
		}
		for i, f := range formats {
			p := formatPair{format: f}
			if i < len(early) {
				p.path, p.set = early[i], true
			}
			pairs = append(pairs, p)
		}
		early = early[min(len(early), len(formats)):]
	}
	if len(early) > 0 {
		return nil, fmt.Errorf("--output %s has no --format to pair with: give one --format per --output", early[0])
	}

	var outs []output
	stdout := 0
	files := map[string]string{} // cleaned --output path -> its format
	for _, p := range pairs {
		w, canon, err := report.Lookup(p.format)
		if err != nil {
			return nil, err
		}
		o := output{format: canon, write: w}
		if p.set && p.path != "-" {
			o.path = p.path
			key := filepath.Clean(p.path)
			if abs, err := filepath.Abs(p.path); err == nil {
				key = abs // o/a, ./o/a and $PWD/o/a are one file
			}
			if prev, ok := files[key]; ok {
				return nil, fmt.Errorf("--output %s is given to two formats (%s and %s): give each format its own file", p.path, prev, canon)
			}
			files[key] = canon
		} else if canon != "github" {
			stdout++
		}
		outs = append(outs, o)
	}
	if stdout > 1 {
		return nil, errors.New("more than one format would go to stdout: give each extra --format an --output file (github annotations may share stdout)")
	}
	if !explicit && a.getenv("GITHUB_ACTIONS") == "true" {
		w, _, _ := report.Lookup("github")
		outs = append(outs, output{format: "github", write: w})
	}
	return outs, nil
}

// implicitFormats are the formats asked for other than by flags.
func implicitFormats(a *app, cfg *lint.Config) []string {
	if cfg != nil && len(cfg.Formats) > 0 {
		return cfg.Formats
	}
	var out []string
	for _, f := range strings.Split(a.getenv("HADOLINT_FORMAT"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// writeReports writes every report: files first, then stdout (github
// annotations last, after the human-readable report). When no
// human-readable report reaches stdout, a one-line summary and the names
// of the files written go to stderr, unless the run is clean.
func writeReports(a *app, outs []output, results []report.FileResult, summary report.Summary, fl lintFlags, cfg *lint.Config) error {
	noColor := fl.noColor || (cfg != nil && cfg.NoColor) || a.getenv("NO_COLOR") != ""
	verbose := fl.verbose || (cfg != nil && cfg.Verbose)
	opts := report.Options{Verbose: verbose, Version: versionString()}
	var written []string
	for _, o := range outs {
		if o.path == "" {
			continue
		}
		if dir := filepath.Dir(o.path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("writing report: %w", err)
			}
		}
		f, err := os.Create(o.path)
		if err != nil {
			return fmt.Errorf("writing report: %w", err)
		}
		werr := o.write(f, o.pathsFor(a, results), o.summaryFor(a, summary), opts)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("writing report %s: %w", o.path, werr)
		}
		written = append(written, fmt.Sprintf("%s (%s)", o.path, o.format))
	}
	humanOnStdout := false
	stdoutOpts := opts
	stdoutOpts.Color = !noColor && a.isTerminal(a.io.Out)
	for _, annotations := range []bool{false, true} { // github last
		for _, o := range outs {
			if o.path != "" || (o.format == "github") != annotations {
				continue
			}
			if err := o.write(a.io.Out, o.pathsFor(a, results), o.summaryFor(a, summary), stdoutOpts); err != nil {
				return fmt.Errorf("writing report: %w", err)
			}
			humanOnStdout = humanOnStdout || !annotations
		}
	}
	if humanOnStdout || (summary.Diagnostics == 0 && !verbose) {
		return nil
	}
	// The report went to files: keep a short summary on the terminal.
	errOpts := report.Options{Verbose: true, Color: !noColor && a.isTerminal(a.io.Err)}
	if err := report.Text(a.io.Err, nil, summary, errOpts); err != nil {
		return err
	}
	if len(written) > 0 {
		fmt.Fprintf(a.io.Err, "Report written to %s.\n", strings.Join(written, ", "))
	}
	return nil
}

// pathsFor adapts the results to a destination. Paths are cleaned
// (./Dockerfile and Dockerfile are one file, with one fingerprint), and
// where the CI system says where the repository is, reports it reads are
// given paths relative to it whatever directory strata ran in: GitHub
// annotations and SARIF (code scanning resolves SARIF paths from the
// repository root) relative to GITHUB_WORKSPACE, GitLab Code Quality and
// Code Climate relative to CI_PROJECT_DIR.
func (o output) pathsFor(a *app, results []report.FileResult) []report.FileResult {
	rel := o.relPath(a)
	changed := false
	for _, r := range results {
		if r.Source != nil && rel(r.Source.Path) != r.Source.Path {
			changed = true
		}
		for _, d := range r.Diagnostics {
			if rel(d.File) != d.File {
				changed = true
				break
			}
		}
	}
	if !changed {
		return results
	}
	out := make([]report.FileResult, len(results))
	for i, r := range results {
		out[i] = report.FileResult{Source: r.Source, Diagnostics: make([]lint.Diagnostic, len(r.Diagnostics))}
		if r.Source != nil {
			src := *r.Source
			src.Path = rel(src.Path)
			out[i].Source = &src
		}
		for j, d := range r.Diagnostics {
			d.File = rel(d.File)
			out[i].Diagnostics[j] = d
		}
	}
	return out
}

// summaryFor adapts the paths of the unreadable files of a summary to a
// destination, as pathsFor does for the results.
func (o output) summaryFor(a *app, s report.Summary) report.Summary {
	if len(s.FileErrors) == 0 {
		return s
	}
	rel := o.relPath(a)
	errs := make([]report.FileError, len(s.FileErrors))
	for i, fe := range s.FileErrors {
		fe.Path = rel(fe.Path)
		errs[i] = fe
	}
	s.FileErrors = errs
	return s
}

// relPath returns how paths are written for this destination.
func (o output) relPath(a *app) func(string) string {
	root := ""
	switch o.format {
	case "github", "sarif":
		root = a.getenv("GITHUB_WORKSPACE")
	case "gitlab", "codeclimate":
		root = a.getenv("CI_PROJECT_DIR")
	}
	cwd := ""
	if root != "" {
		if wd, err := os.Getwd(); err == nil {
			cwd = wd
		} else {
			root = ""
		}
	}
	return func(p string) string {
		if p == "-" || p == "" {
			return p
		}
		if root == "" {
			if filepath.IsAbs(p) {
				return p
			}
			return filepath.ToSlash(filepath.Clean(p))
		}
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(cwd, p)
		}
		r, err := filepath.Rel(root, abs)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return p
		}
		return filepath.ToSlash(r)
	}
}
