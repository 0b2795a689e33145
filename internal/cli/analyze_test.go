package cli

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// runStrata runs the CLI in-process with captured streams.
func runStrata(getenv func(string) string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: getenv,
		IsTerminal: func(io.Writer) bool { return false }})
	return code, out.String(), errb.String()
}

// TestAnalyzeScripts runs testdata/analyze/*.txtar: exit codes, stdout
// (the report only) and stderr (progress, errors).
func TestAnalyzeScripts(t *testing.T) {
	testscript.Run(t, inProcessScripts(t, filepath.Join("testdata", "analyze")))
}

// inProcessScripts runs strata in the test process ("strata-run ARGS...",
// then "exitcode N"), with $EXAMPLE naming the shipped example image.
func inProcessScripts(t *testing.T, dir string) testscript.Params {
	example, err := filepath.Abs(filepath.Join("..", "..", "testdata", "images", "example"))
	if err != nil {
		t.Fatal(err)
	}
	return testscript.Params{
		Dir: dir,
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLE", example)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// Not "strata": TestMain registers that name as a program.
			"strata-run": func(ts *testscript.TestScript, neg bool, args []string) {
				code, out, errOut := runStrata(ts.Getenv, args...)
				io.WriteString(ts.Stdout(), out)
				io.WriteString(ts.Stderr(), errOut)
				ts.Setenv("EXIT", strconv.Itoa(code))
				if (code != 0) != neg {
					ts.Fatalf("strata exited %d\nstderr: %s", code, errOut)
				}
			},
			"exitcode": func(ts *testscript.TestScript, _ bool, args []string) {
				if len(args) != 1 || ts.Getenv("EXIT") != args[0] {
					ts.Fatalf("exit code %s, want %v", ts.Getenv("EXIT"), args)
				}
			},
		},
	}
}

// A docker save piped into docker-archive:- is read in one pass.
func TestAnalyzeArchiveFromStdin(t *testing.T) {
	tarball := filepath.Join(t.TempDir(), "save.tar")
	writeExampleArchive(t, tarball)
	in, err := os.Open(tarball)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"analyze", "--format", "json", "--entries=false", "docker-archive:-"},
		IO{In: in, Out: &out, Err: &errb, Getenv: func(string) string { return "" }})
	if code != 0 || !strings.Contains(out.String(), `"transport": "docker-archive"`) || !strings.Contains(out.String(), `"wastedBytes": 120027`) {
		t.Errorf("exit %d, stderr %s, stdout %.300s", code, errb.String(), out.String())
	}
}

// .dive-ci and .strata.yaml are read from the working directory.
func TestAnalyzeCIConfigFromWorkingDirectory(t *testing.T) {
	example, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "images", "example"))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".dive-ci"), []byte("rules:\n  lowestEfficiency: 0.5\n  highestUserWastedPercent: off\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".strata.yaml"), []byte("analyze:\n  max-layers: 3\n"), 0o644)
	t.Chdir(dir)
	code, out, _ := runStrata(nil, "analyze", "--ci", "--format", "table", "oci:"+example)
	if code != ExitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"PASS   │ lowestEfficiency", "SKIP   │ highestUserWastedPercent", "FAIL   │ max-layers"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// Broken images end in one line on stderr and exit 2.
func TestAnalyzeBrokenImages(t *testing.T) {
	example, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "images", "example"))
	for name, breakIt := range map[string]func(dir string){
		"truncated layer": func(dir string) { truncateBiggestBlob(t, dir, true) },
		"missing blob":    func(dir string) { truncateBiggestBlob(t, dir, false) },
		"bad index":       func(dir string) { os.WriteFile(filepath.Join(dir, "index.json"), []byte("{"), 0o644) },
	} {
		dir := copyDir(t, example)
		breakIt(dir)
		code, out, errOut := runStrata(nil, "analyze", "oci:"+dir)
		if code != ExitError || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.HasPrefix(errOut, "strata: ") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", name, code, out, errOut)
		}
	}
}

// An analysis collects at 50 % heap growth and under a soft limit unless
// the user's GOGC and GOMEMLIMIT say otherwise.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	env := map[string]string{}
	a := &app{io: IO{Getenv: func(k string) string { return env[k] }}}
	tuneGC(a)
	if got := debug.SetGCPercent(100); got != analysisGCPercent {
		t.Errorf("GOGC %d, want %d", got, analysisGCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != memoryLimit {
		t.Errorf("memory limit %d, want %d", got, memoryLimit)
	}
	env["GOGC"], env["GOMEMLIMIT"] = "300", "1GiB"
	debug.SetGCPercent(300)
	debug.SetMemoryLimit(1 << 30)
	tuneGC(a)
	if got := debug.SetGCPercent(100); got != 300 {
		t.Errorf("the user's GOGC=300 became %d", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != 1<<30 {
		t.Errorf("the user's GOMEMLIMIT became %d", got)
	}
}
