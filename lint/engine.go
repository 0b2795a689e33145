package lint

import (
	"context"

	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"fmt"
	"runtime/debug"
	"sort"
	"strings"
)

// Options select and tune the rules of a run. The CLI merges its flags
// over the configuration file to build them.
type Options struct {
	// Select limits the run to rules whose code or name matches (exactly
	// or by prefix). Empty means every rule that is on by default.
	Select []string
	// Ignore turns matching rules off. It wins over Select.
	Ignore []string
	// Severity overrides a rule's severity; SeverityOff disables it. An
	// override also turns on a rule that is off by default.
	Severity map[string]Severity
	// Preview enables preview rules.
	Preview bool
	// DisableIgnorePragma ignores all suppression comments.
	DisableIgnorePragma bool
	Settings            Settings
	// Context is the build context, when known.
	Context *BuildContext
	// ShellCheck runs ShellCheck on RUN scripts; nil turns it off.
	ShellCheck *ShellCheck
}

// Linter runs a fixed set of rules over files. It is safe for concurrent
// use: Lint keeps no state between files.
type Linter struct {
	registry map[string]*Rule
	rules    []*Rule             // enabled, in registry order
	severity map[string]Severity // effective severity of every enabled rule
	opts     Options
}

// Result is the outcome of linting one file.
type Result struct {
	File        *File
	Diagnostics []Diagnostic
	// RuleErrors are internal failures of rules (bugs); the other rules
	// still ran.
	RuleErrors []error

	linter    *Linter
	pending   []Diagnostic // before suppression, between Check and Finish
	shellJobs []*shellJob  // scripts waiting for RunShellCheck
	check     checkDirective
	// checkSkipped are the findings of rules that check=skip names: they
	// are dropped, and mark the entry used.
	checkSkipped []Diagnostic
	// shellCheckFailed is set when ShellCheck did not run successfully on
	// some script of the file: the silence of SC codes then means nothing.
	shellCheckFailed bool
}

// New prepares a linter for the given registry and options.
func New(registry []*Rule, opts Options) *Linter {
	l := &Linter{registry: map[string]*Rule{}, severity: map[string]Severity{}, opts: opts}
	var all []*Rule
	for _, r := range append(Builtins(), registry...) {
		if l.registry[r.Code] == nil {
			l.registry[r.Code] = r
			all = append(all, r)
		}
	}
	for _, r := range all {
		if sev, on := l.enabled(r); on {
			l.rules = append(l.rules, r)
			l.severity[r.Code] = sev
		}
	}
	return l
}

// Rules returns the enabled rules.
func (l *Linter) Rules() []*Rule { return l.rules }

// Enabled reports whether the rule with this code runs.
func (l *Linter) Enabled(code string) bool {
	_, ok := l.severity[code]
	return ok
}

// Lookup finds a rule of the registry by code.
func (l *Linter) Lookup(code string) *Rule { return l.registry[code] }

// matches reports whether a selector (code, prefix or name) picks the rule,
// and whether it names it exactly.
func matches(sel string, r *Rule) (match, exact bool) {
	s := strings.TrimSpace(sel)
	switch {
	case strings.EqualFold(s, "ALL"):
		return true, false
	case s == r.Code || strings.EqualFold(s, r.Name):
		return true, true
	case s != "" && strings.HasPrefix(r.Code, s):
		return true, false
	}
	return false, false
}

func anyMatch(sels []string, r *Rule) (match, exact bool) {
	for _, s := range sels {
		m, e := matches(s, r)
		if e {
			return true, true
		}
		match = match || m
	}
	return match, false
}

func (l *Linter) enabled(r *Rule) (Severity, bool) {
	if m, _ := anyMatch(l.opts.Ignore, r); m {
		return SeverityOff, false
	}
	sev, overridden := l.opts.Severity[r.Code]
	if !overridden {
		sev = r.Severity
	}
	if sev == SeverityOff {
		return SeverityOff, false
	}
	selected, exact := true, false
	if len(l.opts.Select) > 0 {
		selected, exact = anyMatch(l.opts.Select, r)
		if r == ShellCheckRule {
			// --select SC2086 runs ShellCheck and keeps only that code.
			for _, sel := range l.opts.Select {
				selected = selected || strings.HasPrefix(strings.TrimSpace(sel), r.Code)
			}
		}
	}
	if !selected {
		return SeverityOff, false
	}
	if r.Status == StatusPreview && !l.opts.Preview && !exact && !overridden {
		return SeverityOff, false
	}
	if (r.DefaultOff || r.Experimental) && !exact && !overridden {
		return SeverityOff, false
	}
	if r.NeedsContext && l.opts.Context == nil {
		return SeverityOff, false
	}
	if r == ShellCheckRule && l.opts.ShellCheck == nil {
		return SeverityOff, false
	}
	return sev, true
}

