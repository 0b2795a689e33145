package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clipperhouse/displaywidth"

	"github.com/strata-dev/strata/lint"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

// maxExcerptLines caps the source shown under one diagnostic.
const maxExcerptLines = 6

// Text writes each diagnostic as "path:line:col: CODE message", the source
// with a caret under the span, and a help line; then a summary line. A
// clean run prints nothing unless opts.Verbose.
func Text(w io.Writer, results []FileResult, summary Summary, opts Options) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	defer bw.Flush()
	err := renderParallel(bw, results, func(buf *bytes.Buffer, _ int, r FileResult) {
		fp := &textPrinter{w: buf, color: opts.Color}
		for _, d := range r.Diagnostics {
			fp.diagnostic(r.Source, d)
		}
	})
	p := &textPrinter{w: bw, color: opts.Color, err: err}
	if summary.Diagnostics > 0 || opts.Verbose {
		p.summary(summary)
	}
	if err := bw.Flush(); p.err == nil {
		p.err = err
	}
	return p.err
}

type textPrinter struct {
	w     io.Writer
	color bool
	err   error
}

func (p *textPrinter) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *textPrinter) paint(code, s string) string {
	if !p.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func severityColor(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return ansiRed
	case lint.SeverityWarning:
		return ansiYellow
	case lint.SeverityInfo:
		return ansiBlue
	default:
		return ansiCyan
	}
}

func (p *textPrinter) diagnostic(src *lint.Source, d lint.Diagnostic) {
	p.printf("%s:%d:%d: %s %s\n", p.paint(ansiBold, d.File), d.Range.Start.Line, d.Range.Start.Column,
		p.paint(ansiBold+severityColor(d.Severity), d.Code), d.Message)
	if src != nil {
		p.excerpt(src, d)
	}
	if d.Help != "" {
		p.printf("  %s %s\n", p.paint(ansiCyan, "help:"), d.Help)
	}
	if d.Fix != nil && src != nil {
		p.fix(src, d.Fix, d.Help)
	}
}

// fix shows the fix title and the lines as they would read after it.
func (p *textPrinter) fix(src *lint.Source, f *lint.Fix, help string) {
	title := f.Title
	if title == help || title == "" {
		title = "available"
	}
	if f.Kind != "" && f.Kind != lint.FixSafe {
		title += " (" + string(f.Kind) + ")"
	}
	p.printf("  %s %s\n", p.paint(ansiCyan, "fix:"), title)
	if len(f.Edits) == 0 {
		return
	}
	first, last := f.Edits[0].Range.Start.Line, f.Edits[0].Range.End.Line
	for _, e := range f.Edits {
		first = min(first, e.Range.Start.Line)
		last = max(last, e.Range.End.Line)
	}
	if last-first >= maxExcerptLines {
		return
	}
	start, end := src.LineStart(first), src.LineEnd(last)
	var b strings.Builder
	at := start
	for _, e := range f.Edits {
		if e.Range.Start.Offset < at || e.Range.End.Offset > end {
			return // overlapping or out of range: do not guess
		}
		b.Write(src.Data[at:e.Range.Start.Offset])
		b.WriteString(e.NewText)
		at = e.Range.End.Offset
	}
	b.Write(src.Data[at:end])
	width := len(strconv.Itoa(last))
	for i, line := range strings.Split(strings.ReplaceAll(b.String(), "\r\n", "\n"), "\n") {
		p.printf("%*d %s %s\n", width, first+i, p.paint(ansiCyan, "+"), p.paint(ansiCyan, strings.ReplaceAll(line, "\t", "    ")))
	}
}

// excerpt prints the lines of the span with carets under the spanned
// characters. Tabs are shown as four spaces.
func (p *textPrinter) excerpt(src *lint.Source, d lint.Diagnostic) {
	first, last := d.Range.Start.Line, d.Range.End.Line
	if last < first {
		last = first
	}
	if first < 1 || first > src.LineCount() {
		return
	}
	if last > src.LineCount() {
		last = src.LineCount()
	}
	shown := last
	if shown-first+1 > maxExcerptLines {
		shown = first + maxExcerptLines - 1
	}
	width := len(strconv.Itoa(shown))
	gutter := strings.Repeat(" ", width)
	p.printf("%s %s\n", gutter, p.paint(ansiDim, "|"))
	for n := first; n <= shown; n++ {
		line := src.Line(n)
		from, to := 1, utf8.RuneCountInString(line)+1
		if n == first {
			from = d.Range.Start.Column
		} else {
			// continuation lines: underline from the first non-blank
			from += utf8.RuneCountInString(line) - utf8.RuneCountInString(strings.TrimLeft(line, " \t"))
		}
		if n == last {
			to = d.Range.End.Column
		}
		if to <= from {
			to = from + 1
		}
		shownLine, pad, carets := caretLine(line, from, to)
		p.printf("%*d %s %s\n", width, n, p.paint(ansiDim, "|"), shownLine)
		p.printf("%s %s %s%s\n", gutter, p.paint(ansiDim, "|"), pad, p.paint(ansiBold+severityColor(d.Severity), carets))
	}
	if shown < last {
		p.printf("%s %s %s\n", gutter, p.paint(ansiDim, "|"), p.paint(ansiDim, fmt.Sprintf("... %d more lines", last-shown)))
	}
}

// caretLine expands tabs and returns the line, the padding before the
// carets and the carets for columns [from, to). Padding and carets are
// counted in terminal cells, so that they line up under wide (East Asian)
// characters, which take two cells, and zero-width ones (combining marks),
// which take none.
func caretLine(line string, from, to int) (string, string, string) {
	var out, pad, carets strings.Builder
	col := 1
	for _, r := range line {
		text := string(r)
		n := displaywidth.Rune(r)
		if r == '\t' {
			text, n = "    ", 4
		}
		out.WriteString(text)
		switch {
		case col < from:
			pad.WriteString(strings.Repeat(" ", n))
		case col < to:
			carets.WriteString(strings.Repeat("^", n))
		}
		col++
	}
	if carets.Len() == 0 {
		carets.WriteString("^")
	}
	return out.String(), pad.String(), carets.String()
}

func (p *textPrinter) summary(s Summary) {
	if s.Diagnostics == 0 {
		p.printf("%s\n", p.paint(ansiBold, fmt.Sprintf("No problems found in %s.", plural(s.Files, "file"))))
		return
	}
	parts := s.severityCounts()
	where := plural(s.Files, "file")
	if s.FilesWithFindings != s.Files {
		where = fmt.Sprintf("%d of %s", s.FilesWithFindings, where)
	}
	p.printf("%s\n", p.paint(ansiBold, fmt.Sprintf("Found %s (%s) in %s.",
		plural(s.Diagnostics, "problem"), strings.Join(parts, ", "), where)))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
