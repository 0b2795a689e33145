package analyze

import (
	"github.com/strata-dev/strata/internal/tools/testimg"
	"math"
	"testing"
)

// The worked example of ../shared/reference/dive-metrics.md.
func TestDiveWorkedExample(t *testing.T) {
	for _, compress := range []bool{false, true} {
		img := layers(compress,
			testimg.Tar(F{Name: "a", Body: body(100)}, F{Name: "b", Body: body(50)}),
			testimg.Tar(F{Name: "a", Body: body(100), Mode: 0o755}, F{Name: ".wh.b"}),
		)
		r := analyzeImage(t, img, Options{})
		d := r.Dive
		if d.Efficiency != 0.4 || d.WastedBytes != 250 || d.UserSizeBytes != 100 || d.UserWastedPercent != 2.5 {
			t.Errorf("compress=%v: dive = %+v, want efficiency 0.4, wasted 250, user size 100, user wasted 2.5", compress, d)
		}
		if r.Figures.Wasted != 150 || r.Figures.ByCause[CauseMetadata] != 100 || r.Figures.ByCause[CauseDeleted] != 50 {
			t.Errorf("compress=%v: strata waste = %d %v, want 150 (metadata 100, deleted 50)", compress, r.Figures.Wasted, r.Figures.ByCause)
		}
	}
}

func TestDiveDirectoryWhiteoutAndOpaqueIgnored(t *testing.T) {
	img := layers(false,
		testimg.Tar(F{Name: "d/", Type: '5'}, F{Name: "d/x", Body: body(10)}, F{Name: "d/y", Body: body(20)}, F{Name: "o/", Type: '5'}, F{Name: "o/z", Body: body(7)}),
		testimg.Tar(F{Name: ".wh.d"}, F{Name: "o/", Type: '5'}, F{Name: "o/.wh..wh..opq"}),
	)
	r := analyzeImage(t, img, Options{})
	// Layer 0 leaves: d/x 10, d/y 20, o/z 7. Layer 1 leaves: d (whiteout
	// of a directory: 30) and o (opaque marker dropped: an empty dir, 0).
	// Paths: /d/x, /d/y, /o/z once; /d once (30); /o once (0).
	// Σmin = Σcum = 67, nothing inefficient.
	if r.Dive.Efficiency != 1 || r.Dive.WastedBytes != 0 {
		t.Errorf("dive = %+v, want efficiency 1 and no waste", r.Dive)
	}
	// strata counts both deletions.
	if r.Figures.ByCause[CauseDeleted] != 37 {
		t.Errorf("deleted = %d, want 37", r.Figures.ByCause[CauseDeleted])
	}
}

func TestDiveOneLayerIsNaN(t *testing.T) {
	r := analyzeImage(t, layers(false, testimg.Tar(F{Name: "a", Body: "x"})), Options{})
	if !math.IsNaN(r.Dive.UserWastedPercent) {
		t.Errorf("dive user wasted = %v, want NaN like dive", r.Dive.UserWastedPercent)
	}
	if r.Figures.UserWastedPercent != 0 || r.Figures.Efficiency != 1 {
		t.Errorf("strata figures = %+v, want no NaN", r.Figures)
	}
}

func TestDiveMissingWhiteoutAbortsLayer(t *testing.T) {
	// dive stops visiting layer 1 at the whiteout of a path it does not
	// have (sorted order: "/.wh.gone" < "/z"), registers -1 as the
	// smallest size of /gone and never sees /z.
	img := layers(false,
		testimg.Tar(F{Name: "a", Body: body(10)}),
		testimg.Tar(F{Name: ".wh.gone"}, F{Name: "z", Body: body(5)}),
	)
	r := analyzeImage(t, img, Options{})
	want := float64(10-1) / float64(10)
	if r.Dive.Efficiency != want {
		t.Errorf("efficiency = %v, want %v", r.Dive.Efficiency, want)
	}
}

// Tricky layers, checked against a literal transcription of dive's code.
func TestDiveMatchesDiveOnEdgeCases(t *testing.T) {
	cases := map[string][][]byte{
		"whiteout and re-add in one layer": {
			testimg.Tar(F{Name: "d/", Type: '5'}, F{Name: "d/x", Body: body(10)}, F{Name: "-d/", Type: '5'}, F{Name: "-d/y", Body: body(4)}),
			testimg.Tar(F{Name: ".wh.d"}, F{Name: "d/", Type: '5'}, F{Name: "d/z", Body: body(3)}, F{Name: ".wh.-d"}, F{Name: "-d/q", Body: body(2)}),
		},
		"implied parent whiteout": {
			testimg.Tar(F{Name: "p/q/r", Body: body(30)}),
			testimg.Tar(F{Name: "p/.wh.q"}),
		},
		"file over directory and back": {
			testimg.Tar(F{Name: "a/", Type: '5'}, F{Name: "a/b", Body: body(8)}),
			testimg.Tar(F{Name: "a", Body: body(5)}),
			testimg.Tar(F{Name: ".wh.a"}, F{Name: "c", Body: "1"}),
		},
		"opaque without its directory entry": {
			testimg.Tar(F{Name: "o/k", Body: body(6)}),
			testimg.Tar(F{Name: "o/.wh..wh..opq"}, F{Name: "n/.wh..wh..opq"}),
		},
		"missing whiteout target": {
			testimg.Tar(F{Name: "a", Body: body(10)}),
			testimg.Tar(F{Name: "b", Body: body(3)}, F{Name: ".wh.gone"}, F{Name: "z", Body: body(5)}, F{Name: "0", Body: body(1)}),
		},
		"whiteout in the first layer": {
			testimg.Tar(F{Name: "x", Body: body(4)}, F{Name: ".wh.x"}, F{Name: ".wh.y"}),
			testimg.Tar(F{Name: "x", Body: body(4)}),
		},
	}
	for name, tars := range cases {
		r := analyzeImage(t, layers(false, tars...), Options{})
		if want := refDive(r); !sameDive(r.Dive, want) {
			t.Errorf("%s: dive = %+v, dive's algorithm gives %+v", name, r.Dive, want)
		}
	}
}
