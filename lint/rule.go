package lint

import (
	"fmt"
	"strings"
)

// Severity orders findings; higher is more severe.
type Severity int

// Severities from least to most severe. SeverityOff disables a rule.
const (
	SeverityOff Severity = iota
	SeverityStyle
	SeverityInfo
	SeverityWarning
	SeverityError
)

var severityNames = [...]string{"off", "style", "info", "warning", "error"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity accepts error, warning, info, style and off (or its
// hadolint spellings ignore and none).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return SeverityError, nil
	case "warning":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	case "style":
		return SeverityStyle, nil
	case "off", "ignore", "none":
		return SeverityOff, nil
	}
	return SeverityOff, fmt.Errorf("unknown severity %q (want error, warning, info, style or off)", s)
}

// MarshalText renders the severity by name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Origin says where a rule comes from.
type Origin string

// Origins of rules.
const (
	OriginHadolint   Origin = "hadolint"
	OriginBuildKit   Origin = "buildkit"
	OriginShellCheck Origin = "shellcheck"
	OriginStrata     Origin = "strata"
)

// Status is a rule's stability.
type Status string

// Rule statuses: preview rules run only with --preview.
const (
	StatusStable  Status = "stable"
	StatusPreview Status = "preview"
)

// FixKind says whether a rule can fix what it reports.
type FixKind string

// Fix kinds, as in ruff: Safe fixes keep behaviour, Unsafe may change it,
// Display fixes are shown but never applied.
const (
	FixNone    FixKind = ""
	FixSafe    FixKind = "safe"
	FixUnsafe  FixKind = "unsafe"
	FixDisplay FixKind = "display"
)

// Docs is a rule's documentation, rendered by `strata rules CODE` and into
// docs/rules/CODE.md. Each field is Markdown.
type Docs struct {
	// What the rule reports.
	What string
	// Why it is bad.
	Why string
	// Fix explains how to fix a finding.
	Fix string
	// Differences from hadolint or BuildKit, when we deliberately differ.
	Differences string
	// Peers names equivalent rules in other tools (Trivy, Checkov, ...).
	Peers string
}

// Example is a Dockerfile that runs as a test. A bad example lists where
// the rule must report (Want, as "LINE:COL" of each diagnostic's start, in
// order); a good example has no Want and must produce no diagnostic of the
// rule.
type Example struct {
	Title      string
	Dockerfile string
	Want       []string
	// Fixed is the Dockerfile after applying every fix (bad examples of
	// rules with fixes).
	Fixed string
	// Config is a YAML configuration the example runs with.
	Config string
	// Context maps file names to contents for a build context.
	Context map[string]string
}

// Rule is one check. Rules are plain values; Check reports only through
// the Pass.
type Rule struct {
	Code     string // DL3006, FromAsCasing, ST1001
	Name     string // kebab-case
	Summary  string
	Severity Severity
	Origin   Origin
	Status   Status
	Since    string // version the rule arrived in
	// DefaultOff rules run only when selected by exact code or given a
	// severity override (hadolint's DL1001 and DL3057).
	DefaultOff bool
	// Experimental rules (BuildKit's) also run when the # check directive's
	// experimental= names them.
	Experimental bool
	Fix          FixKind
	Docs         Docs
	Examples     []Example
	// NeedsContext rules run only when a build context is known.
	NeedsContext bool
	Check        func(*Pass)
}

// DocsBaseURL is where the rule pages are published; each diagnostic's URL
// is derived from it and the code.
const DocsBaseURL = "https://github.com/strata-dev/strata/blob/main/docs/rules/"

// URL is the documentation page of the rule.
func (r *Rule) URL() string { return DocsBaseURL + r.Code + ".md" }

// Diagnostic is one finding.
type Diagnostic struct {
	File     string
	Range    Range
	Code     string
	Name     string
	Severity Severity
	Message  string
	// Help says what to do, when a fix is known.
	Help string
	Fix  *Fix
	URL  string

	rule   *Rule
	anchor int // line used to match suppressions: the instruction's first line
}

// Fix is a set of edits that resolves a diagnostic.
type Fix struct {
	Title string
	Kind  FixKind
	Edits []Edit
}

// Edit replaces the bytes of Range with NewText.
type Edit struct {
	Range   Range
	NewText string
}

// Rule returns the rule that produced the diagnostic.
func (d *Diagnostic) Rule() *Rule { return d.rule }
