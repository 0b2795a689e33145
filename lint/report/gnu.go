package report

import (
	"io"

	"github.com/strata-dev/strata/lint"
)

// GNU writes one line per diagnostic in the GNU error format that editors
// (Emacs compilation mode, Vim's quickfix) and many CI log parsers read:
//
//	Dockerfile:2:6: warning: base image debian has no tag [DL3006]
//
// Style findings are written as "note" so that editors treat them as
// informational, as they do "info".
func GNU(w io.Writer, results []FileResult, _ Summary, _ Options) error {
	p := &textPrinter{w: w}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			p.printf("%s:%d:%d: %s: %s [%s]\n", d.File, d.Range.Start.Line, d.Range.Start.Column, gnuSeverity(d.Severity), d.Message, d.Code)
		}
	}
	return p.err
}

func gnuSeverity(s lint.Severity) string {
	if s == lint.SeverityStyle {
		return "note"
	}
	return s.String()
}
