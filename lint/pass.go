package lint

import (
	"fmt"
	"sync"
)

// Pass is what a rule's Check sees: one file, the settings, and a way to
// report.
type Pass struct {
	File     *File
	Rule     *Rule
	Settings *Settings
	// Context is the build context, when one is known (nil otherwise).
	Context *BuildContext

	severity Severity
	out      *[]Diagnostic
}

// Finding is what a rule reports. At is the instruction the finding is
// about (it anchors suppression comments); Range defaults to At's range.
type Finding struct {
	At      *Instruction
	Range   Range
	Message string
	Help    string
	Fix     *Fix
}

// Report records a finding.
func (p *Pass) Report(f Finding) {
	d := Diagnostic{Range: f.Range, Message: f.Message, Help: f.Help, Fix: f.Fix}
	if f.At != nil {
		if d.Range.IsZero() {
			d.Range = f.At.Range()
		}
		d.anchor = f.At.StartLine
		if f.At.Outer != nil {
			d.anchor = f.At.Outer.StartLine
		}
	}
	if d.Range.IsZero() {
		d.Range = p.File.Source.LineRange(1, 1)
	}
	if d.anchor == 0 {
		d.anchor = d.Range.Start.Line
	}
	r := p.Rule
	d.File = p.File.Source.Path
	d.Code, d.Name, d.Severity, d.URL, d.rule = r.Code, r.Name, p.severity, r.URL(), r
	if d.Fix != nil && d.Fix.Kind == FixNone {
		d.Fix.Kind = r.Fix
	}
	*p.out = append(*p.out, d)
}

// Reportf reports a finding on an instruction's range r (or the whole
// instruction when r is zero).
func (p *Pass) Reportf(at *Instruction, r Range, format string, args ...any) {
	p.Report(Finding{At: at, Range: r, Message: fmt.Sprintf(format, args...)})
}

// Settings are the rule options from the configuration.
type Settings struct {
	// TrustedRegistries enables DL3026.
	TrustedRegistries []string
	// LabelSchema maps label names to their type (DL3049-DL3058).
	LabelSchema []LabelSpec
	// StrictLabels enables DL3050.
	StrictLabels bool
	// ContextBudget is the largest build context, in bytes, before the
	// oversized-context rule reports.
	ContextBudget int64
}

// LabelSpec is one entry of the label schema.
type LabelSpec struct {
	Name string
	Type string // text, url, semver, hash, rfc3339, spdx, email
}

// BuildContext is the directory sent to the builder (see context.go).
type BuildContext struct {
	// Dir is the context's root directory.
	Dir string

	ignores sync.Map // Dockerfile path -> *ignoreEntry
	indexes sync.Map // ignore file ("" for none) -> *indexEntry
}
