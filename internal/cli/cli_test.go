package cli

import (
	"context"
	"os"
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
			return nil
		},
	})
}
