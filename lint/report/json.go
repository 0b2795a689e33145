package report

import (
	"encoding/json"
	"io"

	"github.com/strata-dev/strata/lint"
)

// jsonDiagnostic is the documented JSON shape of a diagnostic. Lines and
// columns are 1-based; end_column is just past the last character.
type jsonDiagnostic struct {
	File      string   `json:"file"`
	Line      int      `json:"line"`
	Column    int      `json:"column"`
	EndLine   int      `json:"end_line"`
	EndColumn int      `json:"end_column"`
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Severity  string   `json:"severity"`
	Message   string   `json:"message"`
	Help      string   `json:"help,omitempty"`
	URL       string   `json:"url"`
	Fix       *jsonFix `json:"fix,omitempty"`
}

type jsonFix struct {
	Title string     `json:"title"`
	Kind  string     `json:"kind"`
	Edits []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	NewText   string `json:"new_text"`
}

type jsonReport struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     Summary          `json:"summary"`
}

// JSON writes {"diagnostics": [...], "summary": {...}}.
func JSON(w io.Writer, results []FileResult, summary Summary) error {
	out := jsonReport{Diagnostics: []jsonDiagnostic{}, Summary: summary}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			out.Diagnostics = append(out.Diagnostics, toJSON(d))
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func toJSON(d lint.Diagnostic) jsonDiagnostic {
	j := jsonDiagnostic{
		File: d.File, Line: d.Range.Start.Line, Column: d.Range.Start.Column,
		EndLine: d.Range.End.Line, EndColumn: d.Range.End.Column,
		Code: d.Code, Name: d.Name, Severity: d.Severity.String(), Message: d.Message, Help: d.Help, URL: d.URL,
	}
	if d.Fix != nil {
		f := &jsonFix{Title: d.Fix.Title, Kind: string(d.Fix.Kind), Edits: []jsonEdit{}}
		for _, e := range d.Fix.Edits {
			f.Edits = append(f.Edits, jsonEdit{
				Line: e.Range.Start.Line, Column: e.Range.Start.Column,
				EndLine: e.Range.End.Line, EndColumn: e.Range.End.Column, NewText: e.NewText,
			})
		}
		j.Fix = f
	}
	return j
}
