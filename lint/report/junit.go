package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// JUnit writes JUnit XML with one test case per linted file, so that CI
// test views (GitLab, Jenkins, Azure DevOps) list each Dockerfile as passed
// or failed. A file fails when it has a finding at or above the failure
// threshold; the failure's body lists every finding of the file, and the
// findings below the threshold of a passing file go to its system-out. A
// file that could not be read is a test case in error.
func JUnit(w io.Writer, results []FileResult, summary Summary, _ Options) error {
	threshold, err := lint.ParseThreshold(summary.Threshold)
	if err != nil {
		threshold = lint.DefaultThreshold
	}
	tests, failures := 0, 0
	var cases strings.Builder
	x := &xmlWriter{}
	for _, r := range results {
		if r.Source == nil {
			continue
		}
		tests++
		name := x.esc(r.Source.Path)
		worst, failed := lint.SeverityOff, false
		for _, d := range r.Diagnostics {
			worst = max(worst, d.Severity)
			failed = failed || threshold.Fails(d.Severity)
		}
		if len(r.Diagnostics) == 0 {
			fmt.Fprintf(&cases, "    <testcase classname=\"strata.lint\" name=\"%s\" file=\"%s\"/>\n", name, name)
			continue
		}
		var body strings.Builder
		for _, d := range r.Diagnostics {
			fmt.Fprintf(&body, "%s:%d:%d: %s %s: %s\n", d.File, d.Range.Start.Line, d.Range.Start.Column, d.Code, d.Severity, d.Message)
			if d.Help != "" {
				fmt.Fprintf(&body, "  help: %s\n", d.Help)
			}
			if d.URL != "" {
				fmt.Fprintf(&body, "  docs: %s\n", d.URL)
			}
		}
		fmt.Fprintf(&cases, "    <testcase classname=\"strata.lint\" name=\"%s\" file=\"%s\">\n", name, name)
		if failed {
			failures++
			s := Summarize([]FileResult{r}, threshold)
			msg := fmt.Sprintf("%s (%s)", plural(s.Diagnostics, "problem"), strings.Join(s.severityCounts(), ", "))
			fmt.Fprintf(&cases, "      <failure message=\"%s\" type=\"%s\">%s</failure>\n", x.esc(msg), worst, x.escText(body.String()))
		} else {
			fmt.Fprintf(&cases, "      <system-out>%s</system-out>\n", x.escText(body.String()))
		}
		cases.WriteString("    </testcase>\n")
	}
	// A file that could not be read is a test case in error: the run did
	// not check it.
	errs := 0
	for _, fe := range summary.FileErrors {
		tests++
		errs++
		name := x.esc(fe.Path)
		fmt.Fprintf(&cases, "    <testcase classname=\"strata.lint\" name=\"%s\" file=\"%s\">\n", name, name)
		fmt.Fprintf(&cases, "      <error message=\"%s\" type=\"read-error\">%s</error>\n", x.esc(fe.Message), x.escText(fe.Message+"\n"))
		cases.WriteString("    </testcase>\n")
	}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(fmt.Sprintf(`<testsuites name="strata lint" tests="%d" failures="%d" errors="%d">`+"\n", tests, failures, errs))
	x.raw(fmt.Sprintf(`  <testsuite name="strata lint" tests="%d" failures="%d" errors="%d" skipped="0">`+"\n", tests, failures, errs))
	x.raw(cases.String())
	x.raw("  </testsuite>\n</testsuites>\n")
	_, err = w.Write(x.buf.Bytes())
	return err
}
