package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint/report"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGoldenFormats lints the same fixture set in every report format and
// compares the output with testdata/golden/<format>.golden.
func TestGoldenFormats(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "golden")
	fixtures, _ := filepath.Glob(filepath.Join(root, "fixtures", "*"))
	if len(fixtures) == 0 {
		t.Fatal("no golden fixtures")
	}
	// Report paths relative to the fixture directory, as a user would.
	chdir(t, filepath.Join(root, "fixtures"))
	var names []string
	for _, f := range fixtures {
		names = append(names, filepath.Base(f))
	}
	for _, format := range report.Names() {
		t.Run(format, func(t *testing.T) {
			var out, errOut bytes.Buffer
			stdio := IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
			code := Run(context.Background(), append([]string{"lint", "--no-shellcheck", "--format", format}, names...), stdio)
			if code != ExitFindings {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFindings, errOut.String())
			}
			golden := filepath.Join("..", format+".golden")
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/cli -run Golden -update)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("%s output differs from %s (rerun with -update after checking):\n--- got\n%s\n--- want\n%s", format, golden, out.String(), want)
			}
		})
	}
}

func TestUpdateFlagOff(t *testing.T) {
	if *update {
		t.Fatal("-update is set: golden files were rewritten; rerun without it")
	}
}

func chdir(t *testing.T, dir string) {
	t.Helper()
	old, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chdir(old) })
}

// TestSARIFRuleNamesDifferFromIDs: SARIF consumers reject a rule whose
// name repeats its id (BuildKit's rules are named by their codes).
func TestSARIFRuleNamesDifferFromIDs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", "sarif.golden"))
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID, Name string }
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	buildkit := false
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if strings.EqualFold(r.ID, r.Name) {
			t.Errorf("rule %s has a name equal to its id", r.ID)
		}
		buildkit = buildkit || r.ID == "LegacyKeyValueFormat"
	}
	if !buildkit {
		t.Error("the golden fixtures should include a BuildKit rule (LegacyKeyValueFormat)")
	}
}
