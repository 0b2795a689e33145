package analyze

import (
	"strconv"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

// final lists the final file system as "path size" lines.
func final(r *Result, k int) string {
	var b strings.Builder
	v := r.View(k)
	sizes := v.Sizes()
	v.Walk(func(id PathID, e *Entry) bool {
		kind := "dir"
		if e != nil {
			kind = e.Type.String()
		}
		b.WriteString(r.Paths.String(id) + " " + kind + " " + itoa(sizes[id]) + "\n")
		return true
	})
	return b.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func checkInvariant(t *testing.T, r *Result) {
	t.Helper()
	if r.Figures.FinalSize != r.Figures.TotalSize-r.Figures.Wasted {
		t.Errorf("final size %d != total %d - wasted %d", r.Figures.FinalSize, r.Figures.TotalSize, r.Figures.Wasted)
	}
}

func TestWhiteoutsApplyToLowerLayersOnly(t *testing.T) {
	// The whiteout comes after the re-added file in the tar: it still only
	// deletes the lower copy.
	img := layers(false,
		testimg.Tar(F{Name: "etc/", Type: '5'}, F{Name: "etc/conf", Body: body(40)}, F{Name: "etc/keep", Body: "k"}),
		testimg.Tar(F{Name: "etc/conf", Body: body(8)}, F{Name: "etc/.wh.conf"}),
	)
	r := analyzeImage(t, img, Options{})
	got := final(r, 1)
	want := "/etc dir 9\n/etc/conf file 8\n/etc/keep file 1\n"
	if got != want {
		t.Errorf("final view:\n%s\nwant:\n%s", got, want)
	}
	if len(r.Waste) != 1 || r.Waste[0].Bytes != 40 || r.Waste[0].Cause != CauseDeleted || r.Waste[0].StoredIn != 0 || r.Waste[0].ShadowedBy != 1 {
		t.Errorf("waste = %+v", r.Waste)
	}
	checkInvariant(t, r)
}

func TestOpaqueDirectoryHidesLowerChildrenWhereverItSits(t *testing.T) {
	img := layers(true,
		testimg.Tar(F{Name: "./app/", Type: '5'}, F{Name: "./app/old", Body: body(30)}, F{Name: "./app/sub/deep", Body: body(5)}),
		testimg.Tar(F{Name: "./app/new", Body: body(3)}, F{Name: "./app/", Type: '5'}, F{Name: "./app/.wh..wh..opq"}),
	)
	r := analyzeImage(t, img, Options{})
	if got, want := final(r, 1), "/app dir 3\n/app/new file 3\n"; got != want {
		t.Errorf("final view:\n%s\nwant:\n%s", got, want)
	}
	if got, want := final(r, 0), "/app dir 35\n/app/old file 30\n/app/sub dir 5\n/app/sub/deep file 5\n"; got != want {
		t.Errorf("view as of layer 0:\n%s\nwant:\n%s", got, want)
	}
	if r.Figures.ByCause[CauseDeleted] != 35 {
		t.Errorf("deleted = %d, want 35", r.Figures.ByCause[CauseDeleted])
	}
	checkInvariant(t, r)
}

func TestFileDirectorySwaps(t *testing.T) {
	img := layers(false,
		testimg.Tar(F{Name: "x", Body: body(11)}, F{Name: "y/", Type: '5'}, F{Name: "y/in", Body: body(4)}),
		testimg.Tar(F{Name: "x/", Type: '5'}, F{Name: "x/child", Body: "c"}, F{Name: "y", Body: body(2)}),
	)
	r := analyzeImage(t, img, Options{})
	if got, want := final(r, 1), "/x dir 1\n/x/child file 1\n/y file 2\n"; got != want {
		t.Errorf("final view:\n%s\nwant:\n%s", got, want)
	}
	if r.Figures.ByCause[CauseModified] != 11 || r.Figures.ByCause[CauseDeleted] != 4 {
		t.Errorf("by cause = %v, want modified 11 (file x replaced), deleted 4 (y/in under the new file)", r.Figures.ByCause)
	}
	checkInvariant(t, r)
}

func TestHardlinksCountOncePerInode(t *testing.T) {
	img := layers(false,
		testimg.Tar(F{Name: "bin/", Type: '5'}, F{Name: "bin/tool", Body: body(100)}, F{Name: "bin/alias", Type: '1', Link: "bin/tool"}),
		testimg.Tar(F{Name: "bin/.wh.tool"}, F{Name: "bin/other", Type: '1', Link: "./bin/alias"}),
	)
	r := analyzeImage(t, img, Options{})
	if r.Layers[0].Size != 100 {
		t.Errorf("layer 0 size = %d, want 100 (the hardlink stores nothing)", r.Layers[0].Size)
	}
	// Deleting one name of the inode frees nothing: the alias keeps it.
	if r.Figures.Wasted != 0 || r.Figures.FinalSize != 100 {
		t.Errorf("wasted %d final %d, want 0 and 100", r.Figures.Wasted, r.Figures.FinalSize)
	}
	if got, want := final(r, 1), "/bin dir 100\n/bin/alias hardlink 100\n/bin/other hardlink 100\n"; got != want {
		t.Errorf("final view:\n%s\nwant:\n%s", got, want)
	}
	checkInvariant(t, r)
}

func TestHardlinkToMissingTargetWarns(t *testing.T) {
	r := analyzeImage(t, layers(false, testimg.Tar(F{Name: "a", Type: '1', Link: "nowhere"})), Options{})
	if len(r.Warnings) == 0 || !strings.Contains(strings.Join(r.Warnings, "\n"), "does not exist") {
		t.Errorf("warnings = %q", r.Warnings)
	}
}

func TestDuplicateMetadataAndModifiedCauses(t *testing.T) {
	img := layers(false,
		testimg.Tar(F{Name: "same", Body: body(10)}, F{Name: "chmod", Body: body(20)}, F{Name: "edit", Body: body(30)}, F{Name: "resize", Body: body(40)}),
		testimg.Tar(F{Name: "same", Body: body(10)}, F{Name: "chmod", Body: body(20), Mode: 0o700}, F{Name: "edit", Body: strings.ToUpper(body(30))}, F{Name: "resize", Body: body(41)}),
	)
	r := analyzeImage(t, img, Options{})
	want := map[Cause]int64{CauseDuplicate: 10, CauseMetadata: 20, CauseModified: 70, CauseDeleted: 0}
	for c, n := range want {
		if r.Figures.ByCause[c] != n {
			t.Errorf("%s = %d, want %d", c, r.Figures.ByCause[c], n)
		}
	}
	l := r.Layers[1]
	if l.Same.N != 1 || l.Attrs.N != 1 || l.Modified.N != 2 {
		t.Errorf("layer 1 changes: same %d attrs %d modified %d", l.Same.N, l.Attrs.N, l.Modified.N)
	}
	// The uncompressed layers were skimmed: only the three same-size pairs
	// were hashed, on demand.
	if !r.Layers[0].Skimmed {
		t.Error("layer 0 was not skimmed")
	}
	checkInvariant(t, r)
}

func TestLongNamesPAXAndDotSlash(t *testing.T) {
	long := strings.Repeat("deep/", 40) + "file.txt"
	img := layers(false, testimg.Tar(F{Name: "./" + long, Body: "x", PAX: true}, F{Name: "/abs", Body: "y"}))
	r := analyzeImage(t, img, Options{})
	if _, ok := r.Paths.Lookup(long); !ok {
		t.Errorf("long PAX name missing: %s", final(r, 0))
	}
	if _, ok := r.Paths.Lookup("/abs"); !ok || !strings.Contains(strings.Join(r.Warnings, "\n"), "absolute") {
		t.Errorf("absolute name: warnings %q", r.Warnings)
	}
}

func TestEscapingNamesAreSkipped(t *testing.T) {
	img := layers(false, testimg.Tar(F{Name: "../../etc/evil", Body: "x"}, F{Name: "ok", Body: "y"}, F{Name: "link", Type: '2', Link: "../../../../etc/shadow"}))
	r := analyzeImage(t, img, Options{})
	if _, ok := r.Paths.Lookup("etc/evil"); ok {
		t.Error("escaping entry was read")
	}
	w := strings.Join(r.Warnings, "\n")
	if !strings.Contains(w, "escapes the root") || !strings.Contains(w, "points outside") {
		t.Errorf("warnings = %q", w)
	}
}

func TestDuplicateEntryInOneLayer(t *testing.T) {
	r := analyzeImage(t, layers(false, testimg.Tar(F{Name: "f", Body: body(9)}, F{Name: "f", Body: body(3)})), Options{})
	if r.Figures.Wasted != 9 || r.Waste[0].StoredIn != 0 || r.Waste[0].ShadowedBy != 0 {
		t.Errorf("waste = %+v", r.Waste)
	}
	if got := final(r, 0); got != "/f file 3\n" {
		t.Errorf("final = %q", got)
	}
	checkInvariant(t, r)
}

func TestEntriesSortedAndTyped(t *testing.T) {
	r := analyzeImage(t, layers(false, testimg.Tar(F{Name: "b", Body: "1"}, F{Name: "a/", Type: '5'}, F{Name: ".wh.c"})), Options{})
	var got []string
	for _, e := range r.Layers[0].Entries {
		got = append(got, r.Paths.String(e.Path)+":"+e.Type.String())
	}
	if strings.Join(got, " ") != "/a:dir /b:file /c:whiteout" {
		t.Errorf("entries = %v", got)
	}
	if r.Layers[0].Entries[2].Type != layer.Whiteout {
		t.Error("not a whiteout")
	}
}
