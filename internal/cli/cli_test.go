package cli

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"strata": func() { os.Exit(Run(context.Background(), os.Args[1:], StdIO())) },
	})
}

// TestScripts runs the CLI contract tests in testdata/script: exit codes,
// stdout (the report only) versus stderr, stdin, configuration discovery.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "")
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/xdg")
			env.Setenv("HOME", env.WorkDir+"/home")
			// STRATABIN holds only the strata command, for PATH-less tests.
			env.Setenv("STRATABIN", strings.SplitN(env.Getenv("PATH"), string(os.PathListSeparator), 2)[0])
			return nil
		},
	})
}
