// Package cli wires strata's subcommands together: flags, configuration,
// output streams and the mapping of results to exit codes. It is the only
// package that knows about lint, analyze and the TUI at the same time.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// tableWidthCache is how many cell widths tablewriter remembers. Its
// default, 8,192, is a map allocated when the program starts (650 kB of
// heap for its whole life); strata's tables hold a few hundred cells.
const tableWidthCache = 512

func init() { twwidth.SetCacheCapacity(tableWidthCache) }

// IO is the set of streams and environment a command runs with. Tests
// replace every field; main uses StdIO.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
	// IsTerminal reports whether w is an interactive terminal (colour,
	// progress bars, the TUI).
	IsTerminal func(w io.Writer) bool
}

// StdIO returns the process's real streams and environment.
func StdIO() IO {
	return IO{
		In:     os.Stdin,
		Out:    os.Stdout,
		Err:    os.Stderr,
		Getenv: os.Getenv,
		IsTerminal: func(w io.Writer) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
	}
}

// app is the state shared by all subcommands of one invocation.
type app struct {
	io IO
}

func (a *app) getenv(key string) string {
	if a.io.Getenv == nil {
		return ""
	}
	return a.io.Getenv(key)
}

func (a *app) isTerminal(w io.Writer) bool {
	return a.io.IsTerminal != nil && a.io.IsTerminal(w)
}

// Run executes strata with args (without the program name) and returns the
// process exit code. It never calls os.Exit.
func Run(ctx context.Context, args []string, stdio IO) int {
	if stdio.Getenv == nil {
		stdio.Getenv = func(string) string { return "" }
	}
	a := &app{io: stdio}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(stdio.Err, "strata: interrupted")
		return ExitInterrupted
	}
	var ee *exitError
	if !errors.As(err, &ee) || ee.err != nil {
		fmt.Fprintf(stdio.Err, "strata: %s\n", strings.TrimSpace(err.Error()))
	}
	return codeOf(err)
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "strata",
		Short: "Lint Dockerfiles and analyze container images layer by layer",
		Long: `strata lints Dockerfiles (hadolint's and BuildKit's checks, ShellCheck, and its own
size and security rules) and analyzes images layer by layer: what each layer adds,
changes and deletes, what it costs, and which Dockerfile line made it.`,
		Example: `  strata lint Dockerfile
  strata lint --format json services/
  strata rules DL3008
  strata analyze oci:testdata/images/example`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return withCode(ExitError, err)
	})
	root.AddCommand(
		newLintCmd(a),
		newRulesCmd(a),
		newVersionCmd(a),
		newAnalyzeCmd(a),
		newTUICmd(a),
		newContextCmd(a),
	)
	addCompletion(root, a)
	return root
}
