package lint

import "testing"

func TestPragmaParsing(t *testing.T) {
	for _, tc := range []struct {
		comment string
		kind    PragmaKind
		codes   string
		invalid bool
		reason  string
	}{
		{"# hadolint ignore=DL3006,SC2086", PragmaNextLine, "DL3006 SC2086", false, ""},
		{"# hadolint global ignore = DL3023 , DL3021", PragmaGlobal, "DL3023 DL3021", false, ""},
		{"# hadolint stage ignore=DL3011", PragmaStage, "DL3011", false, ""},
		{"# hadolint ignore=DL3002 # because", PragmaNextLine, "DL3002", false, ""},
		{"# hadolint ignore=crazy,DL3002", PragmaNextLine, "crazy DL3002", false, ""},
		{"# hadolint ignore=ST3005", PragmaNextLine, "ST3005", false, ""},
		{"# hadolint global ignore=ST3005,FromAsCasing", PragmaGlobal, "ST3005 FromAsCasing", false, ""},
		{"# hadolint ignore=DL3008,ST3009", PragmaNextLine, "DL3008 ST3009", false, ""},
		{"# hadolint ignore=DL3002 because", PragmaNextLine, "DL3002", true, ""},
		{"# strata: ignore=DL3008,DL3015 pinned by the mirror", PragmaNextInstruction, "DL3008 DL3015", false, "pinned by the mirror"},
		{"# strata: global ignore=ST1001 -- generated file", PragmaGlobal, "ST1001", false, "generated file"},
		{"# strata: ignore=DL3008", PragmaNextInstruction, "DL3008", false, ""},
		{"# hadolint shell=powershell", PragmaShell, "", false, ""},
	} {
		f := Parse(NewSource("Dockerfile", []byte(tc.comment+"\nFROM scratch\n")))
		ps := f.Pragmas()
		if len(ps) != 1 {
			t.Errorf("%q: got %d pragmas", tc.comment, len(ps))
			continue
		}
		p := ps[0]
		codes := ""
		for i, c := range p.Codes {
			if i > 0 {
				codes += " "
			}
			codes += c
		}
		if p.Kind != tc.kind || codes != tc.codes || (p.Invalid != "") != tc.invalid || p.Reason != tc.reason {
			t.Errorf("%q: kind %d codes %q invalid %q reason %q", tc.comment, p.Kind, codes, p.Invalid, p.Reason)
		}
	}
}
