// Package report renders lint results in the formats strata writes.
package report

import (
	"fmt"

	"github.com/strata-dev/strata/lint"
)

// FileResult is the outcome for one linted file.
type FileResult struct {
	Source      *lint.Source
	Diagnostics []lint.Diagnostic
}

// Summary counts the findings of a run.
type Summary struct {
	Files       int `json:"files"`
	Diagnostics int `json:"diagnostics"`
	Errors      int `json:"errors"`
	Warnings    int `json:"warnings"`
	Info        int `json:"info"`
	Style       int `json:"style"`
	// FilesWithFindings counts files with at least one diagnostic.
	FilesWithFindings int `json:"files_with_findings"`
	// Threshold is the failure threshold the run used.
	Threshold string `json:"failure_threshold"`
	// Failed is true when a finding is at or above the threshold.
	Failed bool `json:"failed"`
	// FileErrors are the files named for linting that could not be read
	// (the run exits 2); the formats that can say so list them (JSON in
	// the summary's "unreadable", JUnit as errored test cases, SARIF as
	// failed-invocation notifications).
	FileErrors []FileError `json:"unreadable,omitempty"`
}

// FileError is a file that could not be linted, and why.
type FileError struct {
	Path    string `json:"file"`
	Message string `json:"error"`
}

// Summarize counts results against a failure threshold.
func Summarize(results []FileResult, threshold lint.Threshold) Summary {
	s := Summary{Files: len(results), Threshold: threshold.String()}
	for _, r := range results {
		if len(r.Diagnostics) > 0 {
			s.FilesWithFindings++
		}
		for _, d := range r.Diagnostics {
			s.Diagnostics++
			switch d.Severity {
			case lint.SeverityError:
				s.Errors++
			case lint.SeverityWarning:
				s.Warnings++
			case lint.SeverityInfo:
				s.Info++
			case lint.SeverityStyle:
				s.Style++
			}
			if threshold.Fails(d.Severity) {
				s.Failed = true
			}
		}
	}
	return s
}

// Options tune the formats.
type Options struct {
	// Color and Verbose tune the human-readable text format.
	Color   bool
	Verbose bool
	// Version is strata's version, recorded by the formats that name the
	// tool that wrote them (SARIF).
	Version string
}

// severityCounts lists the non-zero severity counts as "1 error, 2 warnings".
func (s Summary) severityCounts() []string {
	var parts []string
	for _, c := range []struct {
		n    int
		name string
	}{{s.Errors, "error"}, {s.Warnings, "warning"}, {s.Info, "info"}, {s.Style, "style"}} {
		if c.n > 0 {
			if c.name == "info" || c.name == "style" {
				parts = append(parts, fmt.Sprintf("%d %s", c.n, c.name))
			} else {
				parts = append(parts, plural(c.n, c.name))
			}
		}
	}
	return parts
}
