package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/tools/testimg"
	"github.com/strata-dev/strata/tui/internal/fixture"
)

// The title counts layers in the singular for one; an image without
// layers does not claim a "layer 1" in the tree's title.
func TestTitleLayerCounts(t *testing.T) {
	for _, c := range []struct {
		steps      []testimg.Step
		want, not  string
		tree, tnot string
	}{
		{[]testimg.Step{{CreatedBy: "RUN a", Layer: testimg.Tar(fixture.F{Name: "a", Body: "x"})}}, " · 1 layer · ", "1 layers", "Files as of layer 1", ""},
		{[]testimg.Step{{CreatedBy: "CMD sh"}}, " · 0 layers · ", "", "Files (no layers)", "layer 1"},
	} {
		m := loaded(t, FromResult(fixture.Analyze(t, testimg.Image(true, c.steps...))), 80, 24)
		s := screen(m)
		title := strings.SplitN(s, "\n", 2)[0]
		if !strings.Contains(title, c.want) || c.not != "" && strings.Contains(title, c.not) {
			t.Errorf("title %q, want %q", title, c.want)
		}
		if !strings.Contains(s, c.tree) || c.tnot != "" && strings.Contains(s, c.tnot) {
			t.Errorf("want %q without %q:\n%s", c.tree, c.tnot, s)
		}
	}
}

// The ? screen names every key that pages and the mouse.
func TestHelpListsPagingKeysAndMouse(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	press(t, m, "?")
	s := screen(m)
	for _, want := range []string{"ctrl+f", "ctrl+b", "wheel", "click"} {
		if !strings.Contains(s, want) {
			t.Errorf("the help lacks %q:\n%s", want, s)
		}
	}
}

// Wrapping in the details pane keeps a number with its unit: at 60
// columns no line starts with a unit left behind by its number.
func TestDetailsKeepSizesWhole(t *testing.T) {
	if got := wrap("size 46.0 kB · blob 47.7 kB", 24); strings.Join(got, "|") != "size 46.0 kB · blob|47.7 kB" {
		t.Errorf("wrap: %q", got)
	}
	if got := wrap("wasted 0 B", 8); strings.Join(got, "|") != "wasted|0 B" {
		t.Errorf("wrap: %q", got)
	}
	in := FromResult(fixture.Ref(t, "oci:../testdata/images/example"))
	m := loaded(t, in, 60, 30)
	press(t, m, "home")
	orphan := regexp.MustCompile(`(?m)^[│┃](B|kB|MB|GB|%)\s`)
	for i := range in.Result.Layers {
		if i > 0 {
			press(t, m, "j")
		}
		if s := screen(m); orphan.MatchString(s) {
			t.Errorf("layer %d: a unit on a line of its own:\n%s", i+1, s)
		}
	}
}
