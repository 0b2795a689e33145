package tui

import (
	"regexp"
	"testing"

	"github.com/strata-dev/strata/tui/internal/fixture"
)

// The details pane and the tree's footer count ~ (modified) the same
// way, as docs/tui.md defines it: content, type, mode or owner, or
// re-added identical, directories included. Layer 4 of the example image
// re-adds /tmp/ unchanged (COPY release.tar.gz /tmp/).
func TestModifiedCountsAgree(t *testing.T) {
	in := FromResult(fixture.Ref(t, "oci:../testdata/images/example"))
	m := loaded(t, in, 160, 48)
	press(t, m, "home")
	details := regexp.MustCompile(`files \d+: \+\d+ ~(\d+) -\d+`)
	footer := regexp.MustCompile(`~(\d+) modified`)
	for i := range in.Result.Layers {
		if i > 0 {
			press(t, m, "j")
		}
		s := screen(m)
		d, f := details.FindStringSubmatch(s), footer.FindStringSubmatch(s)
		if d == nil || f == nil {
			t.Fatalf("layer %d: no counts on the screen:\n%s", i+1, s)
		}
		if d[1] != f[1] {
			t.Errorf("layer %d: details ~%s, tree footer ~%s modified", i+1, d[1], f[1])
		}
		if i == 3 && f[1] != "1" {
			t.Errorf("layer 4 re-adds /tmp/ identical: ~%s modified, want ~1", f[1])
		}
	}
}
