package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/strata-dev/strata/lint"
)

// sarifSchemaJSON is the SARIF 2.1.0 JSON schema as Microsoft's SARIF
// multitool ships it (sarif-2.1.0.json in @microsoft/sarif-multitool-linux
// 5.7.0, MIT licence).
//
//go:embed testdata/sarif-schema-2.1.0.json
var sarifSchemaJSON []byte

func compiledSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(sarifSchemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateSARIF(t *testing.T, schema *jsonschema.Schema, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v", err)
	}
}

// fixRule reports every FROM with a safe fix, so that fixes reach SARIF.
var fixRule = &lint.Rule{
	Code: "ST9999", Name: "test-fix-rule", Summary: "A test rule with a fix", Severity: lint.SeverityStyle,
	Origin: lint.OriginStrata, Status: lint.StatusStable, Fix: lint.FixSafe,
	Docs: lint.Docs{What: "Reports FROM.", Why: "Testing.", Fix: "Apply the fix."},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if strings.EqualFold(ins.Keyword, "FROM") {
				kw := ins.KeywordRange()
				p.Report(lint.Finding{At: ins, Range: kw, Message: "FROM is here", Help: "say it again",
					Fix: &lint.Fix{Title: "rewrite FROM", Kind: lint.FixSafe, Edits: []lint.Edit{{Range: kw, NewText: "FROM"}}}})
			}
		}
	},
}

func lintForTest(t *testing.T, files map[string]string) []FileResult {
	t.Helper()
	l := lint.New([]*lint.Rule{lint.ParseErrorRule, fixRule}, lint.Options{})
	var out []FileResult
	for _, name := range []string{"Dockerfile", "svc/a b.Dockerfile", "/abs/Containerfile"} {
		data, ok := files[name]
		if !ok {
			continue
		}
		res := l.Lint(lint.NewSource(name, []byte(data)))
		out = append(out, FileResult{Source: res.File.Source, Diagnostics: res.Diagnostics})
	}
	return out
}

func TestSARIFValidAgainstSchema(t *testing.T) {
	schema := compiledSARIFSchema(t)
	results := lintForTest(t, map[string]string{
		"Dockerfile":         "from alpine:3.20\nRUNN oops\nfrom alpine:3.20\n",
		"svc/a b.Dockerfile": "\ufeffFROM débian:12\r\n",
		"/abs/Containerfile": "FROM scratch\n",
	})
	var buf bytes.Buffer
	if err := SARIF(&buf, results, Summarize(results, lint.DefaultThreshold), Options{Version: "v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, schema, buf.Bytes())

	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Version != "1.2.3" {
		t.Errorf("driver version %q, want 1.2.3", run.Tool.Driver.Version)
	}
	if len(run.Tool.Driver.Rules) != 2 || run.Tool.Driver.Rules[0].ID != "DL1000" || run.Tool.Driver.Rules[1].ID != "ST9999" {
		t.Fatalf("rules %+v, want DL1000 and ST9999", run.Tool.Driver.Rules)
	}
	r := run.Tool.Driver.Rules[1]
	if r.Name != "TestFixRule" || r.HelpURI != lint.DocsBaseURL+"ST9999.md" || !strings.Contains(r.Help.Markdown, "## How to fix") {
		t.Errorf("rule metadata: %+v", r)
	}
	var fixed, parse int
	prints := map[string]bool{}
	for _, res := range run.Results {
		fp := res.PartialFingerprints[fingerprintKey]
		if prints[fp] {
			t.Errorf("duplicate fingerprint %s", fp)
		}
		prints[fp] = true
		switch res.RuleID {
		case "ST9999":
			fixed++
			if len(res.Fixes) != 1 || res.Level != "note" || res.RuleIndex != 1 {
				t.Errorf("ST9999 result: %+v", res)
			}
		case "DL1000":
			parse++
			if res.Level != "error" {
				t.Errorf("DL1000 level %q", res.Level)
			}
		}
	}
	if fixed != 4 || parse != 1 {
		t.Errorf("got %d fix results and %d parse errors, want 4 and 1", fixed, parse)
	}
	uris := map[string]bool{}
	for _, a := range run.Artifacts {
		uris[a.Location.URI] = true
	}
	for _, want := range []string{"Dockerfile", "svc/a%20b.Dockerfile", "file:///abs/Containerfile"} {
		if !uris[want] {
			t.Errorf("no artifact %q in %v", want, uris)
		}
	}
	// Columns count code points after the BOM: "FROM débian:12" spans 1..5.
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI == "svc/a%20b.Dockerfile" && (loc.Region.StartColumn != 1 || loc.Region.EndColumn != 5) {
			t.Errorf("region %+v, want columns 1-5", loc.Region)
		}
	}
}

func TestSARIFGoldenValidAgainstSchema(t *testing.T) {
	golden := filepath.Join("..", "..", "testdata", "golden", "sarif.golden")
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/cli -run Golden -update writes it)", err)
	}
	validateSARIF(t, compiledSARIFSchema(t), data)
}

