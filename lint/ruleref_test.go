package lint

import (
	"strings"
	"testing"
)

func TestCheckRuleRef(t *testing.T) {
	reg := []*Rule{
		{Code: "DL3006", Name: "untagged-base-image"},
		{Code: "DL3007", Name: "latest-base-image"},
		{Code: "FromAsCasing", Name: "from-as-casing"},
		{Code: "ST3005", Name: "root-user"},
	}
	for _, tc := range []struct {
		ref  string
		kind RefKind
		err  string // "" for valid
	}{
		{"DL3007", RefSelector, ""},
		{"DL30", RefSelector, ""},
		{"ST", RefSelector, ""},
		{"ST0002", RefSelector, ""}, // a builtin
		{"latest-base-image", RefSelector, ""},
		{"Latest-Base-Image", RefSelector, ""},
		{"all", RefSelector, ""},
		{"From", RefSelector, ""},
		{"SC", RefSelector, ""},
		{"SC2", RefSelector, ""},
		{"SC99999", RefSelector, ""},
		{"SC2086", RefCode, ""},
		{"SC", RefCode, ""},
		{"FromAsCasing", RefCode, ""},
		{"DL3O06", RefSelector, "did you mean DL3006?"},
		{"dl3007", RefSelector, "did you mean DL3007?"},
		{"dl30", RefSelector, "did you mean DL30?"},
		{"sc2086", RefSelector, "did you mean SC2086?"},
		{"XX9999", RefSelector, `"XX9999"`},
		{"DL9", RefSelector, `"DL9"`},
		{"SCX", RefSelector, `"SCX"`},
		{"NOPE", RefCode, `unknown rule code "NOPE"`},
		{"DL30", RefCode, "whole rule codes"},
		{"latest-base-image", RefCode, "did you mean DL3007?"},
		{"ALL", RefCode, `"ALL"`},
	} {
		err := CheckRuleRef(reg, tc.ref, tc.kind)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: unexpected error %v", tc.ref, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: got %v, want an error containing %q", tc.ref, err, tc.err)
		}
	}
}

func TestConfigCheckRules(t *testing.T) {
	reg := []*Rule{{Code: "DL3007", Name: "latest-base-image"}}
	cfg, err := ParseConfig("c.yaml", []byte("ignored: [DL3007]\noverride:\n  error:\n    - DL3007\n    - NOPE\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = cfg.CheckRules(reg)
	if err == nil || !strings.HasPrefix(err.Error(), `c.yaml:5: override.error: unknown rule code "NOPE"`) {
		t.Errorf("got %v", err)
	}
}
