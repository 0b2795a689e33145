package attribution

import (
	"archive/tar"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/tools/testimg"
	"github.com/strata-dev/strata/lint"
	"github.com/strata-dev/strata/rules"
)

// joined builds, in memory, the image the waste Dockerfile makes (with
// small files), analyzes it and joins it with the Dockerfile and, unless
// noLint, its lint findings.
type f = testimg.File

func joined(t *testing.T, noLint bool) *analyze.Result {
	t.Helper()

	body := func(n int) string { return strings.Repeat("x", n) }
	img := testimg.Image(true,
		testimg.Step{CreatedBy: "debootstrap --variant=minbase bookworm", Layer: testimg.Tar(
			f{Name: "bin/sh", Body: body(100)}, f{Name: "var/lib/dpkg/status", Body: body(300)},
			f{Name: "etc/old", Body: body(40)}, f{Name: "etc/gone", Body: body(20)}, f{Name: "etc/gone2", Body: body(30)})},
		testimg.Step{CreatedBy: `-/bin/sh -c #(nop)  CMD ["bash"]`},
		testimg.Step{CreatedBy: "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends hello # buildkit", Layer: testimg.Tar(
			f{Name: "var/lib/apt/lists/deb_Packages", Body: body(5000)}, f{Name: "var/cache/apt/pkgcache.bin", Body: body(3000)},
			f{Name: "usr/bin/hello", Body: body(200)}, f{Name: "var/lib/dpkg/status", Body: body(310)})},
		testimg.Step{CreatedBy: "COPY assets /srv/assets # buildkit", Layer: testimg.Tar(
			f{Name: "srv/assets/a", Body: body(700)}, f{Name: "srv/assets/b", Body: body(800)})},
		testimg.Step{CreatedBy: "RUN /bin/sh -c head -c 3000000 /dev/urandom > /tmp/blob.bin # buildkit", Layer: testimg.Tar(
			f{Name: "tmp/blob.bin", Body: body(4000)})},
		testimg.Step{CreatedBy: "ENV APP=1"},
		testimg.Step{CreatedBy: "RUN /bin/sh -c rm /tmp/blob.bin # buildkit", Layer: testimg.Tar(
			f{Name: "tmp/.wh.blob.bin"}, f{Name: "etc/.wh.gone"})},
		testimg.Step{CreatedBy: "RUN /bin/sh -c chmod -R g+w /srv/assets # buildkit", Layer: testimg.Tar(
			f{Name: "srv/assets", Type: tar.TypeDir, Mode: 0o775},
			f{Name: "srv/assets/a", Body: body(700), Mode: 0o664}, f{Name: "srv/assets/b", Body: body(800), Mode: 0o664})},
		testimg.Step{CreatedBy: `CMD ["hello"]`},
	)
	// testimg marks no entry empty by itself: "-" does, as in h().
	dir := testimg.WriteLayout(t, t.TempDir(), img, "waste")
	src, err := source.Open(context.Background(), source.Ref{Transport: source.OCI, Path: dir}, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var hist []HistoryEntry
	for _, e := range src.Config.History {
		empty := e.EmptyLayer || strings.HasPrefix(e.CreatedBy, "-")
		hist = append(hist, HistoryEntry{CreatedBy: strings.TrimPrefix(e.CreatedBy, "-"), EmptyLayer: empty})
	}
	file := lint.Parse(lint.NewSource("Dockerfile", []byte(wasteDockerfile)))
	c, err := NewChain(file, "")
	if err != nil {
		t.Fatal(err)
	}
	m := Match(c, hist, len(src.Layers), "history")
	if !m.Matched || m.BaseLayers != 1 {
		t.Fatalf("matched %v with %d base layers", m.Matched, m.BaseLayers)
	}
	var ids []string
	for _, l := range src.Layers[:m.BaseLayers] {
		ids = append(ids, l.DiffID)
	}
	res, err := analyze.Analyze(context.Background(), src, analyze.Options{Base: &analyze.BaseImage{Name: c.Base, DiffIDs: ids, Source: "dockerfile"}})
	if err != nil {
		t.Fatal(err)
	}
	var lr *lint.Result
	if !noLint {
		lr = lint.New(rules.All(), lint.Options{}).Lint(lint.NewSource("Dockerfile", []byte(wasteDockerfile)))
	}
	Join(res, m, lr)
	return res
}

func TestJoin(t *testing.T) {
	res := joined(t, false)
	at := res.Attribution
	got := map[string]analyze.Saving{}
	for _, s := range at.Savings {
		label := s.Rule
		if label == "" {
			label = s.Kind
		}
		got[label+"@"+itoa(s.Instruction.Line)] = s
	}
	for key, want := range map[string]struct {
		bytes, wasted int64
		by            int
		msg           string
	}{
		"DL3009@2":            {5000, 0, 0, "DL3009 line 2: apt lists left in layer 2: 5.0 kB"},
		"apt cache@2":         {3000, 0, 0, "line 2: apt cache left in layer 2: 3.0 kB"},
		"deleted-later@4":     {4000, 4000, 6, "line 4: stored in layer 4, deleted by line 6: 4.0 kB"},
		"ST1002@3":            {1500, 1500, 7, "ST1002 line 3: stored in layer 3, copied again for a chmod/chown by line 7: 1.5 kB"}, // chmod -R after COPY
		"overwritten-later@2": {300, 300, 0, "line 2: overwrites base-image files (layer 1): 300 B"},
		"deleted-later@6":     {20, 20, 0, "line 6: deletes base-image files (layer 1): 20 B"},
	} {
		s, ok := got[key]
		if !ok {
			t.Errorf("no saving %s; have %v", key, at.Savings)
			continue
		}
		by := 0
		if s.ShadowedBy != nil {
			by = s.ShadowedBy.Line
		}
		if s.Bytes != want.bytes || s.Wasted != want.wasted || by != want.by || s.Message != want.msg {
			t.Errorf("%s: bytes %d wasted %d by line %d %q; want %d %d %d %q", key, s.Bytes, s.Wasted, by, s.Message,
				want.bytes, want.wasted, want.by, want.msg)
		}
	}
	if at.Savings[0].Rule != "DL3009" {
		t.Errorf("the biggest saving is %+v, want DL3009's", at.Savings[0])
	}
	if at.WastedBytes != res.Figures.Wasted || at.AttributedBytes != at.WastedBytes {
		t.Errorf("%d of %d wasted bytes attributed (figures: %d)", at.AttributedBytes, at.WastedBytes, res.Figures.Wasted)
	}
	if len(at.Waste) != len(res.Waste) {
		t.Fatalf("%d waste owners for %d wasted copies", len(at.Waste), len(res.Waste))
	}
	for i, w := range res.Waste {
		if at.Waste[i].Instruction == nil {
			t.Errorf("wasted %s has no instruction", res.Paths.String(w.Path))
		}
	}
	for l, want := range []int{0, 2, 3, 4, 6, 7} {
		in := res.Layers[l].Instruction
		if (in == nil) != (want == 0) || in != nil && in.Line != want {
			t.Errorf("layer %d: instruction %+v, want line %d", l+1, in, want)
		}
	}
	var dl3009 *analyze.LintFinding
	for i, f := range at.Lint {
		if f.Code == "DL3009" {
			dl3009 = &at.Lint[i]
		}
	}
	if dl3009 == nil || dl3009.Layer != 1 || dl3009.Bytes != 5000 {
		t.Errorf("DL3009 finding = %+v, want layer index 1 and 5000 bytes", dl3009)
	}
}

// TestJoinWithoutLint: with --no-lint the rules that apply are still
// named, from the caches they cover.
func TestJoinWithoutLint(t *testing.T) {
	res := joined(t, true)
	if len(res.Attribution.Lint) != 0 {
		t.Errorf("lint findings without lint: %v", res.Attribution.Lint)
	}
	if s := res.Attribution.Savings[0]; s.Rule != "DL3009" || s.Bytes != 5000 {
		t.Errorf("first saving %+v, want DL3009's 5000 bytes", s)
	}
}

func TestUnder(t *testing.T) {
	for _, tc := range []struct {
		p, root string
		want    bool
	}{
		{"/var/lib/apt/lists/x", "/var/lib/apt/lists", true},
		{"/var/lib/apt/lists", "/var/lib/apt/lists", false},
		{"/home/app/.cache/pip/http/a", "/home/*/.cache/pip", true},
		{"/home/.cache/pip/a", "/home/*/.cache/pip", false},
		{"/var/lib/aptitude/x", "/var/lib/apt", false},
	} {
		if got := under(tc.p, tc.root); got != tc.want {
			t.Errorf("under(%q, %q) = %v", tc.p, tc.root, got)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
