package cli

import (
	"strings"
	"testing"
)

func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "__start_strata",
		"zsh":        "#compdef strata",
		"fish":       "complete -c strata",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, out, errOut := runForTest(t, "completion", shell)
		if code != ExitOK || errOut != "" || !strings.Contains(out, marker) {
			t.Errorf("completion %s: exit %d, stderr %q, no %q in output", shell, code, errOut, marker)
		}
	}
	if code, _, errOut := runForTest(t, "completion", "tcsh"); code != ExitError || !strings.Contains(errOut, `invalid argument "tcsh"`) {
		t.Errorf("unknown shell: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runForTest(t, "completion"); code != ExitError {
		t.Errorf("no shell: exit %d, want %d", code, ExitError)
	}
}

// The shells ask strata itself (the hidden __complete command) for values.
func TestCompletionValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"lint", "--format", ""}, []string{"sarif\t", "github\t", "gitlab\t", "text\t"}, nil},
		{[]string{"lint", "--failure-threshold", ""}, []string{"error", "none"}, nil},
		{[]string{"rules", "DL300"}, []string{"DL3006\t", "DL3007\t"}, []string{"DL3059"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}, nil},
		{[]string{"l"}, []string{"lint"}, nil},
	} {
		code, out, _ := runForTest(t, append([]string{"__complete"}, tc.args...)...)
		if code != ExitOK {
			t.Errorf("%v: exit %d", tc.args, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: no %q in\n%s", tc.args, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: unexpected %q in\n%s", tc.args, n, out)
			}
		}
	}
}
