package lint

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	dfparser "github.com/strata-dev/strata/internal/dockerfile/parser"
)

// maxLine is the longest line BuildKit's scanner accepts, counting a CR
// before the LF (and a BOM on line 1).
const maxLine = bufio.MaxScanTokenSize - 1

// maxRecoveries bounds how many broken instructions are cut out of a file
// before the rest of it is given up on.
const maxRecoveries = 64

// ParseError is a part of a Dockerfile that does not parse. The engine
// reports each one as DL1000 and lints everything else.
type ParseError struct {
	Range   Range
	Message string
}

// Parse builds the model of a Dockerfile. It never fails: a broken
// instruction becomes a ParseError and every other instruction is still
// parsed, typed and linted.
func Parse(src *Source) *File {
	f := &File{Source: src, Escape: parser.DefaultEscapeToken}

	// work is the text handed to the parser: the source with every line
	// that is too long for BuildKit's scanner emptied, then with each broken
	// instruction blanked out in turn. It keeps the source's line numbers;
	// ws indexes its lines.
	work, ws := src.Data, src
	var long []int
	for n := 1; n <= src.LineCount(); n++ {
		if src.rawLineLen(n) > maxLine {
			long = append(long, n)
			f.ParseErrors = append(f.ParseErrors, ParseError{
				Range:   src.LineRange(n, n),
				Message: fmt.Sprintf("line %d is longer than %d bytes, the most BuildKit accepts", n, maxLine),
			})
		}
	}
	if len(long) > 0 {
		// Spaces would still be too long a line: the content goes, the
		// line ending stays, so the following lines keep their numbers.
		var b bytes.Buffer
		b.Grow(len(src.Data))
		prev := 0
		for _, n := range long {
			b.Write(src.Data[prev:src.LineStart(n)])
			prev = src.LineEnd(n)
		}
		b.Write(src.Data[prev:])
		work = b.Bytes()
		ws = NewSource(src.Path, work)
	}
	blank := func(first, last int) {
		if len(work) > 0 && &work[0] == &src.Data[0] {
			work = bytes.Clone(src.Data)
		}
		for i := ws.lineStarts[first-1]; i < len(work) && (last >= len(ws.lineStarts) || i < ws.lineStarts[last]); i++ {
			if work[i] != '\n' && work[i] != '\r' {
				work[i] = ' '
			}
		}
	}

	var res *parser.Result
	for try := 0; ; try++ {
		var err error
		res, err = dfparser.Parse(bytes.NewReader(work))
		if err == nil {
			break
		}
		res = nil
		if isNoInstructions(err) {
			// Once. A file whose only instructions were cut out above
			// already has their errors.
			if len(f.ParseErrors) == 0 {
				f.ParseErrors = append(f.ParseErrors, ParseError{Range: src.LineRange(1, 1), Message: cleanError(err)})
			}
			break
		}
		first, last, ok := errorLines(err)
		if !ok || try >= maxRecoveries || first < 1 || first > src.LineCount() {
			f.ParseErrors = append(f.ParseErrors, ParseError{Range: src.LineRange(1, 1), Message: cleanError(err)})
			break
		}
		if last < first {
			last = first
		}
		if last > src.LineCount() {
			last = src.LineCount()
		}
		f.ParseErrors = append(f.ParseErrors, ParseError{Range: trimRange(src, first, last), Message: cleanError(err)})
		blank(first, last)
	}
	f.parseDirectives()
	if res == nil {
		f.collectComments(nil)
		return f
	}
	f.Escape = res.EscapeToken
	for _, node := range res.AST.Children {
		ins := newInstruction(f, node)
		f.Instructions = append(f.Instructions, ins)
	}
	f.collectComments(f.Instructions)
	f.buildStages()
	return f
}

func isNoInstructions(err error) bool {
	return strings.Contains(err.Error(), "file with no instructions")
}

// errorLines extracts the 1-based line range BuildKit attached to err.
func errorLines(err error) (first, last int, ok bool) {
	var le *parser.LocationError
	if !errors.As(err, &le) || len(le.Locations) == 0 || len(le.Locations[0]) == 0 {
		return 0, 0, false
	}
	r := le.Locations[0]
	first, last = r[0].Start.Line, r[len(r)-1].End.Line
	if first == 0 && last == 0 {
		return 0, 0, false
	}
	if first == 0 {
		first = last
	}
	return first, last, true
}

// trimRange is the range of lines first..last without leading indentation.
func trimRange(src *Source, first, last int) Range {
	start := src.LineStart(first)
	line := src.Data[start:src.LineEnd(first)]
	start += len(line) - len(bytes.TrimLeftFunc(line, unicode.IsSpace))
	return src.Range(start, src.LineEnd(last))
}

// cleanError drops BuildKit's stack and location decorations.
func cleanError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "dockerfile parse error on line "); i >= 0 {
		if j := strings.Index(msg[i:], ": "); j >= 0 {
			msg = msg[i+j+2:]
		}
	}
	return strings.TrimSpace(msg)
}

var silentLinter = linter.New(&linter.Config{})

// parseTyped turns a node into BuildKit's typed instruction.
func parseTyped(node *parser.Node) (cmd any, err error) {
	defer func() {
		if r := recover(); r != nil {
			cmd, err = nil, fmt.Errorf("cannot parse %s: %v", node.Value, r)
		}
	}()
	// A nil linter panics on "# check=" comments above an instruction; a
	// silent one (no Warn callback) reports nothing.
	cmd, err = instructions.ParseInstructionWithLinter(node, silentLinter)
	if err != nil {
		return nil, err // never a typed nil inside the interface
	}
	return cmd, nil
}