func TestSARIFEmptyRunValid(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, nil, Summary{}, Options{}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, compiledSARIFSchema(t), buf.Bytes())
}

func TestFingerprintsSurviveUnrelatedEdits(t *testing.T) {
	before := lintForTest(t, map[string]string{"Dockerfile": "FROM a:1\nRUN x\nFROM b:2\n"})
	after := lintForTest(t, map[string]string{"Dockerfile": "# a comment\n\nFROM   a:1\r\nRUN y\nFROM b:2\n"})
	edited := lintForTest(t, map[string]string{"Dockerfile": "FROM a:2\nRUN x\nFROM b:2\n"})
	fb, fa, fe := fingerprints(before[0]), fingerprints(after[0]), fingerprints(edited[0])
	if len(fb) != 2 || len(fa) != 2 {
		t.Fatalf("fingerprints %v %v", fb, fa)
	}
	if fb[0] != fa[0] || fb[1] != fa[1] {
		t.Errorf("moving and re-spacing lines changed fingerprints: %v -> %v", fb, fa)
	}
	if fe[0] == fb[0] || fe[1] != fb[1] {
		t.Errorf("editing the flagged line must change its fingerprint only: %v -> %v", fb, fe)
	}
	same := lintForTest(t, map[string]string{"Dockerfile": "FROM a:1\nFROM a:1\n"})
	if fs := fingerprints(same[0]); fs[0] == fs[1] || !strings.HasSuffix(fs[1], ":2") {
		t.Errorf("identical lines need distinct fingerprints: %v", fs)
	}
}

// The schema check is only worth having if it rejects what GitHub would.
func TestSARIFSchemaRejectsInvalidLogs(t *testing.T) {
	schema := compiledSARIFSchema(t)
	for name, doc := range map[string]string{
		"column 0":      `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"Dockerfile"},"region":{"startLine":1,"startColumn":0}}}]}]}]}`,
		"bad level":     `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"level":"warn","message":{"text":"m"}}]}]}`,
		"no driver":     `{"version":"2.1.0","runs":[{"tool":{}}]}`,
		"wrong version": `{"version":"2.0.0","runs":[]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if schema.Validate(inst) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSARIFUnreadableFile: a file that could not be read makes the
// invocation unsuccessful, with a notification naming it, and the log stays
// valid.
func TestSARIFUnreadableFile(t *testing.T) {
	var buf bytes.Buffer
	src := lint.NewSource("Dockerfile", []byte("FROM alpine:3.20\n"))
	sum := Summary{FileErrors: []FileError{{Path: "nothere.Dockerfile", Message: "cannot read nothere.Dockerfile: no such file or directory"}}}
	if err := SARIF(&buf, []FileResult{{Source: src}}, sum, Options{}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, compiledSARIFSchema(t), buf.Bytes())
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        *bool `json:"executionSuccessful"`
				ToolExecutionNotifications []struct {
					Level     string `json:"level"`
					Message   struct{ Text string }
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
						}
					}
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful == nil || *inv[0].ExecutionSuccessful {
		t.Fatalf("invocations = %+v, want one with executionSuccessful false", inv)
	}
	ns := inv[0].ToolExecutionNotifications
	if len(ns) != 1 || ns[0].Level != "error" || !strings.Contains(ns[0].Message.Text, "nothere.Dockerfile") ||
		len(ns[0].Locations) != 1 || ns[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "nothere.Dockerfile" {
		t.Errorf("notifications = %+v", ns)
	}
	// A clean run says nothing about invocations.
	buf.Reset()
	if err := SARIF(&buf, []FileResult{{Source: src}}, Summary{}, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "invocations") {
		t.Errorf("invocations written for a run without errors")
	}
}

// TestJUnitUnreadableFile: a file that could not be read is a test case in
// error.
func TestJUnitUnreadableFile(t *testing.T) {
	var buf bytes.Buffer
	src := lint.NewSource("Dockerfile.ok", []byte("FROM alpine:3.20\n"))
	sum := Summary{Threshold: "info", FileErrors: []FileError{{Path: "nothere.Dockerfile", Message: "cannot read nothere.Dockerfile: no such file or directory"}}}
	if err := JUnit(&buf, []FileResult{{Source: src}}, sum, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<testsuites name="strata lint" tests="2" failures="0" errors="1">`,
		`<testsuite name="strata lint" tests="2" failures="0" errors="1" skipped="0">`,
		`<testcase classname="strata.lint" name="nothere.Dockerfile" file="nothere.Dockerfile">`,
		`<error message="cannot read nothere.Dockerfile: no such file or directory"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	var v struct{}
	if err := xml.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Errorf("not XML: %v", err)
	}
}
