package lint

import "testing"

func TestApplyFixes(t *testing.T) {
	src := NewSource("Dockerfile", []byte("FROM a\nRUN x\n"))
	mk := func(start, end int, text string, kind FixKind) Diagnostic {
		return Diagnostic{Fix: &Fix{Kind: kind, Edits: []Edit{{Range: src.Range(start, end), NewText: text}}}}
	}
	diags := []Diagnostic{
		mk(0, 4, "FROM", FixSafe),
		mk(5, 6, "alpine:3.20", FixSafe),
		mk(5, 6, "b", FixSafe),       // overlaps the previous one: skipped
		mk(11, 12, "y", FixUnsafe),   // unsafe: only with unsafe=true
		mk(7, 10, "CMD", FixDisplay), // never applied
	}
	got, n := ApplyFixes(src.Data, diags, false)
	if string(got) != "FROM alpine:3.20\nRUN x\n" || n != 2 {
		t.Errorf("safe: %q (%d applied)", got, n)
	}
	got, n = ApplyFixes(src.Data, diags, true)
	if string(got) != "FROM alpine:3.20\nRUN y\n" || n != 3 {
		t.Errorf("unsafe: %q (%d applied)", got, n)
	}
}
