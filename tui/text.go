package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze/report"
)

// width is the number of cells s takes (escape sequences take none).
func width(s string) int { return ansi.StringWidth(s) }

// fit cuts or pads s (which may hold escape sequences) to exactly w cells,
// so that no line ever wraps.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := width(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = width(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// clean replaces control characters with "?": names and commands come
// from untrusted layers, and an escape sequence in a file name must not
// reach the terminal.
func clean(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '?'
		}
		return r
	}, s)
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// middle shortens plain text to at most w cells by cutting out its middle,
// keeping both ends of a path: "/usr/lib/…/libfoo.so.1". Control
// characters become "?".
func middle(s string, w int) string {
	s = clean(s)
	if width(s) <= w {
		return s
	}
	if w <= 1 {
		return ansi.Truncate(s, w, "")
	}
	rs := []rune(s)
	right := (w - 1) / 2
	left := w - 1 - right
	var lb strings.Builder
	used := 0
	for _, r := range rs {
		cw := ansi.StringWidth(string(r))
		if used+cw > left {
			break
		}
		lb.WriteRune(r)
		used += cw
	}
	// Take the tail, then fill what the head left unused.
	right = w - 1 - used
	var tail []rune
	used = 0
	for i := len(rs) - 1; i >= 0; i-- {
		cw := ansi.StringWidth(string(rs[i]))
		if used+cw > right {
			break
		}
		tail = append(tail, rs[i])
		used += cw
	}
	for i, j := 0, len(tail)-1; i < j; i, j = i+1, j-1 {
		tail[i], tail[j] = tail[j], tail[i]
	}
	return lb.String() + "…" + string(tail)
}

// right aligns plain text to w cells.
func right(s string, w int) string {
	if n := width(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// wrap breaks plain text into lines of at most w cells, at spaces when it
// can, cutting long words. Control characters become "?".
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		para = clean(para)
		line := ""
		for _, word := range glueUnits(strings.Fields(para)) {
			for width(word) > w {
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				cut := ansi.Truncate(word, w, "")
				lines = append(lines, cut)
				word = word[len(cut):]
			}
			switch {
			case line == "":
				line = word
			case width(line)+1+width(word) <= w:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// units are the words size and report.Percent put after a number.
var units = map[string]bool{"B": true, "kB": true, "MB": true, "GB": true, "TB": true, "PB": true, "EB": true, "%": true}

// glueUnits keeps a number and its unit ("0 B", "47.7 kB", "59.0 %")
// together, so that wrapping never puts the unit alone on the next line.
func glueUnits(words []string) []string {
	out := words[:0:0]
	for _, word := range words {
		if n := len(out); n > 0 && units[word] {
			if _, err := strconv.ParseFloat(out[n-1], 64); err == nil {
				out[n-1] += " " + word
				continue
			}
		}
		out = append(out, word)
	}
	return out
}

// size formats bytes as the reports do.
func size(n int64) string { return report.Size(n) }

// plural is "1 layer", "2 layers", "0 layers".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// oneLine flattens whitespace so that a command fits on one line; other
// control characters become "?".
func oneLine(s string) string { return clean(strings.Join(strings.Fields(s), " ")) }

// command is the short form of a history entry's created-by: the shell
// wrapper and builder markers removed, RUN restored.
func command(createdBy string) string {
	s := oneLine(createdBy)
	s = strings.TrimSuffix(s, " # buildkit")
	switch {
	case strings.HasPrefix(s, "/bin/sh -c #(nop) "):
		return strings.TrimSpace(strings.TrimPrefix(s, "/bin/sh -c #(nop) "))
	case strings.HasPrefix(s, "/bin/sh -c "):
		return "RUN " + strings.TrimPrefix(s, "/bin/sh -c ")
	case strings.HasPrefix(s, "RUN /bin/sh -c "):
		return "RUN " + strings.TrimPrefix(s, "RUN /bin/sh -c ")
	}
	return s
}
