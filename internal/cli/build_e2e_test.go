package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-dev/strata/internal/testenv"
	"github.com/strata-dev/strata/internal/testenv/testimage"
)

// buildReport is the part of the JSON report the build tests check.
type buildReport struct {
	Base   struct{ Layers int }
	Layers []struct {
		Layer       int
		Base        bool
		Instruction *struct {
			Line    int
			EndLine int `json:"end_line"`
			Text    string
		}
	}
	History []struct {
		EmptyLayer  bool
		Instruction *struct{ Line int }
	}
	Attribution struct {
		Method                                  string
		WastedBytes, AttributedBytes, RuleBytes int64
		Savings                                 []struct {
			Rule, Kind  string
			Instruction struct{ Line int }
			ShadowedBy  *struct{ Line int }
			Bytes       int64
			WastedBytes int64
			Message     string
		}
		Lint []struct {
			Line  int
			Code  string
			Layer int
			Bytes int64
		}
		Build *struct {
			Builder                    string
			BuildSeconds, TotalSeconds float64
		}
	}
}

// backends are the two ways to build, each with what it needs to find
// the base images of the test environment: dockerd has them loaded;
// BuildKit is lent the OCI layout and maps FROM names to it.
func backends(t *testing.T, refs ...string) map[string]func(t *testing.T) []string {
	return map[string]func(t *testing.T) []string{
		"buildkit": func(t *testing.T) []string {
			addr := testenv.BuildKit(t)
			layoutDir := os.Getenv(testenv.OCILayoutEnv)
			args := []string{"--builder", "buildkit://" + addr}
			for _, ref := range refs {
				args = append(args, "--build-context", ref+"=oci-layout://"+layoutDir+":"+ref)
			}
			return args
		},
		"docker": func(t *testing.T) []string {
			return []string{"--builder", "docker:" + testenv.Docker(t)}
		},
	}
}

// wasteContext copies testdata/build/waste and writes its assets: 20
// files of 50,000 bytes.
func wasteContext(t *testing.T) (dir string, assetBytes int64) {
	t.Helper()
	dir = t.TempDir()
	df, err := os.ReadFile(filepath.Join("..", "..", "testdata", "build", "waste", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), df, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		body := bytes.Repeat([]byte(fmt.Sprintf("asset %02d ", i)), 50000/9+1)[:50000]
		if err := os.WriteFile(filepath.Join(dir, "assets", fmt.Sprintf("f%02d.txt", i)), body, 0o644); err != nil {
			t.Fatal(err)
		}
		assetBytes += 50000
	}
	return dir, assetBytes
}

// TestAnalyzeBuildE2E builds a Dockerfile with known waste on the local
// Debian image with each back end, and checks that every layer is tied to
// its line and every wasted byte to the right rule or kind.
func TestAnalyzeBuildE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads Debian packages")
	}
	if _, ok := testenv.BaseImages(t)[testimage.DebianRef]; !ok {
		t.Skipf("no %s: start the daemons with `daemons.sh run --debian`", testimage.DebianRef)
	}
	dir, assetBytes := wasteContext(t)
	for name, args := range backends(t, testimage.DebianRef) {
		t.Run(name, func(t *testing.T) {
			argv := append([]string{"analyze", "--build", "--format", "json", "--entries=false", "--build-progress", "plain"}, args(t)...)
			code, out, errOut := runStrata(func(string) string { return "" }, append(argv, dir)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			var r buildReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			checkWasteReport(t, r, name, assetBytes)
			if !strings.Contains(errOut, "DL3009") {
				t.Errorf("stderr lacks the lint report:\n%s", errOut)
			}
			if b := r.Attribution.Build; b != nil {
				t.Logf("%s: build %.2f s, total %.2f s (strata's own %.2f s)", name, b.BuildSeconds, b.TotalSeconds, b.TotalSeconds-b.BuildSeconds)
			}
		})
	}
}

