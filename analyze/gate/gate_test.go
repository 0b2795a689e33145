package gate

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-dev/strata/analyze"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"20MB": 20_000_000, "20MiB": 20 << 20, "1.5 GB": 1_500_000_000, "512": 512, "10kB": 10_000, "3KiB": 3072} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MB", "-1MB", "1XB", "1e99"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q): no error", bad)
		}
	}
}

func write(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiveCIKeyByKey(t *testing.T) {
	d, err := LoadDiveCI(write(t, "rules:\n  highestWastedBytes: 20MB\n  lowestEfficiency: off\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if d.LowestEfficiency != nil || d.HighestWastedBytes == nil || *d.HighestWastedBytes != 20e6 || *d.HighestUserWastedPercent != 0.1 {
		t.Errorf("rules = %+v", d)
	}
	if _, err := LoadDiveCI(write(t, "rules:\n  lowestEfficency: 0.9\n"), false); err == nil {
		t.Error("misspelled rule accepted")
	}
	if d, err := LoadDiveCI(filepath.Join(t.TempDir(), "none"), true); err != nil || *d.LowestEfficiency != 0.9 {
		t.Errorf("defaults: %+v %v", d, err)
	}
}

func TestDiveComparisonsMatchDive(t *testing.T) {
	r := &analyze.Result{Dive: analyze.DiveMetrics{Efficiency: 0.95, WastedBytes: 10, UserWastedPercent: math.NaN()}}
	res := Evaluate(r, DefaultDiveRules(), Rules{})
	if !Passed(res) {
		t.Errorf("NaN user-wasted must pass as in dive: %+v", res)
	}
	r.Dive.UserWastedPercent = math.Inf(1)
	if Passed(Evaluate(r, DefaultDiveRules(), Rules{})) {
		t.Error("+Inf user-wasted must fail as in dive")
	}
}

func TestStrataSection(t *testing.T) {
	rules, err := LoadStrata(write(t, "lint:\n  whatever: 1\nanalyze:\n  max-layers: 3\n  min-efficiency: 0.8\n  forbid-paths: [\"/tmp/**\"]\n"), false)
	if err != nil || *rules.MaxLayers != 3 || *rules.MinEfficiency != 0.8 || len(rules.ForbidPaths) != 1 {
		t.Errorf("rules = %+v, %v", rules, err)
	}
	for _, bad := range []string{"analyze:\n  max-layers: many\n", "analyze:\n  min-efficiency: 2\n", "analyze:\n  forbid-paths: \"[\"\n", "analyze:\n  nope: 1\n"} {
		if _, err := LoadStrata(write(t, bad), false); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestGateOrigin: each dive gate names where its limit came from: dive's
// default, the .dive-ci file, or a flag (SetOrigin); strata's own gates
// come from .strata.yaml.
func TestGateOrigin(t *testing.T) {
	from := func(rs []Result) map[string]string {
		m := map[string]string{}
		for _, r := range rs {
			m[r.Name] = r.From
		}
		return m
	}
	r := &analyze.Result{}
	d, err := LoadDiveCI(filepath.Join(t.TempDir(), "none"), true)
	if err != nil {
		t.Fatal(err)
	}
	if got := from(Evaluate(r, d, Rules{})); got["lowestEfficiency"] != "default" || got["highestWastedBytes"] != "default" || got["highestUserWastedPercent"] != "default" {
		t.Errorf("no .dive-ci: %v", got)
	}
	d, err = LoadDiveCI(write(t, "rules:\n  highestWastedBytes: 20MB\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	e := 0.99
	d.LowestEfficiency = &e
	d.SetOrigin("lowestEfficiency", FromFlag)
	n := int64(3)
	got := from(Evaluate(r, d, Rules{MaxLayers: &n}))
	want := map[string]string{"lowestEfficiency": "flag", "highestWastedBytes": ".dive-ci", "highestUserWastedPercent": "default", "max-layers": ".strata.yaml"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s from %q, want %q", k, got[k], v)
		}
	}
}
