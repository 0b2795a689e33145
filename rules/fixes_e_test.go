package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

// Cases too large for an example (a 2 MiB context file would fill the
// generated docs).

func TestST1002ChmodOfFileInsideCopiedDir(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	ex := lint.Example{
		Dockerfile: "FROM node:22\nCOPY . /app\nRUN chmod 755 /app/src/main.js\nRUN chmod 755 /app/src\nRUN chmod 644 /app/small.js\n",
		Context:    map[string]string{"src/main.js": big, "small.js": "x\n"},
	}
	diags := lintExample(t, ST1002, ex)
	if len(diags) != 1 || diags[0].Range.Start.Line != 3 || !strings.Contains(diags[0].Message, "`/app/src/main.js`") {
		t.Fatalf("want one finding on line 3 for /app/src/main.js, got %v", diags)
	}
}

func TestST2001LargestSkipsDockerfileAndIgnoreFile(t *testing.T) {
	dir := t.TempDir()
	df := "FROM alpine:3.20\nCOPY . /app\n# " + strings.Repeat("x", 400) + "\n"
	files := map[string]string{
		"Dockerfile":    df,
		".dockerignore": "*.log\n# " + strings.Repeat("y", 300) + "\n",
		"app.txt":       "hello\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := lint.ParseConfig(".strata.yaml", []byte("context-budget: 100B\n"))
	if err != nil {
		t.Fatal(err)
	}
	opts := lint.Options{Preview: true, Severity: map[string]lint.Severity{"ST2001": ST2001.Severity},
		Settings: lint.Settings{ContextBudget: cfg.ContextBudget}, Context: &lint.BuildContext{Dir: dir}}
	res := lint.New([]*lint.Rule{ST2001}, opts).Lint(lint.NewSource(filepath.Join(dir, "Dockerfile"), []byte(df)))
	if len(res.Diagnostics) != 1 {
		t.Fatalf("want one ST2001 finding, got %v", res.Diagnostics)
	}
	msg := res.Diagnostics[0].Message
	if !strings.Contains(msg, "largest: app.txt") || strings.Contains(msg, "Dockerfile (") || strings.Contains(msg, ".dockerignore (") {
		t.Errorf("the largest list should name app.txt only: %s", msg)
	}
}
