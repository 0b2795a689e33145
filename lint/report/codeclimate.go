package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/strata-dev/strata/lint"
)

// Code Climate issues, as read by Code Climate engines' hosts and, as a
// JSON array, by GitLab's Code Quality report.

type ccIssue struct {
	Type        string     `json:"type"`
	CheckName   string     `json:"check_name"`
	Description string     `json:"description"`
	Content     *ccContent `json:"content,omitempty"`
	Categories  []string   `json:"categories"`
	Location    ccLocation `json:"location"`
	Severity    string     `json:"severity"`
	Fingerprint string     `json:"fingerprint"`
}

type ccContent struct {
	Body string `json:"body"`
}

type ccLocation struct {
	Path      string       `json:"path"`
	Lines     *ccLines     `json:"lines,omitempty"`
	Positions *ccPositions `json:"positions,omitempty"`
}

type ccLines struct {
	Begin int `json:"begin"`
	End   int `json:"end"`
}

type ccPositions struct {
	Begin ccPosition `json:"begin"`
	End   ccPosition `json:"end"`
}

type ccPosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// ccIssues converts every diagnostic; positions chooses line:column
// positions (Code Climate) over line ranges (GitLab reads lines).
func ccIssues(results []FileResult, positions bool) []ccIssue {
	out := []ccIssue{}
	for _, r := range results {
		prints := fingerprints(r)
		for i, d := range r.Diagnostics {
			is := ccIssue{
				Type: "issue", CheckName: d.Code, Description: d.Message,
				Categories: []string{ccCategory(d.Severity)},
				Location:   ccLocation{Path: d.File},
				Severity:   ccSeverity(d.Severity), Fingerprint: prints[i],
			}
			if body := helpMarkdown(d); body != "" {
				is.Content = &ccContent{Body: body}
			}
			begin, end := max(d.Range.Start.Line, 1), max(d.Range.End.Line, d.Range.Start.Line, 1)
			if positions {
				is.Location.Positions = &ccPositions{
					Begin: ccPosition{Line: begin, Column: max(d.Range.Start.Column, 1)},
					End:   ccPosition{Line: end, Column: max(d.Range.End.Column, 1)},
				}
			} else {
				is.Location.Lines = &ccLines{Begin: begin, End: end}
			}
			out = append(out, is)
		}
	}
	return out
}

// GitLab writes a GitLab Code Quality report: one JSON array of Code
// Climate issues, each with a fingerprint that survives unrelated edits.
func GitLab(w io.Writer, results []FileResult, _ Summary, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(ccIssues(results, false))
}

// CodeClimate writes Code Climate engine output: each issue as a JSON
// document followed by a NUL byte, as the engine specification asks.
func CodeClimate(w io.Writer, results []FileResult, _ Summary, _ Options) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, is := range ccIssues(results, true) {
		if err := enc.Encode(is); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		buf.WriteByte(0)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ccSeverity maps severities onto Code Climate's scale, keeping their order:
// info < minor < major < critical < blocker.
func ccSeverity(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return "critical"
	case lint.SeverityWarning:
		return "major"
	case lint.SeverityInfo:
		return "minor"
	}
	return "info"
}

func ccCategory(s lint.Severity) string {
	if s == lint.SeverityStyle {
		return "Style"
	}
	return "Bug Risk"
}

// helpMarkdown is the help line and the docs link, as Markdown.
func helpMarkdown(d lint.Diagnostic) string {
	body := d.Help
	if d.URL != "" {
		if body != "" {
			body += "\n\n"
		}
		body += "[" + d.Code + "](" + d.URL + ")"
	}
	return body
}
