package cli

import (
	"testing"

	"github.com/strata-dev/strata/analyze"
)

func TestAttributedInputCarriesLinesAndLintFindings(t *testing.T) {
	res := &analyze.Result{
		Layers: []analyze.Layer{{}, {Instruction: &analyze.Instruction{File: "Dockerfile", Line: 3, EndLine: 4, Text: "RUN apt-get update", Stage: "0"}}},
		Attribution: &analyze.Attribution{Dockerfile: "Dockerfile", Lint: []analyze.LintFinding{
			{Code: "DL3009", Severity: "info", Message: "apt lists", Line: 3, Layer: 1, Bytes: 4500},
		}},
	}
	in := attributedInput(res)
	if in.Dockerfile != "Dockerfile" || len(in.Layers) != 2 || in.Layers[1].Line != 3 || in.Layers[1].Instruction != "RUN apt-get update" {
		t.Fatalf("layer notes: %+v", in.Layers)
	}
	var lintFindings int
	for _, f := range in.Findings {
		if f.Source == "lint" {
			lintFindings++
			if f.Code != "DL3009" || f.Layer != 1 || f.Bytes != 4500 || f.Line != 3 {
				t.Errorf("lint finding: %+v", f)
			}
		}
	}
	if lintFindings != 1 {
		t.Errorf("got %d lint findings, want 1", lintFindings)
	}
}
