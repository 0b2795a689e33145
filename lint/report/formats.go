package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Formatter writes a whole report.
type Formatter func(w io.Writer, results []FileResult, summary Summary, opts Options) error

// Format is one registered report format.
type Format struct {
	Name string
	// Description is one line for --help and the docs.
	Description string
	Write       Formatter
}

// formats maps each format name to its writer.
var formats = map[string]Format{}

func register(name, description string, write Formatter) {
	formats[name] = Format{Name: name, Description: description, Write: write}
}

func init() {
	register("text", "human-readable: path:line:col: CODE message, the source with a caret, help, summary", Text)
	register("json", `strata's JSON: {"diagnostics": [...], "summary": {...}}`, func(w io.Writer, results []FileResult, summary Summary, _ Options) error {
		return JSON(w, results, summary)
	})
	register("sarif", "SARIF 2.1.0 (GitHub code scanning, Azure DevOps, IDE viewers)", SARIF)
	register("github", "GitHub Actions workflow commands (::error file=...::), shown as annotations", GitHub)
	register("gitlab", "GitLab Code Quality report (JSON array with fingerprints)", GitLab)
	register("codeclimate", "Code Climate engine issues, each JSON document followed by a NUL byte", CodeClimate)
	register("checkstyle", "Checkstyle XML (Jenkins warnings-ng, reviewdog, ...)", Checkstyle)
	register("junit", "JUnit XML, one test case per linted file", JUnit)
	register("gnu", "GNU error format: file:line:col: severity: message [CODE]", GNU)
	register("sonarqube", "SonarQube generic external issues (sonar.externalIssuesReportPaths)", SonarQube)
	register("codacy", "Codacy tool results, one JSON object per line", Codacy)
}

// aliases are other tools' names for the same formats: hadolint's (tty,
// gitlab_codeclimate) and common spellings.
var aliases = map[string]string{
	"tty":                "text",
	"gitlab_codeclimate": "gitlab",
	"gitlab-codeclimate": "gitlab",
	"code-quality":       "gitlab",
	"github-actions":     "github",
	"sonar":              "sonarqube",
}

// Lookup returns the formatter for a name or alias, and the format's name.
func Lookup(name string) (Formatter, string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[n]; ok {
		n = a
	}
	if f, ok := formats[n]; ok {
		return f.Write, n, nil
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

// Formats lists the registered formats, sorted by name.
func Formats() []Format {
	var out []Format
	for _, n := range Names() {
		out = append(out, formats[n])
	}
	return out
}

// Aliases maps each accepted alias to the format it names.
func Aliases() map[string]string {
	out := make(map[string]string, len(aliases))
	for k, v := range aliases {
		out[k] = v
	}
	return out
}
