package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// GitHub writes one workflow command per diagnostic, which the Actions
// runner turns into an annotation on the file and lines:
//
//	::warning file=Dockerfile,line=2,col=6,endLine=2,endColumn=12,title=DL3006::message
//
// Info and style findings are notices. The message carries the help and
// the rule's docs link on further lines.
func GitHub(w io.Writer, results []FileResult, _ Summary, _ Options) error {
	p := &textPrinter{w: w}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			props := []string{"file=" + ghProperty(d.File)}
			if d.Range.Start.Line > 0 {
				props = append(props,
					fmt.Sprintf("line=%d", d.Range.Start.Line),
					fmt.Sprintf("col=%d", d.Range.Start.Column),
					fmt.Sprintf("endLine=%d", max(d.Range.End.Line, d.Range.Start.Line)),
					fmt.Sprintf("endColumn=%d", d.Range.End.Column))
			}
			props = append(props, "title="+ghProperty(d.Code))
			msg := messageWithHelp(d)
			if d.URL != "" {
				msg += "\n" + d.URL
			}
			p.printf("::%s %s::%s\n", githubLevel(d.Severity), strings.Join(props, ","), ghData(msg))
		}
	}
	return p.err
}

func githubLevel(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return "error"
	case lint.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// ghData escapes a workflow command's message, as the Actions toolkit does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
