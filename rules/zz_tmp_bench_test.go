package rules

import (
	"os"
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

func benchSubset(b *testing.B, keep func(*lint.Rule) bool) {
	files := corpusFiles(b)
	data := make([][]byte, len(files))
	for i, p := range files {
		data[i], _ = os.ReadFile(p)
	}
	var rules []*lint.Rule
	sev := map[string]lint.Severity{}
	for _, r := range All() {
		if keep(r) {
			rules = append(rules, r)
			sev[r.Code] = r.Severity
		}
	}
	l := lint.New(rules, lint.Options{Preview: true, Severity: sev, Select: []string{"DL3009", "ST30"}})
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := range data {
			l.Lint(lint.NewSource(files[i], data[i]))
		}
	}
}

func BenchmarkBaseOnly(b *testing.B) {
	benchSubset(b, func(r *lint.Rule) bool { return r.Code == "DL3009" })
}
func BenchmarkWithSec(b *testing.B) {
	benchSubset(b, func(r *lint.Rule) bool { return r.Code == "DL3009" || strings.HasPrefix(r.Code, "ST30") })
}
