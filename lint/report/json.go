package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"

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

// JSON writes {"diagnostics": [...], "summary": {...}}, indented by two
// spaces. Diagnostics are written one by one by hand (encoding/json's
// indenting pass over a whole corpus run costs a second); the output is
// byte for byte what encoding/json would write (jsonReport, SetIndent("",
// "  "), no HTML escaping), which TestJSONMatchesEncodingJSON checks.
func JSON(w io.Writer, results []FileResult, summary Summary) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	// The first diagnostic opens the array; every other one is preceded by
	// a comma. Which file holds the first is known before rendering.
	first := -1
	for i, r := range results {
		if len(r.Diagnostics) > 0 {
			first = i
			break
		}
	}
	err := renderParallel(bw, results, func(buf *bytes.Buffer, i int, r FileResult) {
		b := make([]byte, 0, 1024)
		for k, d := range r.Diagnostics {
			b = b[:0]
			if i == first && k == 0 {
				b = append(b, "{\n  \"diagnostics\": [\n"...)
			} else {
				b = append(b, ",\n"...)
			}
			buf.Write(appendDiagnostic(b, toJSON(d)))
		}
	})
	if err != nil {
		return err
	}
	if first < 0 {
		_, _ = bw.WriteString("{\n  \"diagnostics\": [],\n") // bufio keeps the first error for Flush
	} else {
		_, _ = bw.WriteString("\n  ],\n")
	}
	var sum bytes.Buffer
	enc := json.NewEncoder(&sum)
	enc.SetIndent("  ", "  ")
	enc.SetEscapeHTML(false) // as the diagnostics: paths may hold <, > and &
	if err := enc.Encode(summary); err != nil {
		return err
	}
	_, _ = bw.WriteString("  \"summary\": ")
	_, _ = bw.Write(bytes.TrimSuffix(sum.Bytes(), []byte("\n")))
	_, _ = bw.WriteString("\n}\n")
	return bw.Flush()
}

// appendDiagnostic writes one diagnostic at the indentation of an element
// of the diagnostics array.
func appendDiagnostic(b []byte, d jsonDiagnostic) []byte {
	b = append(b, "    {\n"...)
	b = jsonField(b, 6, "file", d.File, true)
	b = jsonInt(b, 6, "line", d.Line)
	b = jsonInt(b, 6, "column", d.Column)
	b = jsonInt(b, 6, "end_line", d.EndLine)
	b = jsonInt(b, 6, "end_column", d.EndColumn)
	b = jsonField(b, 6, "code", d.Code, true)
	b = jsonField(b, 6, "name", d.Name, true)
	b = jsonField(b, 6, "severity", d.Severity, true)
	b = jsonField(b, 6, "message", d.Message, true)
	if d.Help != "" {
		b = jsonField(b, 6, "help", d.Help, true)
	}
	b = jsonField(b, 6, "url", d.URL, d.Fix != nil)
	if d.Fix != nil {
		b = append(b, `      "fix": {`+"\n"...)
		b = jsonField(b, 8, "title", d.Fix.Title, true)
		b = jsonField(b, 8, "kind", d.Fix.Kind, true)
		if len(d.Fix.Edits) == 0 {
			b = append(b, `        "edits": []`+"\n"...)
		} else {
			b = append(b, `        "edits": [`+"\n"...)
			for i, e := range d.Fix.Edits {
				b = append(b, "          {\n"...)
				b = jsonInt(b, 12, "line", e.Line)
				b = jsonInt(b, 12, "column", e.Column)
				b = jsonInt(b, 12, "end_line", e.EndLine)
				b = jsonInt(b, 12, "end_column", e.EndColumn)
				b = jsonField(b, 12, "new_text", e.NewText, false)
				b = append(b, "          }"...)
				if i < len(d.Fix.Edits)-1 {
					b = append(b, ',')
				}
				b = append(b, '\n')
			}
			b = append(b, "        ]\n"...)
		}
		b = append(b, "      }\n"...)
	}
	return append(b, "    }"...)
}

func jsonKey(b []byte, indent int, key string) []byte {
	for i := 0; i < indent; i++ {
		b = append(b, ' ')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, `": `...)
}

func jsonField(b []byte, indent int, key, value string, comma bool) []byte {
	b = appendJSONString(jsonKey(b, indent, key), value)
	if comma {
		b = append(b, ',')
	}
	return append(b, '\n')
}

func jsonInt(b []byte, indent int, key string, v int) []byte {
	b = strconv.AppendInt(jsonKey(b, indent, key), int64(v), 10)
	return append(b, ",\n"...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does without HTML escaping:
// control characters escaped, invalid UTF-8 replaced by U+FFFD, U+2028
// and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
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
