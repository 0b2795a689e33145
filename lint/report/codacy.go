package report

import (
	"encoding/json"
	"io"
)

type codacyIssue struct {
	Filename  string `json:"filename"`
	Message   string `json:"message"`
	PatternID string `json:"patternId"`
	Line      int    `json:"line"`
}

// Codacy writes Codacy's tool result format, as hadolint does: one JSON
// object per line with filename, message, patternId (the code) and line.
func Codacy(w io.Writer, results []FileResult, _ Summary, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if err := enc.Encode(codacyIssue{Filename: d.File, Message: d.Message, PatternID: d.Code, Line: max(d.Range.Start.Line, 1)}); err != nil {
				return err
			}
		}
	}
	return nil
}