func checkWasteReport(t *testing.T, r buildReport, backend string, assetBytes int64) {
	t.Helper()
	// Layer 1 is Debian's; then lines 2, 3, 4, 6 and 7 (ENV and CMD make none).
	wantLines := []int{0, 2, 3, 4, 6, 7}
	if len(r.Layers) != len(wantLines) {
		t.Fatalf("%d layers, want %d", len(r.Layers), len(wantLines))
	}
	if r.Base.Layers != 1 || !r.Layers[0].Base || r.Layers[0].Instruction != nil {
		t.Errorf("base: %d layers, layer 1 base=%v instruction=%v; want the Debian layer alone, without instruction",
			r.Base.Layers, r.Layers[0].Base, r.Layers[0].Instruction)
	}
	for i, want := range wantLines[1:] {
		l := r.Layers[i+1]
		if l.Instruction == nil || l.Instruction.Line != want {
			t.Errorf("layer %d: instruction %+v, want line %d", l.Layer, l.Instruction, want)
		}
	}
	var emptyLines []int
	for _, h := range r.History {
		if h.EmptyLayer && h.Instruction != nil {
			emptyLines = append(emptyLines, h.Instruction.Line)
		}
	}
	if fmt.Sprint(emptyLines) != "[5 8]" {
		t.Errorf("empty-layer history tied to lines %v, want [5 8] (ENV, CMD)", emptyLines)
	}
	if r.Attribution.Method != backend {
		t.Errorf("method %q, want %q", r.Attribution.Method, backend)
	}

	type row struct {
		label string
		line  int
	}
	got := map[row]int64{}
	by := map[row]int{}
	for _, s := range r.Attribution.Savings {
		label := s.Rule
		if label == "" {
			label = s.Kind
		}
		k := row{label, s.Instruction.Line}
		got[k] += s.Bytes
		if s.ShadowedBy != nil {
			by[k] = s.ShadowedBy.Line
		}
	}
	if b := got[row{"DL3009", 2}]; b < 10e6 {
		t.Errorf("DL3009 on line 2 costs %d bytes, want the apt lists (> 10 MB); savings %+v", b, r.Attribution.Savings)
	}
	if b := got[row{"deleted-later", 4}]; b != 3000000 || by[row{"deleted-later", 4}] != 6 {
		t.Errorf("deleted-later on line 4: %d bytes, deleted by line %d; want 3000000 by line 6", b, by[row{"deleted-later", 4}])
	}
	// ST1002 (chmod -R of a COPY destination) owns the assets copied
	// again by the chmod on line 7.
	if b := got[row{"ST1002", 3}]; b != assetBytes || by[row{"ST1002", 3}] != 7 {
		t.Errorf("ST1002 on line 3: %d bytes by line %d; want %d by line 7; savings %+v", b, by[row{"ST1002", 3}], assetBytes, r.Attribution.Savings)
	}
	if a := r.Attribution; a.WastedBytes == 0 || a.AttributedBytes != a.WastedBytes {
		t.Errorf("%d of %d wasted bytes tied to a line, want all", a.AttributedBytes, a.WastedBytes)
	}
	found := false
	for _, f := range r.Attribution.Lint {
		if f.Code == "DL3009" && f.Line == 2 {
			found = true
			if f.Layer != 2 || f.Bytes < 10e6 {
				t.Errorf("DL3009 finding: layer %d, %d bytes; want layer 2 and the apt lists' bytes", f.Layer, f.Bytes)
			}
		}
	}
	if !found {
		t.Errorf("no DL3009 finding on line 2: %+v", r.Attribution.Lint)
	}
}

// TestAnalyzeBuildFailureE2E: a failing RUN exits 2 with the builder's
// error and the failing instruction's line.
func TestAnalyzeBuildFailureE2E(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "build", "fails")
	for name, args := range backends(t, testimage.BusyboxRef) {
		t.Run(name, func(t *testing.T) {
			if name == "buildkit" {
				testenv.BaseImages(t) // the layout to lend
			}
			argv := append([]string{"analyze", "--build", "--format", "json", "--no-lint", "--build-progress", "quiet"}, args(t)...)
			code, out, errOut := runStrata(func(string) string { return "" }, append(argv, dir)...)
			if code != ExitError {
				t.Fatalf("exit %d, want 2\n%s", code, errOut)
			}
			if out != "" {
				t.Errorf("stdout should be empty, got %q", out)
			}
			if !strings.Contains(errOut, "Dockerfile:3") {
				t.Errorf("stderr does not name Dockerfile:3:\n%s", errOut)
			}
		})
	}
}

// TestTUIBuildE2E: strata tui --build builds behind the loading screen,
// which follows the build's steps, then opens the explorer with each
// layer's Dockerfile line; a failing build ends the explorer with exit 2
// and the failed step's output on stderr. Both back ends.
func TestTUIBuildE2E(t *testing.T) {
	ok := t.TempDir()
	df := "FROM " + testimage.BusyboxRef + "\nRUN echo built > /built && sleep 1\nRUN echo second > /second\n"
	if err := os.WriteFile(filepath.Join(ok, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	fails := filepath.Join("..", "..", "testdata", "build", "fails")
	for name, args := range backends(t, testimage.BusyboxRef) {
		t.Run(name, func(t *testing.T) {
			if name == "buildkit" {
				testenv.BaseImages(t) // the layout to lend
			}
			explore := func(t *testing.T, dir string, keys string) (int, string, string) {
				master, tty := openPTY(t, 140, 36)
				shown := make(chan struct{})
				scr := &screen{shown: shown, marker: "efficiency"}
				go func() { _, _ = io.Copy(scr, master) }()
				errs := &syncBuilder{}
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
				defer cancel()
				argv := append(append([]string{"tui", "--build", "--no-lint"}, args(t)...), dir)
				code := Run(ctx, argv, IO{In: &keysAfter{shown: shown, keys: keys}, Out: tty, Err: errs,
					Getenv: func(string) string { return "" }, IsTerminal: func(io.Writer) bool { return true }})
				return code, scr.String(), errs.String()
			}
			code, scr, errOut := explore(t, ok, "q")
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			if !strings.Contains(scr, "building: ") {
				t.Errorf("the loading screen never showed the build")
			}
			if !strings.Contains(scr, "L3") || !strings.Contains(scr, "RUN echo second > /second") {
				t.Errorf("the explorer does not show the layers' Dockerfile lines:\n%q", scr)
			}
			code, _, errOut = explore(t, fails, "")
			if code != ExitError {
				t.Fatalf("a failing build: exit %d, want 2\n%s", code, errOut)
			}
			if !strings.Contains(errOut, "the build's last output:") || !strings.Contains(errOut, "Dockerfile:3") {
				t.Errorf("stderr lacks the failed step:\n%s", errOut)
			}
		})
	}
}
