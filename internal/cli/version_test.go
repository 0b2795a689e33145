package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// Tests run with a fixed version so that reports recording it (SARIF) are
// the same in every build.
func init() { version = "0.0.0-test" }

func runForTest(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, out, errOut := runForTest(t, "version")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"strata 0.0.0-test\n", "go:        " + runtime.Version() + "\n", "platform:  " + runtime.GOOS + "/" + runtime.GOARCH + "\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runForTest(t, "version", "--format", "json")
	var b buildInfo
	if err := json.Unmarshal([]byte(out), &b); code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if b.Version != "0.0.0-test" || b.GoVersion != runtime.Version() || b.Module != "github.com/strata-dev/strata" {
		t.Errorf("build info %+v", b)
	}

	if code, _, errOut = runForTest(t, "version", "--format", "yaml"); code != ExitError || !strings.Contains(errOut, `unknown format "yaml"`) {
		t.Errorf("bad format: exit %d, stderr %q", code, errOut)
	}
}

func TestVersionFromLinkerFlags(t *testing.T) {
	old := commit
	commit = "abc1234"
	t.Cleanup(func() { commit = old })
	if _, out, _ := runForTest(t, "version"); !strings.Contains(out, "commit:    abc1234") {
		t.Errorf("commit set at link time is not shown:\n%s", out)
	}
}
