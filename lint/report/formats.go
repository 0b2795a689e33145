package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Formatter writes a whole report.
type Formatter func(w io.Writer, results []FileResult, summary Summary, opts Options) error

// formats maps each format name to its writer.
var formats = map[string]Formatter{
	"text": Text,
	"json": func(w io.Writer, results []FileResult, summary Summary, _ Options) error {
		return JSON(w, results, summary)
	},
}

// aliases are other tools' names for the same formats.
var aliases = map[string]string{
	"tty": "text",
}

// Lookup returns the formatter for a name or alias.
func Lookup(name string) (Formatter, string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[n]; ok {
		n = a
	}
	if f, ok := formats[n]; ok {
		return f, n, nil
	}
	return nil, "", fmt.Errorf("unknown format %q (want one of: %s)", name, strings.Join(Names(), ", "))
}

// Names lists the format names, sorted.
func Names() []string {
	var out []string
	for n := range formats {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
