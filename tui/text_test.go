package tui

import (
	"context"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/strata-dev/strata/tui/fstree"
)

func TestMiddle(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"/usr/lib/x86_64-linux-gnu/libstdc++.so.6", 20, "/usr/lib/x…dc++.so.6"},
		{"/short", 20, "/short"},
		{"/usr/lib", 1, "/"},
		{"日本語のファイル名.txt", 11, "日本…名.txt"},
	} {
		got := middle(c.in, c.w)
		if got != c.want || width(got) > c.w {
			t.Errorf("middle(%q, %d) = %q (%d cells), want %q", c.in, c.w, got, width(got), c.want)
		}
	}
}

func TestFitAndWrap(t *testing.T) {
	if got := fit("\x1b[1mbold text\x1b[0m", 6); width(got) != 6 {
		t.Errorf("fit keeps escapes out of the width: %q", got)
	}
	if got := fit("ab", 4); got != "ab  " {
		t.Errorf("fit pads: %q", got)
	}
	got := wrap("RUN apt-get update && apt-get install -y averyveryverylongpackagename", 12)
	want := []string{"RUN apt-get", "update &&", "apt-get", "install -y", "averyveryver", "ylongpackage", "name"}
	if !slices.Equal(got, want) {
		t.Errorf("wrap: %q", got)
	}
}

func TestCommand(t *testing.T) {
	for in, want := range map[string]string{
		"/bin/sh -c #(nop)  CMD [\"sh\"]":                      `CMD ["sh"]`,
		"/bin/sh -c apt-get update":                            "RUN apt-get update",
		"RUN /bin/sh -c make \\\n\t&& make install # buildkit": "RUN make \\ && make install",
		"COPY . /src # buildkit":                               "COPY . /src",
	} {
		if got := command(in); got != want {
			t.Errorf("command(%q) = %q, want %q", in, got, want)
		}
	}
}

// Keys that arrive in one read (fast typing, tmux send-keys) act one by one.
func TestKeysReadTogether(t *testing.T) {
	m := loaded(t, plainInput(t), 80, 24)
	drive(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/curl")})
	if !m.tree.typing || m.tree.want.query != "curl" {
		t.Errorf("typing %v, query %q", m.tree.typing, m.tree.want.query)
	}
}

// NO_COLOR drops every colour but keeps attributes: the cursor row stays
// visible in reverse video.
func TestNoColorKeepsAttributes(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii) // what termenv makes of NO_COLOR
	in := plainInput(t)
	m := New(func(context.Context, func(Progress)) (*Input, error) { return in, nil }, Options{Renderer: r, Static: true})
	drive(t, m, teaSize(80, 24))
	drive(t, m, loadedMsg{ix: newIndex(in)})
	view := m.View()
	if !strings.Contains(view, "\x1b[7m") {
		t.Error("no reverse video for the cursor row")
	}
	if regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)`).MatchString(view) {
		t.Error("colour codes without colour")
	}
	colour := lipgloss.NewRenderer(io.Discard)
	colour.SetColorProfile(termenv.ANSI256)
	if !strings.Contains(NewStyles(colour, true).Status[fstree.Added].Render("+"), "\x1b[") {
		t.Error("no colour with colour on")
	}
}

// Names come from untrusted layers: escape sequences in them are shown
// as "?", never sent to the terminal.
func TestHostileNames(t *testing.T) {
	m := loaded(t, plainInput(t), 160, 48)
	view := m.View()
	for _, bad := range []string{"\x1b]0;", "\x07", "\x1b[2J"} {
		if strings.Contains(view, bad) {
			t.Errorf("the view holds %q", bad)
		}
	}
	if !strings.Contains(screen(m), "?]0;pwned??[2Jevil.txt") {
		t.Errorf("the hostile name is not shown cleaned:\n%s", screen(m))
	}
	if got := middle("a\x1bb\u009bc", 10); got != "a?b?c" {
		t.Errorf("middle: %q", got)
	}
}
