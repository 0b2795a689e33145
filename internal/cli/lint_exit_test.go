package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintUsageExitCodes pins the exit status of the usage errors that used
// to pass silently.
func TestLintUsageExitCodes(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM alpine:3.20\nUSER 65532\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		if k == "HOME" || k == "XDG_CONFIG_HOME" {
			return dir
		}
		return ""
	}
	for _, tc := range []struct {
		args  []string
		stdin string
		code  int
	}{
		{[]string{"--select", "DL3O06", df}, "", ExitError},
		{[]string{"--ignore", "XX9999", df}, "", ExitError},
		{[]string{"--severity-override", "NOPE=error", df}, "", ExitError},
		{[]string{"--select", "DL3006", df}, "", ExitOK},
		{[]string{"-f", "bogus", empty}, "", ExitError},
		{[]string{"-f", "json", empty}, "", ExitOK},
		{[]string{"-f", "json", "-", "-"}, "FROM alpine:latest\n", ExitError},
		{[]string{"-f", "json", "-"}, "FROM alpine:latest\n", ExitFindings},
		{[]string{"-f", "json", "-o", filepath.Join(dir, "o", "same"), "-f", "sarif", "-o", filepath.Join(dir, "o", "same"), df}, "", ExitError},
		{[]string{"-f", "json", "-o", filepath.Join(dir, "o", "a"), "-f", "sarif", "-o", filepath.Join(dir, "o", ".", "a"), df}, "", ExitError},
	} {
		var out, errb bytes.Buffer
		args := append([]string{"lint", "--no-shellcheck"}, tc.args...)
		code := Run(context.Background(), args, IO{In: strings.NewReader(tc.stdin), Out: &out, Err: &errb, Getenv: getenv})
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tc.args, code, tc.code, errb.String())
		}
	}
}