// Lint parses and lints one file, ShellCheck included.
func (l *Linter) Lint(src *Source) *Result {
	res := l.Check(src)
	if err := RunShellCheck(context.Background(), l.opts.ShellCheck, []*Result{res}); err != nil {
		res.RuleErrors = append(res.RuleErrors, err)
	}
	l.Finish(res)
	return res
}

// Check parses a file and runs the rules over it. Finish must follow, after
// RunShellCheck when many files share ShellCheck processes.
func (l *Linter) Check(src *Source) *Result {
	f := Parse(src)
	res := &Result{File: f, linter: l, check: parseCheckDirective(f)}
	pass := &Pass{File: f, Settings: &l.opts.Settings, Context: l.opts.Context, out: &res.pending}
	for _, r := range l.rules {
		sev := l.severity[r.Code]
		if res.check.errorAll && r.Origin == OriginBuildKit {
			sev = SeverityError
		}
		switch l.checkSkips(res.check, r) {
		case skipAll:
			continue
		case skipNamed:
			// A rule named by check=skip still runs, into a list of its
			// own that Finish drops, so that an entry skipping nothing
			// can be reported unused (ST0001).
			pass.out = &res.checkSkipped
			err := l.run(pass, r, sev)
			pass.out = &res.pending
			if err != nil {
				res.RuleErrors = append(res.RuleErrors, err)
			}
			continue
		}
		if err := l.run(pass, r, sev); err != nil {
			res.RuleErrors = append(res.RuleErrors, err)
		}
	}
	for _, r := range res.check.experimental(l) {
		if err := l.run(pass, r, r.Severity); err != nil {
			res.RuleErrors = append(res.RuleErrors, err)
		}
	}
	if _, on := l.severity[ShellCheckRule.Code]; on {
		// check=skip=SC (or SCxxxx) is applied to the findings in Finish.
		res.shellJobs = collectShellJobs(res)
	}
	return res
}

// Finish applies per-code selection, severities and suppressions, and
// sorts the diagnostics.
func (l *Linter) Finish(res *Result) {
	for _, d := range res.checkSkipped {
		if d.rule != nil {
			res.check.use(d.rule.Code)
		}
		res.check.use(d.Code)
	}
	res.checkSkipped = nil
	skipSC := l.checkSkips(res.check, ShellCheckRule) == skipNamed
	diags := res.pending[:0]
	for _, d := range res.pending {
		if d.rule == ShellCheckRule {
			sev, ok := l.familyCode(d.Code, d.Severity)
			if !ok {
				continue
			}
			if skipSC || (res.check.skip[d.Code] && !l.opts.DisableIgnorePragma) {
				if skipSC {
					res.check.use(ShellCheckRule.Code)
				} else {
					res.check.use(d.Code)
				}
				continue
			}
			d.Severity = sev
		}
		d.File = res.File.Source.Path
		diags = append(diags, d)
	}
	diags = l.suppress(res, diags)
	sortDiagnostics(diags)
	res.Diagnostics = diags
	res.pending = nil
}

// familyCode applies --select, --ignore and overrides to one code of a
// rule family (ShellCheck's SCxxxx) and returns its severity.
func (l *Linter) familyCode(code string, sev Severity) (Severity, bool) {
	for _, s := range l.opts.Ignore {
		if s = strings.TrimSpace(s); s != "" && strings.HasPrefix(code, s) {
			return sev, false
		}
	}
	if len(l.opts.Select) > 0 {
		ok := false
		for _, s := range l.opts.Select {
			s = strings.TrimSpace(s)
			if strings.EqualFold(s, "ALL") || (s != "" && (strings.HasPrefix(code, s) || strings.HasPrefix(ShellCheckRule.Code, s))) {
				ok = true
			}
		}
		if !ok {
			return sev, false
		}
	}
	if o, ok := l.opts.Severity[code]; ok {
		if o == SeverityOff {
			return sev, false
		}
		return o, true
	}
	if o, ok := l.opts.Severity[ShellCheckRule.Code]; ok {
		return o, true
	}
	return sev, true
}

// run runs one rule with pass, which is reused for every rule of a file.
func (l *Linter) run(pass *Pass, r *Rule, sev Severity) (err error) {
	if r.Check == nil {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("rule %s panicked on %s: %v\n%s", r.Code, pass.File.Source.Path, p, debug.Stack())
		}
	}()
	pass.Rule, pass.severity = r, sev
	r.Check(pass)
	return nil
}

func sortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Range.Start, ds[j].Range.Start
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return ds[i].Code < ds[j].Code
	})
}

// checkDirective is BuildKit's "# check=skip=A,B;error=true;experimental=C".
type checkDirective struct {
	skipAll  bool
	skip     map[string]bool
	errorAll bool
	exp      []string
	expAll   bool
	// entries are the names of skip=, where they are written, for the
	// unknown (ST0002) and unused (ST0001) reports; line is the
	// directive's line.
	entries []checkEntry
	line    int
	used    map[string]bool
}

type checkEntry struct {
	code string
	at   Range
}

func (c *checkDirective) use(code string) {
	if c.used == nil {
		c.used = map[string]bool{}
	}
	c.used[code] = true
}

// parseCheckDirective reads "# check=" exactly as BuildKit does (its own
// parser: first lines only, a shebang skipped, no indentation). A
// directive BuildKit would reject is reported as a parse error and applies
// nothing.
func parseCheckDirective(f *File) checkDirective {
	var c checkDirective
	_, v, rng, ok := parser.ParseDirective("check", f.Source.Data)
	if !ok {
		return c
	}
	v, _, _ = strings.Cut(v, " ")
	line := 1
	if len(rng) > 0 {
		line = rng[0].Start.Line
	}
	cfg, err := linter.ParseLintOptions(v)
	if err != nil {
		f.ParseErrors = append(f.ParseErrors, ParseError{
			Range:   f.Source.LineRange(line, line),
			Message: "invalid # check directive: " + cleanError(err) + " (BuildKit refuses to build this file)",
		})
		return c
	}
	c.line = line
	c.skipAll, c.errorAll, c.expAll, c.exp = cfg.SkipAll, cfg.ReturnAsError, cfg.ExperimentalAll, cfg.ExperimentalRules
	for _, code := range cfg.SkipRules {
		if code != "" {
			if c.skip == nil {
				c.skip = map[string]bool{}
			}
			c.skip[code] = true
		}
	}
	c.entries = checkSkipEntries(f.Source, line, v)
	return c
}

// checkSkipEntries locates the names of the skip= option of a check
// directive whose value v is written on line.
func checkSkipEntries(src *Source, line int, v string) []checkEntry {
	text := src.Line(line)
	at := strings.Index(text, v)
	if at < 0 || v == "" {
		return nil
	}
	base := src.LineStart(line) + at
	var out []checkEntry
	off := 0
	for _, part := range strings.SplitN(v, ";", 3) {
		k, val, ok := strings.Cut(part, "=")
		if ok && strings.TrimSpace(k) == "skip" && strings.TrimSpace(val) != "all" {
			valAt := off + len(k) + 1
			for _, name := range strings.Split(val, ",") {
				trimmed := strings.TrimSpace(name)
				if trimmed != "" {
					start := base + valAt + strings.Index(name, trimmed)
					out = append(out, checkEntry{code: trimmed, at: src.Range(start, start+len(trimmed))})
				}
				valAt += len(name) + 1
			}
		}
		off += len(part) + 1
	}
	return out
}

// How a check directive turns a rule off.
const (
	skipNone  = iota
	skipAll   // skip=all: BuildKit's checks do not run at all
	skipNamed // skip=NAME: the rule runs, its findings are dropped
)

// checkSkips says whether, and how, the directive turns r off: skip=all
// covers the checks BuildKit owns; a named code covers any rule, but a
// name of a rule BuildKit does not own is a strata suppression, which
// --disable-ignore-pragma turns off (BuildKit honours its own names
// whatever strata is told).
func (l *Linter) checkSkips(c checkDirective, r *Rule) int {
	if r.Experimental {
		return skipNone // as in BuildKit, experimental rules ignore skip=
	}
	if c.skipAll && r.Origin == OriginBuildKit {
		return skipAll
	}
	if c.skip[r.Code] && (r.Origin == OriginBuildKit || !l.opts.DisableIgnorePragma) {
		return skipNamed
	}
	return skipNone
}

// experimental returns the experimental rules the directive turns on that
// are not already enabled.
func (c checkDirective) experimental(l *Linter) []*Rule {
	if !c.expAll && len(c.exp) == 0 {
		return nil
	}
	var out []*Rule
	for _, r := range l.registry {
		// As in BuildKit, skip= never turns an experimental rule off.
		if _, on := l.severity[r.Code]; !r.Experimental || on {
			continue
		}
		if m, _ := anyMatch(l.opts.Ignore, r); m {
			continue
		}
		if c.expAll || containsString(c.exp, r.Code) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
